"""Date, time and timestamp arithmetic with time-unit arguments (DATEADD, TIMEADD, TIMESTAMPADD and their
SUB twins) and CONVERT_TZ, as ksqlDB's UDFs compute them (Java's truncating day division)."""

from __future__ import annotations

import datetime as dt

from ksqlserver.errors import EvaluationError
from ksqlserver.functions.timefmt import EPOCH, zone

DAY_MS = 86_400_000
UNIT_MS = {"MILLISECOND": 1, "SECOND": 1000, "MINUTE": 60_000, "HOUR": 3_600_000, "DAY": DAY_MS}


def _jdiv(a: int, b: int) -> int:
    """Java's integer division (truncates towards zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _unit_ms(unit: str) -> int:
    return UNIT_MS[unit.upper().rstrip("S")]


def date_add(unit: str, n: int, days: int) -> int:
    return _jdiv(days * DAY_MS + _unit_ms(unit) * n, DAY_MS)


def date_sub(unit: str, n: int, days: int) -> int:
    return _jdiv(days * DAY_MS - _unit_ms(unit) * n, DAY_MS)


def time_add(unit: str, n: int, ms: int) -> int:
    return (ms + _unit_ms(unit) * n) % DAY_MS


def time_sub(unit: str, n: int, ms: int) -> int:
    return (ms - _unit_ms(unit) * n) % DAY_MS


def timestamp_add(unit: str, n: int, ms: int) -> int:
    return ms + _unit_ms(unit) * n


def timestamp_sub(unit: str, n: int, ms: int) -> int:
    return ms - _unit_ms(unit) * n


def _offset_ms(tz: str, ms: int) -> int:
    try:
        z = zone(tz)
    except Exception as e:
        raise EvaluationError(f"Invalid time zone: Unknown time-zone ID: {tz}") from e
    t = EPOCH + dt.timedelta(milliseconds=ms)
    off = t.astimezone(z).utcoffset() or dt.timedelta(0)
    return int(off.total_seconds() * 1000)


def convert_tz(ms: int, from_tz: str, to_tz: str) -> int:
    return ms + _offset_ms(to_tz, ms) - _offset_ms(from_tz, ms)
