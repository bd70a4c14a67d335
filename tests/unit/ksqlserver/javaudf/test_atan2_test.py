"""ksqlDB 0.29 Atan2Test (function/udf/math): shouldHandleNull, shouldHandleNegativeYNegativeX,
shouldHandleNegativeYPositiveX, shouldHandleNegativeYZeroX, shouldHandleZeroYNegativeX,
shouldHandleZeroYPositiveX, shouldHandleZeroYZeroX, shouldHandlePositiveYNegativeX,
shouldHandlePositiveYPositiveX, shouldHandlePositiveYZeroX; Atan2.atan2 for INT, BIGINT and DOUBLE arguments
(each CASES row is one of the Java test's assertions, in order; closeTo's absolute tolerance kept)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T

INT, BIG, D = T.INTEGER, T.BIGINT, T.DOUBLE

CASES = [
    ('shouldHandleNull', [INT, INT], [None, 1], 'null', None),
    ('shouldHandleNull', [BIG, BIG], [None, 1], 'null', None),
    ('shouldHandleNull', [D, D], [None, 0.45], 'null', None),
    ('shouldHandleNull', [INT, INT], [1, None], 'null', None),
    ('shouldHandleNull', [BIG, BIG], [1, None], 'null', None),
    ('shouldHandleNull', [D, D], [0.45, None], 'null', None),
    ('shouldHandleNull', [INT, INT], [None, None], 'null', None),
    ('shouldHandleNull', [BIG, BIG], [None, None], 'null', None),
    ('shouldHandleNull', [D, D], [None, None], 'null', None),
    ('shouldHandleNegativeYNegativeX', [D, D], [-1.1, -0.24], 'close', -1.7856117271965553),
    ('shouldHandleNegativeYNegativeX', [D, D], [-6.0, -7.1], 'close', -2.4399674339361113),
    ('shouldHandleNegativeYNegativeX', [INT, INT], [-2, -3], 'close', -2.5535900500422257),
    ('shouldHandleNegativeYNegativeX', [BIG, BIG], [-2, -2], 'close', -2.356194490192345),
    ('shouldHandleNegativeYPositiveX', [D, D], [-1.1, 0.24], 'close', -1.355980926393238),
    ('shouldHandleNegativeYPositiveX', [D, D], [-6.0, 7.1], 'close', -0.7016252196536817),
    ('shouldHandleNegativeYPositiveX', [INT, INT], [-2, 3], 'close', -0.5880026035475675),
    ('shouldHandleNegativeYPositiveX', [BIG, BIG], [-2, 2], 'close', -0.7853981633974483),
    ('shouldHandleNegativeYZeroX', [D, D], [-1.1, 0.0], 'close', -1.5707963267948966),
    ('shouldHandleNegativeYZeroX', [D, D], [-6.0, 0.0], 'close', -1.5707963267948966),
    ('shouldHandleNegativeYZeroX', [INT, INT], [-2, 0], 'close', -1.5707963267948966),
    ('shouldHandleNegativeYZeroX', [BIG, BIG], [-2, 0], 'close', -1.5707963267948966),
    ('shouldHandleZeroYNegativeX', [D, D], [0.0, -0.24], 'close', 3.141592653589793),
    ('shouldHandleZeroYNegativeX', [D, D], [0.0, -7.1], 'close', 3.141592653589793),
    ('shouldHandleZeroYNegativeX', [INT, INT], [0, -3], 'close', 3.141592653589793),
    ('shouldHandleZeroYNegativeX', [BIG, BIG], [0, -2], 'close', 3.141592653589793),
    ('shouldHandleZeroYPositiveX', [D, D], [0.0, 0.24], 'close', 0.0),
    ('shouldHandleZeroYPositiveX', [D, D], [0.0, 7.1], 'close', 0.0),
    ('shouldHandleZeroYPositiveX', [INT, INT], [0, 3], 'close', 0.0),
    ('shouldHandleZeroYPositiveX', [BIG, BIG], [0, 2], 'close', 0.0),
    ('shouldHandleZeroYZeroX', [D, D], [0.0, 0.0], 'close', 0.0),
    ('shouldHandleZeroYZeroX', [D, D], [0.0, 0.0], 'close', 0.0),
    ('shouldHandleZeroYZeroX', [INT, INT], [0, 0], 'close', 0.0),
    ('shouldHandleZeroYZeroX', [BIG, BIG], [0, 0], 'close', 0.0),
    ('shouldHandlePositiveYNegativeX', [D, D], [1.1, -0.24], 'close', 1.7856117271965553),
    ('shouldHandlePositiveYNegativeX', [D, D], [6.0, -7.1], 'close', 2.4399674339361113),
    ('shouldHandlePositiveYNegativeX', [INT, INT], [2, -3], 'close', 2.5535900500422257),
    ('shouldHandlePositiveYNegativeX', [BIG, BIG], [2, -2], 'close', 2.356194490192345),
    ('shouldHandlePositiveYPositiveX', [D, D], [1.1, 0.24], 'close', 1.355980926393238),
    ('shouldHandlePositiveYPositiveX', [D, D], [6.0, 7.1], 'close', 0.7016252196536817),
    ('shouldHandlePositiveYPositiveX', [INT, INT], [2, 3], 'close', 0.5880026035475675),
    ('shouldHandlePositiveYPositiveX', [BIG, BIG], [2, 2], 'close', 0.7853981633974483),
    ('shouldHandlePositiveYZeroX', [D, D], [1.1, 0.0], 'close', 1.5707963267948966),
    ('shouldHandlePositiveYZeroX', [D, D], [6.0, 0.0], 'close', 1.5707963267948966),
    ('shouldHandlePositiveYZeroX', [INT, INT], [2, 0], 'close', 1.5707963267948966),
    ('shouldHandlePositiveYZeroX', [BIG, BIG], [2, 0], 'close', 1.5707963267948966),
]

# one call per argument type through the engine: (expression, CASES row, result type)
ENGINE = [
    ('ATAN2(CAST(-1.1 AS DOUBLE), CAST(-0.24 AS DOUBLE))', 9, 'DOUBLE'),
    ('ATAN2(-2, -3)', 11, 'DOUBLE'),
    ('ATAN2(CAST(-2 AS BIGINT), CAST(-2 AS BIGINT))', 12, 'DOUBLE'),
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
def test_atan2(call: Any, method: str, types: list[Any], args: list[Any], kind: str, expected: Any) -> None:
    check(call("ATAN2", types, *args), kind, expected)


def test_through_the_engine(udf: Any) -> None:
    r = udf.select(*[e for e, _, _ in ENGINE])
    assert r.types == [t for _, _, t in ENGINE]
    assert not r.errors
    for out, (_, i, _) in zip(r.values, ENGINE, strict=True):
        check(out, CASES[i][3], CASES[i][4])
