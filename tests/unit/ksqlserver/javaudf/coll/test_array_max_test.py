"""ksqlDB 0.29 ArrayMaxTest (io.confluent.ksql.function.udf.array), ported: ArrayMax.arrayMax (the first
element whose compareTo is greater than the candidate's; nulls skipped)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry


def call(item: T.SqlType, xs: Any) -> Any:
    return default_registry().require("ARRAY_MAX").resolve_call([T.array(item)]).impl(xs)


def test_should_find_max() -> None:
    """shouldFind{Bool,Int,BigInt,Double,String,StringMixedCase,Decimal}Max."""
    assert call(T.BOOLEAN, [True, False, False]) is True
    assert call(T.INTEGER, [1, 3, -2]) == 3
    assert call(T.BIGINT, [1, 3, -2]) == 3
    assert call(T.DOUBLE, [1.1, 3.1, -1.1]) == 3.1
    assert call(T.STRING, ["foo", "food", "bar"]) == "food"
    assert call(T.STRING, ["foo", "Food", "bar"]) == "foo"
    assert call(T.decimal(2, 1), [Decimal("1.2"), Decimal("1.3"), Decimal("-1.2")]) == Decimal("1.3")


def test_nulls() -> None:
    """shouldReturnNullForNullInput, shouldReturnNullForListOfNullInput, shouldReturnValueForMixedInput."""
    assert call(T.STRING, None) is None
    assert call(T.INTEGER, [None, None, None]) is None
    assert call(T.STRING, [None, "foo", None, "bar", None]) == "foo"


def test_strings_compare_by_utf16_code_unit() -> None:
    """String.compareTo: U+FFFF is above a surrogate pair (U+1F600 encodes as D83D DE00)."""
    assert call(T.STRING, ["\U0001f600", "\uffff"]) == "\uffff"
    assert call(T.STRING, ["\uffff", "\U0001f600", "\ue000"]) == "\uffff"


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "ARRAY_MAX(ARRAY[1, 3, -2])", "ARRAY_MAX(ARRAY[CAST(1 AS BIGINT), 3, -2])", "ARRAY_MAX(ARRAY[1.2, 1.3, -1.2])",
        "ARRAY_MAX(ARRAY[TRUE, FALSE])", "ARRAY_MAX(A)", "ARRAY_MAX(ARRAY['\U0001f600', '\uffff'])",
        columns="A ARRAY<STRING>", row={"A": [None, "foo", None, "bar", None]},
    )
    assert out == [3, 3, Decimal("1.3"), True, "foo", "\uffff"]
    assert sql.types == ["INTEGER", "BIGINT", "DECIMAL(2, 1)", "BOOLEAN", "STRING", "STRING"]
