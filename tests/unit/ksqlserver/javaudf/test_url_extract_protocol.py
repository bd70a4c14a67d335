"""Port of ksqlDB 0.29 UrlExtractProtocolTest (io.confluent.ksql.function.udf.url.UrlExtractProtocol)."""

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


FN = "URL_EXTRACT_PROTOCOL"


def test_protocol() -> None:
    """shouldExtractProtocolIfPresent, shouldReturnNullIfNoProtocol."""
    assert call(FN, [S], "https://docs.confluent.io/current/ksql/docs/syntax-reference.html#scalar-functions") == "https"
    assert call(FN, [S], "///current/ksql/docs/syntax-reference.html#scalar-functions") is None


def test_malformed_url_throws() -> None:
    """shouldThrowExceptionForMalformedURL (UrlParser.parseUrl's message)."""
    with pytest.raises(EvaluationError, match=r"URL input has invalid syntax: http://257.1/bogus/\[url"):
        call(FN, [S], "http://257.1/bogus/[url")


@pytest.mark.parametrize("url", ["http:", "http:#f", ":foo", "http://h/a\u00a0b", "http://h/a\u0085"])
def test_uri_syntax_errors(url: str) -> None:
    """Beyond UrlExtractProtocolTest: java.net.URI rejects an empty scheme-specific part ("Expected
    scheme-specific part"), a missing scheme name before ':' and unescaped non-ASCII space or control
    characters (Character.isSpaceChar / isISOControl); other non-ASCII characters are allowed."""
    with pytest.raises(EvaluationError, match="URL input has invalid syntax"):
        call(FN, [S], url)
    assert call(FN, [S], "http://h/é") == "http"
    assert call(FN, [S], "mailto:x") == "mailto"


def test_through_the_engine(select: Any) -> None:
    out = select("URL_EXTRACT_PROTOCOL(C) AS A", "C STRING", {"C": "https://docs.confluent.io/current/ksql/docs/syntax-reference.html"})
    assert out.value == {"A": "https"}
    assert out.types == {"A": "STRING"}
