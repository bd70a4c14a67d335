"""ARRAY, MAP and lambda functions, and the table functions, as ksqlDB 0.29 defines them."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import default_registry
from ksqlserver.functions.paramtypes import LambdaArg

S, INT, L, D, B = T.STRING, T.INTEGER, T.BIGINT, T.DOUBLE, T.BOOLEAN
AI, AS, AD = T.array(INT), T.array(S), T.array(D)


def call(name: str, types: list[Any], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_array_set_operations_keep_first_occurrence_order() -> None:
    assert call("ARRAY_DISTINCT", [AI], [3, 1, 3, None, 1, None]) == [3, 1, None]
    assert call("ARRAY_DISTINCT", [T.array(AI)], [[1], [1], [2]]) == [[1], [2]]  # unhashable items
    assert call("ARRAY_EXCEPT", [AI, AI], [1, 2, 2, 3, None], [2]) == [1, 3, None]
    assert call("ARRAY_INTERSECT", [AI, AI], [3, 1, 2, 1], [1, 3]) == [3, 1]
    assert call("ARRAY_UNION", [AI, AI], [1, 2], [2, 3, 1]) == [1, 2, 3]
    assert call("ARRAY_UNION", [AI, AI], [1], None) is None


def test_array_concat_contains_remove_length() -> None:
    assert call("ARRAY_CONCAT", [AI, AI], None, [1]) == [1]
    assert call("ARRAY_CONCAT", [AI, AI], None, None) is None
    assert call("ARRAY_CONTAINS", [AI, INT], [1, None], None) is True
    assert call("ARRAY_CONTAINS", [AI, INT], None, 1) is False  # a primitive boolean: never null
    assert call("ARRAY_REMOVE", [AI, INT], [1, None, 2, 1], 1) == [None, 2]
    assert call("ARRAY_REMOVE", [AI, INT], [1, None], None) == [1]
    assert call("ARRAY_LENGTH", [AI], [1, 2]) == 2 and call("ARRAY_LENGTH", [AI], None) is None


def test_array_join() -> None:
    assert call("ARRAY_JOIN", [AI], [1, None, 3]) == "1,null,3"
    assert call("ARRAY_JOIN", [AD, S], [1.0, 1e10], "|") == "1.0|1.0E10"  # Java's Double.toString
    assert call("ARRAY_JOIN", [T.array(B), S], [True, False], None) == "truefalse"
    assert call("ARRAY_JOIN", [T.array(T.decimal(3, 2))], [Decimal("1.50")]) == "1.50"
    with pytest.raises(EvaluationError, match=r"hit element of type java\.sql\.Date which is currently not supported"):
        call("ARRAY_JOIN", [T.array(T.DATE)], [1])


def test_array_min_max_sort_in_java_order() -> None:
    assert call("ARRAY_MAX", [AD], [1.0, math.nan, None]) != call("ARRAY_MAX", [AD], [1.0, math.nan])  # NaN
    assert call("ARRAY_MIN", [AD], [0.0, -0.0]) == 0.0 and str(call("ARRAY_MIN", [AD], [0.0, -0.0])) == "-0.0"
    assert call("ARRAY_MAX", [AS], [None, None]) is None
    assert call("ARRAY_MAX", [T.array(T.BYTES)], [b"\x01", b"\xff"]) == b"\x01"  # signed bytes
    assert call("ARRAY_SORT", [AI], [3, None, 1]) == [1, 3, None]
    assert call("ARRAY_SORT", [AI, S], [3, None, 1], "descending") == [3, 1, None]
    assert call("ARRAY_SORT", [AI, S], [3, 1], "sideways") is None
    assert call("ARRAY_SORT", [T.array(B)], [True, False]) == [False, True]
    with pytest.raises(EvaluationError, match=r"cannot be cast to class java\.lang\.Comparable"):
        call("ARRAY_SORT", [T.array(AI)], [[2], [1]])


def test_slice_and_generate_series() -> None:
    assert call("SLICE", [AI, INT, INT], [1, 2, 3, 4], 2, 3) == [2, 3]
    assert call("SLICE", [AI, INT, INT], [1, 2, 3], None, 2) == [1, 2]
    assert call("SLICE", [AI, INT, INT], [1, 2, 3], 0, 2) is None  # out of bounds
    assert call("SLICE", [AI, INT, INT], [1, 2, 3], 3, 2) == []
    with pytest.raises(EvaluationError, match=r"^fromIndex\(2\) > toIndex\(1\)$"):  # not an IndexOutOfBounds
        call("SLICE", [AI, INT, INT], [1, 2, 3], 3, 1)
    assert call("GENERATE_SERIES", [INT, INT], 1, 4) == [1, 2, 3, 4]
    assert call("GENERATE_SERIES", [INT, INT], 3, 1) == [3, 2, 1]
    assert call("GENERATE_SERIES", [INT, INT, INT], 0, 9, 4) == [0, 4, 8]
    assert call("GENERATE_SERIES", [L, L, INT], 10, 0, -5) == [10, 5, 0]
    with pytest.raises(EvaluationError, match="GENERATE_SERIES step cannot be zero"):
        call("GENERATE_SERIES", [INT, INT, INT], 1, 2, 0)
    with pytest.raises(EvaluationError, match="GENERATE_SERIES step has wrong sign"):
        call("GENERATE_SERIES", [INT, INT, INT], 1, 5, -1)


def test_map_functions() -> None:
    m = T.map_of(S, INT)
    assert call("AS_MAP", [AS, AI], ["a", "b"], [1]) == {"a": 1, "b": None}
    assert call("MAP_KEYS", [m], {"a": 1, "b": 2}) == ["a", "b"]
    assert call("MAP_VALUES", [m], {"a": 1, "b": None}) == [1, None]
    assert call("MAP_UNION", [m, m], {"a": 1, "b": 2}, {"b": 3}) == {"a": 1, "b": 3}
    assert call("MAP_UNION", [m, m], None, {"b": 3}) == {"b": 3}
    assert call("MAP_UNION", [m, m], None, None) is None
    assert call("ENTRIES", [m, B], {"b": 2, "a": 1}, True) == [{"K": "a", "V": 1}, {"K": "b", "V": 2}]
    assert call("ENTRIES", [m, B], None, True) is None
    with pytest.raises(EvaluationError):
        call("ENTRIES", [m, B], {"a": 1}, None)  # a primitive boolean parameter


def test_lambda_functions_take_python_callables() -> None:
    arr = [AI, LambdaArg(1, (INT,), INT)]
    assert call("TRANSFORM", arr, [1, None], lambda x: None if x is None else x * 2) == [2, None]
    assert call("TRANSFORM", arr, None, lambda x: x) is None
    m = T.map_of(S, INT)
    two = LambdaArg(2, (S, INT), S)
    assert call("TRANSFORM", [m, two, LambdaArg(2, (S, INT), INT)], {"a": 1}, lambda k, v: k * 2, lambda k, v: v + 1) == {
        "aa": 2
    }
    with pytest.raises(EvaluationError, match="Duplicate key"):
        call("TRANSFORM", [m, two, LambdaArg(2, (S, INT), INT)], {"a": 1, "b": 2}, lambda k, v: "x", lambda k, v: v)
    assert call("FILTER", [AI, LambdaArg(1, (INT,), B)], [1, 2, 3], lambda x: x > 1) == [2, 3]
    with pytest.raises(EvaluationError):
        call("FILTER", [AI, LambdaArg(1, (INT,), B)], [1, None], lambda x: None if x is None else True)
    assert call("FILTER", [m, LambdaArg(2, (S, INT), B)], {"a": 1, "b": 2}, lambda k, v: v > 1) == {"b": 2}
    red = [AI, INT, LambdaArg(2, (INT, INT), INT)]
    assert call("REDUCE", red, [1, 2, 3], 10, lambda s, x: s + x) == 16
    assert call("REDUCE", red, None, 10, lambda s, x: s + x) == 10  # a null collection gives the state
    assert call("REDUCE", red, [1], None, lambda s, x: s) is None
    assert call("REDUCE", [m, INT, LambdaArg(3, (INT, S, INT), INT)], {"a": 1, "b": 2}, 0, lambda s, k, v: s + v) == 3


def test_table_functions() -> None:
    assert call("EXPLODE", [AI], [1, None, 2]) == [1, None, 2]
    assert call("EXPLODE", [AI], None) == []
    assert call("CUBE_EXPLODE", [AI], [1, 2]) == [[None, None], [None, 2], [1, None], [1, 2]]
    assert call("CUBE_EXPLODE", [AI], [1, None]) == [[None, None], [1, None]]
    assert call("CUBE_EXPLODE", [AI], None) == []
    explode: Any = default_registry().require("EXPLODE")
    assert explode.kind == "TABLE"
    assert explode.resolve_call([T.array(T.decimal(4, 2))]).returns == T.decimal(4, 2)
    assert isinstance(explode.resolve_call([AS]).returns, SqlType)
