"""Port of ksqlDB 0.29 ConcatTest (io.confluent.ksql.function.udf.string.Concat): strings and bytes,
null inputs skipped, a single input."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_concat_strings_and_bytes() -> None:
    """shouldConcatStrings, shouldConcatBytes."""
    assert call("CONCAT", [S, S, S, S], "The", "Quick", "Brown", "Fox") == "TheQuickBrownFox"
    assert call("CONCAT", [B, B, B], b"\x01", b"\x02", b"\x03") == b"\x01\x02\x03"


def test_nulls_are_ignored() -> None:
    """shouldIgnoreNullInputs, shouldReturnEmptyIfAllInputsNull, shouldReturnEmptyForSingleNullInput."""
    assert call("CONCAT", [S] * 7, None, "this ", None, "should ", None, "work!", None) == "this should work!"
    assert call("CONCAT", [B] * 5, None, b"\x01", None, b"\x02", None) == b"\x01\x02"
    assert call("CONCAT", [S, S], None, None) == ""
    assert call("CONCAT", [B, B], None, None) == b""
    assert call("CONCAT", [S], None) == ""
    assert call("CONCAT", [B], None) == b""


def test_single_input() -> None:
    """shouldReturnSingleInput."""
    assert call("CONCAT", [S], "singular") == "singular"
    assert call("CONCAT", [B], b"\x02") == b"\x02"


def test_through_the_engine(select: Any) -> None:
    out = select("CONCAT('a', C, 'b') AS A, CONCAT(C) AS E, CONCAT(TO_BYTES('AQ==', 'base64'), TO_BYTES('Ag==', "
                 "'base64')) AS X", "C STRING", {"C": None})
    assert out.value == {"A": "ab", "E": "", "X": "AQI="}
    assert out.types == {"A": "STRING", "E": "STRING", "X": "BYTES"}
