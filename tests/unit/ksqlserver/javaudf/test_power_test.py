"""ksqlDB 0.29 PowerTest (function/udf/math): shouldHandleNull, shouldHandleNegativeExponent,
shouldHandleZeroExponent, shouldHandlePositiveExponent, shouldHandleNegativeBase, shouldHandleZeroBase,
shouldHandleOneBase; Power.power for INT, BIGINT and DOUBLE arguments (each CASES row is one of the Java test's
assertions, in order; closeTo's absolute tolerance kept)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T

INT, BIG, D = T.INTEGER, T.BIGINT, T.DOUBLE

CASES = [
    ('shouldHandleNull', [INT, INT], [None, 13], 'null', None),
    ('shouldHandleNull', [BIG, BIG], [None, 13], 'null', None),
    ('shouldHandleNull', [D, D], [None, 13.0], 'null', None),
    ('shouldHandleNull', [INT, INT], [13, None], 'null', None),
    ('shouldHandleNull', [BIG, BIG], [13, None], 'null', None),
    ('shouldHandleNull', [D, D], [13.0, None], 'null', None),
    ('shouldHandleNegativeExponent', [INT, INT], [15, -1], 'close', 0.06666666666666667),
    ('shouldHandleNegativeExponent', [BIG, BIG], [15, -1], 'close', 0.06666666666666667),
    ('shouldHandleNegativeExponent', [D, D], [15.0, -1.0], 'close', 0.06666666666666667),
    ('shouldHandleNegativeExponent', [INT, INT], [15, -2], 'close', 0.0044444444444444444),
    ('shouldHandleNegativeExponent', [BIG, BIG], [15, -2], 'close', 0.0044444444444444444),
    ('shouldHandleNegativeExponent', [D, D], [15.0, -2.0], 'close', 0.0044444444444444444),
    ('shouldHandleZeroExponent', [INT, INT], [15, 0], 'close', 1.0),
    ('shouldHandleZeroExponent', [BIG, BIG], [15, 0], 'close', 1.0),
    ('shouldHandleZeroExponent', [D, D], [15.0, 0.0], 'close', 1.0),
    ('shouldHandleZeroExponent', [INT, INT], [0, 0], 'close', 1.0),
    ('shouldHandleZeroExponent', [BIG, BIG], [0, 0], 'close', 1.0),
    ('shouldHandleZeroExponent', [D, D], [0.0, 0.0], 'close', 1.0),
    ('shouldHandlePositiveExponent', [INT, INT], [1, 5], 'close', 1.0),
    ('shouldHandlePositiveExponent', [BIG, BIG], [1, 5], 'close', 1.0),
    ('shouldHandlePositiveExponent', [D, D], [1.0, 5.0], 'close', 1.0),
    ('shouldHandlePositiveExponent', [INT, INT], [15, 13], 'close', 1.946195068359375E15),
    ('shouldHandlePositiveExponent', [BIG, BIG], [15, 13], 'close', 1.946195068359375E15),
    ('shouldHandlePositiveExponent', [D, D], [15.0, 13.0], 'close', 1.946195068359375E15),
    ('shouldHandlePositiveExponent', [D, D], [5e-324, 13.0], 'close', 0.0),
    ('shouldHandlePositiveExponent', [D, D], [1.7976931348623157e+308, 13.0], 'is', float('inf')),
    ('shouldHandleNegativeBase', [INT, INT], [-15, 2], 'close', 225.0),
    ('shouldHandleNegativeBase', [BIG, BIG], [-15, 2], 'close', 225.0),
    ('shouldHandleNegativeBase', [D, D], [-15.0, 2.0], 'close', 225.0),
    ('shouldHandleNegativeBase', [INT, INT], [-15, 3], 'close', -3375.0),
    ('shouldHandleNegativeBase', [BIG, BIG], [-15, 3], 'close', -3375.0),
    ('shouldHandleNegativeBase', [D, D], [-15.0, 3.0], 'close', -3375.0),
    ('shouldHandleZeroBase', [INT, INT], [0, 13], 'close', 0.0),
    ('shouldHandleZeroBase', [BIG, BIG], [0, 13], 'close', 0.0),
    ('shouldHandleZeroBase', [D, D], [0.0, 13.0], 'close', 0.0),
    ('shouldHandleOneBase', [INT, INT], [1, 13], 'close', 1.0),
    ('shouldHandleOneBase', [BIG, BIG], [1, 13], 'close', 1.0),
    ('shouldHandleOneBase', [D, D], [1.0, 13.0], 'close', 1.0),
]

# one call per argument type through the engine: (expression, CASES row, result type)
ENGINE = [
    ('POWER(15, -1)', 6, 'DOUBLE'),
    ('POWER(CAST(15 AS BIGINT), CAST(-1 AS BIGINT))', 7, 'DOUBLE'),
    ('POWER(CAST(15.0 AS DOUBLE), CAST(-1.0 AS DOUBLE))', 8, 'DOUBLE'),
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
def test_power(call: Any, method: str, types: list[Any], args: list[Any], kind: str, expected: Any) -> None:
    check(call("POWER", types, *args), kind, expected)


def test_through_the_engine(udf: Any) -> None:
    r = udf.select(*[e for e, _, _ in ENGINE])
    assert r.types == [t for _, _, t in ENGINE]
    assert not r.errors
    for out, (_, i, _) in zip(r.values, ENGINE, strict=True):
        check(out, CASES[i][3], CASES[i][4])
