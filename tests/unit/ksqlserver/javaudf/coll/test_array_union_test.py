"""ksqlDB 0.29 ArrayUnionTest (io.confluent.ksql.function.udf.array), ported: ArrayUnion.union (a
LinkedHashSet of both arrays: Java's equals; null if either array is null)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry


def call(left: Any, right: Any, item: T.SqlType = T.STRING) -> Any:
    t = T.array(item)
    return default_registry().require("ARRAY_UNION").resolve_call([t, t]).impl(left, right)


def test_should_union() -> None:
    """shouldUnionArraysOfLikeType, shouldReturnDistinctValues, shouldIntersectArraysOfMaps."""
    assert call(["foo", " ", "bar"], ["baz"]) == ["foo", " ", "bar", "baz"]
    assert call(["foo", "foo", "bar"], ["baz", "foo"]) == ["foo", "bar", "baz"]
    m1, m2, m3 = {"foo": 1, "bar": 2, "baz": 3}, {"foo": 10, "baz": 3}, {"foo": 1, "bar": 2, "baz": 3}
    assert call([m1, m2], [m2, m3], T.map_of(T.STRING, T.INTEGER)) == [m1, m2]


def test_nulls() -> None:
    """shouldUnionArrays{Containing,BothContaining}Nulls, shouldReturnNullForArraysOfOnlyNulls,
    shouldReturnNullFor{NullLeftInput,NullRightInput,AllNullInputs}."""
    assert call([None, "bar"], ["foo"]) == [None, "bar", "foo"]
    assert call([None, "foo", "bar"], ["foo", None]) == [None, "foo", "bar"]
    assert call([None, None], [None, None, None]) == [None]
    assert call(["foo"], None) is None
    assert call(None, ["foo"]) is None
    assert call(None, None) is None


def test_doubles_compare_with_double_equals() -> None:
    out = call([0.0, float("nan")], [-0.0, float("nan"), 0.0], T.DOUBLE)
    assert [str(x) for x in out] == ["0.0", "nan", "-0.0"]


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "ARRAY_UNION(ARRAY[NULL, 'foo', 'bar'], ARRAY['foo', NULL])", "ARRAY_UNION(A, ARRAY[1])",
        "ARRAY_UNION(ARRAY[CAST(1 AS BIGINT)], ARRAY[CAST(2 AS BIGINT), 1])",
        columns="A ARRAY<INT>", row={"A": None},
    )
    assert out == [[None, "foo", "bar"], None, [1, 2]]
    assert sql.types == ["ARRAY<STRING>", "ARRAY<INTEGER>", "ARRAY<BIGINT>"]
