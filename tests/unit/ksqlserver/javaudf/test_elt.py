"""Port of ksqlDB 0.29 EltTest (io.confluent.ksql.function.udf.string.Elt): 1-based selection, out of
range and null arguments."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_selects_the_nth_element() -> None:
    """shouldSelectFirstElementOfOne, shouldSelectFirstElementOfTwo, shouldSelectSecondElementOfTwo."""
    assert call("ELT", [INT, S], 1, "a") == "a"
    assert call("ELT", [INT, S, S], 1, "a", "b") == "a"
    assert call("ELT", [INT, S, S], 2, "a", "b") == "b"


def test_out_of_range_and_nulls() -> None:
    """shouldReturnNullIfNIsLessThanOne, shouldReturnNullIfNIsGreaterThanLength, shouldHandleNulls,
    shouldHandleNoArgs."""
    assert call("ELT", [INT, S, S], 0, "a", "b") is None
    assert call("ELT", [INT, S, S], 3, "a", "b") is None
    assert call("ELT", [INT, S, S], 2, "a", None) is None
    assert call("ELT", [INT], 2) is None


def test_through_the_engine(select: Any) -> None:
    out = select("ELT(N, 'a', 'b') AS A, ELT(3, 'a', 'b') AS X, ELT(N) AS E", "N INT", {"N": 2})
    assert out.value == {"A": "b", "X": None, "E": None}
    assert out.types == {"A": "STRING", "X": "STRING", "E": "STRING"}
