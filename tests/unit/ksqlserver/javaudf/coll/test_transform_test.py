"""ksqlDB 0.29 TransformTest (io.confluent.ksql.function.udf.lambda), ported: Transform.transformArray /
transformMap (null collection or function: null; every element, nulls included, goes through the
function; a map is rebuilt with Collectors.toMap)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry
from ksqlserver.functions.paramtypes import LambdaArg

INT, S, B = T.INTEGER, T.STRING, T.BOOLEAN


def transform_array(item: T.SqlType, out: T.SqlType, xs: Any, fn: Callable[..., Any] | None) -> Any:
    types = [T.array(item), LambdaArg(1, (item,), out)]
    return default_registry().require("TRANSFORM").resolve_call(types).impl(xs, fn)


def transform_map(kt: T.SqlType, vt: T.SqlType, rk: T.SqlType, rv: T.SqlType, m: Any, f1: Any, f2: Any) -> Any:
    types = [T.map_of(kt, vt), LambdaArg(2, (kt, vt), rk), LambdaArg(2, (kt, vt), rv)]
    return default_registry().require("TRANSFORM").resolve_call(types).impl(m, f1, f2)


def function1(x: int) -> int:
    return x + 5


def function2(x: int) -> str:
    return "even" if x % 2 == 0 else "odd"


def function3(x: str) -> str:
    return "hello " + x


def function4(x: list[int]) -> int:
    return len(x)


def bi_function1(x: int, y: int) -> int:
    return x - y


def bi_function2(x: int, y: int) -> int:
    return y - x


def bi_function3(x: str, y: str) -> str:
    return y + x


def bi_function4(x: str, y: str) -> bool:
    return len(x) > len(y)


def test_should_return_null_for_null_array() -> None:
    assert transform_array(INT, INT, None, function1) is None
    assert transform_map(INT, INT, INT, INT, None, bi_function1, bi_function2) is None


def test_should_return_null_for_null_functions() -> None:
    assert transform_array(INT, INT, [-5, -2, 0], None) is None
    assert transform_map(INT, INT, INT, INT, {3: 100, 1: -2}, None, None) is None


def test_should_return_transformed_array() -> None:
    assert transform_array(INT, INT, [], function1) == []
    assert transform_array(INT, INT, [-5, -2, 0], function1) == [0, 3, 5]
    assert transform_array(INT, S, [], function2) == []
    assert transform_array(INT, S, [-5, -2, 0], function2) == ["odd", "even", "even"]
    assert transform_array(S, S, [], function3) == []
    assert transform_array(S, S, ["steven", "leah"], function3) == ["hello steven", "hello leah"]
    assert transform_array(T.array(INT), INT, [], function4) == []
    assert transform_array(T.array(INT), INT, [[5, 4, 3], []], function4) == [3, 0]


def test_should_return_transformed_map() -> None:
    assert transform_map(INT, INT, INT, INT, {}, bi_function1, bi_function2) == {}
    assert transform_map(INT, INT, INT, INT, {3: 100, 1: -2}, bi_function1, bi_function2) == {-97: 97, 3: -3}
    assert transform_map(S, S, S, B, {}, bi_function3, bi_function4) == {}
    out = transform_map(S, S, S, B, {"123": "456789", "hello": "hi"}, bi_function3, bi_function4)
    assert out == {"456789123": False, "hihello": True}


def test_should_not_skip_null_values_when_transforming() -> None:
    """Java's lambdas dereference the null element (NullPointerException): it is not skipped."""
    with pytest.raises(TypeError):
        transform_array(T.array(INT), INT, [[334, 1], None], function4)
    with pytest.raises(TypeError):
        transform_array(S, S, ["rohan", None, "almog"], function3)
    with pytest.raises(TypeError):
        transform_array(INT, S, [3, None, 5], function2)
    with pytest.raises(TypeError):
        transform_array(INT, INT, [3, None, 5], function1)
    with pytest.raises(TypeError):
        transform_map(INT, INT, INT, INT, {4: 3, 6: None}, bi_function1, bi_function2)


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "TRANSFORM(ARRAY[-5, -2, 0], x => x + 5)", "TRANSFORM(A, x => CONCAT('hello ', x))",
        "TRANSFORM(ARRAY[ARRAY[5, 4, 3], ARRAY[CAST(NULL AS INT)]], x => ARRAY_LENGTH(x))",
        "TRANSFORM(MAP(3 := 100, 1 := -2), (k, v) => CAST(k - v AS STRING), (k, v) => v - k)", "TRANSFORM(N, x => CAST(x AS BIGINT))",
        "TRANSFORM(MAP('123' := '456789', 'hello' := 'hi'), (k, v) => CONCAT(v, k), (k, v) => LEN(k) > LEN(v))",
        columns="A ARRAY<STRING>, N ARRAY<INT>", row={"A": ["steven", "leah"], "N": None},
    )
    assert out == [
        [0, 3, 5], ["hello steven", "hello leah"], [3, 1], {"-97": 97, "3": -3}, None,
        {"456789123": False, "hihello": True},
    ]
    assert sql.types == [
        "ARRAY<INTEGER>", "ARRAY<STRING>", "ARRAY<INTEGER>", "MAP<STRING, INTEGER>", "ARRAY<BIGINT>",
        "MAP<STRING, BOOLEAN>",
    ]


def test_a_null_value_in_a_transformed_map_fails_the_row(sql: Any) -> None:
    """Collectors.toMap refuses a null value (NullPointerException): the column is null, the error logged."""
    out = sql.select("TRANSFORM(M, (k, v) => k, (k, v) => v)", columns="M MAP<STRING, INT>", row={"M": {"a": None}})
    assert out == [None]
    assert sql.log == [
        "Error computing expression TRANSFORM(M, (K, V) => K, (K, V) => V) for column C0 with index 0\n"
        "java.lang.NullPointerException"
    ]


def test_a_duplicate_key_in_a_transformed_map_fails_the_row(sql: Any) -> None:
    """Collectors.toMap throws IllegalStateException("Duplicate key %s (attempted merging values %s and %s)"),
    formatted with Java's toString (HashMap order: 'a' then 'b')."""
    out = sql.select(
        "TRANSFORM(MAP('a' := 1, 'b' := 2), (k, v) => 'x', (k, v) => v > 1)",
        "TRANSFORM(MAP('a' := 1, 'b' := 2), (k, v) => 'y', (k, v) => CAST(v AS DOUBLE) * 1E7)",
    )
    assert out == [None, None]
    assert [m.split("\n")[1] for m in sql.log] == [
        "Duplicate key x (attempted merging values false and true)",
        "Duplicate key y (attempted merging values 1.0E7 and 2.0E7)",
    ]
