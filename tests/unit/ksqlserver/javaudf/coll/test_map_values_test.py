"""ksqlDB 0.29 MapValuesTest (io.confluent.ksql.function.udf.map), ported: MapValues.mapValues
(Lists.newArrayList(input.values()); null for a null map)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry


def values(value: T.SqlType, m: Any) -> Any:
    return default_registry().require("MAP_VALUES").resolve_call([T.map_of(T.STRING, value)]).impl(m)


def test_should_get_values() -> None:
    assert sorted(values(T.STRING, {"foo": "spam", "bar": "baloney"})) == ["baloney", "spam"]


def test_should_handle_complex_value_types() -> None:
    vt = T.map_of(T.STRING, T.array(T.DOUBLE))
    e1 = {"apple": [12.34, 56.78], "banana": [43.21, 87.65]}
    e2 = {"cherry": [12.34, 56.78], "date": [43.21, 87.65]}
    out = values(vt, {"foo": e1, "bar": e2})
    assert len(out) == 2 and e1 in out and e2 in out


def test_nulls_and_empty() -> None:
    """shouldReturnNullForNullInput, shouldReturnNullsFromMapWithNulls, shouldReturnEmptyListFromEmptyMap."""
    assert values(T.BIGINT, None) is None
    out = values(T.INTEGER, {"foo": 1, None: None, "bar": None})
    assert sorted(out, key=lambda v: v is not None) == [None, None, 1]
    assert values(T.decimal(4, 2), {}) == []


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "MAP_VALUES(M)", "MAP_VALUES(N)", "MAP_VALUES(MAP('a' := ARRAY[CAST(1 AS BIGINT)]))",
        columns="M MAP<STRING, INT>, N MAP<STRING, DOUBLE>", row={"M": {"foo": 1, "bar": None}, "N": None},
    )
    assert sorted(out[0], key=lambda v: v is not None) == [None, 1] and out[1:] == [None, [[1]]]
    assert sql.types == ["ARRAY<INTEGER>", "ARRAY<DOUBLE>", "ARRAY<ARRAY<BIGINT>>"]
