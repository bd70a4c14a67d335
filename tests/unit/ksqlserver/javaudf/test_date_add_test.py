"""ksqlDB 0.29 DateAddTest (function/udf/datetime): DateAdd.dateAdd(TimeUnit, Integer, Date): days of
(date millis + unit millis) truncated, so sub-day units leave the date unchanged; any null gives null."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions.paramtypes import IntervalArg

DAYS, SECONDS = IntervalArg("DAYS"), IntervalArg("SECONDS")


def test_add_to_date(call: Any) -> None:  # shouldAddToDate (Date(86400000) is day 1)
    assert call("DATEADD", [DAYS, T.INTEGER, T.DATE], "DAYS", 9, 1) == 10
    assert call("DATEADD", [DAYS, T.INTEGER, T.DATE], "DAYS", -1, 1) == 0
    assert call("DATEADD", [SECONDS, T.INTEGER, T.DATE], "SECONDS", 5, 1) == 1


def test_nulls(call: Any) -> None:  # handleNulls
    assert call("DATEADD", [DAYS, T.INTEGER, T.DATE], "DAYS", -300, None) is None
    assert call("DATEADD", [DAYS, T.INTEGER, T.DATE], None, 54, 10) is None
    assert call("DATEADD", [DAYS, T.INTEGER, T.DATE], "DAYS", None, 10) is None


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("DATEADD(DAYS, 9, FROM_DAYS(1))", "DATEADD(DAYS, X, FROM_DAYS(1))", "DATEADD(SECONDS, 5, FROM_DAYS(1))",
                   "DATEADD(HOURS, -1, FROM_DAYS(1))", row={"X": -1})
    # Java's truncating division: day 1 minus an hour is still day 0
    assert r.values == [10, 0, 1, 0]
    assert r.types == ["DATE"] * 4
