"""ksqlDB 0.29's ListSumUdafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/sum/
ListSumUdafTest.java): SUM_LIST over ARRAY<BIGINT|INT|DOUBLE> adds a list's elements to the aggregate
(nulls ignored), merges two sums and undoes a list; and a query's SUM_LIST."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.catalog import types as T

from .conftest import udaf


def test_should_sum_long_list() -> None:
    """shouldSumLongList"""
    assert udaf("SUM_LIST", [T.array(T.BIGINT)]).add(0, [1, 1, 1, 1, 1]) == 5


def test_should_sum_int_list() -> None:
    """shouldSumIntList"""
    assert udaf("SUM_LIST", [T.array(T.INTEGER)]).add(0, [1, 1, 1, 1, 1]) == 5


def test_should_sum_double_list() -> None:
    """shouldSumDoubleList"""
    assert udaf("SUM_LIST", [T.array(T.DOUBLE)]).add(0.0, [1.0, 1.0, 1.0, 1.0, 1.0]) == 5.0


def test_should_sum_zeroes() -> None:
    """shouldASumZeroes"""
    assert udaf("SUM_LIST", [T.array(T.INTEGER)]).add(0, [0, 0, 0, 0, 0]) == 0


def test_should_sum_empty() -> None:
    """shouldSumEmpty"""
    assert udaf("SUM_LIST", [T.array(T.INTEGER)]).add(0, []) == 0


def test_should_ignore_null() -> None:
    """shouldIgnoreNull"""
    assert udaf("SUM_LIST", [T.array(T.INTEGER)]).add(0, [1, 1, None, 1]) == 3


def test_should_merge_sums() -> None:
    """shouldMergeSums"""
    agg = udaf("SUM_LIST", [T.array(T.INTEGER)])
    assert agg.merge is not None
    assert agg.merge(agg.add(0, [1, 1, 1, 1]), agg.add(0, [2, 2, 2])) == 10


def test_should_undo_sum() -> None:
    """shouldUndoSum"""
    agg = udaf("SUM_LIST", [T.array(T.INTEGER)])
    assert agg.undo is not None
    assert agg.undo(agg.add(0, [1, 1, 1, 1]), [1, 1, 1]) == 1


def test_query_observes_the_sum(stream_result: Callable[[str, str, list[Any]], Any]) -> None:
    """What a query emits for SUM_LIST(V): every element of every list, null lists and elements ignored."""
    assert stream_result("SUM_LIST(V)", "ARRAY<INT>", [[1, 2], None, [3, None], []]) == 6
