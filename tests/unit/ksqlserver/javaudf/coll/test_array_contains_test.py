"""ksqlDB 0.29 ArrayContainsTest (io.confluent.ksql.function.udf.list), ported: ArrayContains.contains
(`array != null && array.contains(val)`: List.contains, Objects.equals; a primitive boolean, never null)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry


def contains(item: T.SqlType, xs: Any, v: Any) -> Any:
    return default_registry().require("ARRAY_CONTAINS").resolve_call([T.array(item), item]).impl(xs, v)


def test_should_return_false_on_empty_list() -> None:
    assert contains(T.BOOLEAN, [], True) is False
    assert contains(T.BOOLEAN, [], False) is False
    assert contains(T.STRING, [], None) is False
    assert contains(T.DOUBLE, [], 1.0) is False
    assert contains(T.INTEGER, [], 100) is False
    assert contains(T.STRING, [], "abc") is False
    assert contains(T.STRING, [], "") is False


def test_should_not_find_values_in_null_list_elements() -> None:
    assert contains(T.STRING, [None], None) is True
    assert contains(T.STRING, [None], "null") is False
    assert contains(T.BOOLEAN, [None], True) is False
    assert contains(T.BOOLEAN, [None], False) is False
    assert contains(T.DOUBLE, [None], 1.0) is False
    assert contains(T.INTEGER, [None], 100) is False
    assert contains(T.STRING, [None], "abc") is False
    assert contains(T.STRING, [None], "") is False
    assert contains(T.STRING, None, "null") is False


def test_should_find_values() -> None:
    """shouldFind{String,Integers,Long,Doubles}InList (the mixed-type cases are a direct call only: SQL binds
    T to one type)."""
    assert contains(T.STRING, ["abc", "bd", "DC"], "DC") is True
    assert contains(T.STRING, ["abc", "bd", "DC"], "dc") is False
    assert contains(T.STRING, ["abc", "bd", "1"], 1) is False
    assert contains(T.INTEGER, [1, 2, 3], 2) is True
    assert contains(T.INTEGER, [1, 2, 3], 0) is False
    assert contains(T.INTEGER, [1, 2, 3], "1") is False
    assert contains(T.INTEGER, [1, 2, 3], "aa") is False
    assert contains(T.BIGINT, [1, 2, 3], 2) is True
    assert contains(T.BIGINT, [1, 2, 3], 0) is False
    assert contains(T.BIGINT, [1, 2, 3], "1") is False
    assert contains(T.DOUBLE, [1.0, 2.0, 3.0], 2.0) is True
    assert contains(T.DOUBLE, [1.0, 2.0, 3.0], 4.0) is False
    assert contains(T.DOUBLE, [1.0, 2.0, 3.0], "1") is False
    assert contains(T.DOUBLE, [1.0, 2.0, 3.0], "aaa") is False


def test_doubles_compare_with_double_equals() -> None:
    assert contains(T.DOUBLE, [float("nan")], float("nan")) is True
    assert contains(T.DOUBLE, [0.0], -0.0) is False
    assert contains(T.DOUBLE, [-0.0], -0.0) is True


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "ARRAY_CONTAINS(ARRAY['abc', 'bd', 'DC'], 'DC')", "ARRAY_CONTAINS(A, CAST(2 AS BIGINT))", "ARRAY_CONTAINS(B, 2)",
        "ARRAY_CONTAINS(ARRAY[CAST(NULL AS STRING)], CAST(NULL AS STRING))", "ARRAY_CONTAINS(ARRAY[0.0E0], -0.0E0)",
        "ARRAY_CONTAINS(ARRAY[X / X], X / X)",
        columns="A ARRAY<BIGINT>, B ARRAY<INT>, X DOUBLE", row={"A": [1, 2, 3], "B": None, "X": 0.0},
    )
    assert out == [True, True, False, True, False, True]
    assert sql.types == ["BOOLEAN"] * 6
