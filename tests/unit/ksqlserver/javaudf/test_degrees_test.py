"""ksqlDB 0.29 DegreesTest (function/udf/math): shouldHandleNull, shouldHandleNegative, shouldHandleZero,
shouldHandlePositive; Degrees.degrees for INT, BIGINT and DOUBLE arguments (each CASES row is one of the Java
test's assertions, in order; closeTo's absolute tolerance kept)."""

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
    ('shouldHandleNegative', [D], [-3.141592653589793], 'close', -180.0),
    ('shouldHandleNegative', [D], [-6.283185307179586], 'close', -360.0),
    ('shouldHandleNegative', [D], [-1.2345], 'close', -70.73163980890013),
    ('shouldHandleNegative', [INT], [-2], 'close', -114.59155902616465),
    ('shouldHandleNegative', [BIG], [-2], 'close', -114.59155902616465),
    ('shouldHandleZero', [INT], [0], 'close', 0.0),
    ('shouldHandleZero', [BIG], [0], 'close', 0.0),
    ('shouldHandleZero', [D], [0.0], 'close', 0.0),
    ('shouldHandlePositive', [D], [3.141592653589793], 'close', 180.0),
    ('shouldHandlePositive', [D], [6.283185307179586], 'close', 360.0),
    ('shouldHandlePositive', [D], [1.2345], 'close', 70.73163980890013),
    ('shouldHandlePositive', [INT], [2], 'close', 114.59155902616465),
    ('shouldHandlePositive', [BIG], [2], 'close', 114.59155902616465),
]

# one call per argument type through the engine: (expression, CASES row, result type)
ENGINE = [
    ('DEGREES(CAST(-3.141592653589793 AS DOUBLE))', 3, 'DOUBLE'),
    ('DEGREES(-2)', 6, 'DOUBLE'),
    ('DEGREES(CAST(-2 AS BIGINT))', 7, 'DOUBLE'),
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
def test_degrees(call: Any, method: str, types: list[Any], args: list[Any], kind: str, expected: Any) -> None:
    check(call("DEGREES", types, *args), kind, expected)


def test_through_the_engine(udf: Any) -> None:
    r = udf.select(*[e for e, _, _ in ENGINE])
    assert r.types == [t for _, _, t in ENGINE]
    assert not r.errors
    for out, (_, i, _) in zip(r.values, ENGINE, strict=True):
        check(out, CASES[i][3], CASES[i][4])
