"""Port of ksqlDB 0.29 RegexpExtractTest (io.confluent.ksql.function.udf.string.RegexpExtract):
first match, capture groups, no match and a missing group give null."""

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


def test_predefined_classes_are_ascii() -> None:
    """Beyond RegexpExtractTest: java.util.regex's \\w, \\d, \\s, POSIX \\p{Alpha} and (?i) are ASCII-only
    without UNICODE_CHARACTER_CLASS / UNICODE_CASE (Python's are Unicode); \\p{L} and \\b (Pattern.Bound,
    Character.isLetterOrDigit) are Unicode in both."""
    assert rx("\\w+", "éa") == "a"
    assert rx("\\d", "\u06631") == "1"
    assert rx("\\s", "\xa0 ") == " "
    assert rx("\\p{Alpha}+", "éab") == "ab"
    assert rx("(?i)É", "é") is None
    assert rx("(?i)A", "a") == "a"
    assert rx("\\p{L}+", "éa1") == "éa"
    assert rx("\\b\\w", "éb b") == "b"
    assert rx("x\\B.", "xé") == "xé"


def test_negative_group() -> None:
    """RegexpExtract: `group > groupCount()` is null, a negative group reaches Matcher.group, which throws
    IndexOutOfBoundsException("No group -1") when the pattern matches."""
    with pytest.raises(EvaluationError, match=r"^No group -1$"):
        rx("(a)", "a", -1)
    assert rx("(a)", "b", -1) is None


def test_through_the_engine(select: Any) -> None:
    out = select("REGEXP_EXTRACT('(.*) (.*)', C, 2) AS A, REGEXP_EXTRACT('e', C, 3) AS X", "C STRING",
                 {"C": "test string"})
    assert out.value == {"A": "string", "X": None}
    assert out.types == {"A": "STRING", "X": "STRING"}
