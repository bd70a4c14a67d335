"""ksqlDB 0.29 LogTest (function/udf/math): shouldHandleNull, shouldHandleNegativeValue, shouldHandleZeroValue,
shouldHandlePositiveValueAndBase, shouldHandleNegativeBase, shouldHandleZeroBase, shouldHandleOneBase; Log.log
for INT, BIGINT and DOUBLE arguments (each CASES row is one of the Java test's assertions, in order; closeTo's
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
    ('shouldHandleNull', [INT, INT], [None, 13], 'null', None),
    ('shouldHandleNull', [BIG, BIG], [None, 13], 'null', None),
    ('shouldHandleNull', [D, D], [None, 13.0], 'null', None),
    ('shouldHandleNull', [INT, INT], [13, None], 'null', None),
    ('shouldHandleNull', [BIG, BIG], [13, None], 'null', None),
    ('shouldHandleNull', [D, D], [13.0, None], 'null', None),
    ('shouldHandleNegativeValue', [INT], [-1], 'nan', None),
    ('shouldHandleNegativeValue', [BIG], [-1], 'nan', None),
    ('shouldHandleNegativeValue', [D], [-1.0], 'nan', None),
    ('shouldHandleNegativeValue', [INT, INT], [15, -1], 'nan', None),
    ('shouldHandleNegativeValue', [BIG, BIG], [15, -1], 'nan', None),
    ('shouldHandleNegativeValue', [D, D], [15.0, -1.0], 'nan', None),
    ('shouldHandleZeroValue', [INT], [0], 'inf', None),
    ('shouldHandleZeroValue', [BIG], [0], 'inf', None),
    ('shouldHandleZeroValue', [D], [0.0], 'inf', None),
    ('shouldHandleZeroValue', [INT, INT], [15, 0], 'inf', None),
    ('shouldHandleZeroValue', [BIG, BIG], [15, 0], 'inf', None),
    ('shouldHandleZeroValue', [D, D], [15.0, 0.0], 'inf', None),
    ('shouldHandlePositiveValueAndBase', [INT], [1], 'close', 0.0),
    ('shouldHandlePositiveValueAndBase', [BIG], [1], 'close', 0.0),
    ('shouldHandlePositiveValueAndBase', [D], [1.0], 'close', 0.0),
    ('shouldHandlePositiveValueAndBase', [INT], [13], 'close', 2.5649493574615367),
    ('shouldHandlePositiveValueAndBase', [BIG], [13], 'close', 2.5649493574615367),
    ('shouldHandlePositiveValueAndBase', [D], [13.0], 'close', 2.5649493574615367),
    ('shouldHandlePositiveValueAndBase', [INT], [1], 'close', 0.0),
    ('shouldHandlePositiveValueAndBase', [BIG], [1], 'close', 0.0),
    ('shouldHandlePositiveValueAndBase', [D], [1.0], 'close', 0.0),
    ('shouldHandlePositiveValueAndBase', [INT, INT], [15, 13], 'close', 0.9471572411831843),
    ('shouldHandlePositiveValueAndBase', [BIG, BIG], [15, 13], 'close', 0.9471572411831843),
    ('shouldHandlePositiveValueAndBase', [D, D], [15.0, 13.0], 'close', 0.9471572411831843),
    ('shouldHandlePositiveValueAndBase', [D, D], [5e-324, 13.0], 'close', -0.003445474597896734),
    ('shouldHandlePositiveValueAndBase', [D, D], [1.7976931348623157e+308, 13.0], 'close', 0.0036137106622471603),
    ('shouldHandleNegativeBase', [INT, INT], [-15, 13], 'nan', None),
    ('shouldHandleNegativeBase', [BIG, BIG], [-15, 13], 'nan', None),
    ('shouldHandleNegativeBase', [D, D], [-15.0, 13.0], 'nan', None),
    ('shouldHandleZeroBase', [INT, INT], [0, 13], 'nan', None),
    ('shouldHandleZeroBase', [BIG, BIG], [0, 13], 'nan', None),
    ('shouldHandleZeroBase', [D, D], [0.0, 13.0], 'nan', None),
    ('shouldHandleOneBase', [INT, INT], [1, 13], 'nan', None),
    ('shouldHandleOneBase', [BIG, BIG], [1, 13], 'nan', None),
    ('shouldHandleOneBase', [D, D], [1.0, 13.0], 'nan', None),
]

# one call per argument type through the engine: (expression, CASES row, result type)
ENGINE = [
    ('LOG(-1)', 9, 'DOUBLE'),
    ('LOG(CAST(-1 AS BIGINT))', 10, 'DOUBLE'),
    ('LOG(CAST(-1.0 AS DOUBLE))', 11, 'DOUBLE'),
    ('LOG(15, -1)', 12, 'DOUBLE'),
    ('LOG(CAST(15 AS BIGINT), CAST(-1 AS BIGINT))', 13, 'DOUBLE'),
    ('LOG(CAST(15.0 AS DOUBLE), CAST(-1.0 AS DOUBLE))', 14, 'DOUBLE'),
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
def test_log(call: Any, method: str, types: list[Any], args: list[Any], kind: str, expected: Any) -> None:
    check(call("LOG", types, *args), kind, expected)


def test_through_the_engine(udf: Any) -> None:
    r = udf.select(*[e for e, _, _ in ENGINE])
    assert r.types == [t for _, _, t in ENGINE]
    assert not r.errors
    for out, (_, i, _) in zip(r.values, ENGINE, strict=True):
        check(out, CASES[i][3], CASES[i][4])
