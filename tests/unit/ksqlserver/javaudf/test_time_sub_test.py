"""ksqlDB 0.29 TimeSubTest (function/udf/datetime): TimeSub.timeSub(TimeUnit, Integer, Time) subtracts on a
LocalTime, wrapping around midnight; a null time gives null."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions.paramtypes import IntervalArg

U = IntervalArg("MILLISECONDS")


def test_sub_from_time(call: Any) -> None:  # shouldAddToTime
    assert call("TIMESUB", [U, T.INTEGER, T.TIME], "MILLISECONDS", 50, 1000) == 950
    assert call("TIMESUB", [U, T.INTEGER, T.TIME], "DAYS", 2, 1000) == 1000
    assert call("TIMESUB", [U, T.INTEGER, T.TIME], "DAYS", -2, 1000) == 1000
    assert call("TIMESUB", [U, T.INTEGER, T.TIME], "MINUTES", -1, 60000) == 120000


def test_null_time(call: Any) -> None:  # handleNullTime
    assert call("TIMESUB", [U, T.INTEGER, T.TIME], "MILLISECONDS", -300, None) is None


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("TIMESUB(MILLISECONDS, 50, PARSE_TIME('00:00:01', 'HH:mm:ss'))",
                   "TIMESUB(SECONDS, 2, PARSE_TIME('00:00:01', 'HH:mm:ss'))", "TIMESUB(HOURS, X, PARSE_TIME('01', 'HH'))",
                   row={"X": None})
    assert r.values == [950, 86_399_000, None]
    assert r.types == ["TIME"] * 3


def test_huge_intervals_saturate_as_time_unit_to_nanos(call: Any) -> None:
    """TimeSub subtracts unit.toNanos(interval), which saturates; LocalTime.minus(Long.MIN_VALUE) is
    plus(Long.MAX_VALUE).plus(1) (values from the Java class run once on a JDK)."""
    assert call("TIMESUB", [U, T.INTEGER, T.TIME], "DAYS", 2147483647, 0) == 763145
    assert call("TIMESUB", [U, T.INTEGER, T.TIME], "DAYS", -2147483648, 1000) == 85637854
