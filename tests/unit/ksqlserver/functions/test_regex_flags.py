"""java.util.regex's inline flags and \\G in the regex functions (REGEXP_EXTRACT / _ALL, REGEXP_REPLACE,
REGEXP_SPLIT_TO_ARRAY compile their pattern with java.util.regex.Pattern.compile), translated to Python's re:

- MULTILINE (?m): Pattern.Caret follows any line terminator (\\n, \\r not before \\n, \\u0085, \\u2028, \\u2029)
  and never matches at the end of the input; Pattern.Dollar precedes any line terminator (not between \\r\\n);
- UNIX_LINES (?d): only \\n ends a line for '.', '^' and '$' (UnixCaret, UnixDollar);
- UNICODE_CASE (?u): with (?i), case-insensitive matching beyond ASCII; \\w, \\d, \\s stay ASCII (no U);
- COMMENTS (?x): whitespace and #-comments ignored, inside character classes too (Pattern.peekPastWhitespace);
- flags set inline hold to the end of the enclosing group, across its alternatives;
- \\G (Pattern.LastMatch): the end of the previous match (Matcher.search's oldLast), the first at 0.
"""

from __future__ import annotations

import pytest

from ksqlserver.errors import EvaluationError
from ksqlserver.functions.regex import regexp_extract, regexp_extract_all, regexp_replace, regexp_split


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        # MULTILINE: every Java line terminator, \r\n as one
        ("(?m)^(\\w+)$", "ab\r\ncd\u2028ef\n", ["ab", "cd", "ef"]),
        ("(?m)^", "a\n", [""]),  # Caret: "Perl does not match ^ at end of input even after newline"
        ("(?m)x$", "x\r\nx\n", ["x", "x"]),
        ("^(\\w+)$", "ab\ncd", []),  # without MULTILINE: the input's start and end only
        # UNIX_LINES
        ("(?d)a.b", "a\rb", ["a\rb"]),
        ("a.b", "a\rb", []),
        ("(?d)(?m)x$", "x\r\nx\n", ["x"]),
        # CASE_INSENSITIVE is ASCII-only unless UNICODE_CASE
        ("(?i)é", "É", []),
        ("(?iu)é", "É", ["É"]),
        ("(?u)x", "x", ["x"]),  # UNICODE_CASE alone changes nothing
        ("(?iu)\\w+", "abcé", ["abc"]),  # \w stays ASCII without UNICODE_CHARACTER_CLASS
        # COMMENTS
        ("(?x) a b # comment\n c", "abc", ["abc"]),
        ("(?x)[a b]+", "a b", ["a", "b"]),
        ("(?x)a\\ b", "a b", ["a b"]),
        # scopes: to the end of the enclosing group, its later alternatives included
        ("(a(?i)b|c)", "aB C", ["aB", "C"]),
        ("a(?i:b)c", "aBc aBC", ["aBc"]),
        ("(?i)a|b", "A B", ["A", "B"]),
        ("(?i)a(?-i)b", "Ab AB", ["Ab"]),
        # \G: consecutive matches from the start
        ("\\G(\\d)", "123a45", ["1", "2", "3"]),
        ("\\G\\d|\\Gx", "1x2ab", ["1", "x", "2"]),
        ("\\G", "aab", [""]),  # after an empty match the search moves on, past the previous end
    ],
)
def test_regexp_extract_all_with_java_flags(pattern: str, text: str, expected: list[str]) -> None:
    """RegexpExtractAll: `while (m.find()) matches.add(m.group(group))`."""
    assert regexp_extract_all(pattern, text) == expected


def test_last_match_in_the_other_functions() -> None:
    """RegexpReplace (String.replaceAll), RegexpExtract (one Matcher.find), RegexpSplitToArray (Guava's
    Splitter over the pattern)."""
    assert regexp_replace("aaab", "\\Ga", "x") == "xxxb"
    assert regexp_extract("\\Gb", "ab") is None
    assert regexp_extract("\\G(a)", "ab", 1) == "a"
    assert regexp_split("aab", "\\Ga") == ["", "", "b"]


def test_multiline_replace_and_split() -> None:
    assert regexp_replace("a\r\nb\u0085c", "(?m)^", ">") == ">a\r\n>b\u0085>c"
    assert regexp_split("a\r\nb", "(?m)$") == ["a", "\r\nb"]


@pytest.mark.parametrize("pattern", ["a\\Gb", "(\\Ga)", "a|\\Gb"])
def test_last_match_elsewhere_is_refused(pattern: str) -> None:
    """Only a \\G that starts every alternative is translated; any other is refused as an invalid pattern
    (java.util.regex would take it: a known gap)."""
    with pytest.raises(EvaluationError, match="Invalid regular expression pattern"):
        regexp_extract_all(pattern, "ab")
