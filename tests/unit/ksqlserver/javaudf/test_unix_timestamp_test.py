"""ksqlDB 0.29 UnixTimestampTest (function/udf/datetime): UnixTimestamp.unixTimestamp() is the current epoch
millis (shouldGetTheUnixTimestamp); unixTimestamp(Timestamp) its millis (shouldReturnMilliseconds); null gives
null (shouldReturnNull)."""

from __future__ import annotations

import time
from typing import Any

from ksqlserver.catalog import types as T


def test_unix_timestamp(call: Any) -> None:
    before = int(time.time() * 1000)
    result = call("UNIX_TIMESTAMP", [])
    after = int(time.time() * 1000)
    assert before <= result <= after
    assert call("UNIX_TIMESTAMP", [T.TIMESTAMP], 100) == 100
    assert call("UNIX_TIMESTAMP", [T.TIMESTAMP], None) is None


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("UNIX_TIMESTAMP(FROM_UNIXTIME(100))", "UNIX_TIMESTAMP(CAST(NULL AS TIMESTAMP))")
    assert r.values == [100, None]
    assert r.types == ["BIGINT"] * 2
