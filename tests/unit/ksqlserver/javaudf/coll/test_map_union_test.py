"""ksqlDB 0.29 MapUnionTest (io.confluent.ksql.function.udf.map), ported: MapUnion.union (putAll of each
non-null map into a new HashMap, so map2 wins a shared key; null only when both maps are null)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry


def union(value: T.SqlType, m1: Any, m2: Any) -> Any:
    t = T.map_of(T.STRING, value)
    return default_registry().require("MAP_UNION").resolve_call([t, t]).impl(m1, m2)


def test_should_union_non_empty_maps() -> None:
    out = union(T.STRING, {"foo": "spam", "bar": "baloney"}, {"one": "apple", "two": "banana", "three": "cherry"})
    assert len(out) == 5 and out["foo"] == "spam" and out["two"] == "banana"


def test_nulls() -> None:
    """shouldReturnNullForNullInput, shouldUnionWithNullMap."""
    assert union(T.BIGINT, None, None) is None
    out = union(T.INTEGER, {"foo": 1, "bar": 2}, None)
    assert out == {"foo": 1, "bar": 2}
    assert union(T.INTEGER, None, {"foo": 1}) == {"foo": 1}


def test_should_handle_complex_value_types() -> None:
    vt = T.array(T.DOUBLE)
    out = union(vt, {"apple": [12.34, 56.78], "banana": [43.21, 87.65]}, {"foo": [123.456]})
    assert len(out) == 3 and out["banana"] == [43.21, 87.65] and set(out) == {"foo", "banana", "apple"}


def test_should_retain_latest_value_for_duplicate_key() -> None:
    out = union(T.STRING, {"foo": "spam", "bar": "baloney"}, {"foo": "apple", "two": "banana", "three": "cherry"})
    assert len(out) == 4 and out["foo"] == "apple"


def test_should_union_map_with_nulls() -> None:
    out = union(T.STRING, {"one": "apple", "two": "banana", "three": "cherry"}, {"foo": "bar", None: None, "baz": None})
    assert len(out) == 6 and out["two"] == "banana" and out["foo"] == "bar" and out["baz"] is None
    assert set(out) == {"one", "two", "three", None, "foo", "baz"}


def test_should_return_empty_map_from_empty_maps() -> None:
    assert union(T.decimal(4, 2), {}, {}) == {}


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "MAP_UNION(M, MAP('foo' := 10, 'two' := 2))", "MAP_UNION(N, N)", "MAP_UNION(N, MAP('a' := 1.5E0))",
        "MAP_UNION(MAP('x' := CAST(1 AS BIGINT)), MAP('x' := CAST(2 AS BIGINT)))",
        columns="M MAP<STRING, INT>, N MAP<STRING, DOUBLE>", row={"M": {"foo": 1, "bar": None}, "N": None},
    )
    assert out == [{"foo": 10, "bar": None, "two": 2}, None, {"a": 1.5}, {"x": 2}]
    assert list(out[0]) == ["two", "bar", "foo"]  # the new HashMap's iteration order (checked on a JVM)
    assert sql.types == ["MAP<STRING, INTEGER>", "MAP<STRING, DOUBLE>", "MAP<STRING, DOUBLE>", "MAP<STRING, BIGINT>"]
