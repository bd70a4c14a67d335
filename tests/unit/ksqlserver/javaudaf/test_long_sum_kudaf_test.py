"""ksqlDB 0.29's LongSumKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/sum/LongSumKudafTest.java), with
the tests of its BaseSumKudafTest: SumKudaf over BIGINT (a TableUdaf): aggregate, undo and merge, nulls
ignored; and what a table aggregation emits when a row changes (KudafUndoAggregator undoes the old value)."""

from __future__ import annotations

from ksqlserver.catalog import types as T

from .conftest import Agg, udaf


def sum_kudaf():  # type: ignore[no-untyped-def]
    return udaf("SUM", [T.BIGINT])


def test_should_compute_correct_sum() -> None:
    """shouldComputeCorrectSum"""
    agg = sum_kudaf()
    acc = 0
    for v in [3, 5, 8, 2, 3, 4, 5]:
        acc = agg.add(acc, v)
    assert acc == 30


def test_should_handle_nulls_in_sum() -> None:
    """shouldHandleNullsInSum"""
    agg = sum_kudaf()
    acc = 0
    for v in [3, None, 8, 2, 3, 4, 5]:
        acc = agg.add(acc, v)
    assert acc == 25


def test_should_compute_correct_subtraction() -> None:
    """shouldComputeCorrectSubtraction"""
    agg = sum_kudaf()
    assert agg.undo is not None
    acc = 30
    for v in [3, 5, 8, 2, 3, 4, 5]:
        acc = agg.undo(acc, v)
    assert acc == 0


def test_should_handle_nulls_in_undo() -> None:
    """shouldHandleNullsInUndo"""
    agg = sum_kudaf()
    assert agg.undo is not None
    acc = 30
    for v in [3, None, 8, 2, 3, 4, 5]:
        acc = agg.undo(acc, v)
    assert acc == 5


def test_should_compute_correct_sum_merge() -> None:
    """shouldComputeCorrectSumMerge"""
    agg = sum_kudaf()
    assert agg.merge is not None
    assert agg.merge(10, 12) == 22
    assert agg.merge(10, -12) == -2
    assert agg.merge(-10, 0) == -10


def test_table_aggregation_undoes_the_old_value(agg_engine: Agg) -> None:
    """A row of a table that changes or is deleted is taken out of its group's sum."""
    agg_engine.source("G STRING, V BIGINT", kind="TABLE")
    agg_engine.execute("CREATE TABLE OUT AS SELECT G, SUM(V) AS R FROM S GROUP BY G;")
    agg_engine.produce([("a", {"G": "g", "V": 3}), ("b", {"G": "g", "V": 5}),
                        ("a", {"G": "g", "V": 10}), ("b", None)])
    assert [v["R"] for _, v in agg_engine.outputs()] == [3, 8, 5, 15, 10]
