"""Port of ksqlDB 0.29 MaskLeftTest (io.confluent.ksql.function.udf.string.MaskLeft): a length of 5 and of 999, a
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
    assert call("MASK_LEFT", [S, INT], V, 5) == "XxXx-$123xy Z"
    assert call("MASK_LEFT", [S, INT], V, 999) == "XxXx--nnnxx-X"
    assert call("MASK_LEFT", [S, INT], None, 5) is None


def test_negative_length_throws() -> None:
    """shouldThrowIfLengthIsNegative (Masker.validateParams's message)."""
    with pytest.raises(EvaluationError, match="function mask_left requires a non-negative number"):
        call("MASK_LEFT", [S, INT], V, -1)


def test_counts_java_chars() -> None:
    """Beyond MaskLeftTest: the number of characters counts Java chars (an emoji is two, both masked)."""
    assert call("MASK_LEFT", [S, INT], "\U0001F600abc", 2) == "--abc"


def test_through_the_engine(select: Any) -> None:
    out = select("MASK_LEFT(C, 5) AS A, MASK_LEFT(C, N) AS X", "C STRING, N INT", {"C": V, "N": -1})
    assert out.value == {"A": "XxXx-$123xy Z", "X": None}
    assert out.types == {"A": "STRING", "X": "STRING"}
    assert any("function mask_left requires a non-negative number of characters to mask or skip" in m
               for m in out.errors)
