"""Port of ksqlDB 0.29 RegexpExtractTest (io.confluent.ksql.function.udf.string.RegexpExtract):
first match, capture groups, no match and a missing group give null."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def rx(*a: Any) -> Any:
    return call("REGEXP_EXTRACT", [S, S, INT][: len(a)], *a)


def test_nulls() -> None:
    """shouldReturnNullOnNullValue."""
    assert rx(None, None) is None
    assert rx(None, None, None) is None
    assert rx(None, "", 1) is None
    assert rx("some string", None, 1) is None
    assert rx("some string", "", None) is None


def test_matches() -> None:
    """shouldReturnSubstringWhenMatched, shouldReturnNullWhenNoMatch, shouldReturnSubstringCapturedByGroupNumber,
    shouldReturnNullIfGivenGroupNumberGreaterThanAvailableGroupNumbers."""
    assert rx("e.*", "test string") == "est string"
    assert rx(".", "test string") == "t"
    assert rx("[AEIOU].{4}", "usEr nAme 1") == "Er nA"
    assert rx("tst", "test string") is None
    assert rx("(.*) (.*)", "test string", 1) == "test"
    assert rx("(.*) (.*)", "test string", 2) == "string"
    assert rx("e", "test string", 3) is None


def test_through_the_engine(select: Any) -> None:
    out = select("REGEXP_EXTRACT('(.*) (.*)', C, 2) AS A, REGEXP_EXTRACT('e', C, 3) AS X", "C STRING",
                 {"C": "test string"})
    assert out.value == {"A": "string", "X": None}
    assert out.types == {"A": "STRING", "X": "STRING"}
