"""ksqlDB 0.29's DecimalSumKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/sum/DecimalSumKudafTest.java), with
the tests of its BaseSumKudafTest: SumKudaf over DECIMAL(19, 0) (a TableUdaf): aggregate, undo and merge, nulls
ignored; and what a table aggregation emits when a row changes (KudafUndoAggregator undoes the old value)."""

from __future__ import annotations

from decimal import Decimal

from ksqlserver.catalog import types as T

from .conftest import Agg, udaf


def sum_kudaf():  # type: ignore[no-untyped-def]
    return udaf("SUM", [T.decimal(19, 0)])


def test_should_compute_correct_sum() -> None:
    """shouldComputeCorrectSum"""
    agg = sum_kudaf()
    acc = Decimal(0)
    for v in [Decimal(3), Decimal(5), Decimal(8), Decimal(2), Decimal(3), Decimal(4), Decimal(5)]:
        acc = agg.add(acc, v)
    assert acc == Decimal(30)


def test_should_handle_nulls_in_sum() -> None:
    """shouldHandleNullsInSum"""
    agg = sum_kudaf()
    acc = Decimal(0)
    for v in [Decimal(3), None, Decimal(8), Decimal(2), Decimal(3), Decimal(4), Decimal(5)]:
        acc = agg.add(acc, v)
    assert acc == Decimal(25)


def test_should_compute_correct_subtraction() -> None:
    """shouldComputeCorrectSubtraction"""
    agg = sum_kudaf()
    assert agg.undo is not None
    acc = Decimal(30)
    for v in [Decimal(3), Decimal(5), Decimal(8), Decimal(2), Decimal(3), Decimal(4), Decimal(5)]:
        acc = agg.undo(acc, v)
    assert acc == Decimal(0)


def test_should_handle_nulls_in_undo() -> None:
    """shouldHandleNullsInUndo"""
    agg = sum_kudaf()
    assert agg.undo is not None
    acc = Decimal(30)
    for v in [Decimal(3), None, Decimal(8), Decimal(2), Decimal(3), Decimal(4), Decimal(5)]:
        acc = agg.undo(acc, v)
    assert acc == Decimal(5)


def test_should_compute_correct_sum_merge() -> None:
    """shouldComputeCorrectSumMerge"""
    agg = sum_kudaf()
    assert agg.merge is not None
    assert agg.merge(Decimal(10), Decimal(12)) == Decimal(22)
    assert agg.merge(Decimal(10), Decimal(-12)) == Decimal(-2)
    assert agg.merge(Decimal(-10), Decimal(0)) == Decimal(-10)


def test_table_aggregation_undoes_the_old_value(agg_engine: Agg) -> None:
    """A row of a table that changes or is deleted is taken out of its group's sum."""
    agg_engine.source("G STRING, V DECIMAL(19, 0)", kind="TABLE")
    agg_engine.execute("CREATE TABLE OUT AS SELECT G, SUM(V) AS R FROM S GROUP BY G;")
    agg_engine.produce([("a", {"G": "g", "V": Decimal(3)}), ("b", {"G": "g", "V": Decimal(5)}),
                        ("a", {"G": "g", "V": Decimal(10)}), ("b", None)])
    assert [v["R"] for _, v in agg_engine.outputs()] == [Decimal(3), Decimal(8), Decimal(5), Decimal(15), Decimal(10)]
