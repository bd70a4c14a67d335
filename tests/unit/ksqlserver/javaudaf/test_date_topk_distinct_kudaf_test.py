"""ksqlDB 0.29's DateTopKDistinctKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/topkdistinct/DateTopKDistinctKudafTest.java):
TopkDistinctKudaf(3) over DATE values: aggregate keeps the three greatest distinct values in descending
order, merge combines two such lists; and a query's TOPKDISTINCT(V, 3)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.catalog import types as T

from .conftest import fold, udaf

VALUES = [10, 30, 45, 10, 50, 60, 20, 60, 80, 35, 25, 60, 80]


def topk() -> Any:
    return udaf("TOPKDISTINCT", [T.DATE], [3])


def test_should_aggregate_top_k() -> None:
    """shouldAggregateTopK"""
    agg = topk()
    assert agg.result(fold(agg, VALUES)) == [80, 60, 50]


def test_should_aggregate_top_k_with_less_than_k_values() -> None:
    """shouldAggregateTopKWithLessThanKValues"""
    agg = topk()
    assert agg.result(agg.add(agg.init(), 80)) == [80]


def test_should_merge_top_k() -> None:
    """shouldMergeTopK"""
    agg = topk()
    assert agg.merge is not None
    assert agg.merge([50, 45, 25], [60, 50, 48]) == [60, 50, 48]


def test_should_merge_top_k_with_nulls() -> None:
    """shouldMergeTopKWithNulls"""
    agg = topk()
    assert agg.merge is not None
    assert agg.merge([50, 45], [60]) == [60, 50, 45]


def test_should_merge_top_k_with_nulls_duplicates() -> None:
    """shouldMergeTopKWithNullsDuplicates"""
    agg = topk()
    assert agg.merge is not None
    assert agg.merge([50, 45], [60, 50]) == [60, 50, 45]


def test_should_merge_top_k_with_more_nulls() -> None:
    """shouldMergeTopKWithMoreNulls"""
    agg = topk()
    assert agg.merge is not None
    assert agg.merge([60], [60]) == [60]


def test_query_observes_the_top_k(stream_result: Callable[[str, str, list[Any]], Any]) -> None:
    """What a query emits for TOPKDISTINCT(V, 3) over the values, a null among them (ignored)."""
    assert stream_result("TOPKDISTINCT(V, 3)", "DATE", [*VALUES, None]) == [80, 60, 50]
