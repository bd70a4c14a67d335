"""ksqlDB 0.29's KudtfFlatMapperTest (ksqldb-execution/src/test/java/io/confluent/ksql/execution/function/
udtf/KudtfFlatMapperTest.java): KudtfFlatMapper.transform gives one row per element of a table
function's list, the input columns repeated; two table functions are zipped, the shorter list padded with
nulls; each applier gets the input row. Seen through EXPLODE in a query."""

from __future__ import annotations

from .conftest import Agg


def run(agg_engine: Agg, projection: str, value: dict[str, object]) -> list[dict[str, object]]:
    agg_engine.source("A INT, B INT, C INT, X ARRAY<INT>, Y ARRAY<INT>")
    agg_engine.execute(f"CREATE STREAM OUT AS SELECT K, {projection} FROM S;")
    agg_engine.produce([("k", value)])
    return [v for _, v in agg_engine.outputs()]


def test_should_flat_map_one_function(agg_engine: Agg) -> None:
    """shouldFlatMapOneFunction"""
    rows = run(agg_engine, "A, B, C, EXPLODE(X) AS E", {"A": 1, "B": 2, "C": 3, "X": [10, 10, 10]})
    assert rows == [{"A": 1, "B": 2, "C": 3, "E": 10}] * 3


def test_should_zip_two_functions(agg_engine: Agg) -> None:
    """shouldZipTwoFunctions"""
    rows = run(agg_engine, "A, B, C, EXPLODE(X) AS E, EXPLODE(Y) AS F",
               {"A": 1, "B": 2, "C": 3, "X": [10, 10, 10], "Y": [20, 20]})
    assert rows == [
        {"A": 1, "B": 2, "C": 3, "E": 10, "F": 20},
        {"A": 1, "B": 2, "C": 3, "E": 10, "F": 20},
        {"A": 1, "B": 2, "C": 3, "E": 10, "F": None},
    ]


def test_should_pass_correct_params_to_table_function_appliers(agg_engine: Agg) -> None:
    """shouldPassCorrectParamsToTableFunctionAppliers: each applier evaluates its parameters on the row."""
    rows = run(agg_engine, "EXPLODE(ARRAY[A, B, C]) AS E", {"A": 1, "B": 2, "C": 3})
    assert rows == [{"E": 1}, {"E": 2}, {"E": 3}]


def test_a_null_value_gives_no_rows(agg_engine: Agg) -> None:
    """transform: a null value (and an empty or null list) gives no rows."""
    agg_engine.source("X ARRAY<INT>")
    agg_engine.execute("CREATE STREAM OUT AS SELECT K, EXPLODE(X) AS E FROM S;")
    agg_engine.produce([("a", None), ("b", {"X": []}), ("c", {"X": None}), ("d", {"X": [5]})])
    assert agg_engine.outputs() == [("d", {"E": 5})]
