"""ksqlDB 0.29 ArrayIntersectTest (io.confluent.ksql.function.udf.array), ported: ArrayIntersect.intersect
(a LinkedHashSet of the left values retaining those in a HashSet of the right ones: Java's equals)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry


def call(left: Any, right: Any, item: T.SqlType = T.STRING) -> Any:
    t = T.array(item)
    return default_registry().require("ARRAY_INTERSECT").resolve_call([t, t]).impl(left, right)


def test_should_intersect() -> None:
    """shouldIntersectTwoArrays, shouldIntersectIntegerArrays, shouldIntersectArraysOfMaps."""
    assert call(["foo", " ", "foo", "bar"], ["foo", "baz"]) == ["foo"]
    assert call([1, 2, 3, 2, 1], [1, 2, 2], T.INTEGER) == [1, 2]
    m1, m2, m3 = {"foo": 1, "bar": 2, "baz": 3}, {"foo": 10, "baz": 3}, {"foo": 1, "bar": 2, "baz": 3}
    assert call([m1, m2, m3], [m2, m3], T.map_of(T.STRING, T.INTEGER)) == [m1, m2]


def test_nulls() -> None:
    """shouldReturnNullFor{NullLeftInput,NullExceptionArray,NullInputs}, shouldIntersectArrays{Containing,
    BothContaining}Nulls, shouldReturnNullForArraysOfOnlyNulls."""
    assert call(["foo"], None) is None
    assert call(None, ["foo"]) is None
    assert call(None, None) is None
    assert call([None, "foo"], ["foo"]) == ["foo"]
    assert call([None, "foo", "bar"], ["foo", None]) == [None, "foo"]
    assert call([None, None], [None, None, None]) == [None]


def test_doubles_compare_with_double_equals() -> None:
    out = call([float("nan"), 0.0, -0.0], [-0.0, float("nan")], T.DOUBLE)
    assert len(out) == 2 and out[0] != out[0] and str(out[1]) == "-0.0"


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "ARRAY_INTERSECT(ARRAY[NULL, 'foo', 'bar'], ARRAY['foo', NULL])", "ARRAY_INTERSECT(A, ARRAY[1])",
        "ARRAY_INTERSECT(ARRAY[CAST(1 AS BIGINT), 3, 2, 1], ARRAY[CAST(1 AS BIGINT), 2])",
        columns="A ARRAY<INT>", row={"A": None},
    )
    assert out == [[None, "foo"], None, [1, 2]]
    assert sql.types == ["ARRAY<STRING>", "ARRAY<INTEGER>", "ARRAY<BIGINT>"]
