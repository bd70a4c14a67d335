"""Port of ksqlDB 0.29 MaskRightTest (io.confluent.ksql.function.udf.string.MaskRight): a length of 5 and of 999, a
negative length, null input."""

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


V = "AbCd#$123xy Z"


def test_mask() -> None:
    """shouldMask or shouldNotMask first/last N chars, ...IfLengthTooLong, shouldReturnNullForNullInput."""
    assert call("MASK_RIGHT", [S, INT], V, 5) == "AbCd#$12nxx-X"
    assert call("MASK_RIGHT", [S, INT], V, 999) == "XxXx--nnnxx-X"
    assert call("MASK_RIGHT", [S, INT], None, 5) is None


def test_negative_length_throws() -> None:
    """shouldThrowIfLengthIsNegative (Masker.validateParams's message)."""
    with pytest.raises(EvaluationError, match="function mask_right requires a non-negative number"):
        call("MASK_RIGHT", [S, INT], V, -1)


def test_counts_java_chars() -> None:
    """Beyond MaskRightTest: the number of characters counts Java chars (an emoji is two, both masked)."""
    assert call("MASK_RIGHT", [S, INT], "abc\U0001F600", 2) == "abc--"


def test_through_the_engine(select: Any) -> None:
    out = select("MASK_RIGHT(C, 5) AS A, MASK_RIGHT(C, N) AS X", "C STRING, N INT", {"C": V, "N": -1})
    assert out.value == {"A": "AbCd#$12nxx-X", "X": None}
    assert out.types == {"A": "STRING", "X": "STRING"}
    assert any("function mask_right requires a non-negative number of characters to mask or skip" in m
               for m in out.errors)
