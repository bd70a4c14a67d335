"""ksqlDB 0.29 FromUnixTimeTest (function/udf/datetime): FromUnixTime.fromUnixTime(Long) -> Timestamp
(shouldConvertToTimestamp, shouldReturnNull)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T


def test_from_unix_time(call: Any) -> None:
    assert call("FROM_UNIXTIME", [T.BIGINT], 100) == 100
    assert call("FROM_UNIXTIME", [T.BIGINT], None) is None


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("FROM_UNIXTIME(100)", "FROM_UNIXTIME(X)", "FROM_UNIXTIME(CAST(NULL AS BIGINT))", row={"X": -5})
    assert r.values == [100, -5, None]  # the INT column is widened to BIGINT
    assert r.types == ["TIMESTAMP"] * 3
