"""ksqlDB 0.29's UdafUtilTest (ksqldb-execution/src/test/java/io/confluent/ksql/execution/function/
UdafUtilTest.java): UdafUtil.resolveAggregateFunction finds a UDAF by name and by the SQL types of its
arguments; createAggregateFunctionInitArgs takes the arguments after the columns as the factory's init
arguments, each of which must be a literal ("Parameter <n> passed to function <F> must be a literal
constant, but was expression: '<e>'"), while column arguments (the first, or several for multi-column
UDAFs) need not be. Seen as the statements' types and errors."""

from __future__ import annotations

from .conftest import Agg

COLUMNS = "FOO INT, BAR BIGINT, S STRING, X DOUBLE, Y DOUBLE, B BOOLEAN"


def create(agg_engine: Agg, projection: str) -> dict[str, str]:
    agg_engine.source(COLUMNS)
    agg_engine.execute(f"CREATE TABLE OUT AS SELECT K, {projection} FROM S GROUP BY K;")
    return agg_engine.types()


def message(agg_engine: Agg, projection: str) -> str:
    agg_engine.source(COLUMNS)
    return agg_engine.error(f"CREATE TABLE OUT AS SELECT K, {projection} FROM S GROUP BY K;").message


def test_should_resolve_udaf_with_correct_name_and_type(agg_engine: Agg) -> None:
    """shouldResolveUDAF / shouldGetAggregateWithCorrectName / shouldGetAggregateWithCorrectType: SUM of
    the BIGINT column is SUM's BIGINT variant."""
    assert create(agg_engine, "SUM(BAR) AS R") == {"R": "BIGINT"}


def test_should_not_throw_if_first_param_not_a_literal(agg_engine: Agg) -> None:
    """shouldNotThrowIfFirstParamNotALiteral: the column, then a literal init argument."""
    assert create(agg_engine, "TOPKDISTINCT(S, 2) AS R") == {"R": "ARRAY<STRING>"}


def test_should_not_throw_if_second_param_is_col_arg_and_is_not_a_literal(agg_engine: Agg) -> None:
    """shouldNotThrowIfSecondParamIsColArgAndIsNotALiteral: two column arguments (and TOPK's variadic
    columns before its literal k)."""
    assert create(agg_engine, "CORRELATION(X, Y) AS C, TOPK(FOO, S, 2) AS T") == {
        "C": "DOUBLE", "T": "ARRAY<STRUCT<`sort_col` INTEGER, `col0` STRING>>",
    }


def test_should_throw_if_second_param_is_init_arg_and_not_a_literal(agg_engine: Agg) -> None:
    """shouldThrowIfSecondParamIsInitArgAndNotALiteral"""
    assert message(agg_engine, "TOPKDISTINCT(BAR, FOO) AS R") == (
        "Parameter 2 passed to function TOPKDISTINCT must be a literal constant, but was expression: 'FOO'"
    )


def test_should_throw_if_subsequent_params_are_not_literal(agg_engine: Agg) -> None:
    """shouldThrowIfSubsequentParamsAreNotLiteral"""
    assert message(agg_engine, "LATEST_BY_OFFSET(FOO, 2, B) AS R") == (
        "Parameter 3 passed to function LATEST_BY_OFFSET must be a literal constant, but was expression: 'B'"
    )


def test_literal_column_arguments_are_evaluated_per_row(agg_engine: Agg) -> None:
    """shouldThrowIfSecondParamIsColArgAndNotACol has no statement that reaches it: ksqlDB's aggregate
    analysis turns a non-column argument in a column position into an internal column first, so COUNT(1)
    and TOPK(FOO, 'x', 2) aggregate that value."""
    assert create(agg_engine, "COUNT(1) AS C, TOPK(FOO, 'x', 2) AS T") == {
        "C": "BIGINT", "T": "ARRAY<STRUCT<`sort_col` INTEGER, `col0` STRING>>",
    }
    agg_engine.produce([("k", {"FOO": 1}), ("k", {"FOO": 2})])
    assert agg_engine.outputs()[-1][1] == {"C": 2, "T": [{"sort_col": 2, "col0": "x"}, {"sort_col": 1, "col0": "x"}]}


def test_should_create_dummy_args(agg_engine: Agg) -> None:
    """shouldCreateDummyArgs: the init arguments are the trailing literals, given to the factory as
    values (LATEST_BY_OFFSET's n and ignoreNulls)."""
    assert create(agg_engine, "LATEST_BY_OFFSET(S, 1, false) AS R") == {"R": "ARRAY<STRING>"}
    agg_engine.produce([("k", {"S": "a"}), ("k", {"S": None})])
    assert agg_engine.outputs()[-1][1] == {"R": [None]}
