"""ksqlDB 0.29's DecimalTopKDistinctKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/topkdistinct/DecimalTopKDistinctKudafTest.java):
TopkDistinctKudaf(3) over DECIMAL(3, 1) values: aggregate keeps the three greatest distinct values in descending
order, merge combines two such lists; and a query's TOPKDISTINCT(V, 3)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ksqlserver.catalog import types as T

from .conftest import fold, udaf

VALUES = [Decimal("10.0"), Decimal("30.0"), Decimal("45.0"), Decimal("10.0"), Decimal("50.0"), Decimal("60.0"), Decimal("20.0"), Decimal("60.0"), Decimal("80.0"), Decimal("35.0"), Decimal("25.0"), Decimal("60.0"), Decimal("80.0")]


def topk() -> Any:
    return udaf("TOPKDISTINCT", [T.decimal(3, 1)], [3])


def test_should_aggregate_top_k() -> None:
    """shouldAggregateTopK"""
    agg = topk()
    assert agg.result(fold(agg, VALUES)) == [Decimal("80.0"), Decimal("60.0"), Decimal("50.0")]


def test_should_aggregate_top_k_with_less_than_k_values() -> None:
    """shouldAggregateTopKWithLessThanKValues"""
    agg = topk()
    assert agg.result(agg.add(agg.init(), Decimal("80.0"))) == [Decimal("80.0")]


def test_should_merge_top_k() -> None:
    """shouldMergeTopK"""
    agg = topk()
    assert agg.merge is not None
    assert agg.merge([Decimal("50.0"), Decimal("45.0"), Decimal("25.0")], [Decimal("60.0"), Decimal("50.0"), Decimal("48.0")]) == [Decimal("60.0"), Decimal("50.0"), Decimal("48.0")]


def test_should_merge_top_k_with_nulls() -> None:
    """shouldMergeTopKWithNulls"""
    agg = topk()
    assert agg.merge is not None
    assert agg.merge([Decimal("50.0"), Decimal("45.0")], [Decimal("60.0")]) == [Decimal("60.0"), Decimal("50.0"), Decimal("45.0")]


def test_should_merge_top_k_with_nulls_duplicates() -> None:
    """shouldMergeTopKWithNullsDuplicates"""
    agg = topk()
    assert agg.merge is not None
    assert agg.merge([Decimal("50.0"), Decimal("45.0")], [Decimal("60.0"), Decimal("50.0")]) == [Decimal("60.0"), Decimal("50.0"), Decimal("45.0")]


def test_should_merge_top_k_with_more_nulls() -> None:
    """shouldMergeTopKWithMoreNulls"""
    agg = topk()
    assert agg.merge is not None
    assert agg.merge([Decimal("60.0")], [Decimal("60.0")]) == [Decimal("60.0")]


def test_query_observes_the_top_k(stream_result: Callable[[str, str, list[Any]], Any]) -> None:
    """What a query emits for TOPKDISTINCT(V, 3) over the values, a null among them (ignored)."""
    assert stream_result("TOPKDISTINCT(V, 3)", "DECIMAL(3, 1)", [*VALUES, None]) == [Decimal("80.0"), Decimal("60.0"), Decimal("50.0")]
