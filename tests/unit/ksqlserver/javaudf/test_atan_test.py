"""ksqlDB 0.29 AtanTest (function/udf/math): shouldHandleNull, shouldHandleLessThanNegativeOne,
shouldHandleNegative, shouldHandleZero, shouldHandlePositive, shouldHandleMoreThanPositiveOne; Atan.atan for
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
    ('shouldHandleLessThanNegativeOne', [D], [-1.1], 'close', -0.8329812666744317),
    ('shouldHandleLessThanNegativeOne', [D], [-6.0], 'close', -1.4056476493802699),
    ('shouldHandleLessThanNegativeOne', [INT], [-2], 'close', -1.1071487177940904),
    ('shouldHandleLessThanNegativeOne', [BIG], [-2], 'close', -1.1071487177940904),
    ('shouldHandleNegative', [D], [-0.43], 'close', -0.40609805831761564),
    ('shouldHandleNegative', [D], [-0.5], 'close', -0.4636476090008061),
    ('shouldHandleNegative', [D], [-1.0], 'close', -0.7853981633974483),
    ('shouldHandleNegative', [INT], [-1], 'close', -0.7853981633974483),
    ('shouldHandleNegative', [BIG], [-1], 'close', -0.7853981633974483),
    ('shouldHandleZero', [D], [0.0], 'close', 0.0),
    ('shouldHandleZero', [INT], [0], 'close', 0.0),
    ('shouldHandleZero', [BIG], [0], 'close', 0.0),
    ('shouldHandlePositive', [D], [0.43], 'close', 0.40609805831761564),
    ('shouldHandlePositive', [D], [0.5], 'close', 0.4636476090008061),
    ('shouldHandlePositive', [D], [1.0], 'close', 0.7853981633974483),
    ('shouldHandlePositive', [INT], [1], 'close', 0.7853981633974483),
    ('shouldHandlePositive', [BIG], [1], 'close', 0.7853981633974483),
    ('shouldHandleMoreThanPositiveOne', [D], [1.1], 'close', 0.8329812666744317),
    ('shouldHandleMoreThanPositiveOne', [D], [6.0], 'close', 1.4056476493802699),
    ('shouldHandleMoreThanPositiveOne', [INT], [2], 'close', 1.1071487177940904),
    ('shouldHandleMoreThanPositiveOne', [BIG], [2], 'close', 1.1071487177940904),
]

# one call per argument type through the engine: (expression, CASES row, result type)
ENGINE = [
    ('ATAN(CAST(-1.1 AS DOUBLE))', 3, 'DOUBLE'),
    ('ATAN(-2)', 5, 'DOUBLE'),
    ('ATAN(CAST(-2 AS BIGINT))', 6, 'DOUBLE'),
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
def test_atan(call: Any, method: str, types: list[Any], args: list[Any], kind: str, expected: Any) -> None:
    check(call("ATAN", types, *args), kind, expected)


def test_through_the_engine(udf: Any) -> None:
    r = udf.select(*[e for e, _, _ in ENGINE])
    assert r.types == [t for _, _, t in ENGINE]
    assert not r.errors
    for out, (_, i, _) in zip(r.values, ENGINE, strict=True):
        check(out, CASES[i][3], CASES[i][4])
