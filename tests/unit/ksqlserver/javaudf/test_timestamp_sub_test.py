"""ksqlDB 0.29 TimestampSubTest (function/udf/datetime): TimestampSub.timestampSub(TimeUnit, Integer, Timestamp):
subtractFromTimestamp, subtractFromTimestampNegativeResult, subtractNegativeValueFromTimestamp,
handleNullTimestamp."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions.paramtypes import IntervalArg

TYPES = [IntervalArg("MILLISECONDS"), T.INTEGER, T.TIMESTAMP]


def test_sub(call: Any) -> None:
    assert call("TIMESTAMPSUB", TYPES, "MILLISECONDS", 50, 100) == 50
    assert call("TIMESTAMPSUB", TYPES, "MILLISECONDS", 300, 100) == -200
    assert call("TIMESTAMPSUB", TYPES, "MILLISECONDS", -300, 100) == 400
    assert call("TIMESTAMPSUB", TYPES, "MILLISECONDS", -300, None) is None


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("TIMESTAMPSUB(MILLISECONDS, 300, FROM_UNIXTIME(100))", "TIMESTAMPSUB(HOURS, -1, FROM_UNIXTIME(0))",
                   "TIMESTAMPSUB(DAYS, X, FROM_UNIXTIME(0))", row={"X": None})
    assert r.values == [-200, 3_600_000, None]
    assert r.types == ["TIMESTAMP"] * 3


def test_long_overflow_wraps(call: Any) -> None:
    """TimestampSub is new Timestamp(getTime() - unit.toMillis(interval)): Java long arithmetic wraps."""
    assert call("TIMESTAMPSUB", [IntervalArg("DAYS"), T.INTEGER, T.TIMESTAMP], "DAYS", 1, -(2**63)) == (
        9223372036768375808
    )
