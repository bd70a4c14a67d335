"""ksqlDB 0.29's DoubleMinKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/min/DoubleMinKudafTest.java):
MinKudaf over DOUBLE values (BaseComparableKudaf.aggregate, merge): the minimum, nulls ignored, and a
query's MIN(V) over the same values."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from ksqlserver.catalog import types as T

from .conftest import fold, udaf

VALUES = [3.0, 5.0, 8.0, 2.2, 3.5, 4.6, 5.0]


def test_should_find_correct_min() -> None:
    """shouldFindCorrectMin"""
    agg = udaf("MIN", [T.DOUBLE])
    acc = sys.float_info.max  # the Java test's starting value
    for v in VALUES:
        acc = agg.add(acc, v)
    assert acc == 2.2


def test_should_handle_null() -> None:
    """shouldHandleNull: a null before any value keeps the aggregate null, after them changes nothing."""
    agg = udaf("MIN", [T.DOUBLE])
    acc = agg.add(agg.init(), None)
    assert agg.result(acc) is None
    acc = fold(agg, VALUES, acc, start=False)
    assert agg.result(acc) == 2.2
    acc = agg.add(acc, None)
    assert agg.result(acc) == 2.2


def test_should_find_correct_min_for_merge() -> None:
    """shouldFindCorrectMinForMerge"""
    agg = udaf("MIN", [T.DOUBLE])
    assert agg.merge is not None
    assert agg.merge(*(10.0, 12.0)) == 10.0
    assert agg.merge(*(10.0, -12.0)) == -12.0
    assert agg.merge(*(-10.0, 0.0)) == -10.0


def test_query_observes_the_minimum(stream_result: Callable[[str, str, list[Any]], Any]) -> None:
    """What a query emits for MIN(V) over the values, nulls among them."""
    assert stream_result("MIN(V)", "DOUBLE", [None, *VALUES, None]) == 2.2
