"""ksqlDB 0.29's TimestampMaxKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/max/TimestampMaxKudafTest.java):
MaxKudaf over TIMESTAMP values (BaseComparableKudaf.aggregate, merge): the maximum, nulls ignored, and a
query's MAX(V) over the same values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.catalog import types as T

from .conftest import fold, udaf

VALUES = [3, 5, 8, 2, 3, 4, 5]


def test_should_find_correct_max() -> None:
    """shouldFindCorrectMax"""
    agg = udaf("MAX", [T.TIMESTAMP])
    assert fold(agg, VALUES) == 8


def test_should_handle_null() -> None:
    """shouldHandleNull: a null before any value keeps the aggregate null, after them changes nothing."""
    agg = udaf("MAX", [T.TIMESTAMP])
    acc = agg.add(agg.init(), None)
    assert agg.result(acc) is None
    acc = fold(agg, VALUES, acc, start=False)
    assert agg.result(acc) == 8
    acc = agg.add(acc, None)
    assert agg.result(acc) == 8


def test_should_find_correct_max_for_merge() -> None:
    """shouldFindCorrectMaxForMerge"""
    agg = udaf("MAX", [T.TIMESTAMP])
    assert agg.merge is not None
    assert agg.merge(*(10, 12)) == 12
    assert agg.merge(*(10, -12)) == 10
    assert agg.merge(*(-10, 0)) == 0


def test_query_observes_the_maximum(stream_result: Callable[[str, str, list[Any]], Any]) -> None:
    """What a query emits for MAX(V) over the values, nulls among them."""
    assert stream_result("MAX(V)", "TIMESTAMP", [None, *VALUES, None]) == 8
