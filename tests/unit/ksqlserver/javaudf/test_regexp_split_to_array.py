"""Port of ksqlDB 0.29 RegexpSplitToArrayTest
(io.confluent.ksql.function.udf.string.RegexpSplitToArray): empty regexps, leading, trailing and contiguous
matches (kept as empty strings), anchors, a bad pattern."""

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


def sp(*a: Any) -> Any:
    return call("REGEXP_SPLIT_TO_ARRAY", [S, S], *a)


def test_nulls_and_no_match() -> None:
    """shouldReturnNull, shouldReturnOriginalStringOnNotFoundRegexp."""
    assert sp(None, "a") is None
    assert sp("string", None) is None
    assert sp(None, None) is None
    assert sp("", "z") == [""]
    assert sp("x-y", "z") == ["x-y"]


def test_empty_regexp_splits_characters() -> None:
    """shouldSplitAllCharactersByGivenAnEmptyRegexp."""
    assert sp("", "") == [""]
    assert sp("x-y", "") == ["x", "-", "y"]
    assert sp("x", "") == ["x"]


def test_split() -> None:
    """shouldSplitStringByGivenRegexp."""
    assert sp("x-y", "-") == ["x", "y"]
    assert sp("x-y", "x") == ["", "-y"]
    assert sp("x-y", "y") == ["x-", ""]
    assert sp("a-b-c-d", "-") == ["a", "b", "c", "d"]
    assert sp("x-y", ".") == ["", "", "", ""]
    assert sp("a-b-c-b-d", ".b.") == ["a", "c", "d"]
    assert sp("a-b-c", "^..") == ["", "b-c"]
    assert sp("a-b-ccatd-ecatf", "(-|cat)") == ["a", "b", "c", "d", "e", "f"]


def test_edges_and_contiguous_matches() -> None:
    """shouldSplitAndAddEmptySpacesIfRegexpIsFoundAtTheBeginningOrEnd, ...InContiguousPositions."""
    assert sp("-A", "-") == ["", "A"]
    assert sp("-A-B", "-") == ["", "A", "B"]
    assert sp("A-", "-") == ["A", ""]
    assert sp("A-B-", "-") == ["A", "B", ""]
    assert sp("-A-B-", "-") == ["", "A", "B", ""]
    for a in ("^", "$"):
        assert sp("A", a) == ["A"]
        assert sp("AB", a) == ["AB"]
    assert sp("A--A", "-") == ["A", "", "A"]
    assert sp("z--A--z", "-") == ["z", "", "A", "", "z"]
    assert sp("--A--A", "-") == ["", "", "A", "", "A"]
    assert sp("A--A--", "-") == ["A", "", "A", "", ""]
    assert sp("aababa", "ab") == ["a", "", "a"]
    assert sp("aababa", "(ab)+") == ["a", "a"]
    assert sp("aabcda", "(ab|cd)") == ["a", "", "a"]


def test_bad_pattern() -> None:
    """shouldThrowOnInvalidPattern."""
    with pytest.raises(EvaluationError, match=r"Invalid regular expression pattern: \(\(\)"):
        sp("abcd", "(()")


def test_white_space_class_is_ascii() -> None:
    """Beyond RegexpSplitToArrayTest: Java's \\s is [ \\t\\n\\x0B\\f\\r], not Unicode white space."""
    assert sp("a\u2003b c", "\\s") == ["a\u2003b", "c"]


def test_through_the_engine(select: Any) -> None:
    out = select("REGEXP_SPLIT_TO_ARRAY(C, '-') AS A, REGEXP_SPLIT_TO_ARRAY(C, '(()') AS X", "C STRING",
                 {"C": "-A-B-"})
    assert out.value == {"A": ["", "A", "B", ""], "X": None}
    assert out.types == {"A": "ARRAY<STRING>", "X": "ARRAY<STRING>"}
    assert any("Invalid regular expression pattern: (()" in m for m in out.errors)
