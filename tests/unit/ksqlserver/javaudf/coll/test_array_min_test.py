"""ksqlDB 0.29 ArrayMinTest (io.confluent.ksql.function.udf.array), ported: ArrayMin.arrayMin (the first
element whose compareTo is less than the candidate's; nulls skipped)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry


def call(item: T.SqlType, xs: Any) -> Any:
    return default_registry().require("ARRAY_MIN").resolve_call([T.array(item)]).impl(xs)


def test_should_find_min() -> None:
    """shouldFind{Bool,Int,BigInt,Double,String,StringMixedCase,Decimal}Min."""
    assert call(T.BOOLEAN, [True, False, False]) is False
    assert call(T.INTEGER, [1, 3, -2]) == -2
    assert call(T.BIGINT, [1, 3, -2]) == -2
    assert call(T.DOUBLE, [1.1, 3.1, -1.1]) == -1.1
    assert call(T.STRING, ["foo", "food", "bar"]) == "bar"
    assert call(T.STRING, ["foo", "Food", "bar", "Bar", "Baz"]) == "Bar"
    assert call(T.decimal(2, 1), [Decimal("1.2"), Decimal("1.3"), Decimal("-1.2")]) == Decimal("-1.2")


def test_nulls() -> None:
    """shouldReturnNullForNullInput, shouldReturnNullForListOfNullInput, shouldReturnValueForMixedInput."""
    assert call(T.STRING, None) is None
    assert call(T.INTEGER, [None, None, None]) is None
    assert call(T.STRING, [None, "foo", None, "bar", None]) == "bar"


def test_strings_compare_by_utf16_code_unit() -> None:
    """String.compareTo: a surrogate pair (D83D DE00) is below U+E000-U+FFFF."""
    assert call(T.STRING, ["\uffff", "\U0001f600", "\ue000"]) == "\U0001f600"


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "ARRAY_MIN(ARRAY[1, 3, -2])", "ARRAY_MIN(ARRAY[CAST(1 AS BIGINT), 3, -2])", "ARRAY_MIN(ARRAY[1.2, 1.3, -1.2])",
        "ARRAY_MIN(ARRAY[TRUE, FALSE])", "ARRAY_MIN(A)", "ARRAY_MIN(ARRAY['\uffff', '\U0001f600'])",
        columns="A ARRAY<STRING>", row={"A": [None, "foo", None, "bar", None]},
    )
    assert out == [-2, -2, Decimal("-1.2"), False, "bar", "\U0001f600"]
    assert sql.types == ["INTEGER", "BIGINT", "DECIMAL(2, 1)", "BOOLEAN", "STRING", "STRING"]
