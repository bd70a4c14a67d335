"""Port of ksqlDB 0.29 ConcatWSTest (io.confluent.ksql.function.udf.string.ConcatWS): separators,
null separator, skipped null inputs, empty inputs, the at-least-two-arguments error."""

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


def test_concat_with_separator() -> None:
    """shouldConcatStrings, shouldConcatBytes, shouldConcatLongerSeparator, shouldReturnSingleInputUnchanged."""
    assert call("CONCAT_WS", [S] * 5, " ", "The", "Quick", "Brown", "Fox") == "The Quick Brown Fox"
    assert call("CONCAT_WS", [B] * 3, b"\x01", b"\x02", b"\x03") == b"\x02\x01\x03"
    assert call("CONCAT_WS", [S] * 4, "SEP", "foo", "bar", "baz") == "fooSEPbarSEPbaz"
    assert call("CONCAT_WS", [S] * 2, "SEP", "singular") == "singular"
    assert call("CONCAT_WS", [B] * 2, b"\x01", b"\x02") == b"\x02"


def test_nulls() -> None:
    """shouldReturnNullForNullSeparator, shouldReturnEmptyIfAllInputsNull, shouldSkipAnyNullInputs."""
    assert call("CONCAT_WS", [S] * 3, None, "foo", "bar") is None
    assert call("CONCAT_WS", [B] * 3, None, b"\x01", b"\x02") is None
    assert call("CONCAT_WS", [S] * 3, "SEP", None, None) == ""
    assert call("CONCAT_WS", [B] * 3, b"\x02", None, None) == b""
    assert call("CONCAT_WS", [S] * 4, "SEP", "foo", None, "bar") == "fooSEPbar"
    assert call("CONCAT_WS", [B] * 4, b"\x01", b"\x02", None, b"\x03") == b"\x02\x01\x03"


def test_only_a_separator_fails() -> None:
    """shouldFailIfOnlySeparator{String,Bytes}Input."""
    for t, sep in ((S, "SEP"), (B, b"\x03")):
        with pytest.raises(EvaluationError, match="expects at least two input arguments"):
            call("CONCAT_WS", [t], sep)


def test_empty_separator_and_inputs() -> None:
    """shouldWorkWithEmptySeparator, shouldHandleEmptyInputs, shouldReturnEmptyIfEverythingEmpty."""
    assert call("CONCAT_WS", [S] * 3, "", "foo", "bar") == "foobar"
    assert call("CONCAT_WS", [B] * 3, b"", b"\x01", b"\x02") == b"\x01\x02"
    assert call("CONCAT_WS", [S] * 4, "SEP", "foo", "", "bar") == "fooSEPSEPbar"
    assert call("CONCAT_WS", [B] * 4, b"\x01", b"\x02", b"", b"\x03") == b"\x02\x01\x01\x03"
    assert call("CONCAT_WS", [S] * 3, "", "", "") == ""
    assert call("CONCAT_WS", [B] * 3, b"", b"", b"") == b""


def test_through_the_engine(select: Any) -> None:
    out = select("CONCAT_WS('-', 'a', C, 'b') AS A, CONCAT_WS(C, 'a', 'b') AS N", "C STRING", {"C": None})
    assert out.value == {"A": "a-b", "N": None}
    assert out.types == {"A": "STRING", "N": "STRING"}
    out = select("CONCAT_WS(C) AS A", "C STRING", {"C": "-"})
    assert out.value == {"A": None}
    assert any("expects at least two input arguments" in m for m in out.errors)
