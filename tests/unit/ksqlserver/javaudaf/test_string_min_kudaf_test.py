"""ksqlDB 0.29's StringMinKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/min/StringMinKudafTest.java):
MinKudaf over STRING values (BaseComparableKudaf.aggregate, merge): the minimum, nulls ignored, and a
query's MIN(V) over the same values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.catalog import types as T

from .conftest import fold, udaf

VALUES = ["C", "F", "B", "E", "A", "D", "B"]


def test_should_find_correct_min() -> None:
    """shouldFindCorrectMin"""
    agg = udaf("MIN", [T.STRING])
    acc = "D"  # the Java test's starting value
    for v in VALUES:
        acc = agg.add(acc, v)
    assert acc == "A"


def test_should_handle_null() -> None:
    """shouldHandleNull: a null before any value keeps the aggregate null, after them changes nothing."""
    agg = udaf("MIN", [T.STRING])
    acc = agg.add(agg.init(), None)
    assert agg.result(acc) is None
    acc = fold(agg, VALUES, acc, start=False)
    assert agg.result(acc) == "A"
    acc = agg.add(acc, None)
    assert agg.result(acc) == "A"


def test_should_find_correct_min_for_merge() -> None:
    """shouldFindCorrectMinForMerge"""
    agg = udaf("MIN", [T.STRING])
    assert agg.merge is not None
    assert agg.merge(*("B", "D")) == "B"
    assert agg.merge(*("P", "F")) == "F"
    assert agg.merge(*("A", "K")) == "A"


def test_query_observes_the_minimum(stream_result: Callable[[str, str, list[Any]], Any]) -> None:
    """What a query emits for MIN(V) over the values, nulls among them."""
    assert stream_result("MIN(V)", "STRING", [None, *VALUES, None]) == "A"
