"""ksqlDB 0.29's UdafTypesTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/UdafTypesTest.java):
UdafTypes.getInputSchema lists a UDAF's column arguments (the members of a Pair/Triple input), then the
factory's init parameters (literalParams), and marks a VariadicArgs column argument variadic. Seen in
DESCRIBE FUNCTION of built-in UDAFs of each shape. The reflection checks on Java factory signatures
(at most one variadic argument, variadic columns only inside tuples, Object only as a variadic column)
have no counterpart: plugin UDAFs here declare their parameters as a list (extensions.api.udaf)."""

from __future__ import annotations

from typing import Any

from .conftest import Agg


def arguments(agg_engine: Agg, name: str, first_type: str) -> list[tuple[str, str, bool]]:
    [entity] = agg_engine.execute(f"DESCRIBE FUNCTION {name};")
    variant: dict[str, Any] = next(f for f in entity["functions"] if f["argumentTypes"][0] == first_type)
    return [(a["name"], a["type"], a["isVariadic"]) for a in variant["arguments"]]


def test_should_work_for_udafs_with_no_init_params(agg_engine: Agg) -> None:
    """shouldWorkForUdafsWithNoInitParams: one column argument, nothing variadic."""
    assert arguments(agg_engine, "SUM", "INT") == [("val1", "INT", False)]


def test_should_append_init_params_to_input_schema(agg_engine: Agg) -> None:
    """shouldAppendInitParamsToInputSchema: the init parameter (TOPKDISTINCT's k) after the column."""
    assert arguments(agg_engine, "TOPKDISTINCT", "INT") == [("val1", "INT", False), ("k", "INT", False)]


def test_should_list_every_member_of_a_pair_input(agg_engine: Agg) -> None:
    """shouldDefaultToEmptySchemasWhenNotEnoughProvided / shouldIgnoreExtraSchemasWhenTooManyProvided: a
    Pair input is two column arguments (CORRELATION)."""
    assert arguments(agg_engine, "CORRELATION", "DOUBLE") == [("val1", "DOUBLE", False), ("val2", "DOUBLE", False)]


def test_should_not_throw_when_col_arg_is_obj_variadic(agg_engine: Agg) -> None:
    """shouldNotThrowWhenColArgIsObjVariadic / shouldNotThrowWhenOnlyColArgIsVariadic: TOPK's
    Pair<T, VariadicArgs<Object>> input has a variadic ANY column argument; its init parameter k is not
    variadic."""
    assert arguments(agg_engine, "TOPK", "INT") == [
        ("val1", "INT", False), ("val2", "ANY", True), ("k", "INT", False),
    ]


def test_a_variadic_column_argument_takes_any_number_of_columns(agg_engine: Agg) -> None:
    """isVariadic: TOPK runs with zero or more other columns."""
    agg_engine.source("I INT, S STRING, D DOUBLE")
    agg_engine.execute("CREATE TABLE OUT AS SELECT K, TOPK(I, 2) AS A, TOPK(I, S, D, 2) AS B FROM S GROUP BY K;")
    types = agg_engine.types()
    assert types["A"] == "ARRAY<INTEGER>"
    assert types["B"] == "ARRAY<STRUCT<`sort_col` INTEGER, `col0` STRING, `col1` DOUBLE>>"
