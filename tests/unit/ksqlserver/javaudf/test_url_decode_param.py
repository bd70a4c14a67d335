"""Port of ksqlDB 0.29 UrlDecodeParamTest (io.confluent.ksql.function.udf.url.UrlDecodeParam)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_decode() -> None:
    """shouldDecodeEncodedValue, shouldReturnSpecialCharsIntact, shouldReturnEmptyStringForEmptyInput,
    shouldReturnForNullValue."""
    assert call("URL_DECODE_PARAM", [S], "%3Ffoo+%24bar") == "?foo $bar"
    assert call("URL_DECODE_PARAM", [S], "foo.-*_bar") == "foo.-*_bar"
    assert call("URL_DECODE_PARAM", [S], "") == ""
    assert call("URL_DECODE_PARAM", [S], None) is None


def test_through_the_engine(select: Any) -> None:
    out = select("URL_DECODE_PARAM(C) AS A", "C STRING", {"C": "%3Ffoo+%24bar"})
    assert out.value == {"A": "?foo $bar"}
    assert out.types == {"A": "STRING"}
