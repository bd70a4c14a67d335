"""String, masking and regular-expression functions with ksqlDB 0.29's semantics (from its UDF classes)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import default_registry

S, INT, B = T.STRING, T.INTEGER, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_len_counts_utf16_units_and_bytes() -> None:
    assert call("LEN", [S], "héllo") == 5
    assert call("LEN", [S], "a\U0001F600") == 3  # a surrogate pair counts twice, as String.length()
    assert call("LEN", [B], b"\x00\x01") == 2
    assert call("LEN", [S], None) is None


def test_concat_skips_nulls_and_concat_ws_needs_a_separator() -> None:
    assert call("CONCAT", [S, S, S], "a", None, "c") == "ac"
    assert call("CONCAT", [S], None) == ""
    assert call("CONCAT", [B, B], b"a", b"b") == b"ab"
    assert call("CONCAT_WS", [S, S, S, S], "-", "a", None, "b") == "a-b"
    assert call("CONCAT_WS", [S, S, S], None, "a", "b") is None
    with pytest.raises(EvaluationError, match=r"Function Concat_WS expects at least two input arguments\."):
        call("CONCAT_WS", [S], "-")


def test_initcap_trim_case() -> None:
    assert call("INITCAP", [S], "  the quick BROWN fox") == "The Quick Brown Fox"  # leading spaces go
    assert call("INITCAP", [S], "hello\tworld  x") == "Hello\tWorld  X"
    assert call("TRIM", [S], "\u0001 a b \n") == "a b"
    assert call("TRIM", [S], "\u00a0a\u00a0") == "\u00a0a\u00a0"  # only chars <= ' ' are trimmed
    assert call("UCASE", [S], "ab") == "AB" and call("LCASE", [S], "AB") == "ab"


@pytest.mark.parametrize(
    ("args", "expected"),
    [(("hi", 5, "ab"), "abahi"), (("hello", 3, "x"), "hel"), (("hi", -1, "x"), None), (("hi", 4, ""), None)],
)
def test_lpad(args: tuple[Any, ...], expected: str | None) -> None:
    assert call("LPAD", [S, INT, S], *args) == expected


def test_rpad_and_bytes_padding() -> None:
    assert call("RPAD", [S, INT, S], "hi", 5, "ab") == "hiaba"
    assert call("LPAD", [B, INT, B], b"\x01", 3, b"\x09") == b"\x09\x09\x01"
    assert call("RPAD", [B, INT, B], b"\x01\x02\x03", 2, b"\x09") == b"\x01\x02"


def test_split_and_split_bytes() -> None:
    assert call("SPLIT", [S, S], "a,b,,c,", ",") == ["a", "b", "", "c", ""]
    assert call("SPLIT", [S, S], "abc", "") == ["a", "b", "c"]
    assert call("SPLIT", [S, S], "", "") == [""]
    assert call("SPLIT", [B, B], b"a-b", b"-") == [b"a", b"b"]
    assert call("SPLIT", [B, B], b"ab", b"") == [b"a", b"b"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("CORPORATE FLOOR", "OR"), 2),
        (("CORPORATE FLOOR", "OR", 3), 5),
        (("CORPORATE FLOOR", "OR", 3, 2), 14),
        (("CORPORATE FLOOR", "OR", -3, 2), 2),
        (("CORPORATE FLOOR", "OR", -1, 1), 14),
        (("CORPORATE FLOOR", "OR", 30), 0),
        (("CORPORATE FLOOR", "MISSING"), 0),
        (("aaa", "aa", 1, 2), 2),  # overlapping occurrences count
        ((None, "x"), 0),  # INSTR returns a primitive int: 0 for null input
    ],
)
def test_instr(args: tuple[Any, ...], expected: int) -> None:
    types = [S, S] + [INT] * (len(args) - 2)
    assert call("INSTR", types, *args) == expected


def test_substring_of_bytes() -> None:
    assert call("SUBSTRING", [B, INT, INT], b"abcdef", 2, 3) == b"bcd"
    assert call("SUBSTRING", [S, INT], "abc", 10) == ""


def test_chr_elt_field_uuid() -> None:
    assert call("CHR", [INT], 75) == "K"
    assert call("CHR", [INT], 0x1F600) == "\U0001F600"
    assert call("CHR", [INT], -1) is None
    assert call("CHR", [S], "\\u004b") == "K"
    assert call("CHR", [S], "\\u004") is None  # shorter than \uXXXX
    assert call("ELT", [INT, S, S], 2, "a", "b") == "b"
    assert call("ELT", [INT, S, S], 3, "a", "b") is None
    assert call("FIELD", [S, S, S], "b", "a", "b") == 2
    assert call("FIELD", [S, S], None, None) == 0
    u = call("UUID", [])
    assert len(u) == 36 and u.count("-") == 4
    assert call("UUID", [B], bytes(range(16))) == "00010203-0405-0607-0809-0a0b0c0d0e0f"
    assert call("UUID", [B], b"short") is None


def test_mask_family_uses_unicode_categories() -> None:
    assert call("MASK", [S], "Ab1-é٣") == "Xxn-xn"  # é is lower case, ٣ an Arabic-Indic digit
    assert call("MASK", [S, S, S, S, S], "Ab1-", "U", None, "D", None) == "UbD-"
    assert call("MASK_LEFT", [S, INT], "AbCd-12", 3) == "XxXd-12"
    assert call("MASK_RIGHT", [S, INT], "AbCd-12", 2) == "AbCd-nn"
    assert call("MASK_KEEP_LEFT", [S, INT], "AbCd-12", 2) == "AbXx-nn"
    assert call("MASK_KEEP_RIGHT", [S, INT], "AbCd-12", 10) == "AbCd-12"
    assert call("MASK_LEFT", [S, INT], None, 2) is None
    with pytest.raises(EvaluationError, match="function mask_left requires a non-negative number"):
        call("MASK_LEFT", [S, INT], "abc", -1)
    with pytest.raises(EvaluationError, match=r"Invalid mask character\. Must be only single character"):
        call("MASK", [S, S, S, S, S], "abc", "XY", None, None, None)


def test_regexp_extract_and_extract_all() -> None:
    assert call("REGEXP_EXTRACT", [S, S], "\\d+", "ab 123 45") == "123"
    assert call("REGEXP_EXTRACT", [S, S, INT], "(\\w+) (\\d+)", "ab 123", 2) == "123"
    assert call("REGEXP_EXTRACT", [S, S, INT], "(\\w+)", "ab", 3) is None  # no such group
    assert call("REGEXP_EXTRACT", [S, S], "x", "abc") is None
    assert call("REGEXP_EXTRACT_ALL", [S, S], "\\d", "a1b2") == ["1", "2"]
    assert call("REGEXP_EXTRACT_ALL", [S, S, INT], "(a)|(b)", "ab", 2) == [None, "b"]
    assert call("REGEXP_EXTRACT", [S, S], "(?<year>\\d{4})", "in 2021") == "2021"  # Java named groups
    with pytest.raises(EvaluationError, match="Invalid regular expression pattern: \\("):
        call("REGEXP_EXTRACT_ALL", [S, S], "(", "x")


def test_regexp_replace_uses_java_group_references() -> None:
    assert call("REGEXP_REPLACE", [S, S, S], "foobar", "(o+)", "[$1]") == "f[oo]bar"
    assert call("REGEXP_REPLACE", [S, S, S], "a.b", "\\.", "\\$") == "a$b"
    assert call("REGEXP_REPLACE", [S, S, S], "2021", "(?<y>\\d+)", "y=${y}") == "y=2021"
    with pytest.raises(EvaluationError, match="No group 2"):
        call("REGEXP_REPLACE", [S, S, S], "abc", "(b)", "$2")


def test_regexp_split_to_array() -> None:
    assert call("REGEXP_SPLIT_TO_ARRAY", [S, S], "a1b22c", "\\d+") == ["a", "b", "c"]
    assert call("REGEXP_SPLIT_TO_ARRAY", [S, S], "1a1", "1") == ["", "a", ""]  # Guava keeps every piece
    assert call("REGEXP_SPLIT_TO_ARRAY", [S, S], "abc", "") == ["a", "b", "c"]
    # Pattern.split when the pattern matches empty text: an empty match right after a match gives ""
    assert call("REGEXP_SPLIT_TO_ARRAY", [S, S], "axxb", "x*") == ["a", "", "b"]


def test_replace_and_split_to_map() -> None:
    assert call("REPLACE", [S, S, S], "aXbX", "X", "yy") == "ayybyy"
    assert call("SPLIT_TO_MAP", [S, S, S], "a=1;b=2;;c;d=4=5;a=9", ";", "=") == {"a": "9", "b": "2", "d": "4"}
    assert call("SPLIT_TO_MAP", [S, S, S], "a=1", "=", "=") is None
    assert call("SPLIT_TO_MAP", [S, S, S], "a=1", "", "=") is None
