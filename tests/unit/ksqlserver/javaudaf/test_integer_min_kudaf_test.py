"""ksqlDB 0.29's IntegerMinKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/min/IntegerMinKudafTest.java):
MinKudaf over INT values (BaseComparableKudaf.aggregate, merge): the minimum, nulls ignored, and a
query's MIN(V) over the same values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.catalog import types as T

from .conftest import fold, udaf

VALUES = [3, 5, 8, 2, 3, 4, 5]


def test_should_find_correct_min() -> None:
    """shouldFindCorrectMin"""
    agg = udaf("MIN", [T.INTEGER])
    acc = 2**31 - 1  # the Java test's starting value
    for v in VALUES:
        acc = agg.add(acc, v)
    assert acc == 2


def test_should_handle_null() -> None:
    """shouldHandleNull: a null before any value keeps the aggregate null, after them changes nothing."""
    agg = udaf("MIN", [T.INTEGER])
    acc = agg.add(agg.init(), None)
    assert agg.result(acc) is None
    acc = fold(agg, VALUES, acc, start=False)
    assert agg.result(acc) == 2
    acc = agg.add(acc, None)
    assert agg.result(acc) == 2


def test_should_find_correct_min_for_merge() -> None:
    """shouldFindCorrectMinForMerge"""
    agg = udaf("MIN", [T.INTEGER])
    assert agg.merge is not None
    assert agg.merge(*(10, 12)) == 10
    assert agg.merge(*(10, -12)) == -12
    assert agg.merge(*(-10, 0)) == -10


def test_query_observes_the_minimum(stream_result: Callable[[str, str, list[Any]], Any]) -> None:
    """What a query emits for MIN(V) over the values, nulls among them."""
    assert stream_result("MIN(V)", "INT", [None, *VALUES, None]) == 2
