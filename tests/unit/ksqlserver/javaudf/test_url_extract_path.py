"""Port of ksqlDB 0.29 UrlExtractPathTest (io.confluent.ksql.function.udf.url.UrlExtractPath)."""

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


FN = "URL_EXTRACT_PATH"


def test_path() -> None:
    """shouldExtractPathIfPresent, shouldReturnSlashIfRootPath, shouldReturnEmptyIfNoPath."""
    assert call(FN, [S], "https://docs.confluent.io/current/ksql/docs/syntax-reference.html#scalar-functions") == "/current/ksql/docs/syntax-reference.html"
    assert call(FN, [S], "https://docs.confluent.io/") == "/"
    assert call(FN, [S], "https://docs.confluent.io") == ""


def test_malformed_url_throws() -> None:
    """shouldThrowExceptionForMalformedURL (UrlParser.parseUrl's message)."""
    with pytest.raises(EvaluationError, match=r"URL input has invalid syntax: http://257.1/bogus/\[url"):
        call(FN, [S], "http://257.1/bogus/[url")


def test_through_the_engine(select: Any) -> None:
    out = select("URL_EXTRACT_PATH(C) AS A", "C STRING", {"C": "https://docs.confluent.io"})
    assert out.value == {"A": ""}
    assert out.types == {"A": "STRING"}
