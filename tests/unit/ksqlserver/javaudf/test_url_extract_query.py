"""Port of ksqlDB 0.29 UrlExtractQueryTest (io.confluent.ksql.function.udf.url.UrlExtractQuery)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


FN = "URL_EXTRACT_QUERY"


def test_query() -> None:
    """shouldExtractQueryIfPresent (decoded), shouldReturnNullIfNoQuery."""
    assert call(FN, [S], "https://docs.confluent.io/current/ksql/docs/syntax-reference.html?a=b&foo%20bar=baz&c=d&e#scalar-functions") == "a=b&foo bar=baz&c=d&e"
    assert call(FN, [S], "https://current/ksql/docs/syntax-reference.html#scalar-functions") is None


def test_malformed_url_throws() -> None:
    """shouldThrowExceptionForMalformedURL (UrlParser.parseUrl's message)."""
    with pytest.raises(EvaluationError, match=r"URL input has invalid syntax: http://257.1/bogus/\[url"):
        call(FN, [S], "http://257.1/bogus/[url")


def test_through_the_engine(select: Any) -> None:
    out = select("URL_EXTRACT_QUERY(C) AS A", "C STRING", {"C": "https://docs.confluent.io/current/ksql/docs/syntax-reference.html?a=b&foo%20bar=baz&c=d&e#x"})
    assert out.value == {"A": "a=b&foo bar=baz&c=d&e"}
    assert out.types == {"A": "STRING"}
