"""ksqlDB 0.29 FilterTest (io.confluent.ksql.function.udf.lambda), ported: Filter.filterArray /
filterMap (null collection or function: null; the predicate sees every element, nulls included)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry
from ksqlserver.functions.paramtypes import LambdaArg

INT, S, B = T.INTEGER, T.STRING, T.BOOLEAN


def filter_array(item: T.SqlType, xs: Any, fn: Callable[..., Any] | None) -> Any:
    types = [T.array(item), LambdaArg(1, (item,), B)]
    return default_registry().require("FILTER").resolve_call(types).impl(xs, fn)


def filter_map(kt: T.SqlType, vt: T.SqlType, m: Any, fn: Callable[..., Any] | None) -> Any:
    types = [T.map_of(kt, vt), LambdaArg(2, (kt, vt), B)]
    return default_registry().require("FILTER").resolve_call(types).impl(m, fn)


def function1(x: int) -> bool:
    return x % 2 != 0


def function2(x: str) -> bool:
    return "wow" in x


def bi_function1(x: int, y: int) -> bool:
    return x % 2 == 0 and y % 2 == 0


def bi_function2(x: str, y: str) -> bool:
    return "e" in x and "a" in y


def test_should_return_null_for_null_input() -> None:
    assert filter_array(INT, None, function1) is None
    assert filter_map(INT, INT, None, bi_function1) is None


def test_should_return_null_for_null_function() -> None:
    assert filter_array(INT, [1, 2, 3, 4], None) is None
    assert filter_map(INT, INT, {5: 4, 6: 18, 77: 45}, None) is None


def test_should_return_filtered_array() -> None:
    assert filter_array(INT, [], function1) == []
    assert filter_array(INT, [1, 2, 3, 4], function1) == [1, 3]
    assert filter_array(INT, [15, 4, 7, -9], function1) == [15, 7, -9]  # Java's % keeps the sign: -9 % 2 == -1
    assert filter_array(S, ["bowow", "hello", "goodbye", "wowowo"], function2) == ["bowow", "wowowo"]
    assert filter_array(S, ["woow", "", "wwow"], function2) == ["wwow"]


def test_should_return_filtered_map() -> None:
    assert filter_map(INT, INT, {}, bi_function1) == {}
    assert filter_map(INT, INT, {5: 4, 6: 18, 77: 45}, bi_function1) == {6: 18}
    assert filter_map(S, S, {"yes": "no", "okey": "yeah", "ab": "cd"}, bi_function2) == {"okey": "yeah"}


def test_should_throw_error_on_null_input() -> None:
    """shouldThrowErrorOnNullArrayInput, shouldThrowErrorOnNullMapInput: a null element reaches the
    function (Java's lambdas unbox it: NullPointerException) rather than being skipped."""
    with pytest.raises(TypeError):
        filter_array(INT, [None], function1)
    with pytest.raises(TypeError):
        filter_array(S, [None], function2)
    with pytest.raises(TypeError):
        filter_map(INT, INT, {None: 4}, bi_function1)
    with pytest.raises(TypeError):
        filter_map(S, S, {"nope": None}, bi_function2)


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "FILTER(ARRAY[15, 4, 7, -9], x => x % 2 != 0)", "FILTER(A, x => INSTR(x, 'wow') > 0)", "FILTER(N, x => x > 0)",
        # JSON maps have STRING keys: the INT-keyed map is built in SQL and re-keyed for the sink
        "TRANSFORM(FILTER(MAP(5 := 4, 6 := 18, 77 := 45), (k, v) => k % 2 = 0 AND v % 2 = 0), "
        "(k, v) => CAST(k AS STRING), (k, v) => v)",
        "FILTER(MAP('yes' := 'no', 'okey' := 'yeah', 'ab' := 'cd'), (k, v) => INSTR(k, 'e') > 0 AND INSTR(v, 'a') > 0)",
        columns="A ARRAY<STRING>, N ARRAY<BIGINT>", row={"A": ["woow", "", "wwow"], "N": None},
    )
    assert out == [[15, 7, -9], ["wwow"], None, {"6": 18}, {"okey": "yeah"}]
    assert sql.types == [
        "ARRAY<INTEGER>", "ARRAY<STRING>", "ARRAY<BIGINT>", "MAP<STRING, INTEGER>", "MAP<STRING, STRING>",
    ]


def test_a_null_predicate_result_fails_the_row(sql: Any) -> None:
    """`filter(function::apply)` unboxes the lambda's Boolean: null is a NullPointerException, so the
    column is null and the error logged (ErrorMessageUtil renders a message-less exception by toString)."""
    out = sql.select("FILTER(ARRAY[1], x => B)", "FILTER(ARRAY[1], x => COALESCE(B, TRUE))", columns="B BOOLEAN",
                     row={"B": None})
    assert out == [None, [1]]
    assert sql.log == [
        "Error computing expression FILTER(ARRAY[1], (X) => B) for column C0 with index 0\n"
        "java.lang.NullPointerException"
    ]
