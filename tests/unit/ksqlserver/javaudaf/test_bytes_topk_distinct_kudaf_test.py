"""ksqlDB 0.29's BytesTopKDistinctKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/topkdistinct/BytesTopKDistinctKudafTest.java):
TopkDistinctKudaf(3) over BYTES values: aggregate keeps the three greatest distinct values in descending
order, merge combines two such lists; and a query's TOPKDISTINCT(V, 3)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T

from .conftest import fold, udaf

VALUES = [b"A", b"D", b"F", b"A", b"G", b"H", b"B", b"H", b"I", b"E", b"C", b"H", b"I"]


def topk() -> Any:
    return udaf("TOPKDISTINCT", [T.BYTES], [3])


def test_should_aggregate_top_k() -> None:
    """shouldAggregateTopK"""
    agg = topk()
    assert agg.result(fold(agg, VALUES)) == [b"I", b"H", b"G"]


def test_should_aggregate_top_k_with_less_than_k_values() -> None:
    """shouldAggregateTopKWithLessThanKValues"""
    agg = topk()
    assert agg.result(agg.add(agg.init(), b"I")) == [b"I"]


def test_should_merge_top_k() -> None:
    """shouldMergeTopK"""
    agg = topk()
    assert agg.merge is not None
    assert agg.merge([b"D", b"B", b"A"], [b"E", b"D", b"C"]) == [b"E", b"D", b"C"]


def test_should_merge_top_k_with_nulls() -> None:
    """shouldMergeTopKWithNulls"""
    agg = topk()
    assert agg.merge is not None
    assert agg.merge([b"B", b"A"], [b"C"]) == [b"C", b"B", b"A"]


def test_should_merge_top_k_with_nulls_duplicates() -> None:
    """shouldMergeTopKWithNullsDuplicates"""
    agg = topk()
    assert agg.merge is not None
    assert agg.merge([b"B", b"A"], [b"C", b"B"]) == [b"C", b"B", b"A"]


def test_should_merge_top_k_with_more_nulls() -> None:
    """shouldMergeTopKWithMoreNulls"""
    agg = topk()
    assert agg.merge is not None
    assert agg.merge([b"A"], [b"A"]) == [b"A"]
