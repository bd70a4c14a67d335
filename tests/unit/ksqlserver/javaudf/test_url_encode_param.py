"""Port of ksqlDB 0.29 UrlEncodeParamTest (io.confluent.ksql.function.udf.url.UrlEncodeParam)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_encode() -> None:
    """shouldEncodeValue, shouldReturnSpecialCharsIntact, shouldReturnEmptyStringForEmptyInput,
    shouldReturnForNullValue."""
    assert call("URL_ENCODE_PARAM", [S], "?foo $bar") == "%3Ffoo+%24bar"
    assert call("URL_ENCODE_PARAM", [S], "foo.-*_bar") == "foo.-*_bar"
    assert call("URL_ENCODE_PARAM", [S], "") == ""
    assert call("URL_ENCODE_PARAM", [S], None) is None


def test_through_the_engine(select: Any) -> None:
    out = select("URL_ENCODE_PARAM(C) AS A", "C STRING", {"C": "?foo $bar"})
    assert out.value == {"A": "%3Ffoo+%24bar"}
    assert out.types == {"A": "STRING"}
