"""ksqlDB 0.29's DoubleMaxKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/max/DoubleMaxKudafTest.java):
MaxKudaf over DOUBLE values (BaseComparableKudaf.aggregate, merge): the maximum, nulls ignored, and a
query's MAX(V) over the same values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.catalog import types as T

from .conftest import fold, udaf

VALUES = [3.0, 5.0, 8.0, 2.2, 3.5, 4.6, 5.0]


def test_should_find_correct_max() -> None:
    """shouldFindCorrectMax"""
    agg = udaf("MAX", [T.DOUBLE])
    assert fold(agg, VALUES) == 8.0


def test_should_handle_null() -> None:
    """shouldHandleNull: a null before any value keeps the aggregate null, after them changes nothing."""
    agg = udaf("MAX", [T.DOUBLE])
    acc = agg.add(agg.init(), None)
    assert agg.result(acc) is None
    acc = fold(agg, VALUES, acc, start=False)
    assert agg.result(acc) == 8.0
    acc = agg.add(acc, None)
    assert agg.result(acc) == 8.0


def test_should_find_correct_max_for_merge() -> None:
    """shouldFindCorrectMaxForMerge"""
    agg = udaf("MAX", [T.DOUBLE])
    assert agg.merge is not None
    assert agg.merge(*(10.0, 12.0)) == 12.0
    assert agg.merge(*(10.0, -12.0)) == 10.0
    assert agg.merge(*(-10.0, 0.0)) == 0.0


def test_query_observes_the_maximum(stream_result: Callable[[str, str, list[Any]], Any]) -> None:
    """What a query emits for MAX(V) over the values, nulls among them."""
    assert stream_result("MAX(V)", "DOUBLE", [None, *VALUES, None]) == 8.0
