"""ksqlDB 0.29 AcosTest (function/udf/math): shouldHandleNull, shouldHandleLessThanNegativeOne,
shouldHandleNegative, shouldHandleZero, shouldHandlePositive, shouldHandleMoreThanPositiveOne; Acos.acos for
INT, BIGINT and DOUBLE arguments (each CASES row is one of the Java test's assertions, in order; closeTo's
absolute tolerance kept)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T

INT, BIG, D = T.INTEGER, T.BIGINT, T.DOUBLE

CASES = [
    ('shouldHandleNull', [INT], [None], 'null', None),
    ('shouldHandleNull', [BIG], [None], 'null', None),
    ('shouldHandleNull', [D], [None], 'null', None),
    ('shouldHandleLessThanNegativeOne', [D], [-1.1], 'nan', None),
    ('shouldHandleLessThanNegativeOne', [D], [-6.0], 'nan', None),
    ('shouldHandleLessThanNegativeOne', [INT], [-2], 'nan', None),
    ('shouldHandleLessThanNegativeOne', [BIG], [-2], 'nan', None),
    ('shouldHandleNegative', [D], [-0.43], 'close', 2.0152891037307157),
    ('shouldHandleNegative', [D], [-0.5], 'close', 2.0943951023931957),
    ('shouldHandleNegative', [D], [-1.0], 'close', 3.141592653589793),
    ('shouldHandleNegative', [INT], [-1], 'close', 3.141592653589793),
    ('shouldHandleNegative', [BIG], [-1], 'close', 3.141592653589793),
    ('shouldHandleZero', [D], [0.0], 'close', 1.5707963267948966),
    ('shouldHandleZero', [INT], [0], 'close', 1.5707963267948966),
    ('shouldHandleZero', [BIG], [0], 'close', 1.5707963267948966),
    ('shouldHandlePositive', [D], [0.43], 'close', 1.1263035498590777),
    ('shouldHandlePositive', [D], [0.5], 'close', 1.0471975511965979),
    ('shouldHandlePositive', [D], [1.0], 'close', 0.0),
    ('shouldHandlePositive', [INT], [1], 'close', 0.0),
    ('shouldHandlePositive', [BIG], [1], 'close', 0.0),
    ('shouldHandleMoreThanPositiveOne', [D], [1.1], 'nan', None),
    ('shouldHandleMoreThanPositiveOne', [D], [6.0], 'nan', None),
    ('shouldHandleMoreThanPositiveOne', [INT], [2], 'nan', None),
    ('shouldHandleMoreThanPositiveOne', [BIG], [2], 'nan', None),
]

# one call per argument type through the engine: (expression, CASES row, result type)
ENGINE = [
    ('ACOS(CAST(-1.1 AS DOUBLE))', 3, 'DOUBLE'),
    ('ACOS(-2)', 5, 'DOUBLE'),
    ('ACOS(CAST(-2 AS BIGINT))', 6, 'DOUBLE'),
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
def test_acos(call: Any, method: str, types: list[Any], args: list[Any], kind: str, expected: Any) -> None:
    check(call("ACOS", types, *args), kind, expected)


def test_through_the_engine(udf: Any) -> None:
    r = udf.select(*[e for e, _, _ in ENGINE])
    assert r.types == [t for _, _, t in ENGINE]
    assert not r.errors
    for out, (_, i, _) in zip(r.values, ENGINE, strict=True):
        check(out, CASES[i][3], CASES[i][4])
