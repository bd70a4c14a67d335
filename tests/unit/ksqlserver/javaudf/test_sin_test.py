"""ksqlDB 0.29 SinTest (function/udf/math): shouldHandleNull, shouldHandleLessThanNegative2Pi,
shouldHandleNegative, shouldHandleZero, shouldHandlePositive, shouldHandleMoreThanPositive2Pi; Sin.sin for INT,
BIGINT and DOUBLE arguments (each CASES row is one of the Java test's assertions, in order; closeTo's absolute
tolerance kept)."""

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
    ('shouldHandleLessThanNegative2Pi', [D], [-9.1], 'close', -0.3190983623493521),
    ('shouldHandleLessThanNegative2Pi', [D], [-6.3], 'close', -0.016813900484349713),
    ('shouldHandleLessThanNegative2Pi', [INT], [-7], 'close', -0.6569865987187891),
    ('shouldHandleLessThanNegative2Pi', [BIG], [-7], 'close', -0.6569865987187891),
    ('shouldHandleNegative', [D], [-0.43], 'close', -0.41687080242921076),
    ('shouldHandleNegative', [D], [-3.141592653589793], 'close', 0),
    ('shouldHandleNegative', [D], [-6.283185307179586], 'close', 0),
    ('shouldHandleNegative', [INT], [-6], 'close', 0.27941549819892586),
    ('shouldHandleNegative', [BIG], [-6], 'close', 0.27941549819892586),
    ('shouldHandleZero', [D], [0.0], 'close', 0.0),
    ('shouldHandleZero', [INT], [0], 'close', 0.0),
    ('shouldHandleZero', [BIG], [0], 'close', 0.0),
    ('shouldHandlePositive', [D], [0.43], 'close', 0.41687080242921076),
    ('shouldHandlePositive', [D], [3.141592653589793], 'close', 0),
    ('shouldHandlePositive', [D], [6.283185307179586], 'close', 0),
    ('shouldHandlePositive', [INT], [6], 'close', -0.27941549819892586),
    ('shouldHandlePositive', [BIG], [6], 'close', -0.27941549819892586),
    ('shouldHandleMoreThanPositive2Pi', [D], [9.1], 'close', 0.3190983623493521),
    ('shouldHandleMoreThanPositive2Pi', [D], [6.3], 'close', 0.016813900484349713),
    ('shouldHandleMoreThanPositive2Pi', [INT], [7], 'close', 0.6569865987187891),
    ('shouldHandleMoreThanPositive2Pi', [BIG], [7], 'close', 0.6569865987187891),
]

# one call per argument type through the engine: (expression, CASES row, result type)
ENGINE = [
    ('SIN(CAST(-9.1 AS DOUBLE))', 3, 'DOUBLE'),
    ('SIN(-7)', 5, 'DOUBLE'),
    ('SIN(CAST(-7 AS BIGINT))', 6, 'DOUBLE'),
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
def test_sin(call: Any, method: str, types: list[Any], args: list[Any], kind: str, expected: Any) -> None:
    check(call("SIN", types, *args), kind, expected)


def test_through_the_engine(udf: Any) -> None:
    r = udf.select(*[e for e, _, _ in ENGINE])
    assert r.types == [t for _, _, t in ENGINE]
    assert not r.errors
    for out, (_, i, _) in zip(r.values, ENGINE, strict=True):
        check(out, CASES[i][3], CASES[i][4])
