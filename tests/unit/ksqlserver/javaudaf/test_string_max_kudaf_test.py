"""ksqlDB 0.29's StringMaxKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/max/StringMaxKudafTest.java):
MaxKudaf over STRING values (BaseComparableKudaf.aggregate, merge): the maximum, nulls ignored, and a
query's MAX(V) over the same values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.catalog import types as T

from .conftest import fold, udaf

VALUES = ["C", "F", "B", "E", "A", "D", "B"]


def test_should_find_correct_max() -> None:
    """shouldFindCorrectMax"""
    agg = udaf("MAX", [T.STRING])
    acc = "A"  # the Java test's starting value
    for v in VALUES:
        acc = agg.add(acc, v)
    assert acc == "F"


def test_should_handle_null() -> None:
    """shouldHandleNull: a null before any value keeps the aggregate null, after them changes nothing."""
    agg = udaf("MAX", [T.STRING])
    acc = agg.add(agg.init(), None)
    assert agg.result(acc) is None
    acc = fold(agg, VALUES, acc, start=False)
    assert agg.result(acc) == "F"
    acc = agg.add(acc, None)
    assert agg.result(acc) == "F"


def test_should_find_correct_max_for_merge() -> None:
    """shouldFindCorrectMaxForMerge"""
    agg = udaf("MAX", [T.STRING])
    assert agg.merge is not None
    assert agg.merge(*("B", "D")) == "D"
    assert agg.merge(*("P", "F")) == "P"
    assert agg.merge(*("A", "K")) == "K"


def test_query_observes_the_maximum(stream_result: Callable[[str, str, list[Any]], Any]) -> None:
    """What a query emits for MAX(V) over the values, nulls among them."""
    assert stream_result("MAX(V)", "STRING", [None, *VALUES, None]) == "F"
