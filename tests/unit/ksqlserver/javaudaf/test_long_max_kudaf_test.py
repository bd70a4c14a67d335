"""ksqlDB 0.29's LongMaxKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/max/LongMaxKudafTest.java):
MaxKudaf over BIGINT values (BaseComparableKudaf.aggregate, merge): the maximum, nulls ignored, and a
query's MAX(V) over the same values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.catalog import types as T

from .conftest import fold, udaf

VALUES = [3, 5, 8, 2, 3, 4, 5]


def test_should_find_correct_max() -> None:
    """shouldFindCorrectMax"""
    agg = udaf("MAX", [T.BIGINT])
    acc = -(2**63)  # the Java test's starting value
    for v in VALUES:
        acc = agg.add(acc, v)
    assert acc == 8


def test_should_handle_null() -> None:
    """shouldHandleNull: a null before any value keeps the aggregate null, after them changes nothing."""
    agg = udaf("MAX", [T.BIGINT])
    acc = agg.add(agg.init(), None)
    assert agg.result(acc) is None
    acc = fold(agg, VALUES, acc, start=False)
    assert agg.result(acc) == 8
    acc = agg.add(acc, None)
    assert agg.result(acc) == 8


def test_should_find_correct_max_for_merge() -> None:
    """shouldFindCorrectMaxForMerge"""
    agg = udaf("MAX", [T.BIGINT])
    assert agg.merge is not None
    assert agg.merge(*(10, 12)) == 12
    assert agg.merge(*(10, -12)) == 10
    assert agg.merge(*(-10, 0)) == 0


def test_query_observes_the_maximum(stream_result: Callable[[str, str, list[Any]], Any]) -> None:
    """What a query emits for MAX(V) over the values, nulls among them."""
    assert stream_result("MAX(V)", "BIGINT", [None, *VALUES, None]) == 8
