"""ksqlDB 0.29 ArrayRemoveTest (io.confluent.ksql.function.udf.array), ported: ArrayRemove.remove (drops
every element Objects.equals to the victim: a null victim removes the nulls)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry


def call(item: T.SqlType, xs: Any, victim: Any) -> Any:
    return default_registry().require("ARRAY_REMOVE").resolve_call([T.array(item), item]).impl(xs, victim)


def test_should_remove_matching_elements() -> None:
    """shouldRemoveAllMatchingElements, shouldRemoveIntegers, shouldRemoveDoubles, shouldRemoveMap."""
    assert call(T.STRING, ["foo", " ", "foo", "bar"], "foo") == [" ", "bar"]
    assert call(T.INTEGER, [1, 2, 3, 2, 1], 2) == [1, 3, 1]
    assert call(T.DOUBLE, [1.1, 2.99, 1.1, 3.0], 1.1) == [2.99, 3.0]
    m1, m2, m3 = {"foo": 1, "bar": 2, "baz": 3}, {"foo": 10, "baz": 3}, {"foo": 1, "bar": 2, "baz": 3}
    assert call(T.map_of(T.STRING, T.INTEGER), [m1, m2, m3], m3) == [m2]


def test_no_matches_and_nulls() -> None:
    """shouldReturnAllElementsIfNoNull, shouldReturnAllElementsIfNoMatches, shouldReturnNullForNullInputArray,
    shouldReturnNullForNullInputs, shouldRetainNulls, shouldRemoveNullsWhenRequested,
    shouldReturnEmptyForArraysOfOnlyNulls."""
    assert call(T.STRING, ["foo"], None) == ["foo"]
    assert call(T.STRING, ["foo"], "bar") == ["foo"]
    assert call(T.STRING, None, "foo") is None
    assert call(T.BIGINT, None, None) is None
    assert call(T.STRING, [None, "foo"], "foo") == [None]
    assert call(T.STRING, [None, "foo", "bar"], None) == ["foo", "bar"]
    assert call(T.STRING, [None, None], None) == []


def test_doubles_compare_with_double_equals() -> None:
    nan = float("nan")
    assert [str(x) for x in call(T.DOUBLE, [0.0, -0.0, nan], -0.0)] == ["0.0", "nan"]
    assert [str(x) for x in call(T.DOUBLE, [0.0, nan, None], float("nan"))] == ["0.0", "None"]
    assert call(T.array(T.DOUBLE), [[nan], [1.0]], [float("nan")]) == [[1.0]]


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "ARRAY_REMOVE(ARRAY['foo', ' ', 'foo', 'bar'], 'foo')", "ARRAY_REMOVE(A, CAST(NULL AS INT))",
        "ARRAY_REMOVE(A, 2)", "ARRAY_REMOVE(ARRAY[1.10, 2.99, 1.10], 1.10)", "ARRAY_REMOVE(ARRAY[0.0E0, -0.0E0], -0.0E0)",
        columns="A ARRAY<INT>", row={"A": [1, None, 2]},
    )
    assert out == [[" ", "bar"], [1, 2], [1, None], [Decimal("2.99")], [0]]
    assert sql.types == ["ARRAY<STRING>", "ARRAY<INTEGER>", "ARRAY<INTEGER>", "ARRAY<DECIMAL(3, 2)>", "ARRAY<DOUBLE>"]
