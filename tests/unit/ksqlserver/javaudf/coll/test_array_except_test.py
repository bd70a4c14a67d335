"""ksqlDB 0.29 ArrayExceptTest (io.confluent.ksql.function.udf.array), ported: ArrayExcept.except (the
distinct left values, a LinkedHashSet, not in a HashSet of the right ones: Java's equals)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry


def call(left: Any, right: Any, item: T.SqlType = T.STRING) -> Any:
    t = T.array(item)
    return default_registry().require("ARRAY_EXCEPT").resolve_call([t, t]).impl(left, right)


def test_should_remove_exceptions() -> None:
    assert call(["foo", "bar", "baz"], ["foo", "bar"]) == ["baz"]
    assert call(["foo", " ", "foo", "bar"], ["bar"]) == ["foo", " "]  # shouldRetainOnlyDistinctValues
    assert call(["foo", " ", "foo", "bar"], ["bar", " ", "foo", "extra"]) == []  # shouldReturnEmptyArrayIfAllExcepted
    assert call([], ["foo"]) == []  # shouldExceptEmptyArray
    assert call(["foo", "foo", "bar", "foo"], []) == ["foo", "bar"]  # shouldDistinctValuesForEmptyExceptionArray


def test_nulls() -> None:
    """shouldExceptFromArrayContainingNulls, shouldExceptNulls, shouldReturnNullFor{NullLeftInput,
    NullExceptionArray,NullInputs}."""
    assert call(["foo", None, "foo", "bar"], ["foo"]) == [None, "bar"]
    assert call(["foo", None, "foo", "bar"], [None, "foo"]) == ["bar"]
    assert call(["foo"], None) is None
    assert call(None, ["foo"]) is None
    assert call(None, None) is None


def test_doubles_compare_with_double_equals() -> None:
    nan = float("nan")
    assert [str(x) for x in call([0.0, -0.0, nan], [-0.0, float("nan")], T.DOUBLE)] == ["0.0"]


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "ARRAY_EXCEPT(ARRAY['foo', NULL, 'foo', 'bar'], ARRAY['foo'])", "ARRAY_EXCEPT(ARRAY[1, 2, 2, 3], A)",
        "ARRAY_EXCEPT(ARRAY[1.5, 2.5], ARRAY[2.5])",
        columns="A ARRAY<INT>", row={"A": None},
    )
    assert out == [[None, "bar"], None, [1.5]]
    assert sql.types == ["ARRAY<STRING>", "ARRAY<INTEGER>", "ARRAY<DECIMAL(2, 1)>"]
