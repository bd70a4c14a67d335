"""Port of ksqlDB 0.29 RegexpReplaceTest (io.confluent.ksql.function.udf.string.RegexpReplace)."""

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


def rr(*a: Any) -> Any:
    return call("REGEXP_REPLACE", [S, S, S], *a)


def test_nulls() -> None:
    """shouldHandleNull."""
    assert rr(None, "foo", "bar") is None
    assert rr("foo", None, "bar") is None
    assert rr("foo", "bar", None) is None


def test_replace() -> None:
    """shouldReplace."""
    assert rr("foobar", "foo", "bar") == "barbar"
    assert rr("foobar", "fooo", "bar") == "foobar"
    assert rr("foobar", "o", "") == "fbar"
    assert rr("abc", "", "n") == "nanbncn"
    assert rr("foobar", "(foo|bar)", "cat") == "catcat"
    assert rr("foobar", "^foo", "cat") == "catbar"
    assert rr("foobar", "^bar", "cat") == "foobar"
    assert rr("barbar", "bar$", "cat") == "barcat"
    assert rr("aababa", "ab", "xy") == "axyxya"
    assert rr("aababa", "(ab)+", "xy") == "axya"


def test_bad_pattern() -> None:
    """shouldThrowExceptionOnBadPattern."""
    with pytest.raises(EvaluationError, match=r"Invalid regular expression pattern: \(\(\)"):
        rr("foobar", "(()", "bar")


def test_dot_excludes_every_java_line_terminator() -> None:
    """Beyond RegexpReplaceTest: java.util.regex's '.' matches no line terminator (\\n, \\r, \\u0085,
    \\u2028, \\u2029) unless DOTALL (?s) is on; Python's excludes only \\n."""
    assert rr("x\r\ny", ".", "-") == "-\r\n-"
    assert rr("a\u2028b", "a.b", "-") == "a\u2028b"
    assert rr("a\rb", "(?s)a.b", "-") == "-"
    assert rr("a.b", "[.]", "-") == "a-b"


def test_dollar_sees_every_java_line_terminator() -> None:
    """Pattern.Dollar (without MULTILINE): the end of input, or before a final \\r\\n, \\n, \\r, \\u0085,
    \\u2028 or \\u2029 (never between \\r and \\n); Python's '$' only knows a final \\n."""
    assert rr("abc\r", "c$", "X") == "abX\r"
    assert rr("abc\r\n", "c$", "X") == "abX\r\n"
    assert rr("ab\n", "$", "X") == "abX\nX"
    assert rr("abc", "$", "X") == "abcX"


def test_java_only_syntax() -> None:
    """java.util.regex syntax Python's re lacks or reads otherwise: \\Q...\\E quoting (Pattern.quote's output),
    \\z, \\Z, \\h (horizontal white space), \\v (vertical white space), \\R (any line break)."""
    assert rr("a.b+c", "\\Q.b+\\E", "-") == "a-c"
    assert rr("a]b", "[\\Q]\\E]", "-") == "a-b"
    assert rr("a\n", "a\\z", "-") == "a\n"
    assert rr("a\n", "a\\Z", "-") == "-\n"
    assert rr("a \u3000b", "\\h+", "") == "ab"
    assert rr("a\u2028b", "\\v", "|") == "a|b"
    assert rr("a\r\nb\nc", "\\R", "|") == "a|b|c"


def test_possessive_quantifiers_keep_their_meaning() -> None:
    """Pattern's possessive quantifiers never give back (a++a cannot match), and an escaped '+' followed by a
    quantifier is a repeated literal: both were lost when possessives were rewritten as greedy ones."""
    assert rr("aaa", "a++a", "-") == "aaa"
    assert rr("aab", "(?>a+)b", "-") == "-"
    assert rr("a+++b", "\\++", "-") == "a-b"
    assert rr("xx", "x?+x", "-") == "-"


def test_through_the_engine(select: Any) -> None:
    out = select("REGEXP_REPLACE(C, '', 'n') AS A, REGEXP_REPLACE(C, '(()', 'n') AS X", "C STRING", {"C": "abc"})
    assert out.value == {"A": "nanbncn", "X": None}
    assert out.types == {"A": "STRING", "X": "STRING"}
    assert any("Invalid regular expression pattern: (()" in m for m in out.errors)
