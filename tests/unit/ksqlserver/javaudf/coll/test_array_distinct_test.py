"""ksqlDB 0.29 ArrayDistinctTest (io.confluent.ksql.function.udf.array), ported: ArrayDistinct.distinct
(a LinkedHashSet: first occurrence order, Java's equals, so Double.equals for doubles)."""

from __future__ import annotations

import math
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry


def call(item: T.SqlType, xs: Any) -> Any:
    return default_registry().require("ARRAY_DISTINCT").resolve_call([T.array(item)]).impl(xs)


def test_should_distinct_array() -> None:
    assert call(T.STRING, ["foo", " ", "foo", "bar"]) == ["foo", " ", "bar"]
    assert call(T.STRING, ["foo", " ", "bar"]) == ["foo", " ", "bar"]  # shouldNotChangeDistinctArray
    assert call(T.INTEGER, [1, 2, 3, 2, 1]) == [1, 2, 3]


def test_should_distinct_array_of_maps_and_lists() -> None:
    m1, m2, m3 = {"foo": 1, "bar": 2, "baz": 3}, {"foo": 10, "baz": 3}, {"foo": 1, "bar": 2, "baz": 3}
    assert call(T.map_of(T.STRING, T.INTEGER), [m1, m2, m3]) == [m1, m2]
    l1, l2, l3 = ["foo", "bar", "baz"], ["foo", "bar"], ["foo", "bar", "baz"]
    assert call(T.array(T.STRING), [l1, l2, l3, None]) == [l1, l2, None]


def test_empty_null_and_null_elements() -> None:
    """shouldReturnEmptyForEmptyInput, shouldReturnNullForNullInput, shouldConsiderNullAsDistinctValue."""
    assert call(T.DOUBLE, []) == []
    assert call(T.DOUBLE, None) is None
    assert call(T.INTEGER, [1, 2, 1, None, 2, None, 3, 1]) == [1, 2, None, 3]


def test_doubles_are_distinct_by_double_equals() -> None:
    """HashSet membership is Double.equals: every NaN is one value, 0.0 and -0.0 are two."""
    out = call(T.DOUBLE, [float("nan"), 0.0, -0.0, float("nan"), 0.0])
    assert len(out) == 3 and math.isnan(out[0]) and [str(x) for x in out[1:]] == ["0.0", "-0.0"]
    out = call(T.array(T.DOUBLE), [[float("nan")], [float("nan")], [-0.0], [0.0]])
    assert len(out) == 3


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "ARRAY_DISTINCT(ARRAY['foo', ' ', 'foo', 'bar'])", "ARRAY_DISTINCT(ARRAY[1, 2, 1, NULL, 2, NULL, 3, 1])",
        "ARRAY_DISTINCT(A)", "ARRAY_LENGTH(ARRAY_DISTINCT(ARRAY[0.0E0, -0.0E0, X / X, X / X]))",
        columns="A ARRAY<DOUBLE>, X DOUBLE", row={"A": None, "X": 0.0},
    )
    assert out == [["foo", " ", "bar"], [1, 2, None, 3], None, 3]
    assert sql.types == ["ARRAY<STRING>", "ARRAY<INTEGER>", "ARRAY<DOUBLE>", "INTEGER"]
