"""ksqlDB 0.29 SliceTest (io.confluent.ksql.function.udf.list), ported: Slice.slice (1-based, inclusive
`in.subList(from - 1, to)`; null ends mean the whole list; an IndexOutOfBoundsException gives null)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import default_registry


def sl(xs: Any, start: Any, end: Any, item: T.SqlType = T.STRING) -> Any:
    return default_registry().require("SLICE").resolve_call([T.array(item), T.INTEGER, T.INTEGER]).impl(xs, start, end)


def test_slices() -> None:
    """shouldOneIndexSlice, shouldFullListOnNullEndpoints, shouldOneElementSlice, shouldHandleIntegers."""
    assert sl(["a", "b", "c"], 1, 2) == ["a", "b"]
    assert sl(["a", "b", "c"], None, None) == ["a", "b", "c"]
    assert sl(["a", "b", "c"], 2, 2) == ["b"]
    assert sl([1, 2, 3], 2, 2, T.INTEGER) == [2]


def test_should_return_null_on_index_error_and_null_input() -> None:
    """shouldReturnNullOnIndexError, shouldReturnNullOnNullInput; a zero or negative start is an
    IndexOutOfBoundsException too (fromIndex < 0)."""
    assert sl(["a", "b", "c"], 2, 5) is None
    assert sl(None, 1, 2) is None
    assert sl(["a", "b", "c"], 0, 2) is None
    assert sl(["a", "b", "c"], -1, 2) is None


def test_a_start_past_the_end_throws() -> None:
    """ArrayList.subList checks fromIndex < 0, then toIndex > size (IndexOutOfBoundsException, caught), then
    fromIndex > toIndex: an IllegalArgumentException, which Slice does not catch."""
    assert sl(["a", "b", "c"], 4, 3) == []
    assert sl(["a", "b", "c"], 3, 2) == []
    with pytest.raises(EvaluationError, match=r"^fromIndex\(4\) > toIndex\(3\)$"):
        sl(["a", "b", "c"], 5, 3)
    assert sl(["a", "b", "c"], 5, 4) is None  # toIndex > size is checked first
    with pytest.raises(EvaluationError, match=r"^fromIndex\(0\) > toIndex\(-1\)$"):
        sl(["a", "b", "c"], 1, -1)  # a negative end is no IndexOutOfBounds
    with pytest.raises(EvaluationError, match=r"^fromIndex\(2147483647\) > toIndex\(3\)$"):
        sl(["a", "b", "c"], -(2**31), 3)  # `from - 1` overflows int


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "SLICE(ARRAY['a', 'b', 'c'], 1, 2)", "SLICE(A, CAST(NULL AS INT), CAST(NULL AS INT))", "SLICE(A, 2, 5)",
        "SLICE(ARRAY[1, 2, 3], 3, 1)", "SLICE(B, 1, 1)",
        columns="A ARRAY<BIGINT>, B ARRAY<STRING>", row={"A": [1, 2, 3], "B": None},
    )
    assert out == [["a", "b"], [1, 2, 3], None, None, None]
    assert sql.types == ["ARRAY<STRING>", "ARRAY<BIGINT>", "ARRAY<BIGINT>", "ARRAY<INTEGER>", "ARRAY<STRING>"]
    assert sql.log == ["Error computing expression SLICE(ARRAY[1, 2, 3], 3, 1) for column C3 with index 3\nfromIndex(2) > toIndex(1)"]
