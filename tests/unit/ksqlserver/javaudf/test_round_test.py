"""ksqlDB 0.29 RoundTest (function/udf/math): shouldRoundSimpleDoublePositive, shouldRoundSimpleDoubleNegative,
shouldRoundSimpleBigDecimalPositive, shouldRoundSimpleBigDecimalNegative,
shouldRoundDoubleWithDecimalPlacesPositive, shouldRoundDoubleWithDecimalPlacesNegative,
shouldRoundBigDecimalWithDecimalPlacesPositive, shouldRoundBigDecimalWithDecimalPlacesNegative,
shouldHandleDoubleLiteralsEndingWith5ThatCannotBeRepresentedExactlyAsDoubles, shoulldHandleNullValues,
shoulldHandleNullDecimalPlaces, shouldRoundInt, shouldRoundLong; Round.round for INT, BIGINT and DOUBLE
arguments (each CASES row is one of the Java test's assertions, in order; closeTo's absolute tolerance kept)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T

INT, BIG, D = T.INTEGER, T.BIGINT, T.DOUBLE

CASES = [
    ('shouldRoundSimpleDoublePositive', [D], [0.0], 'is', 0),
    ('shouldRoundSimpleDoublePositive', [D], [1.23], 'is', 1),
    ('shouldRoundSimpleDoublePositive', [D], [1.0], 'is', 1),
    ('shouldRoundSimpleDoublePositive', [D], [1.5], 'is', 2),
    ('shouldRoundSimpleDoublePositive', [D], [1.75], 'is', 2),
    ('shouldRoundSimpleDoublePositive', [D], [1530000.0], 'is', 1530000),
    ('shouldRoundSimpleDoublePositive', [D], [10.01], 'is', 10),
    ('shouldRoundSimpleDoublePositive', [D], [12345.5], 'is', 12346),
    ('shouldRoundSimpleDoublePositive', [D], [9.99], 'is', 10),
    ('shouldRoundSimpleDoublePositive', [D], [110.1], 'is', 110),
    ('shouldRoundSimpleDoublePositive', [D], [1530000.01], 'is', 1530000),
    ('shouldRoundSimpleDoublePositive', [D], [9999999.99], 'is', 10000000),
    ('shouldRoundSimpleDoubleNegative', [D], [-1.23], 'is', -1),
    ('shouldRoundSimpleDoubleNegative', [D], [-1.0], 'is', -1),
    ('shouldRoundSimpleDoubleNegative', [D], [-1.5], 'is', -1),
    ('shouldRoundSimpleDoubleNegative', [D], [-1.75], 'is', -2),
    ('shouldRoundSimpleDoubleNegative', [D], [-1530000.0], 'is', -1530000),
    ('shouldRoundSimpleDoubleNegative', [D], [-10.01], 'is', -10),
    ('shouldRoundSimpleDoubleNegative', [D], [-12345.5], 'is', -12345),
    ('shouldRoundSimpleDoubleNegative', [D], [-9.99], 'is', -10),
    ('shouldRoundSimpleDoubleNegative', [D], [-110.1], 'is', -110),
    ('shouldRoundSimpleDoubleNegative', [D], [-1530000.01], 'is', -1530000),
    ('shouldRoundSimpleDoubleNegative', [D], [-9999999.99], 'is', -10000000),
    ('shouldRoundSimpleBigDecimalPositive', [T.decimal(2, 1)], [Decimal("0.0")], 'is', Decimal("0")),
    ('shouldRoundSimpleBigDecimalPositive', [T.decimal(3, 2)], [Decimal("1.23")], 'is', Decimal("1")),
    ('shouldRoundSimpleBigDecimalPositive', [T.decimal(2, 1)], [Decimal("1.0")], 'is', Decimal("1")),
    ('shouldRoundSimpleBigDecimalPositive', [T.decimal(2, 1)], [Decimal("1.5")], 'is', Decimal("2")),
    ('shouldRoundSimpleBigDecimalPositive', [T.decimal(3, 2)], [Decimal("1.75")], 'is', Decimal("2")),
    ('shouldRoundSimpleBigDecimalPositive', [T.decimal(7, 0)], [Decimal("1530000")], 'is', Decimal("1530000")),
    ('shouldRoundSimpleBigDecimalPositive', [T.decimal(3, 1)], [Decimal("10.1")], 'is', Decimal("10")),
    ('shouldRoundSimpleBigDecimalPositive', [T.decimal(6, 1)], [Decimal("12345.5")], 'is', Decimal("12346")),
    ('shouldRoundSimpleBigDecimalPositive', [T.decimal(3, 2)], [Decimal("9.99")], 'is', Decimal("10")),
    ('shouldRoundSimpleBigDecimalPositive', [T.decimal(4, 1)], [Decimal("110.1")], 'is', Decimal("110")),
    ('shouldRoundSimpleBigDecimalPositive', [T.decimal(9, 2)], [Decimal("1530000.01")], 'is', Decimal("1530000")),
    ('shouldRoundSimpleBigDecimalPositive', [T.decimal(9, 2)], [Decimal("9999999.99")], 'is', Decimal("10000000")),
    ('shouldRoundSimpleBigDecimalNegative', [T.decimal(3, 2)], [Decimal("-1.23")], 'is', Decimal("-1")),
    ('shouldRoundSimpleBigDecimalNegative', [T.decimal(2, 1)], [Decimal("-1.0")], 'is', Decimal("-1")),
    ('shouldRoundSimpleBigDecimalNegative', [T.decimal(2, 1)], [Decimal("-1.5")], 'is', Decimal("-1")),
    ('shouldRoundSimpleBigDecimalNegative', [T.decimal(7, 0)], [Decimal("-1530000")], 'is', Decimal("-1530000")),
    ('shouldRoundSimpleBigDecimalNegative', [T.decimal(3, 1)], [Decimal("-10.1")], 'is', Decimal("-10")),
    ('shouldRoundSimpleBigDecimalNegative', [T.decimal(6, 1)], [Decimal("-12345.5")], 'is', Decimal("-12345")),
    ('shouldRoundSimpleBigDecimalNegative', [T.decimal(3, 2)], [Decimal("-9.99")], 'is', Decimal("-10")),
    ('shouldRoundSimpleBigDecimalNegative', [T.decimal(4, 1)], [Decimal("-110.1")], 'is', Decimal("-110")),
    ('shouldRoundSimpleBigDecimalNegative', [T.decimal(9, 2)], [Decimal("-1530000.01")], 'is', Decimal("-1530000")),
    ('shouldRoundSimpleBigDecimalNegative', [T.decimal(9, 2)], [Decimal("-9999999.99")], 'is', Decimal("-10000000")),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [0.0, 0], 'is', 0.0),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [1.0, 0], 'is', 1.0),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [1.1, 0], 'is', 1.0),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [1.5, 0], 'is', 2.0),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [1.75, 0], 'is', 2.0),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.1, 0], 'is', 100.0),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.5, 0], 'is', 101.0),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.75, 0], 'is', 101.0),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.1, 1], 'is', 100.1),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.11, 1], 'is', 100.1),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.15, 1], 'is', 100.2),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.17, 1], 'is', 100.2),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.11, 2], 'is', 100.11),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.111, 2], 'is', 100.11),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.115, 2], 'is', 100.12),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.117, 2], 'is', 100.12),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.111, 3], 'is', 100.111),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.1111, 3], 'is', 100.111),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.1115, 3], 'is', 100.112),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [100.1117, 3], 'is', 100.112),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [12345.67, -1], 'is', 12350.0),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [12345.67, -2], 'is', 12300.0),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [12345.67, -3], 'is', 12000.0),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [12345.67, -4], 'is', 10000.0),
    ('shouldRoundDoubleWithDecimalPlacesPositive', [D, INT], [12345.67, -5], 'is', 0.0),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-1.0, 0], 'is', -1.0),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-1.1, 0], 'is', -1.0),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-1.5, 0], 'is', -1.0),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-1.75, 0], 'is', -2.0),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.1, 0], 'is', -100.0),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.5, 0], 'is', -100.0),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.75, 0], 'is', -101.0),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.1, 1], 'is', -100.1),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.11, 1], 'is', -100.1),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.15, 1], 'is', -100.1),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.17, 1], 'is', -100.2),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.11, 2], 'is', -100.11),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.111, 2], 'is', -100.11),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.115, 2], 'is', -100.11),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.117, 2], 'is', -100.12),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.111, 3], 'is', -100.111),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.1111, 3], 'is', -100.111),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.1115, 3], 'is', -100.111),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-100.1117, 3], 'is', -100.112),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-12345.67, -1], 'is', -12350.0),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-12345.67, -2], 'is', -12300.0),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-12345.67, -3], 'is', -12000.0),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-12345.67, -4], 'is', -10000.0),
    ('shouldRoundDoubleWithDecimalPlacesNegative', [D, INT], [-12345.67, -5], 'is', 0.0),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(1, 0), INT], [Decimal("0"), 0], 'is', Decimal("0")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(2, 1), INT], [Decimal("1.0"), 0], 'is', Decimal("1.0")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(2, 1), INT], [Decimal("1.1"), 0], 'is', Decimal("1.0")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(2, 1), INT], [Decimal("1.5"), 0], 'is', Decimal("2.0")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(3, 2), INT], [Decimal("1.75"), 0], 'is', Decimal("2.00")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(4, 1), INT], [Decimal("100.1"), 0], 'is', Decimal("100.0")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(4, 1), INT], [Decimal("100.5"), 0], 'is', Decimal("101.0")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(5, 2), INT], [Decimal("100.75"), 0], 'is', Decimal("101.00")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(5, 2), INT], [Decimal("100.10"), 1], 'is', Decimal("100.10")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(5, 2), INT], [Decimal("100.11"), 1], 'is', Decimal("100.10")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(5, 2), INT], [Decimal("100.15"), 1], 'is', Decimal("100.20")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(5, 2), INT], [Decimal("100.17"), 1], 'is', Decimal("100.20")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(6, 3), INT], [Decimal("100.110"), 2], 'is', Decimal("100.110")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(6, 3), INT], [Decimal("100.111"), 2], 'is', Decimal("100.110")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(6, 3), INT], [Decimal("100.115"), 2], 'is', Decimal("100.120")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(6, 3), INT], [Decimal("100.117"), 2], 'is', Decimal("100.120")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 4), INT], [Decimal("100.1110"), 3], 'is', Decimal("100.1110")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 4), INT], [Decimal("100.1111"), 3], 'is', Decimal("100.1110")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 4), INT], [Decimal("100.1115"), 3], 'is', Decimal("100.1120")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 4), INT], [Decimal("100.1117"), 3], 'is', Decimal("100.1120")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 2), INT], [Decimal("12345.67"), -1], 'is', Decimal("12350.00")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 2), INT], [Decimal("12345.67"), -2], 'is', Decimal("12300.00")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 2), INT], [Decimal("12345.67"), -3], 'is', Decimal("12000.00")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 2), INT], [Decimal("12345.67"), -4], 'is', Decimal("10000.00")),
    ('shouldRoundBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 2), INT], [Decimal("12345.67"), -5], 'is', Decimal("0.00")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(2, 1), INT], [Decimal("-1.0"), 0], 'is', Decimal("-1.0")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(2, 1), INT], [Decimal("-1.1"), 0], 'is', Decimal("-1.0")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(2, 1), INT], [Decimal("-1.5"), 0], 'is', Decimal("-1.0")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(3, 2), INT], [Decimal("-1.75"), 0], 'is', Decimal("-2.00")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(4, 1), INT], [Decimal("-100.1"), 0], 'is', Decimal("-100.0")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(4, 1), INT], [Decimal("-100.5"), 0], 'is', Decimal("-100.0")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(5, 2), INT], [Decimal("-100.75"), 0], 'is', Decimal("-101.00")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(5, 2), INT], [Decimal("-100.10"), 1], 'is', Decimal("-100.10")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(5, 2), INT], [Decimal("-100.11"), 1], 'is', Decimal("-100.10")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(5, 2), INT], [Decimal("-100.15"), 1], 'is', Decimal("-100.10")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(5, 2), INT], [Decimal("-100.17"), 1], 'is', Decimal("-100.20")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(6, 3), INT], [Decimal("-100.110"), 2], 'is', Decimal("-100.110")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(6, 3), INT], [Decimal("-100.111"), 2], 'is', Decimal("-100.110")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(6, 3), INT], [Decimal("-100.115"), 2], 'is', Decimal("-100.110")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(6, 3), INT], [Decimal("-100.117"), 2], 'is', Decimal("-100.120")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 4), INT], [Decimal("-100.1110"), 3], 'is', Decimal("-100.1110")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 4), INT], [Decimal("-100.1111"), 3], 'is', Decimal("-100.1110")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 4), INT], [Decimal("-100.1115"), 3], 'is', Decimal("-100.1110")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 4), INT], [Decimal("-100.1117"), 3], 'is', Decimal("-100.1120")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 2), INT], [Decimal("-12345.67"), -2], 'is', Decimal("-12300.00")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 2), INT], [Decimal("-12345.67"), -3], 'is', Decimal("-12000.00")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 2), INT], [Decimal("-12345.67"), -4], 'is', Decimal("-10000.00")),
    ('shouldRoundBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 2), INT], [Decimal("-12345.67"), -5], 'is', Decimal("0.00")),
    ('shouldHandleDoubleLiteralsEndingWith5ThatCannotBeRepresentedExactlyAsDoubles', [T.decimal(6, 3), INT], [Decimal("265.335"), 2], 'is', Decimal("265.340")),
    ('shouldHandleDoubleLiteralsEndingWith5ThatCannotBeRepresentedExactlyAsDoubles', [T.decimal(6, 3), INT], [Decimal("-265.335"), 2], 'is', Decimal("-265.330")),
    ('shouldHandleDoubleLiteralsEndingWith5ThatCannotBeRepresentedExactlyAsDoubles', [T.decimal(6, 3), INT], [Decimal("265.365"), 2], 'is', Decimal("265.370")),
    ('shouldHandleDoubleLiteralsEndingWith5ThatCannotBeRepresentedExactlyAsDoubles', [T.decimal(6, 3), INT], [Decimal("-265.365"), 2], 'is', Decimal("-265.360")),
    ('shoulldHandleNullValues', [D], [None], 'is', None),
    ('shoulldHandleNullValues', [T.decimal(2, 1)], [None], 'is', None),
    ('shoulldHandleNullValues', [D, INT], [None, 2], 'is', None),
    ('shoulldHandleNullValues', [T.decimal(2, 1), INT], [None, 2], 'is', None),
    ('shoulldHandleNullDecimalPlaces', [D, INT], [1.75, None], 'null', None),
    ('shoulldHandleNullDecimalPlaces', [T.decimal(3, 2), INT], [Decimal("1.75"), None], 'null', None),
    ('shouldRoundInt', [INT], [123], 'is', 123),
    ('shouldRoundLong', [BIG], [123], 'is', 123),
]

# one call per argument type through the engine: (expression, CASES row, result type)
ENGINE = [
    ('ROUND(CAST(0.0 AS DOUBLE))', 0, 'BIGINT'),
    ('ROUND(CAST(0.0 AS DECIMAL(2, 1)))', 23, 'DECIMAL(1, 0)'),
    ('ROUND(CAST(1.23 AS DECIMAL(3, 2)))', 24, 'DECIMAL(1, 0)'),
    ('ROUND(CAST(1530000 AS DECIMAL(7, 0)))', 28, 'DECIMAL(7, 0)'),
    ('ROUND(CAST(10.1 AS DECIMAL(3, 1)))', 29, 'DECIMAL(2, 0)'),
    ('ROUND(CAST(12345.5 AS DECIMAL(6, 1)))', 30, 'DECIMAL(5, 0)'),
    ('ROUND(CAST(110.1 AS DECIMAL(4, 1)))', 32, 'DECIMAL(3, 0)'),
    ('ROUND(CAST(1530000.01 AS DECIMAL(9, 2)))', 33, 'DECIMAL(7, 0)'),
    ('ROUND(CAST(0.0 AS DOUBLE), 0)', 45, 'DOUBLE'),
    ('ROUND(CAST(0 AS DECIMAL(1, 0)), 0)', 94, 'DECIMAL(1, 0)'),
    ('ROUND(CAST(1.0 AS DECIMAL(2, 1)), 0)', 95, 'DECIMAL(2, 1)'),
    ('ROUND(CAST(1.75 AS DECIMAL(3, 2)), 0)', 98, 'DECIMAL(3, 2)'),
    ('ROUND(CAST(100.1 AS DECIMAL(4, 1)), 0)', 99, 'DECIMAL(4, 1)'),
    ('ROUND(CAST(100.75 AS DECIMAL(5, 2)), 0)', 101, 'DECIMAL(5, 2)'),
    ('ROUND(CAST(100.110 AS DECIMAL(6, 3)), 2)', 106, 'DECIMAL(6, 3)'),
    ('ROUND(CAST(100.1110 AS DECIMAL(7, 4)), 3)', 110, 'DECIMAL(7, 4)'),
    ('ROUND(CAST(12345.67 AS DECIMAL(7, 2)), -1)', 114, 'DECIMAL(7, 2)'),
    ('ROUND(123)', 152, 'BIGINT'),
    ('ROUND(CAST(123 AS BIGINT))', 153, 'BIGINT'),
]


def check(out: Any, kind: str, expected: Any) -> None:
    if kind == "null":
        assert out is None
    elif kind == "nan":
        assert math.isnan(out)
    elif kind == "inf":
        assert math.isinf(out)
    elif kind == "close":
        assert out == pytest.approx(expected, abs=1e-15, rel=0)
    elif isinstance(expected, Decimal):  # BigDecimal.equals: the same value and scale
        assert isinstance(out, Decimal) and out == expected
        assert out.as_tuple().exponent == expected.as_tuple().exponent, (out, expected)
    else:
        assert out == expected and type(out) is type(expected)


@pytest.mark.parametrize(("method", "types", "args", "kind", "expected"), CASES)
def test_round(call: Any, method: str, types: list[Any], args: list[Any], kind: str, expected: Any) -> None:
    check(call("ROUND", types, *args), kind, expected)


def test_through_the_engine(udf: Any) -> None:
    r = udf.select(*[e for e, _, _ in ENGINE])
    assert r.types == [t for _, _, t in ENGINE]
    assert not r.errors
    for out, (_, i, _) in zip(r.values, ENGINE, strict=True):
        check(out, CASES[i][3], CASES[i][4])


@pytest.mark.parametrize("fn", ["ROUND", "TRUNC"])
def test_decimal_without_integer_digits_fails_the_statement(udf: Any, fn: str) -> None:
    """Round/Trunc.provideDecimalSchema gives DECIMAL(precision - scale, 0): for DECIMAL(2, 2) that is
    SqlDecimal.of(0, 0), which throws ("DECIMAL precision must be >= 1"), and
    FunctionLoaderUtils.invokeSchemaProviderMethod wraps it: the statement fails."""
    from ksqlserver.errors import KsqlError

    name = "Round" if fn == "ROUND" else "trunc"
    with pytest.raises(KsqlError) as err:
        udf.select(f"{fn}(CAST(0.25 AS DECIMAL(2, 2)))")
    assert err.value.message == f"Cannot invoke the schema provider method provideDecimalSchema for UDF {name}. "
    assert udf.select(f"{fn}(CAST(0.25 AS DECIMAL(2, 2)), 1)").values == [Decimal("0.30" if fn == "ROUND" else "0.20")]


def test_java_math_round_is_exact(call: Any) -> None:
    """Round.round(Double) is Math.round: floor(x + 1/2) computed exactly, so the largest double below 0.5
    rounds to 0 (x + 0.5 in doubles is 1.0); ties go up, NaN is 0, infinities saturate."""
    assert call("ROUND", [D], 0.49999999999999994) == 0
    assert call("ROUND", [D], -0.5) == 0 and call("ROUND", [D], -2.5) == -2
    assert call("ROUND", [D], math.nan) == 0 and call("ROUND", [D], math.inf) == 2**63 - 1


def test_many_decimal_places_leave_the_value(call: Any) -> None:
    """roundBigDecimal(BigDecimal.valueOf(1.5), 400) only appends zeros: doubleValue is 1.5 again."""
    assert call("ROUND", [D, INT], 1.5, 400) == 1.5
    assert call("ROUND", [T.decimal(3, 2), INT], Decimal("1.25"), 400) == Decimal("1.25")
