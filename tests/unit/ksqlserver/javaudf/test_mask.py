"""Port of ksqlDB 0.29 MaskTest and MaskerTest (io.confluent.ksql.function.udf.string.Mask, Masker):
default and explicit masks, null masks, invalid mask characters."""

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
    """MaskTest: shouldApplyAllDefaultTypeMasks, shouldApplyAllExplicitTypeMasks, shouldMaskNothingIfNullMasks,
    shouldMaskOnlySpecifiedCharTypes, shouldReturnNullForNullInput."""
    assert call("MASK", [S], V) == "XxXx--nnnxx-X"
    assert call("MASK", [S] * 5, V, "Q", "q", "9", "@") == "QqQq@@999qq@Q"
    assert call("MASK", [S] * 5, V, None, None, None, None) == V
    assert call("MASK", [S] * 5, V, None, "q", None, "=") == "AqCq==123qq=Z"
    assert call("MASK", [S], None) is None


@pytest.mark.parametrize("bad", ["", "2c"])
def test_mask_character_must_be_one_char(bad: str) -> None:
    """MaskerTest: shoudThrowOnEmptyMask, shouldThrowOnMultiCharMask (Masker.getMaskCharacter's message)."""
    with pytest.raises(EvaluationError, match=f"Invalid mask character. Must be only single character, but was '{bad}'"):
        call("MASK", [S] * 5, V, bad, "x", "n", "-")


def test_supplementary_characters() -> None:
    """Beyond MaskTest: Masker.mask walks the Java chars with codePointAt, so a character outside the BMP is
    masked and then its low surrogate again, as an "other" character."""
    e = "\U0001F600"
    assert call("MASK", [S], "a" + e) == "x--"
    assert call("MASK", [S], "\U0001D400") == "X-"
    assert call("MASK", [S] * 5, "a" + e, None, None, None, "=") == "a=="


def test_through_the_engine(select: Any) -> None:
    out = select("MASK(C) AS A, MASK(C, NULL, 'q', NULL, '=') AS B, MASK(C, '2c', 'x', 'n', '-') AS X", "C STRING",
                 {"C": V})
    assert out.value == {"A": "XxXx--nnnxx-X", "B": "AqCq==123qq=Z", "X": None}
    assert out.types == {"A": "STRING", "B": "STRING", "X": "STRING"}
    assert any("Invalid mask character. Must be only single character, but was '2c'" in m for m in out.errors)
