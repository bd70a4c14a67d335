"""Port of ksqlDB 0.29 UrlExtractParameterTest
(io.confluent.ksql.function.udf.url.UrlExtractParameter): decoded names and values, case sensitivity, a
parameter without a value."""

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


U = "https://docs.confluent.io?foo%20bar=baz&blank#scalar-functions"


def test_parameter() -> None:
    """shouldExtractParamValueIfPresent, shouldExtractParamValueCaseSensitive,
    shouldReturnEmptyStringIfParamHasNoValue, shouldReturnNullIfParamNotPresent."""
    fn = "URL_EXTRACT_PARAMETER"
    assert call(fn, [S, S], "https://docs.confluent.io?foo%20bar=baz%20zab&blank#scalar-functions", "foo bar") == (
        "baz zab"
    )
    assert call(fn, [S, S], U, "foo Bar") is None
    assert call(fn, [S, S], U, "blank") == ""
    assert call(fn, [S, S], U, "absent") is None


def test_malformed_url_throws() -> None:
    """shouldThrowExceptionForMalformedURL."""
    with pytest.raises(EvaluationError, match=r"URL input has invalid syntax: http://257.1/bogus/\[url"):
        call("URL_EXTRACT_PARAMETER", [S, S], "http://257.1/bogus/[url", "foo bar")


def test_through_the_engine(select: Any) -> None:
    out = select("URL_EXTRACT_PARAMETER(C, 'foo bar') AS A, URL_EXTRACT_PARAMETER(C, 'blank') AS B", "C STRING",
                 {"C": U})
    assert out.value == {"A": "baz", "B": ""}
    assert out.types == {"A": "STRING", "B": "STRING"}
