"""ksqlDB 0.29's KudafUndoAggregatorTest (ksqldb-execution/src/test/java/io/confluent/ksql/execution/
function/udaf/KudafUndoAggregatorTest.java): KudafUndoAggregator.apply takes a table row's old value out
of its group's aggregate (TableUdaf.undo) in a new row, the non-aggregate columns kept; multi-column
inputs are converted as for aggregate. Observed in table aggregations whose rows change or are deleted.
(No built-in TableUdaf has variadic inputs: shouldApplyUndoableVariadicAggregateFunctions has no
counterpart.)"""

from __future__ import annotations

from .conftest import Agg


def test_should_apply_undoable_aggregate_functions(agg_engine: Agg) -> None:
    """shouldApplyUndoableAggregateFunctions / shouldNotMutateParametersOnApply: the old row's value is
    undone, the group column stays."""
    agg_engine.source("G STRING, V INT", kind="TABLE")
    agg_engine.execute("CREATE TABLE OUT AS SELECT G, SUM(V) AS T, COUNT(V) AS N FROM S GROUP BY G;")
    agg_engine.produce([("a", {"G": "x", "V": 2}), ("b", {"G": "x", "V": 5}), ("a", {"G": "y", "V": 2})])
    assert agg_engine.outputs() == [
        ("x", {"T": 2, "N": 1}), ("x", {"T": 7, "N": 2}), ("x", {"T": 5, "N": 1}), ("y", {"T": 2, "N": 1}),
    ]


def test_should_apply_undoable_multi_param_aggregate_functions(agg_engine: Agg) -> None:
    """shouldApplyUndoableMultiParamAggregateFunctions: CORRELATION undoes the old (x, y) pair."""
    agg_engine.source("G STRING, X DOUBLE, Y DOUBLE", kind="TABLE")
    agg_engine.execute("CREATE TABLE OUT AS SELECT G, CORRELATION(X, Y) AS C FROM S GROUP BY G;")
    agg_engine.produce([("a", {"G": "g", "X": 1.0, "Y": 1.0}), ("b", {"G": "g", "X": 2.0, "Y": 2.0}),
                        ("c", {"G": "g", "X": 3.0, "Y": 3.0}), ("c", {"G": "g", "X": 3.0, "Y": 0.0})])
    final = float(agg_engine.outputs()[-1][1]["C"])
    assert final == -0.5  # (1,1), (2,2), (3,0): the (3,3) row undone


def test_deleted_row_is_undone(agg_engine: Agg) -> None:
    """A deleted table row (tombstone) is undone and nothing added."""
    agg_engine.source("G STRING, V INT", kind="TABLE")
    agg_engine.execute("CREATE TABLE OUT AS SELECT G, SUM(V) AS T FROM S GROUP BY G;")
    agg_engine.produce([("a", {"G": "x", "V": 2}), ("b", {"G": "x", "V": 5}), ("a", None)])
    assert [v for _, v in agg_engine.outputs()] == [{"T": 2}, {"T": 7}, {"T": 5}]
