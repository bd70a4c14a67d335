"""ksqlDB 0.29 TimestampAddTest (function/udf/datetime): TimestampAdd.timestampAdd(TimeUnit, Integer, Timestamp):
addToTimestamp, addNegativeTimestamp, handleNullTimestamp."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions.paramtypes import IntervalArg

TYPES = [IntervalArg("MILLISECONDS"), T.INTEGER, T.TIMESTAMP]


def test_add(call: Any) -> None:
    assert call("TIMESTAMPADD", TYPES, "MILLISECONDS", 50, 100) == 150
    assert call("TIMESTAMPADD", TYPES, "MILLISECONDS", -300, 100) == -200
    assert call("TIMESTAMPADD", TYPES, "MILLISECONDS", -300, None) is None


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("TIMESTAMPADD(MILLISECONDS, 50, FROM_UNIXTIME(100))", "TIMESTAMPADD(MILLISECONDS, -300, FROM_UNIXTIME(100))",
                   "TIMESTAMPADD(DAYS, X, FROM_UNIXTIME(0))", row={"X": 2})
    assert r.values == [150, -200, 2 * 86_400_000]
    assert r.types == ["TIMESTAMP"] * 3


def test_long_overflow_wraps(call: Any) -> None:
    """TimestampAdd is new Timestamp(getTime() + unit.toMillis(interval)): Java long arithmetic wraps."""
    assert call("TIMESTAMPADD", [IntervalArg("DAYS"), T.INTEGER, T.TIMESTAMP], "DAYS", 1, 2**63 - 1) == (
        -9223372036768375809
    )
