"""Port of ksqlDB 0.29 UrlExtractPortTest (io.confluent.ksql.function.udf.url.UrlExtractPort)."""

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


FN = "URL_EXTRACT_PORT"


def test_port() -> None:
    """shouldExtractPortIfPresent, shouldReturnNullIfNoPort."""
    assert call(FN, [S], "https://docs.confluent.io:8080/current/ksql/docs/syntax-reference.html#scalar-functions") == 8080
    assert call(FN, [S], "https://docs.confluent.io/current/ksql/docs/syntax-reference.html#scalar-functions") is None


def test_malformed_url_throws() -> None:
    """shouldThrowExceptionForMalformedURL (UrlParser.parseUrl's message)."""
    with pytest.raises(EvaluationError, match=r"URL input has invalid syntax: http://257.1/bogus/\[url"):
        call(FN, [S], "http://257.1/bogus/[url")


def test_port_must_fit_an_int() -> None:
    """Beyond UrlExtractPortTest: URI.parseServer's Integer.parseInt fails on a port beyond an int, the
    authority becomes registry-based and getPort() is -1 (null); an empty port is -1 too."""
    assert call(FN, [S], "http://h:99999999999/") is None
    assert call(FN, [S], "http://h:/") is None
    assert call(FN, [S], "http://h:0080/") == 80


def test_through_the_engine(select: Any) -> None:
    out = select("URL_EXTRACT_PORT(C) AS A, URL_EXTRACT_PORT('https://docs.confluent.io/current/ksql/docs/syntax-reference.html') AS N", "C STRING",
                 {"C": "https://docs.confluent.io:8080/x"})
    assert out.value == {"A": 8080, "N": None}
    assert out.types == {"A": "INTEGER", "N": "INTEGER"}
