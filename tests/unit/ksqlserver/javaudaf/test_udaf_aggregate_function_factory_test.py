"""ksqlDB 0.29's UdafAggregateFunctionFactoryTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/
UdafAggregateFunctionFactoryTest.java): UdafAggregateFunctionFactory.getFunction looks a UDAF up by the
types of all its arguments, column and literal alike (no init parameter types appended), hands the
literal values to the UDAF's factory (initArgs: the literals after the columns), and refuses argument
types no variant takes. With the built-in UDAFs whose factories take literals: TOPK/TOPKDISTINCT (INT k),
LATEST_BY_OFFSET/EARLIEST_BY_OFFSET (INT n, BOOLEAN ignoreNulls)."""

from __future__ import annotations

from .conftest import Agg


def given(agg_engine: Agg, projection: str) -> dict[str, str]:
    agg_engine.source("I INT, S STRING")
    agg_engine.execute(f"CREATE TABLE OUT AS SELECT K, {projection} FROM S GROUP BY K;")
    return agg_engine.types()


def test_should_not_append_init_param_types_when_looking_up_function(agg_engine: Agg) -> None:
    """shouldNotAppendInitParamTypesWhenLookingUpFunction: (STRING, INTEGER) finds TOPKDISTINCT(STRING, k)."""
    assert given(agg_engine, "TOPKDISTINCT(S, 2) AS R") == {"R": "ARRAY<STRING>"}


def test_should_handle_init_params_of_all_primitive_types(agg_engine: Agg) -> None:
    """shouldHandleInitParamsOfAllPrimitiveTypes: INT and BOOLEAN literals reach the factories, which
    use them (two latest values, nulls ignored or kept)."""
    types = given(agg_engine, "LATEST_BY_OFFSET(I, 2, true) AS A, LATEST_BY_OFFSET(I, 2, false) AS B, "
                              "LATEST_BY_OFFSET(I, false) AS C, TOPK(I, 1) AS D")
    assert types == {"A": "ARRAY<INTEGER>", "B": "ARRAY<INTEGER>", "C": "INTEGER", "D": "ARRAY<INTEGER>"}
    agg_engine.produce([("k", {"I": 1}), ("k", {"I": 3}), ("k", {"I": None})])
    last = agg_engine.outputs()[-1][1]
    assert last == {"A": [1, 3], "B": [3, None], "C": None, "D": [3]}


def test_should_throw_on_unsupported_init_param_type(agg_engine: Agg) -> None:
    """shouldThrowOnUnsupportedInitParamType: a DECIMAL literal where the factory takes INT."""
    agg_engine.source("I INT, S STRING")
    message = agg_engine.error("CREATE TABLE OUT AS SELECT K, TOPK(S, 1.0) AS R FROM S GROUP BY K;").message
    assert message.startswith("Function 'TOPK' does not accept parameters (STRING, DECIMAL(2, 1)).")


def test_literal_arguments_must_be_literals(agg_engine: Agg) -> None:
    """The init arguments are the literals after the columns (AggregateFunctionInitArguments); a column
    in their place is refused."""
    agg_engine.source("I INT, S STRING")
    message = agg_engine.error("CREATE TABLE OUT AS SELECT K, TOPK(I, I) AS R FROM S GROUP BY K;").message
    assert message == "Parameter 2 passed to function TOPK must be a literal constant, but was expression: 'I'"
