"""ksqlDB 0.29's BytesMaxKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/max/BytesMaxKudafTest.java):
MaxKudaf over BYTES values (BaseComparableKudaf.aggregate, merge): the maximum, nulls ignored, and a
query's MAX(V) over the same values."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from ksqlserver.catalog import types as T

from .conftest import fold, udaf

VALUES = [b"C", b"F", b"B", b"E", b"A", b"D", b"B"]


def test_should_find_correct_max() -> None:
    """shouldFindCorrectMax"""
    agg = udaf("MAX", [T.BYTES])
    acc = b"A"  # the Java test's starting value
    for v in VALUES:
        acc = agg.add(acc, v)
    assert acc == b"F"


def test_should_handle_null() -> None:
    """shouldHandleNull: a null before any value keeps the aggregate null, after them changes nothing."""
    agg = udaf("MAX", [T.BYTES])
    acc = agg.add(agg.init(), None)
    assert agg.result(acc) is None
    acc = fold(agg, VALUES, acc, start=False)
    assert agg.result(acc) == b"F"
    acc = agg.add(acc, None)
    assert agg.result(acc) == b"F"


def test_should_find_correct_max_for_merge() -> None:
    """shouldFindCorrectMaxForMerge"""
    agg = udaf("MAX", [T.BYTES])
    assert agg.merge is not None
    assert agg.merge(*(b"B", b"D")) == b"D"
    assert agg.merge(*(b"P", b"F")) == b"P"
    assert agg.merge(*(b"A", b"K")) == b"K"


def test_query_observes_the_maximum(stream_result: Callable[[str, str, list[Any]], Any]) -> None:
    """What a query emits for MAX(V) over the values (BYTES as base64 in JSON), nulls among them."""
    assert stream_result("MAX(V)", "BYTES", [None, *VALUES, None]) == base64.b64encode(b"F").decode()
