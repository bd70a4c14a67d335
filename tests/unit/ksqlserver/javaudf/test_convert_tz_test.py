"""ksqlDB 0.29 ConvertTzTest (function/udf/datetime): ConvertTz.convertTz(Timestamp, from, to) shifts by the
difference of the zones' offsets at that instant; unknown zones throw "Invalid time zone: ..." and any null
argument gives null."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

TS, S = T.TIMESTAMP, T.STRING


def ms(text: str) -> int:
    """Timestamp.valueOf in a UTC JVM (the Java test's values are only compared with each other)."""
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp() * 1000)


def test_with_offsets(call: Any) -> None:  # shouldConvertTimezoneWithOffset
    assert call("CONVERT_TZ", [TS, S, S], ms("2000-01-01 00:00:00"), "+0200", "+0500") == ms("2000-01-01 03:00:00")


def test_with_names(call: Any) -> None:  # shouldConvertTimezoneWithName
    out = call("CONVERT_TZ", [TS, S, S], ms("2000-01-01 00:00:00"), "America/Los_Angeles", "America/New_York")
    assert out == ms("2000-01-01 03:00:00")


def test_invalid_timezone(call: Any) -> None:  # shouldThrowOnInvalidTimezone
    with pytest.raises(KsqlError, match="Invalid time zone"):
        call("CONVERT_TZ", [TS, S, S], ms("2000-01-01 00:00:00"), "wow", "amazing")


def test_nulls(call: Any) -> None:  # shouldReturnNullForNull{Timestamp,FromTimeZone,ToTimeZone}
    t = ms("2000-01-01 00:00:00")
    assert call("CONVERT_TZ", [TS, S, S], None, "America/Los_Angeles", "America/New_York") is None
    assert call("CONVERT_TZ", [TS, S, S], t, None, "America/New_York") is None
    assert call("CONVERT_TZ", [TS, S, S], t, "America/Los_Angeles", None) is None


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("CONVERT_TZ(FROM_UNIXTIME(0), '+0200', '+0500')", "CONVERT_TZ(FROM_UNIXTIME(0), 'wow', 'UTC')")
    assert r.values == [3 * 3_600_000, None]
    assert r.types == ["TIMESTAMP", "TIMESTAMP"]
    assert "Invalid time zone" in r.errors[0]


@pytest.mark.parametrize("tz", ["EST", "utc"])
def test_zone_ids_are_the_jdks(call: Any, tz: str) -> None:
    """ZoneId.of is case-sensitive and knows the JDK's tzdb ids only ("EST" is a Python tzdata key, not one)."""
    with pytest.raises(KsqlError) as err:
        call("CONVERT_TZ", [TS, S, S], 0, tz, "UTC")
    assert err.value.message == f"Invalid time zone: Unknown time-zone ID: {tz}"
