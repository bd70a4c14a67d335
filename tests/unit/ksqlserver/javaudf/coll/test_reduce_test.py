"""ksqlDB 0.29 ReduceTest (io.confluent.ksql.function.udf.lambda), ported: Reduce.reduceArray /
reduceMap (null state or function: null; a null collection: the initial state; every element, nulls
included, is passed to the function in iteration order)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry
from ksqlserver.functions.paramtypes import LambdaArg

INT, S = T.INTEGER, T.STRING


def reduce_array(item: T.SqlType, state_t: T.SqlType, xs: Any, state: Any, fn: Callable[..., Any] | None) -> Any:
    types = [T.array(item), state_t, LambdaArg(2, (state_t, item), state_t)]
    return default_registry().require("REDUCE").resolve_call(types).impl(xs, state, fn)


def reduce_map(kt: T.SqlType, vt: T.SqlType, state_t: T.SqlType, m: Any, state: Any, fn: Callable[..., Any] | None) -> Any:
    types = [T.map_of(kt, vt), state_t, LambdaArg(3, (state_t, kt, vt), state_t)]
    return default_registry().require("REDUCE").resolve_call(types).impl(m, state, fn)


def tri_function1(x: int, y: int, z: int) -> int:
    return x + y + z


def tri_function2(x: str, y: str, z: int) -> str:
    return y + x if z - 10 > 0 else x


def bi_function1(x: str, y: int) -> str:
    return x + ("even" if y % 2 == 0 else "odd")


def bi_function2(x: int, y: int) -> int:
    return x + y


def test_should_return_original_state_for_null_collection() -> None:
    assert reduce_map(INT, INT, INT, None, 0, tri_function1) == 0
    assert reduce_array(INT, S, None, "", bi_function1) == ""


def test_should_return_null_for_null_state() -> None:
    assert reduce_map(INT, INT, INT, {}, None, tri_function1) is None
    assert reduce_array(INT, S, [], None, bi_function1) is None


def test_should_reduce_map() -> None:
    m1: dict[int, int] = {}
    assert reduce_map(INT, INT, INT, m1, 3, tri_function1) == 3
    m1.update({4: 3, 6: 2})
    assert reduce_map(INT, INT, INT, m1, 42, tri_function1) == 57
    assert reduce_map(INT, INT, INT, m1, -4, tri_function1) == 11
    m1[0] = 0
    assert reduce_map(INT, INT, INT, m1, 0, tri_function1) == 15
    m2: dict[str, int] = {}
    assert reduce_map(S, INT, S, m2, "", tri_function2) == ""
    m2.update({"a": 42, "b": 11})
    assert reduce_map(S, INT, S, m2, "", tri_function2) == "ba"
    assert reduce_map(S, INT, S, m2, "string", tri_function2) == "bastring"
    m2.update({"c": 0, "d": 15, "e": -5})
    assert reduce_map(S, INT, S, m2, "q", tri_function2) == "dbaq"


def test_should_reduce_array() -> None:
    assert reduce_array(INT, S, [], "", bi_function1) == ""
    assert reduce_array(INT, S, [], "answer", bi_function1) == "answer"
    assert reduce_array(INT, S, [2, 3, 4, 4, 1000], "", bi_function1) == "evenoddeveneveneven"
    assert reduce_array(INT, S, [3, -1, -5], "This is: ", bi_function1) == "This is: oddoddodd"
    assert reduce_array(INT, INT, [], 0, bi_function2) == 0
    assert reduce_array(INT, INT, [-1, -13], 14, bi_function2) == 0
    assert reduce_array(INT, INT, [-5, 10], 1, bi_function2) == 6
    assert reduce_array(INT, INT, [100, 1000, 42], -100, bi_function2) == 1042


def test_should_not_skip_null_values_when_reducing() -> None:
    """Java's Integer::sum unboxes the null (NullPointerException): the null element is not skipped."""
    with pytest.raises(TypeError):
        reduce_array(INT, INT, [None], 0, bi_function2)
    with pytest.raises(TypeError):
        reduce_array(INT, INT, [-1, -13, None], 14, bi_function2)
    with pytest.raises(TypeError):
        reduce_map(INT, INT, INT, {4: 3, 6: None}, 3, tri_function1)


def test_should_return_null_for_null_functions() -> None:
    assert reduce_array(INT, S, [2, 3, 4, 4, 1000], "", None) is None
    assert reduce_map(INT, INT, INT, {4: 3, 6: 2}, 42, None) is None


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "REDUCE(ARRAY[2, 3, 4, 4, 1000], '', (s, x) => CONCAT(s, CASE WHEN x % 2 = 0 THEN 'even' ELSE 'odd' END))",
        "REDUCE(A, 14, (s, x) => s + x)", "REDUCE(N, 'answer', (s, x) => CONCAT(s, 'x'))",
        "REDUCE(MAP('b' := 11, 'a' := 42, 'e' := -5, 'c' := 0, 'd' := 15), 'q', (s, k, v) => CASE WHEN v - 10 > 0 THEN CONCAT(k, s) ELSE s END)",
        "REDUCE(MAP(4 := 3, 6 := 2, 0 := 0), CAST(0 AS BIGINT), (s, k, v) => s + k + v)", "REDUCE(A, CAST(NULL AS INT), (s, x) => s + x)",
        columns="A ARRAY<INT>, N ARRAY<INT>", row={"A": [-1, -13], "N": None},
    )
    assert out == ["evenoddeveneveneven", 0, "answer", "dbaq", 15, None]
    assert sql.types == ["STRING", "INTEGER", "STRING", "STRING", "BIGINT", "INTEGER"]
