"""Port of ksqlDB 0.29 RegexpExtractAllTest (io.confluent.ksql.function.udf.string.RegexpExtractAll):
all matches, capture groups (unmatched optional groups are null), a missing group, a bad pattern."""

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


def rx(*a: Any) -> Any:
    return call("REGEXP_EXTRACT_ALL", [S, S, INT][: len(a)], *a)


def test_nulls() -> None:
    """shouldReturnNullOnNullValue."""
    assert rx(None, None) is None
    assert rx(None, None, None) is None
    assert rx(None, "", 1) is None
    assert rx("some string", None, 1) is None
    assert rx("some string", "", None) is None


def test_matches() -> None:
    """shouldReturnSubstringWhenMatched, shouldReturnEmptyWhenNoMatch."""
    assert rx("e.*", "test string") == ["est string"]
    assert rx(".", "test") == ["t", "e", "s", "t"]
    assert rx("[AEIOU].{4}", "usEr nAmE 1308") == ["Er nA", "E 130"]
    assert rx("tst", "test string") == []


def test_groups() -> None:
    """shouldReturnSubstringCapturedByGroupNumber, shouldReturnNullIfGivenGroupNumberGreaterThanAvailable..."""
    assert rx("(\\w*) (\\w*)", "test string", 1) == ["test"]
    assert rx("(\\w*) (\\w*)", "test string", 2) == ["string"]
    assert rx("(\\w*) (\\w*)", "test string another one", 1) == ["test", "", ""]
    assert rx("(\\w*) (\\w*)", "test string another one", 2) == ["string", "another", "one"]
    assert rx("(\\w+) (\\w+)", "test string another one", 1) == ["test", "another"]
    assert rx("(\\w+) (\\w+)", "test string another one", 2) == ["string", "one"]
    assert rx("(a)(b)?", "ab a", 1) == ["a", "a"]
    assert rx("(a)(b)?", "ab a", 2) == ["b", None]
    assert rx("e", "test string", 3) is None


def test_bad_pattern() -> None:
    """shouldHaveBadPattern (RegexpExtractAll's message)."""
    with pytest.raises(EvaluationError, match=r"Invalid regular expression pattern: \(\(\)"):
        rx("(()", "test string")


def test_negative_group() -> None:
    """RegexpExtractAll: a negative group throws from Matcher.group ("No group -1") once there is a match."""
    with pytest.raises(EvaluationError, match=r"^No group -1$"):
        rx("(a)", "a", -1)
    assert rx("(a)", "b", -1) == []


def test_through_the_engine(select: Any) -> None:
    out = select("REGEXP_EXTRACT_ALL('(a)(b)?', C, 2) AS A, REGEXP_EXTRACT_ALL('(()', C) AS X", "C STRING",
                 {"C": "ab a"})
    assert out.value == {"A": ["b", None], "X": None}
    assert out.types == {"A": "ARRAY<STRING>", "X": "ARRAY<STRING>"}
    assert any("Invalid regular expression pattern: (()" in m for m in out.errors)
