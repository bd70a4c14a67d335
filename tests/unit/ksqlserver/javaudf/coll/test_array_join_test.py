"""ksqlDB 0.29 ArrayJoinTest (io.confluent.ksql.function.udf.array), ported: ArrayJoin.join (a StringJoiner
of each element's toString, "null" for a null element; other element classes throw KsqlFunctionException)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import default_registry

D = "|"


def join(item: T.SqlType, xs: Any, *delimiter: Any) -> Any:
    types = [T.array(item), *([T.STRING] if delimiter else [])]
    return default_registry().require("ARRAY_JOIN").resolve_call(types).impl(xs, *delimiter)


def test_should_return_null_for_null_input() -> None:
    assert join(T.STRING, None) is None
    assert join(T.STRING, None, D) is None


def test_should_return_empty_string_for_empty_arrays() -> None:
    assert join(T.STRING, []) == ""
    assert join(T.STRING, [], D) == ""


def test_should_return_correct_string_for_flat_arrays_with_primitive_types() -> None:
    assert join(T.BOOLEAN, [True, None, False], "") == "truenullfalse"
    assert join(T.BOOLEAN, [True, None, False]) == "true,null,false"
    assert join(T.BOOLEAN, [True, None, False], D) == "true|null|false"
    assert join(T.INTEGER, [1, 23, -42, 0], None) == "123-420"
    assert join(T.INTEGER, [1, 23, -42, 0]) == "1,23,-42,0"
    assert join(T.INTEGER, [1, 23, -42, 0], D) == "1|23|-42|0"
    assert join(T.BIGINT, [-4294967297, 8589934592], "") == "-42949672978589934592"
    assert join(T.BIGINT, [-4294967297, 8589934592]) == "-4294967297,8589934592"
    assert join(T.BIGINT, [-4294967297, 8589934592], D) == "-4294967297|8589934592"
    assert join(T.DOUBLE, [1.23, -23.42, 0.0], None) == "1.23-23.420.0"
    assert join(T.DOUBLE, [1.23, -23.42, 0.0]) == "1.23,-23.42,0.0"
    assert join(T.DOUBLE, [1.23, -23.42, 0.0], D) == "1.23|-23.42|0.0"
    dec = T.decimal(5, 2)
    assert join(dec, [Decimal("123.45"), Decimal("987.65")], None) == "123.45987.65"
    assert join(dec, [Decimal("123.45"), Decimal("987.65")]) == "123.45,987.65"
    assert join(dec, [Decimal("123.45"), Decimal("987.65")], D) == "123.45|987.65"
    assert join(T.STRING, ["Hello", "From", "", "Ksqldb", "Udf"], "") == "HelloFromKsqldbUdf"
    assert join(T.STRING, ["Hello", "From", "", "Ksqldb", "Udf"]) == "Hello,From,,Ksqldb,Udf"
    assert join(T.STRING, ["hello", "from", "", "ksqldb", "udf", None], D) == "hello|from||ksqldb|udf|null"


def test_doubles_join_as_double_to_string() -> None:
    """Double.toString: NaN, Infinity, -0.0 and the scientific form outside [1e-3, 1e7)."""
    xs = [float("nan"), float("-inf"), -0.0, 1e7, 1e-4, 0.001]
    assert join(T.DOUBLE, xs) == "NaN,-Infinity,-0.0,1.0E7,1.0E-4,0.001"


def test_should_throw_exception_for_examples_of_unsupported_element_types() -> None:
    """The Java test's Character/BigInteger/Float/HashSet elements cannot come from SQL; the element
    classes SQL can produce that ArrayJoin refuses are a list, a map, a struct, bytes and the temporal ones."""
    with pytest.raises(EvaluationError, match=r"^error: hit element of type java\.util\.ArrayList which is currently not supported$"):
        join(T.array(T.INTEGER), [[1]])
    with pytest.raises(EvaluationError, match=r"hit element of type java\.util\.HashMap which"):
        join(T.map_of(T.STRING, T.INTEGER), [{"a": 1}])
    assert join(T.array(T.INTEGER), [None]) == "null"  # only a non-null element is checked


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "ARRAY_JOIN(ARRAY[TRUE, NULL, FALSE])", "ARRAY_JOIN(ARRAY[1, 23, -42, 0], CAST(NULL AS STRING))",
        "ARRAY_JOIN(ARRAY[123.45, 987.65], '|')", "ARRAY_JOIN(ARRAY[1.23E0, -23.42E0, 0.0E0])",
        "ARRAY_JOIN(ARRAY[ARRAY[1]])", "ARRAY_JOIN(A, '-')",
        columns="A ARRAY<BIGINT>", row={"A": [-4294967297, 8589934592]},
    )
    assert out == ["true,null,false", "123-420", "123.45|987.65", "1.23,-23.42,0.0", None, "-4294967297-8589934592"]
    assert sql.types == ["STRING"] * 6
    assert sql.log == [
        "Error computing expression ARRAY_JOIN(ARRAY[ARRAY[1]]) for column C4 with index 4\n"
        "error: hit element of type java.util.ArrayList which is currently not supported"
    ]
