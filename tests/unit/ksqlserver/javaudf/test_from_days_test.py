"""ksqlDB 0.29 FromDaysTest (function/udf/datetime): FromDays.fromDays(int) -> Date (shouldConvertToTimestamp:
50 days is Date(4320000000), -50 days Date(-4320000000))."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T


def test_from_days(call: Any) -> None:
    assert call("FROM_DAYS", [T.INTEGER], 50) == 50
    assert call("FROM_DAYS", [T.INTEGER], -50) == -50


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("FROM_DAYS(50)", "FROM_DAYS(X)", "FORMAT_DATE(FROM_DAYS(-50), 'yyyy-MM-dd')", row={"X": -50})
    assert r.values == [50, -50, "1969-11-12"]
    assert r.types == ["DATE", "DATE", "STRING"]
