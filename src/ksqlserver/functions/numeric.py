"""Math functions: ksqlDB's return types (ROUND(DOUBLE) is BIGINT) and half-up rounding."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_UP, Context, Decimal
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions.registry import FunctionRegistry, fn, same, unified


def round_half_up(x: float) -> int:
    """Java Math.round: floor(x + 0.5)."""
    return math.floor(x + 0.5)


_CTX = Context(prec=200)


def _half_toward_ceiling(d: Decimal, places: int) -> Decimal:
    """ksqlDB rounds halves towards positive infinity (like Math.round): -1.5 -> -1, 1.5 -> 2."""
    mode = ROUND_HALF_UP if d >= 0 else ROUND_HALF_DOWN
    if places >= 0:
        return d.quantize(Decimal(1).scaleb(-places), rounding=mode, context=_CTX)
    return (
        d.scaleb(places, context=_CTX)
        .quantize(Decimal(1), rounding=mode, context=_CTX)
        .scaleb(-places, context=_CTX)
    )


def round_double(x: float, places: int) -> float:
    return float(_half_toward_ceiling(Decimal(repr(x)), places)) + 0.0


def round_decimal(d: Decimal, places: int = 0, keep_scale: int | None = None) -> Decimal:
    r = _half_toward_ceiling(d, places)
    if keep_scale is not None:
        r = r.quantize(Decimal(1).scaleb(-keep_scale), context=_CTX)
    if r.is_zero() and r.is_signed():
        r = r.copy_abs()
    return r


def _dec_int_part(args: Sequence[SqlType | None]) -> SqlType:
    t = args[0] or T.decimal(1, 0)
    return T.decimal(max((t.precision or 1) - (t.scale or 0), 1), 0)


def _dec_floor(mode: str) -> Any:
    def impl(d: Decimal) -> Decimal:
        return d.quantize(Decimal(1), rounding=mode, context=_CTX).quantize(
            Decimal(1).scaleb(d.as_tuple().exponent)
        )

    return impl


def trunc_double(x: float, places: int = 0) -> float:
    q = Decimal(repr(x))
    r = (
        q.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN, context=_CTX)
        if places >= 0
        else (
            q.scaleb(places, context=_CTX)
            .quantize(Decimal(1), rounding=ROUND_DOWN, context=_CTX)
            .scaleb(-places)
        )
    )
    return float(r)


def sign(x: Any) -> int:
    return (x > 0) - (x < 0)


def _checked(f: Any) -> Any:
    def impl(*a: Any) -> Any:
        try:
            return f(*a)
        except (ValueError, OverflowError):
            return math.nan

    return impl


def ln(x: float) -> float:
    if x == 0:
        return -math.inf
    if x < 0:
        return math.nan
    return math.log(x)


def log_base(b: float, x: float) -> float:
    if b <= 0 or b == 1 or x < 0:
        return math.nan
    if x == 0:
        return -math.inf
    return math.log(x) / math.log(b)


def greatest(*args: Any) -> Any:
    vals = [a for a in args if a is not None]
    return max(vals) if vals else None


def least(*args: Any) -> Any:
    vals = [a for a in args if a is not None]
    return min(vals) if vals else None


def register(r: FunctionRegistry) -> None:
    INT, L, D = T.INTEGER, T.BIGINT, T.DOUBLE
    fn(
        r,
        "ABS",
        "Returns the absolute value of its argument.",
        "MATHEMATICAL",
        (["INTEGER"], INT, abs),
        (["BIGINT"], L, abs),
        (["DOUBLE"], D, abs),
        (["DECIMAL"], same(), abs),
    )
    fn(
        r,
        "ROUND",
        "Rounds a number to the nearest integer or to the given decimal places, half up.",
        "MATHEMATICAL",
        (["INTEGER"], INT, lambda x: x),
        (["BIGINT"], L, lambda x: x),
        (["DOUBLE"], L, round_half_up),
        (["DOUBLE", "INTEGER"], D, round_double),
        (["DECIMAL"], _dec_int_part, lambda d: round_decimal(d, 0)),
        (["DECIMAL", "INTEGER"], same(), lambda d, n, _s=None: round_decimal(d, n, -d.as_tuple().exponent)),
    )
    fn(
        r,
        "FLOOR",
        "Returns the largest integer not greater than the argument.",
        "MATHEMATICAL",
        (["INTEGER"], INT, lambda x: x),
        (["BIGINT"], L, lambda x: x),
        (["DOUBLE"], D, lambda x: float(math.floor(x))),
        (["DECIMAL"], same(), _dec_floor(ROUND_FLOOR)),
    )
    fn(
        r,
        "CEIL",
        "Returns the smallest integer not less than the argument.",
        "MATHEMATICAL",
        (["INTEGER"], INT, lambda x: x),
        (["BIGINT"], L, lambda x: x),
        (["DOUBLE"], D, lambda x: float(math.ceil(x))),
        (["DECIMAL"], same(), _dec_floor(ROUND_CEILING)),
    )
    fn(
        r,
        "TRUNC",
        "Truncates a number towards zero.",
        "MATHEMATICAL",
        (["INTEGER"], INT, lambda x: x),
        (["BIGINT"], L, lambda x: x),
        (["DOUBLE"], L, lambda x: int(x)),
        (["DOUBLE", "INTEGER"], D, trunc_double),
        (["DECIMAL"], _dec_int_part, lambda d: d.quantize(Decimal(1), rounding=ROUND_DOWN, context=_CTX)),
        (["DECIMAL", "INTEGER"], same(), lambda d, n: round_decimal_down(d, n)),
    )
    fn(r, "SQRT", "Returns the square root.", "MATHEMATICAL", (["DOUBLE"], D, _checked(math.sqrt)))
    fn(
        r,
        "CBRT",
        "Returns the cube root.",
        "MATHEMATICAL",
        (["DOUBLE"], D, lambda x: math.copysign(abs(x) ** (1 / 3), x)),
    )
    fn(r, "LN", "Returns the natural logarithm.", "MATHEMATICAL", (["DOUBLE"], D, ln))
    fn(
        r,
        "LOG",
        "Returns the logarithm (natural, or in the given base).",
        "MATHEMATICAL",
        (["DOUBLE"], D, ln),
        (["DOUBLE", "DOUBLE"], D, log_base),
    )
    fn(
        r,
        "EXP",
        "Returns e to the power of the argument.",
        "MATHEMATICAL",
        (["DOUBLE"], D, _checked(math.exp)),
    )
    fn(
        r,
        "POWER",
        "Returns the first argument to the power of the second.",
        "MATHEMATICAL",
        (["DOUBLE", "DOUBLE"], D, _checked(math.pow)),
    )
    fn(
        r,
        "SIGN",
        "Returns the sign of the argument as -1, 0 or 1.",
        "MATHEMATICAL",
        (["INTEGER"], INT, sign),
        (["BIGINT"], INT, sign),
        (["DOUBLE"], INT, sign),
        (["DECIMAL"], INT, sign),
    )
    fn(r, "RANDOM", "Returns a random DOUBLE between 0.0 and 1.0.", "MATHEMATICAL", ([], D, random.random))
    fn(r, "PI", "Returns the value of pi.", "MATHEMATICAL", ([], D, lambda: math.pi))
    for name, f in (
        ("ACOS", math.acos),
        ("ASIN", math.asin),
        ("ATAN", math.atan),
        ("COS", math.cos),
        ("SIN", math.sin),
        ("TAN", math.tan),
        ("COSH", math.cosh),
        ("SINH", math.sinh),
        ("TANH", math.tanh),
        ("DEGREES", math.degrees),
        ("RADIANS", math.radians),
    ):
        fn(
            r,
            name,
            f"Returns the {name.lower()} of the argument.",
            "MATHEMATICAL",
            (["DOUBLE"], D, _checked(f)),
        )
    fn(
        r,
        "COT",
        "Returns the cotangent.",
        "MATHEMATICAL",
        (["DOUBLE"], D, lambda x: 1 / math.tan(x) if math.tan(x) != 0 else math.inf),
    )
    fn(
        r,
        "ATAN2",
        "Returns the angle of the point (x, y).",
        "MATHEMATICAL",
        (["DOUBLE", "DOUBLE"], D, math.atan2),
    )
    fn(
        r,
        "GREATEST",
        "Returns the highest non-null value.",
        "MATHEMATICAL",
        (["T", "T", "..."], unified, greatest, "", False),
    )
    fn(
        r,
        "LEAST",
        "Returns the lowest non-null value.",
        "MATHEMATICAL",
        (["T", "T", "..."], unified, least, "", False),
    )


def round_decimal_down(d: Decimal, places: int) -> Decimal:
    scale = -d.as_tuple().exponent
    if places >= 0:
        r = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN, context=_CTX)
    else:
        r = (
            d.scaleb(places, context=_CTX)
            .quantize(Decimal(1), rounding=ROUND_DOWN, context=_CTX)
            .scaleb(-places)
        )
    return r.quantize(Decimal(1).scaleb(-scale), context=_CTX)
