"""ksqlDB 0.29 MapKeysTest (io.confluent.ksql.function.udf.map), ported: MapKeys.mapKeys
(Lists.newArrayList(input.keySet()); null for a null map)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry


def keys(value: T.SqlType, m: Any) -> Any:
    return default_registry().require("MAP_KEYS").resolve_call([T.map_of(T.STRING, value)]).impl(m)


def test_should_get_keys() -> None:
    assert Counter(keys(T.STRING, {"foo": "spam", "bar": "baloney"})) == Counter(["foo", "bar"])


def test_should_handle_complex_value_types() -> None:
    vt = T.map_of(T.STRING, T.array(T.DOUBLE))
    m = {"foo": {"apple": [12.34, 56.78], "banana": [43.21, 87.65]}, "bar": {"cherry": [12.34, 56.78], "date": [43.21, 87.65]}}
    assert Counter(keys(vt, m)) == Counter(["foo", "bar"])


def test_nulls_and_empty() -> None:
    """shouldReturnNullForNullInput, shouldReturnNullsFromMapWithNulls, shouldReturnEmptyListFromEmptyMap."""
    assert keys(T.BIGINT, None) is None
    assert Counter(keys(T.INTEGER, {"foo": 1, None: None, "bar": None})) == Counter([None, "foo", "bar"])
    assert keys(T.decimal(4, 2), {}) == []


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "MAP_KEYS(M)", "MAP_KEYS(N)", "MAP_KEYS(MAP('a' := ARRAY[1.5E0]))",
        "MAP_KEYS(AS_MAP(ARRAY['foo', CAST(NULL AS STRING)], ARRAY[1, 2]))",
        columns="M MAP<STRING, INT>, N MAP<STRING, STRING>", row={"M": {"foo": 1, "bar": None}, "N": None},
    )
    assert sorted(out[0]) == ["bar", "foo"] and out[1:3] == [None, ["a"]] and Counter(out[3]) == Counter(["foo", None])
    assert sql.types == ["ARRAY<STRING>"] * 4
