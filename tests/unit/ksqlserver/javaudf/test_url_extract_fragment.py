"""Port of ksqlDB 0.29 UrlExtractFragmentTest (io.confluent.ksql.function.udf.url.UrlExtractFragment)."""

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


FN = "URL_EXTRACT_FRAGMENT"


def test_fragment() -> None:
    """testEncodedFragment (decoded), shouldExtractFragmentIfPresent, shouldReturnNullIfNoFragment."""
    assert call(FN, [S], "https://docs.confluent.io/current/ksql/docs/syntax-reference.html#scalar%20functions") == "scalar functions"
    assert call(FN, [S], "https://docs.confluent.io/current/ksql/docs/syntax-reference.html#scalar-functions") == "scalar-functions"
    assert call(FN, [S], "https://docs.confluent.io/current/ksql/docs/syntax-reference.html") is None


def test_malformed_url_throws() -> None:
    """shouldThrowExceptionForMalformedURL (UrlParser.parseUrl's message)."""
    with pytest.raises(EvaluationError, match=r"URL input has invalid syntax: http://257.1/bogus/\[url"):
        call(FN, [S], "http://257.1/bogus/[url")


def test_second_hash_is_invalid() -> None:
    """Beyond UrlExtractFragmentTest: '#' is not a URI character, so java.net.URI rejects it inside a fragment
    ("Illegal character in fragment")."""
    with pytest.raises(EvaluationError, match="URL input has invalid syntax: http://h/#a#b"):
        call(FN, [S], "http://h/#a#b")


def test_through_the_engine(select: Any) -> None:
    out = select("URL_EXTRACT_FRAGMENT(C) AS A, URL_EXTRACT_FRAGMENT('http://257.1/bogus/[url') AS X", "C STRING",
                 {"C": "https://docs.confluent.io/current/ksql/docs/syntax-reference.html#scalar%20functions"})
    assert out.value == {"A": "scalar functions", "X": None}
    assert out.types == {"A": "STRING", "X": "STRING"}
    assert any("URL input has invalid syntax: http://257.1/bogus/[url" in m for m in out.errors)
