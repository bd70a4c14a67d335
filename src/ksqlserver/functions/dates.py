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


LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
DAY_NANOS = DAY_MS * 1_000_000


def _wrap_long(v: int) -> int:
    """Java long arithmetic overflows by wrapping."""
    return (v - LONG_MIN) % 2**64 + LONG_MIN


def _unit_nanos(unit: str, n: int) -> int:
    """TimeUnit.toNanos, which saturates at Long.MIN_VALUE / Long.MAX_VALUE."""
    return max(LONG_MIN, min(LONG_MAX, _unit_ms(unit) * 1_000_000 * n))


def _plus_nanos(nano_of_day: int, nanos: int) -> int:
    """LocalTime.plusNanos: (nanos % NANOS_PER_DAY, Java's truncating remainder) wrapped into the day."""
    rem = abs(nanos) % DAY_NANOS * (1 if nanos >= 0 else -1)
    return (rem + nano_of_day + DAY_NANOS) % DAY_NANOS


def time_add(unit: str, n: int, ms: int) -> int:
    # TimeAdd: LocalTime.plus(unit.toNanos(interval), NANOS), whose nanos saturate for huge DAYS intervals
    return _plus_nanos(ms * 1_000_000, _unit_nanos(unit, n)) // 1_000_000


def time_sub(unit: str, n: int, ms: int) -> int:
    nanos = _unit_nanos(unit, n)
    if nanos == LONG_MIN:  # LocalTime.minus(Long.MIN_VALUE) is plus(Long.MAX_VALUE).plus(1)
        return _plus_nanos(_plus_nanos(ms * 1_000_000, LONG_MAX), 1) // 1_000_000
    return _plus_nanos(ms * 1_000_000, -nanos) // 1_000_000


def timestamp_add(unit: str, n: int, ms: int) -> int:
    return _wrap_long(ms + _unit_ms(unit) * n)


def timestamp_sub(unit: str, n: int, ms: int) -> int:
    return _wrap_long(ms - _unit_ms(unit) * n)


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
