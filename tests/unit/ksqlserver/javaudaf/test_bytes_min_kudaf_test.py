"""ksqlDB 0.29's BytesMinKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/min/BytesMinKudafTest.java):
MinKudaf over BYTES values (BaseComparableKudaf.aggregate, merge): the minimum, nulls ignored, and a
query's MIN(V) over the same values."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from ksqlserver.catalog import types as T

from .conftest import fold, udaf

VALUES = [b"C", b"F", b"B", b"E", b"A", b"D", b"B"]


def test_should_find_correct_min() -> None:
    """shouldFindCorrectMin"""
    agg = udaf("MIN", [T.BYTES])
    acc = b"D"  # the Java test's starting value
    for v in VALUES:
        acc = agg.add(acc, v)
    assert acc == b"A"


def test_should_handle_null() -> None:
    """shouldHandleNull: a null before any value keeps the aggregate null, after them changes nothing."""
    agg = udaf("MIN", [T.BYTES])
    acc = agg.add(agg.init(), None)
    assert agg.result(acc) is None
    acc = fold(agg, VALUES, acc, start=False)
    assert agg.result(acc) == b"A"
    acc = agg.add(acc, None)
    assert agg.result(acc) == b"A"


def test_should_find_correct_min_for_merge() -> None:
    """shouldFindCorrectMinForMerge"""
    agg = udaf("MIN", [T.BYTES])
    assert agg.merge is not None
    assert agg.merge(*(b"B", b"D")) == b"B"
    assert agg.merge(*(b"P", b"F")) == b"F"
    assert agg.merge(*(b"A", b"K")) == b"A"


def test_query_observes_the_minimum(stream_result: Callable[[str, str, list[Any]], Any]) -> None:
    """What a query emits for MIN(V) over the values (BYTES as base64 in JSON), nulls among them."""
    assert stream_result("MIN(V)", "BYTES", [None, *VALUES, None]) == base64.b64encode(b"A").decode()
