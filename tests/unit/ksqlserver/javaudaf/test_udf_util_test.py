"""ksqlDB 0.29's UdfUtilTest (ksqldb-execution/src/test/java/io/confluent/ksql/execution/function/
UdfUtilTest.java): UdfUtil.getSchemaFromType maps a UDF method's Java parameter and return types to
ksqlDB's ParamTypes (primitives, DECIMAL, TIMESTAMP, INTERVALUNIT, MAP, ARRAY, STRUCT, generics, and
Function/BiFunction/TriFunction as LAMBDA types), for variadic parameters the element type; and
ensureCorrectArgs checks arguments. The Java classes have no counterpart; what they produce is seen in
DESCRIBE FUNCTION of built-ins with parameters of each kind (ParamType.toString as ksqlDB prints it),
and in the plugin API's declared types (extensions.api), which refuse a type that maps to nothing."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.extensions import DeclarationError, udf

from .conftest import Agg


def variants(agg_engine: Agg, name: str) -> list[tuple[list[tuple[str, bool]], str]]:
    [entity] = agg_engine.execute(f"DESCRIBE FUNCTION {name};")
    funcs: list[dict[str, Any]] = entity["functions"]
    return [([(a["type"], a["isVariadic"]) for a in f["arguments"]], f["returnType"]) for f in funcs]


def test_interval_unit_and_timestamp_param_types(agg_engine: Agg) -> None:
    """shouldGetIntervalUnitTypeForTimeUnitClass / shouldGetTimestampSchemaForTimestampClass /
    shouldGetIntSchemaForIntPrimitiveClass"""
    assert variants(agg_engine, "TIMESTAMPADD") == [
        ([("INTERVAL UNIT", False), ("INT", False), ("TIMESTAMP", False)], "TIMESTAMP"),
    ]


def test_generic_array_and_map_param_types(agg_engine: Agg) -> None:
    """shouldGetArraySchemaFromListClass / shouldGetMapSchemaFromMapClass / shouldGetGenericSchemaFromType /
    shouldGetGenericSchemaFromPartialParameterizedType: MAP<VARCHAR, T> keeps the concrete key type."""
    assert variants(agg_engine, "AS_MAP") == [
        ([("ARRAY<VARCHAR>", False), ("ARRAY<T>", False)], "MAP<VARCHAR, T>"),
    ]
    assert variants(agg_engine, "ARRAY_LENGTH") == [([("ARRAY<T>", False)], "INT")]


def test_function_and_bi_function_param_types(agg_engine: Agg) -> None:
    """shouldGetFunction / shouldGetGenericFunction / shouldGetBiFunction / shouldGetGenericBiFunction:
    Function<T, R> is LAMBDA (T) => R, BiFunction<K, V, R> LAMBDA (K, V) => R."""
    assert variants(agg_engine, "TRANSFORM") == [
        ([("MAP<K, V>", False), ("LAMBDA (K, V) => R", False), ("LAMBDA (K, V) => T", False)], "MAP<R, T>"),
        ([("ARRAY<T>", False), ("LAMBDA (T) => R", False)], "ARRAY<R>"),
    ]
    assert variants(agg_engine, "FILTER")[0] == ([("ARRAY<T>", False), ("LAMBDA (T) => BOOLEAN", False)], "ARRAY<T>")


def test_tri_function_param_types(agg_engine: Agg) -> None:
    """shouldGetTriFunction / shouldGetGenericTriFunction: TriFunction<S, K, V, S> is LAMBDA (S, K, V) => S."""
    assert ([("MAP<K, V>", False), ("S", False), ("LAMBDA (S, K, V) => S", False)], "S") in variants(
        agg_engine, "REDUCE"
    )


def test_variadic_param_types(agg_engine: Agg) -> None:
    """should*Variadic: a variadic parameter's type is its element's (String... is VARCHAR)."""
    assert variants(agg_engine, "CONCAT") == [([("VARCHAR", True)], "VARCHAR"), ([("BYTES", True)], "BYTES")]


def test_should_throw_exception_if_type_doesnt_map_to_schema() -> None:
    """shouldThrowExceptionIfClassDoesntMapToSchema: a declared type that is no SQL type."""
    with pytest.raises(DeclarationError, match="unknown type 'SYSTEM'"):
        udf("NOT_MAPPED", params=["SYSTEM"], returns="INTEGER")


def test_should_pass_with_null_args_and_fail_on_wrong_ones(agg_engine: Agg) -> None:
    """shouldPassIfArgsAreCorrect / shouldPassWithNullArgs / shouldFailIfTypeIsIncorrect /
    shouldFailIfArgCountIsTooMany: a call is checked against the declared parameters before it runs."""
    agg_engine.source("S STRING, L BIGINT")
    agg_engine.execute("CREATE STREAM OUT AS SELECT K, SUBSTRING(S, CAST(L AS INT)) AS R FROM S;")
    agg_engine.produce([("k", {"S": "abc", "L": None})])
    assert agg_engine.outputs() == [("k", {"R": None})]
    message = agg_engine.error("CREATE STREAM O2 AS SELECT K, SUBSTRING(S, TRUE) AS R FROM S;").message
    assert message.startswith("Function 'substring' does not accept parameters (STRING, BOOLEAN).")
    message = agg_engine.error("CREATE STREAM O3 AS SELECT K, UCASE(S, S) AS R FROM S;").message
    assert message.lower().startswith("function 'ucase' does not accept parameters (string, string).")
