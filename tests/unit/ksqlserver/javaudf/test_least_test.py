"""ksqlDB 0.29 LeastTest (function/udf/math): shouldWorkWithoutImplicitCasting, shouldHandleAllNullColumns,
shouldHandleNullArrays, shouldHandleSomeNullColumns; Least.least(T val, T... vals) for INT, BIGINT, DOUBLE,
DECIMAL, STRING, BYTES, DATE, TIME and TIMESTAMP: the lowest non-null value, null when all are null."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T

DEC = T.decimal(3, 2)


def b(text: str) -> bytes:
    """ToBytes.toBytes(val, "ASCII")."""
    return text.encode("ascii")


WITHOUT_CASTING = [
    (T.INTEGER, [0, 1, -1, 2, -2], -2),
    (T.BIGINT, [0, 1, -1, 2, -2], -2),
    (T.DOUBLE, [0.0, 0.1, -0.1, 0.2, -0.2], -0.2),
    (DEC, [Decimal("0"), Decimal(".1"), Decimal("-.1"), Decimal(".2"), Decimal("-.2")], Decimal("-.2")),
    (T.STRING, ["apple", "banana", "aardvark"], "aardvark"),
    (T.BYTES, [b("apple"), b("banana"), b("aardvark")], b("aardvark")),
    (T.DATE, [10, 0, -5, 100, 2], -5),
    (T.TIME, [10, 0, -5, 100, 2], -5),
    (T.TIMESTAMP, [10, 0, -5, 100, 2], -5),
]
SOME_NULLS = [
    (T.INTEGER, [None, 27, None, 39, -49, -11, 68, 32, None, 101], -49),
    (T.DOUBLE, [None, None, 39.0, -49.01, -11.98, 68.1, 0.32, None, 101.0], -49.01),
    (T.BIGINT, [None, 272038202439, None, 39, -4923740932490, -11, 68, 32, None, 101], -4923740932490),
    (DEC, [None, Decimal("27"), None, Decimal("-49")], Decimal("-49")),
    (T.STRING, [None, "apple", None, "banana", "kumquat", "aardvark", None], "aardvark"),
    (T.BYTES, [None, b("apple"), None, b("banana"), b("kumquat"), b("aardvark"), None], b("aardvark")),
    (T.DATE, [None, 10, None, 0, -5, 100, None, 2], -5),
    (T.TIME, [None, 10, None, 0, -5, 100, None, 2], -5),
    (T.TIMESTAMP, [None, 10, None, 0, -5, 100, None, 2], -5),
]
ALL_TYPES = [T.INTEGER, T.DOUBLE, T.BIGINT, DEC, T.STRING, T.BYTES, T.DATE, T.TIME, T.TIMESTAMP]


@pytest.mark.parametrize(("sql_type", "args", "expected"), WITHOUT_CASTING + SOME_NULLS)
def test_least(call: Any, sql_type: Any, args: list[Any], expected: Any) -> None:
    assert call("LEAST", [sql_type] * len(args), *args) == expected


@pytest.mark.parametrize("sql_type", ALL_TYPES)
def test_all_null_columns_and_no_others(call: Any, sql_type: Any) -> None:
    # shouldHandleAllNullColumns; shouldHandleNullArrays as SQL can pass it: the first value alone
    assert call("LEAST", [sql_type] * 3, None, None, None) is None
    assert call("LEAST", [sql_type], None) is None


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("LEAST(0, 1, -1, 2, -2)", "LEAST(CAST(NULL AS BIGINT), 272038202439, -4923740932490)",
                   "LEAST(0.0E0, 0.1E0, -0.2E0)", "LEAST(0.1, -0.25, 2.0)", "LEAST('apple', 'banana', 'bzzz', 'aardvark')",
                   "LEAST(X, CAST(NULL AS INT))", "LEAST(FROM_DAYS(10), FROM_DAYS(-5), FROM_DAYS(100))",
                   row={"X": None})
    assert r.values == [-2, -4923740932490, -0.2, Decimal("-0.25"), "aardvark", None, -5]
    # DECIMAL arguments widen to one type holding them all (greatestDecimalProvider)
    assert r.types == ["INTEGER", "BIGINT", "DOUBLE", "DECIMAL(3, 2)", "STRING", "INTEGER", "DATE"]
