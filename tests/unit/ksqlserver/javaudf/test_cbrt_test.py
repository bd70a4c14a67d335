"""ksqlDB 0.29 CbrtTest (function/udf/math): shouldHandleNull, shouldHandleNegative, shouldHandleZero,
shouldHandlePositive; Cbrt.cbrt for INT, BIGINT and DOUBLE arguments (each CASES row is one of the Java test's
assertions, in order; closeTo's absolute tolerance kept)."""

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
    ('shouldHandleNegative', [INT], [-8], 'close', -2.0),
    ('shouldHandleNegative', [BIG], [-3], 'close', -1.4422495703074083),
    ('shouldHandleNegative', [D], [-1.0], 'close', -1.0),
    ('shouldHandleZero', [INT], [0], 'close', 0.0),
    ('shouldHandleZero', [BIG], [0], 'close', 0.0),
    ('shouldHandleZero', [D], [0.0], 'close', 0.0),
    ('shouldHandlePositive', [INT], [8], 'close', 2.0),
    ('shouldHandlePositive', [BIG], [3], 'close', 1.4422495703074083),
    ('shouldHandlePositive', [D], [1.0], 'close', 1.0),
]

# one call per argument type through the engine: (expression, CASES row, result type)
ENGINE = [
    ('CBRT(-8)', 3, 'DOUBLE'),
    ('CBRT(CAST(-3 AS BIGINT))', 4, 'DOUBLE'),
    ('CBRT(CAST(-1.0 AS DOUBLE))', 5, 'DOUBLE'),
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
def test_cbrt(call: Any, method: str, types: list[Any], args: list[Any], kind: str, expected: Any) -> None:
    check(call("CBRT", types, *args), kind, expected)


def test_through_the_engine(udf: Any) -> None:
    r = udf.select(*[e for e, _, _ in ENGINE])
    assert r.types == [t for _, _, t in ENGINE]
    assert not r.errors
    for out, (_, i, _) in zip(r.values, ENGINE, strict=True):
        check(out, CASES[i][3], CASES[i][4])
