"""Port of ksqlDB 0.29 MaskKeepRightTest (io.confluent.ksql.function.udf.string.MaskKeepRight): a length of 5 and of 999, a
negative length, null input, explicit and null masks."""

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
    assert call("MASK_KEEP_RIGHT", [S, INT], V, 5) == "XxXx--nn3xy Z"
    assert call("MASK_KEEP_RIGHT", [S, INT], V, 999) == "AbCd#$123xy Z"
    assert call("MASK_KEEP_RIGHT", [S, INT], None, 5) is None


def test_negative_length_throws() -> None:
    """shouldThrowIfLengthIsNegative (Masker.validateParams's message)."""
    with pytest.raises(EvaluationError, match="function mask_keep_right requires a non-negative number"):
        call("MASK_KEEP_RIGHT", [S, INT], V, -1)


def test_explicit_masks() -> None:
    """shouldApplyAllExplicitTypeMasks, shouldMaskNothingIfNullMasks, shouldMaskOnlySpecifiedCharTypes."""
    assert call("MASK_KEEP_RIGHT", [S, INT, S, S, S, S], V, 5, "Q", "q", "9", "@") == "QqQq@@993xy Z"
    assert call("MASK_KEEP_RIGHT", [S, INT, S, S, S, S], V, 5, None, None, None, None) == V
    assert call("MASK_KEEP_RIGHT", [S, INT, S, S, S, S], V, 5, None, "q", None, "=") == "AqCq==123xy Z"


def test_counts_java_chars() -> None:
    """Beyond MaskKeepRightTest: the number of characters kept counts Java chars (an emoji is two)."""
    assert call("MASK_KEEP_RIGHT", [S, INT], "ab\U0001F600", 2) == "xx\U0001F600"


def test_through_the_engine(select: Any) -> None:
    out = select("MASK_KEEP_RIGHT(C, 5) AS A, MASK_KEEP_RIGHT(C, N) AS X", "C STRING, N INT", {"C": V, "N": -1})
    assert out.value == {"A": "XxXx--nn3xy Z", "X": None}
    assert out.types == {"A": "STRING", "X": "STRING"}
    assert any("function mask_keep_right requires a non-negative number of characters to mask or skip" in m
               for m in out.errors)
