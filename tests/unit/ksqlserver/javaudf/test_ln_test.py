"""ksqlDB 0.29 LnTest (function/udf/math): shouldHandleNull, shouldHandleNegative, shouldHandleZero,
shouldHandlePositive; Ln.ln for INT, BIGINT and DOUBLE arguments (each CASES row is one of the Java test's
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
    ('shouldHandleNegative', [D], [-1.0], 'nan', None),
    ('shouldHandleZero', [D], [0.0], 'inf', None),
    ('shouldHandlePositive', [INT], [1], 'is', 0.0),
    ('shouldHandlePositive', [BIG], [1], 'is', 0.0),
    ('shouldHandlePositive', [D], [1.0], 'is', 0.0),
]

# one call per argument type through the engine: (expression, CASES row, result type)
ENGINE = [
    ('LN(CAST(-1.0 AS DOUBLE))', 3, 'DOUBLE'),
    ('LN(1)', 5, 'DOUBLE'),
    ('LN(CAST(1 AS BIGINT))', 6, 'DOUBLE'),
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
def test_ln(call: Any, method: str, types: list[Any], args: list[Any], kind: str, expected: Any) -> None:
    check(call("LN", types, *args), kind, expected)


def test_through_the_engine(udf: Any) -> None:
    r = udf.select(*[e for e, _, _ in ENGINE])
    assert r.types == [t for _, _, t in ENGINE]
    assert not r.errors
    for out, (_, i, _) in zip(r.values, ENGINE, strict=True):
        check(out, CASES[i][3], CASES[i][4])
