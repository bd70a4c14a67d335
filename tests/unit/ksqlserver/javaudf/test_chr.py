"""Port of ksqlDB 0.29 ChrTest (io.confluent.ksql.function.udf.string.Chr): decimal and UTF-16 escape
inputs, nulls, empty and out-of-range input, BMP and supplementary code points."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_converts_from_decimal_and_utf16() -> None:
    """shouldConvertFromDecimal, shouldConvertFromUTF16String(WithSlash), shouldConvertZh*, ControlChar."""
    assert call("CHR", [INT], 75) == "K"
    assert call("CHR", [S], "\\u004b") == "K"
    assert call("CHR", [INT], 22909) == "好"
    assert call("CHR", [S], "\\u597d") == "好"
    assert call("CHR", [INT], 9) == "\t"


def test_null_empty_and_out_of_range_are_null() -> None:
    """shouldReturnNullFor{NullInteger,NullString,EmptyString}Input, NegativeDecimalCode, OutOfRangeDecimal,
    TooShortUTF16String."""
    assert call("CHR", [INT], None) is None
    assert call("CHR", [S], None) is None
    assert call("CHR", [S], "") is None
    assert call("CHR", [INT], -1) is None
    assert call("CHR", [INT], 1_114_112) is None
    assert call("CHR", [S], "\\u065") is None


def test_bmp_and_supplementary_code_points() -> None:
    """shouldReturnSingleCharForMaxBMPDecimal, shouldReturnTwoCharsFor{NonBMP,MaxUnicode}Decimal,
    shouldReturnTwoCharsForNonBMPString (two UTF-16 chars: one Python code point)."""
    assert call("CHR", [INT], 65535) == "\uffff"
    assert call("CHR", [INT], 65536) == "\U00010000"
    assert call("CHR", [INT], 1_114_111) == "\U0010ffff"
    assert call("CHR", [S], "\\ud800\\udc01") == "\U00010001"


def test_through_the_engine(select: Any) -> None:
    out = select("CHR(N) AS A, CHR(C) AS B, CHR(-1) AS X", "N INT, C STRING", {"N": 75, "C": "\\u597d"})
    assert out.value == {"A": "K", "B": "好", "X": None}
    assert out.types == {"A": "STRING", "B": "STRING", "X": "STRING"}
