"""Math and trigonometric functions: Java overflow, NaN and infinities, ksqlDB's rounding and types."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import KsqlFunctionError
from ksqlserver.functions import default_registry

INT, L, D, S = T.INTEGER, T.BIGINT, T.DOUBLE, T.STRING


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def rtype(name: str, types: list[SqlType | None]) -> SqlType:
    return default_registry().require(name).resolve_call(types).returns


def test_abs_keeps_java_overflow() -> None:
    assert call("ABS", [INT], -(2**31)) == -(2**31)  # Math.abs(Integer.MIN_VALUE)
    assert call("ABS", [L], -(2**63)) == -(2**63)
    assert call("ABS", [D], -0.0) == 0.0
    assert call("ABS", [T.decimal(4, 2)], Decimal("-1.50")) == Decimal("1.50")
    assert rtype("ABS", [T.decimal(4, 2)]) == T.decimal(4, 2)


def test_round_follows_java() -> None:
    assert rtype("ROUND", [INT]) == L and call("ROUND", [INT], 5) == 5
    assert (call("ROUND", [D], 2.5), call("ROUND", [D], -2.5), call("ROUND", [D], -2.51)) == (3, -2, -3)
    assert call("ROUND", [D], math.nan) == 0  # Math.round(NaN)
    assert call("ROUND", [D], 1e300) == 2**63 - 1  # saturates
    assert call("ROUND", [D, INT], 1.005, 2) == 1.01  # BigDecimal.valueOf(1.005) is exactly 1.005
    assert call("ROUND", [D, INT], -1.5, 0) == -1.0
    assert call("ROUND", [D, INT], 12345.678, -2) == 12300.0
    assert call("ROUND", [T.decimal(5, 2), INT], Decimal("123.45"), -1) == Decimal("120.00")
    assert call("ROUND", [T.decimal(4, 2)], Decimal("-1.50")) == Decimal("-1")


def test_trunc_floor_ceil() -> None:
    assert rtype("TRUNC", [D]) == L
    assert call("TRUNC", [D], -2.7) == -2
    assert call("TRUNC", [D], math.inf) == 2**63 - 1
    assert call("TRUNC", [D, INT], 1.239, 2) == 1.23
    assert call("TRUNC", [T.decimal(5, 3), INT], Decimal("-1.239"), 1) == Decimal("-1.200")
    assert call("TRUNC", [T.decimal(5, 3)], Decimal("-1.239")) == Decimal("-1")
    assert call("FLOOR", [T.decimal(4, 2)], Decimal("-1.25")) == Decimal("-2.00")
    assert call("CEIL", [T.decimal(4, 2)], Decimal("1.25")) == Decimal("2.00")
    assert call("CEIL", [D], -0.5) == 0.0 and call("FLOOR", [D], math.inf) == math.inf
    assert call("FLOOR", [INT], 7) == 7


def test_sign_and_logarithms() -> None:
    assert (call("SIGN", [INT], -7), call("SIGN", [D], math.nan), call("SIGN", [L], 0)) == (-1, 0, 0)
    assert rtype("SIGN", [T.decimal(3, 1)]) == INT  # the DECIMAL argument is cast to DOUBLE
    assert call("LN", [D], 0.0) == -math.inf and math.isnan(call("LN", [D], -1.0))
    assert call("LOG", [INT], 1) == 0.0  # natural logarithm, as Math.log
    assert math.isnan(call("LOG", [D, D], 1.0, 5.0)) and math.isnan(call("LOG", [D, D], -2.0, 5.0))
    assert call("LOG", [INT, INT], 2, 8) == pytest.approx(3.0)
    assert call("LOG", [D, D], 0.5, 0.0) == math.inf


def test_power_exp_sqrt_cbrt_never_raise() -> None:
    assert call("POWER", [INT, INT], 2, 10) == 1024.0
    assert call("POWER", [D, D], 0.0, -1.0) == math.inf
    assert math.isnan(call("POWER", [D, D], -8.0, 1 / 3))
    assert call("POWER", [D, D], 10.0, 400.0) == math.inf
    assert call("EXP", [INT], 1000) == math.inf
    assert math.isnan(call("SQRT", [D], -1.0))
    assert call("CBRT", [L], -27) == -3.0 and call("CBRT", [D], 2.0) == 1.2599210498948732


def test_trigonometry() -> None:
    assert math.isnan(call("ACOS", [INT], 2))
    assert call("ATAN2", [INT, INT], 1, 1) == pytest.approx(math.pi / 4)
    assert call("COT", [D], 0.0) == math.inf and call("COT", [D], -0.0) == -math.inf
    assert call("SINH", [D], -1000.0) == -math.inf and call("COSH", [D], 1000.0) == math.inf
    assert call("DEGREES", [D], math.pi) == 180.0 and call("RADIANS", [INT], 180) == math.pi
    assert call("PI", []) == math.pi and 0.0 <= call("RANDOM", []) < 1.0


def test_greatest_and_least_follow_java_compare() -> None:
    assert call("GREATEST", [INT, INT, INT], None, 4, 2) == 4
    assert call("GREATEST", [D, D], 1.0, math.nan) != call("GREATEST", [D, D], 1.0, math.nan)  # NaN is largest
    assert call("LEAST", [D, D], 0.0, -0.0) == 0.0 and str(call("LEAST", [D, D], 0.0, -0.0)) == "-0.0"
    assert call("GREATEST", [T.BYTES, T.BYTES], b"\x7f", b"\x80") == b"\x7f"  # signed bytes
    assert call("GREATEST", [S, S, S], "a", "b", None) == "b"
    assert call("LEAST", [INT, INT], None, None) is None
    assert rtype("GREATEST", [INT, INT]) == INT
    assert rtype("GREATEST", [T.decimal(3, 1), T.decimal(5, 3)]) == T.decimal(5, 3)  # widened
    with pytest.raises(KsqlFunctionError, match="ambiguous method parameters \\(DECIMAL\\(3, 1\\), INTEGER\\)"):
        rtype("GREATEST", [T.decimal(3, 1), INT])  # DECIMAL and DOUBLE both take them after casts
