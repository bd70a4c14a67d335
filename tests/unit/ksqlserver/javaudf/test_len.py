"""Port of ksqlDB 0.29 LenTest (io.confluent.ksql.function.udf.string.Len): strings and bytes."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_len() -> None:
    """shouldComputeLength, shouldReturnZeroForEmptyInput, shouldReturnNullForNullInput,
    shouldReturnLengthOfByteArray."""
    assert call("LEN", [S], "FoO bAr") == 7
    assert call("LEN", [S], "") == 0
    assert call("LEN", [S], None) is None
    assert call("LEN", [B], None) is None
    assert call("LEN", [B], bytes([123, 89])) == 2


def test_through_the_engine(select: Any) -> None:
    out = select("LEN(C) AS A, LEN(TO_BYTES(C, 'utf8')) AS B", "C STRING", {"C": "FoO bAr"})
    assert out.value == {"A": 7, "B": 7}
    assert out.types == {"A": "INTEGER", "B": "INTEGER"}
