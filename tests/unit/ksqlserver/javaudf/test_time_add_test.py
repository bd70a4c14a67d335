"""ksqlDB 0.29 TimeAddTest (function/udf/datetime): TimeAdd.timeAdd(TimeUnit, Integer, Time) adds on a
LocalTime, wrapping around midnight; a null time gives null."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions.paramtypes import IntervalArg

U = IntervalArg("MILLISECONDS")


def test_add_to_time(call: Any) -> None:  # shouldAddToTime
    assert call("TIMEADD", [U, T.INTEGER, T.TIME], "MILLISECONDS", 50, 1000) == 1050
    assert call("TIMEADD", [U, T.INTEGER, T.TIME], "DAYS", 2, 1000) == 1000
    assert call("TIMEADD", [U, T.INTEGER, T.TIME], "DAYS", -2, 1000) == 1000
    assert call("TIMEADD", [U, T.INTEGER, T.TIME], "MINUTES", -1, 60000) == 0


def test_null_time(call: Any) -> None:  # handleNullTime
    assert call("TIMEADD", [U, T.INTEGER, T.TIME], "MILLISECONDS", -300, None) is None


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("TIMEADD(MILLISECONDS, 50, PARSE_TIME('00:00:01', 'HH:mm:ss'))",
                   "TIMEADD(MINUTES, -2, PARSE_TIME('00:01:00', 'HH:mm:ss'))", "TIMEADD(HOURS, X, PARSE_TIME('23', 'HH'))",
                   row={"X": 49})
    assert r.values == [1050, 86_340_000, 0]  # wraps around midnight both ways
    assert r.types == ["TIME"] * 3


def test_huge_intervals_saturate_as_time_unit_to_nanos(call: Any) -> None:
    """TimeAdd adds unit.toNanos(interval), and TimeUnit.toNanos saturates at Long.MAX_VALUE: DAYS of
    Integer.MAX_VALUE is Long.MAX_VALUE nanoseconds, not a whole number of days (value from the Java class)."""
    assert call("TIMEADD", [U, T.INTEGER, T.TIME], "DAYS", 2147483647, 0) == 85636854
