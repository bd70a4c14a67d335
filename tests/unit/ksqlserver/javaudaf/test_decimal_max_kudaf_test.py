"""ksqlDB 0.29's DecimalMaxKudafTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/max/DecimalMaxKudafTest.java):
MaxKudaf over DECIMAL(2, 1) values (BaseComparableKudaf.aggregate, merge): the maximum, nulls ignored, and a
query's MAX(V) over the same values."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ksqlserver.catalog import types as T

from .conftest import fold, udaf

VALUES = [Decimal("3.0"), Decimal("5.0"), Decimal("8.0"), Decimal("2.2"), Decimal("3.5"), Decimal("4.6"), Decimal("5.0")]


def test_should_find_correct_max() -> None:
    """shouldFindCorrectMax"""
    agg = udaf("MAX", [T.decimal(2, 1)])
    assert fold(agg, VALUES) == Decimal("8.0")


def test_should_handle_null() -> None:
    """shouldHandleNull: a null before any value keeps the aggregate null, after them changes nothing."""
    agg = udaf("MAX", [T.decimal(2, 1)])
    acc = agg.add(agg.init(), None)
    assert agg.result(acc) is None
    acc = fold(agg, VALUES, acc, start=False)
    assert agg.result(acc) == Decimal("8.0")
    acc = agg.add(acc, None)
    assert agg.result(acc) == Decimal("8.0")


def test_should_find_correct_max_for_merge() -> None:
    """shouldFindCorrectMaxForMerge"""
    agg = udaf("MAX", [T.decimal(2, 1)])
    assert agg.merge is not None
    assert agg.merge(*(Decimal("10"), Decimal("12"))) == Decimal("12")
    assert agg.merge(*(Decimal("10"), Decimal("-12"))) == Decimal("10")
    assert agg.merge(*(Decimal("-10"), Decimal("0"))) == Decimal("0")


def test_query_observes_the_maximum(stream_result: Callable[[str, str, list[Any]], Any]) -> None:
    """What a query emits for MAX(V) over the values, nulls among them."""
    assert stream_result("MAX(V)", "DECIMAL(2, 1)", [None, *VALUES, None]) == Decimal("8.0")
