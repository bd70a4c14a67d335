"""ksqlDB 0.29 AsMapTest (io.confluent.ksql.function.udf.map), ported: AsMap.asMap (a HashMap of keys[i]
to values[i], null past the end of the values; null if either list is null)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry


def as_map(keys: Any, values: Any, item: T.SqlType = T.STRING) -> Any:
    types = [T.array(T.STRING), T.array(item)]
    return default_registry().require("AS_MAP").resolve_call(types).impl(keys, values)


def test_should_create_map() -> None:
    """shouldCreateMap, shouldCreateMapWithIntegerValues."""
    assert as_map(["1", "2"], ["a", "b"]) == {"1": "a", "2": "b"}
    assert as_map(["1", "2"], [1, 2], T.INTEGER) == {"1": 1, "2": 2}


def test_should_ignore_mismatching_length_keys_and_values() -> None:
    assert as_map(["1", "2"], [1, 2, 3], T.INTEGER) == {"1": 1, "2": 2}
    assert as_map(["1", "2"], [1], T.INTEGER) == {"1": 1, "2": None}  # `i >= values.size() ? null`


def test_should_handle_null_key() -> None:
    assert as_map(["1", None], [1, 2], T.INTEGER) == {"1": 1, None: 2}


def test_should_return_null_for_null_keys_or_values() -> None:
    assert as_map(None, [1, 2], T.INTEGER) is None
    assert as_map(["1", "2"], None, T.INTEGER) is None


def test_a_repeated_key_keeps_the_last_value() -> None:
    assert as_map(["a", "b", "a"], [1, 2, 3], T.INTEGER) == {"a": 3, "b": 2}


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "AS_MAP(ARRAY['1', '2'], ARRAY['a', 'b'])", "AS_MAP(ARRAY['1', '2'], ARRAY[1, 2, 3])", "AS_MAP(K, ARRAY[1.5])",
        "AS_MAP(ARRAY['1'], V)", "AS_MAP(ARRAY['x', 'y'], ARRAY[CAST(7 AS BIGINT)])",
        columns="K ARRAY<STRING>, V ARRAY<INT>", row={"K": ["k"], "V": None},
    )
    assert out == [{"1": "a", "2": "b"}, {"1": 1, "2": 2}, {"k": 1.5}, None, {"x": 7, "y": None}]
    assert sql.types == [
        "MAP<STRING, STRING>", "MAP<STRING, INTEGER>", "MAP<STRING, DECIMAL(2, 1)>", "MAP<STRING, INTEGER>",
        "MAP<STRING, BIGINT>",
    ]
