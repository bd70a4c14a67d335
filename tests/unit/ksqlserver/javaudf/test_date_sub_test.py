"""ksqlDB 0.29 DateSubTest (function/udf/datetime): DateSub.dateSub(TimeUnit, Integer, Date): days of
(date millis - unit millis) truncated towards zero, so 5 seconds before day 1 is day 0; any null gives null."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions.paramtypes import IntervalArg

DAYS, SECONDS = IntervalArg("DAYS"), IntervalArg("SECONDS")


def test_sub_from_date(call: Any) -> None:  # shouldAddToDate
    assert call("DATESUB", [DAYS, T.INTEGER, T.DATE], "DAYS", 11, 1) == -10
    assert call("DATESUB", [DAYS, T.INTEGER, T.DATE], "DAYS", -1, 1) == 2
    assert call("DATESUB", [SECONDS, T.INTEGER, T.DATE], "SECONDS", 5, 1) == 0


def test_nulls(call: Any) -> None:  # handleNulls
    assert call("DATESUB", [DAYS, T.INTEGER, T.DATE], "DAYS", -300, None) is None
    assert call("DATESUB", [DAYS, T.INTEGER, T.DATE], None, 54, 10) is None
    assert call("DATESUB", [DAYS, T.INTEGER, T.DATE], "DAYS", None, 10) is None


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("DATESUB(DAYS, 11, FROM_DAYS(1))", "DATESUB(SECONDS, 5, FROM_DAYS(1))",
                   "DATESUB(SECONDS, 5, FROM_DAYS(0))", "DATESUB(DAYS, X, FROM_DAYS(1))", row={"X": None})
    # MILLISECONDS.toDays truncates towards zero: 5 s before day 0 is day 0 too
    assert r.values == [-10, 0, 0, None]
    assert r.types == ["DATE"] * 4
