"""ksqlDB 0.29's DateMinKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/min/DateMinKudafTest.java):
MinKudaf over DATE values (BaseComparableKudaf.aggregate, merge): the minimum, nulls ignored, and a
query's MIN(V) over the same values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.catalog import types as T

from .conftest import fold, udaf

VALUES = [3, 5, 8, 2, 3, 4, 5]


def test_should_find_correct_min() -> None:
    """shouldFindCorrectMin"""
    agg = udaf("MIN", [T.DATE])
    assert fold(agg, VALUES) == 2


def test_should_handle_null() -> None:
    """shouldHandleNull: a null before any value keeps the aggregate null, after them changes nothing."""
    agg = udaf("MIN", [T.DATE])
    acc = agg.add(agg.init(), None)
    assert agg.result(acc) is None
    acc = fold(agg, VALUES, acc, start=False)
    assert agg.result(acc) == 2
    acc = agg.add(acc, None)
    assert agg.result(acc) == 2


def test_should_find_correct_min_for_merge() -> None:
    """shouldFindCorrectMinForMerge"""
    agg = udaf("MIN", [T.DATE])
    assert agg.merge is not None
    assert agg.merge(*(10, 12)) == 10
    assert agg.merge(*(10, -12)) == -12
    assert agg.merge(*(-10, 0)) == -10


def test_query_observes_the_minimum(stream_result: Callable[[str, str, list[Any]], Any]) -> None:
    """What a query emits for MIN(V) over the values, nulls among them."""
    assert stream_result("MIN(V)", "DATE", [None, *VALUES, None]) == 2
