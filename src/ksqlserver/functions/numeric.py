"""Math functions with Java's results: Math.round (half up, NaN -> 0), int overflow in ABS, NaN and
infinities where Python's math module raises, ksqlDB's decimal rounding (halves towards +infinity)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError, KsqlFunctionError
from ksqlserver.formats.javatext import java_double
from ksqlserver.functions.paramtypes import Arg
from ksqlserver.functions.registry import FunctionRegistry, V, common_type, udf

_CTX = Context(prec=200)
_LONG_MAX, _LONG_MIN = 2**63 - 1, -(2**63)


def wrap32(x: int) -> int:
    return ((x + 2**31) & 0xFFFFFFFF) - 2**31


def wrap64(x: int) -> int:
    return ((x + 2**63) & 0xFFFFFFFFFFFFFFFF) - 2**63


def java_long(x: float) -> int:
    """A double cast to long: NaN is 0, out-of-range values saturate."""
    if x != x:
        return 0
    if x >= 9.223372036854776e18:
        return _LONG_MAX
    if x <= -9.223372036854776e18:
        return _LONG_MIN
    return int(x)


def java_round(x: float) -> int:
    """Math.round(double): floor(x + 1/2) computed exactly (its bit arithmetic; x + 0.5 in doubles rounds
    0.49999999999999994 up to 1), saturating."""
    if x != x:
        return 0
    return java_long(float(math.floor(Fraction(x) + Fraction(1, 2)))) if math.isfinite(x) else java_long(x)


def _big(x: float) -> Decimal:
    """BigDecimal.valueOf(double): the decimal of Double.toString."""
    if not math.isfinite(x):
        raise EvaluationError(f"Character {java_double(x)[0]} is neither a decimal digit number, decimal point, "
                              f"nor \"e\" notation exponential mark.")
    return Decimal(java_double(x).replace("E", "e"))


def _unsigned_zero(d: Decimal) -> Decimal:
    """BigDecimal has no negative zero: ROUND(-0.4) and CEIL(-0.4) are 0, not -0."""
    return d.copy_abs() if d.is_zero() else d


def _set_scale(d: Decimal, places: int, mode: str) -> Decimal:
    exp = d.as_tuple().exponent
    if isinstance(exp, int) and places > 0 and -places <= exp <= 0:
        # nothing to round: BigDecimal.setScale only appends zeros, which every caller drops again (and a
        # scale of hundreds of places would exceed the context's precision)
        return _unsigned_zero(d)
    return _unsigned_zero(d.quantize(Decimal(1).scaleb(-places), rounding=mode, context=_CTX))


def _round_big(d: Decimal, places: int) -> Decimal:
    return _set_scale(d, places, ROUND_HALF_UP if d > 0 else ROUND_HALF_DOWN)


def round_double(x: float, places: int) -> float:
    return float(_round_big(_big(x), places)) + 0.0


def trunc_double(x: float, places: int) -> float:
    return float(_set_scale(_big(x), places, ROUND_DOWN)) + 0.0


def _keep_scale(r: Decimal, d: Decimal) -> Decimal:
    return _unsigned_zero(r.quantize(Decimal(1).scaleb(d.as_tuple().exponent), context=_CTX))  # type: ignore[arg-type]


def round_decimal(d: Decimal, places: int = 0) -> Decimal:
    return _round_big(d, places)


def round_decimal_places(d: Decimal, places: int) -> Decimal:
    return _keep_scale(_round_big(d, places), d)


def trunc_decimal(d: Decimal, places: int = 0) -> Decimal:
    return _set_scale(d, places, ROUND_DOWN)


def trunc_decimal_places(d: Decimal, places: int) -> Decimal:
    return _keep_scale(_set_scale(d, places, ROUND_DOWN), d)


def floor_decimal(d: Decimal) -> Decimal:
    return _keep_scale(_set_scale(d, 0, ROUND_FLOOR), d)


def ceil_decimal(d: Decimal) -> Decimal:
    return _keep_scale(_set_scale(d, 0, ROUND_CEILING), d)


def _int_part(udf_name: str) -> Callable[[Sequence[Arg]], SqlType]:
    """Round/Trunc.provideDecimalSchema: DECIMAL(precision - scale, 0). A DECIMAL(p, p) argument has no
    integer digits: SqlDecimal.of(0, 0) throws, which FunctionLoaderUtils.invokeSchemaProviderMethod
    wraps, so the statement fails."""

    def provide(args: Sequence[Arg]) -> SqlType:
        t = args[0] if isinstance(args[0], SqlType) else T.decimal(1, 0)
        precision = (t.precision or 1) - (t.scale or 0)
        if precision < 1:
            raise KsqlFunctionError(
                f"Cannot invoke the schema provider method provideDecimalSchema for UDF {udf_name}. ", udf_name
            )
        return T.decimal(precision, 0)

    return provide


def _first(args: Sequence[Arg]) -> SqlType:
    t = args[0]
    if not isinstance(t, SqlType) or t.base != "DECIMAL":
        raise EvaluationError("The schema provider method expects a BigDecimal parameter type")
    return t


def _widened(args: Sequence[Arg]) -> SqlType:
    t = common_type([T.decimal_for_int(a) for a in args if isinstance(a, SqlType)])
    return t if t is not None else T.decimal(38, 18)


def java_math(f: Callable[[float], float], odd: bool = False) -> Callable[[Any], float]:
    """A math function with Java's NaN/infinity results where Python raises (`odd`: an overflow keeps
    the argument's sign, as for sinh)."""

    def call(x: Any) -> float:
        x = float(x)
        try:
            return f(x)
        except OverflowError:
            return math.copysign(math.inf, x) if odd else math.inf
        except ValueError:
            return math.nan

    return call


def cbrt(x: float) -> float:
    """Math.cbrt: exact for perfect cubes (the platform's cbrt may be an ulp off), the nearest double
    cube root otherwise."""
    if not math.isfinite(x) or x == 0:
        return x
    y = math.cbrt(x)
    target = Fraction(x)
    return min((math.nextafter(y, -math.inf), y, math.nextafter(y, math.inf)),
               key=lambda c: abs(Fraction(c) ** 3 - target))


def ln(x: Any) -> float:
    x = float(x)
    if x != x or x < 0:
        return math.nan
    return -math.inf if x == 0 else math.log(x)


def log_base(base: Any, x: Any) -> float:
    b, v = float(base), float(x)
    if b <= 0 or b == 1:
        return math.nan
    return _fdiv(ln(v), math.log(b))


def _fdiv(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or a != a:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def java_pow(base: Any, exp: Any) -> float:
    b, e = float(base), float(exp)
    try:
        return math.pow(b, e)
    except OverflowError:
        return -math.inf if b < 0 and e == int(e) and int(e) % 2 else math.inf
    except ValueError:
        if b == 0 and e < 0:  # 0 ** negative
            return -math.inf if math.copysign(1, b) < 0 and e == int(e) and int(e) % 2 else math.inf
        return math.nan


def exp(x: Any) -> float:
    try:
        return math.exp(float(x))
    except OverflowError:
        return math.inf


def sign_double(x: float) -> int:
    return 0 if x != x else (x > 0) - (x < 0)


def sign(x: int) -> int:
    return (x > 0) - (x < 0)


def _double_key(x: float) -> tuple[bool, float, float]:
    """Double.compareTo: NaN above everything, -0.0 below 0.0."""
    return (x != x, x, math.copysign(1.0, x))


_SIGNED = bytes((b + 128) % 256 for b in range(256))


def _bytes_key(b: bytes) -> bytes:
    """ByteBuffer.compareTo compares signed bytes."""
    return b.translate(_SIGNED)


def _pick(best: Callable[..., Any], key: Callable[[Any], Any] | None = None) -> Callable[..., Any]:
    def call(*vals: Any) -> Any:
        present = [v for v in vals if v is not None]
        if not present:
            return None
        return best(present, key=key) if key is not None else best(present)

    return call


def abs32(x: int) -> int:
    return wrap32(abs(x))


def abs64(x: int) -> int:
    return wrap64(abs(x))


def identity(x: Any) -> Any:
    return x


def floor_double(x: float) -> float:
    return float(math.floor(x)) if math.isfinite(x) else x


def ceil_double(x: float) -> float:
    return float(math.ceil(x)) + 0.0 if math.isfinite(x) else x


def abs_decimal(d: Decimal) -> Decimal:
    """Exact, as BigDecimal.abs(): Decimal's abs() rounds to its context's 28 digits."""
    return d.copy_abs()


def register(r: FunctionRegistry) -> None:
    udf(r, "ABS", "MATHEMATICAL",
        "Returns the absolute value of its argument. If the argument is not negative, the argument is "
        "returned. If the argument is negative, the negation of the argument is returned.",
        V(["INT val"], "INT", abs32),
        V(["BIGINT val"], "BIGINT", abs64),
        V(["DOUBLE val"], "DOUBLE", abs),
        V(["DECIMAL val"], _first, abs_decimal, declared="DECIMAL"),
        java_name="Abs",
    )
    udf(r, "ROUND", "MATHEMATICAL",
        "Round a value to the number of decimal places as specified by scale to the right of the decimal "
        "point. If scale is negative then value is rounded to the right of the decimal point. Numbers "
        "equidistant to the nearest value are rounded up (in the positive direction). If the number of "
        "decimal places is not provided it defaults to zero.",
        V(["BIGINT val"], "BIGINT", identity),
        V(["INT val"], "BIGINT", identity),
        V(["DOUBLE val"], "BIGINT", java_round),
        V(["DOUBLE val", "INT decimalPlaces"], "DOUBLE", round_double),
        V(["DECIMAL val"], _int_part("Round"), round_decimal, declared="DECIMAL"),
        V(["DECIMAL val", "INT decimalPlaces"], _first, round_decimal_places, declared="DECIMAL"),
        java_name="Round",
    )
    udf(r, "TRUNC", "MATHEMATICAL",
        "Truncates a value to the number of decimal places as specified by scale to the right of the "
        "decimal point. If scale is negative then value is truncated to the right of the decimal point.",
        V(["BIGINT val"], "BIGINT", identity),
        V(["INT val"], "BIGINT", identity),
        V(["DOUBLE val"], "BIGINT", java_long),
        V(["DOUBLE val", "INT decimalPlaces"], "DOUBLE", trunc_double),
        V(["DECIMAL val"], _int_part("trunc"), trunc_decimal, declared="DECIMAL"),
        V(["DECIMAL val", "INT decimalPlaces"], _first, trunc_decimal_places, declared="DECIMAL"),
        java_name="trunc",
    )
    udf(r, "FLOOR", "MATHEMATICAL",
        "Returns the largest integer less than or equal to the specified numeric expression.",
        V(["INT val"], "INT", identity),
        V(["BIGINT val"], "BIGINT", identity),
        V(["DOUBLE val"], "DOUBLE", floor_double),
        V(["DECIMAL val"], _first, floor_decimal, declared="DECIMAL"),
        java_name="Floor",
    )
    udf(r, "CEIL", "MATHEMATICAL",
        "Returns the smallest integer greater than or equal to the specified numeric expression.",
        V(["INT val"], "INT", identity),
        V(["BIGINT val"], "BIGINT", identity),
        V(["DOUBLE val"], "DOUBLE", ceil_double),
        V(["DECIMAL val"], _first, ceil_decimal, declared="DECIMAL"),
        java_name="Ceil",
    )
    udf(r, "SIGN", "MATHEMATICAL",
        "The sign of a value.",
        V(
            ["INT value"], "INT", sign,
            "Returns the sign of an INT value, denoted by 1, 0 or -1.",
            docs=["The value to get the sign of."],
        ),
        V(
            ["BIGINT value"], "INT", sign,
            "Returns the sign of an BIGINT value, denoted by 1, 0 or -1.",
            docs=["The value to get the sign of."],
        ),
        V(
            ["DOUBLE value"], "INT", sign_double,
            "Returns the sign of an DOUBLE value, denoted by 1, 0 or -1.",
            docs=["The value to get the sign of."],
        ),
        java_name="sign",
    )
    udf(r, "SQRT", "MATHEMATICAL",
        "The square root of a value.",
        V(
            ["INT value"], "DOUBLE", java_math(math.sqrt),
            "Returns the correctly rounded positive square root of a DOUBLE value",
            docs=["The value to get the square root of."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", java_math(math.sqrt),
            "Returns the correctly rounded positive square root of a DOUBLE value",
            docs=["The value to get the square root of."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", java_math(math.sqrt),
            "Returns the correctly rounded positive square root of a DOUBLE value",
            docs=["The value to get the square root of."],
        ),
        java_name="sqrt",
    )
    udf(r, "CBRT", "MATHEMATICAL",
        "The cube root of a value.",
        V(
            ["INT value"], "DOUBLE", java_math(cbrt),
            "Returns the cube root of an INT value",
            docs=["The value to get the cube root of."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", java_math(cbrt),
            "Returns the cube root of a BIGINT value",
            docs=["The value to get the cube root of."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", java_math(cbrt),
            "Returns the cube root of a DOUBLE value",
            docs=["The value to get the cube root of."],
        ),
        java_name="cbrt",
    )
    udf(r, "LN", "MATHEMATICAL",
        "The natural logarithm of a value.",
        V(
            ["INT value"], "DOUBLE", ln,
            "Returns the natural logarithm (base e) of an INT value.",
            docs=["the value get the natual logarithm of."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", ln,
            "Returns the natural logarithm (base e) of a BIGINT value.",
            docs=["the value get the natual logarithm of."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", ln,
            "Returns the natural logarithm (base e) of a DOUBLE value.",
            docs=["the value get the natual logarithm of."],
        ),
        java_name="ln",
    )
    udf(r, "LOG", "MATHEMATICAL",
        "The logarithm of a value.",
        V(
            ["INT value"], "DOUBLE", ln,
            "Returns the base 10 logarithm of an INT value.",
            docs=["the value get the base 10 logarithm of."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", ln,
            "Returns the base 10 logarithm of a BIGINT value.",
            docs=["the value get the base 10 logarithm of."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", ln,
            "Returns the base 10 logarithm of a DOUBLE value.",
            docs=["the value get the base 10 logarithm of."],
        ),
        V(
            ["INT base", "INT value"], "DOUBLE", log_base,
            "Returns the logarithm with the given base of an INT value.",
            docs=["the base of the logarithm.", "the value get the logarithm of."],
        ),
        V(
            ["BIGINT base", "BIGINT value"], "DOUBLE", log_base,
            "Returns the logarithm with the given base of a BIGINT value.",
            docs=["the base of the logarithm.", "the value get the logarithm of."],
        ),
        V(
            ["DOUBLE base", "DOUBLE value"], "DOUBLE", log_base,
            "Returns the logarithm with the given base of a DOUBLE value.",
            docs=["the base of the logarithm.", "the value get the logarithm of."],
        ),
        java_name="log",
    )
    udf(r, "EXP", "MATHEMATICAL",
        "The exponential of a value.",
        V(
            ["INT exponent"], "DOUBLE", exp,
            "Returns Euler's number e raised to the power of an INT value.",
            docs=["the exponent to raise e to."],
        ),
        V(
            ["BIGINT exponent"], "DOUBLE", exp,
            "Returns Euler's number e raised to the power of a BIGINT value.",
            docs=["the exponent to raise e to."],
        ),
        V(
            ["DOUBLE exponent"], "DOUBLE", exp,
            "Returns Euler's number e raised to the power of a DOUBLE value.",
            docs=["the exponent to raise e to."],
        ),
        java_name="exp",
    )
    udf(r, "POWER", "MATHEMATICAL",
        "Given a base and an exponent, returns the result of the base raised to the exponent.",
        V(
            ["INT base", "INT exponent"], "DOUBLE", java_pow,
            "Returns the INT base raised to the INT exponent.",
            docs=["the base of the power.", "the exponent of the power."],
        ),
        V(
            ["BIGINT base", "BIGINT exponent"], "DOUBLE", java_pow,
            "Returns the BIGINT base raised to the BIGINT exponent.",
            docs=["the base of the power.", "the exponent of the power."],
        ),
        V(
            ["DOUBLE base", "DOUBLE exponent"], "DOUBLE", java_pow,
            "Returns the DOUBLE base raised to the DOUBLE exponent.",
            docs=["the base of the power.", "the exponent of the power."],
        ),
        java_name="power",
    )
    udf(r, "RANDOM", "MATHEMATICAL",
        "Returns a random number greater than or equal to 0.0 and less than 1.0.",
        V([], "DOUBLE", random.random),
        author="", java_name="random",
    )
    udf(r, "PI", "MATHEMATICAL",
        "Returns an approximate value of pi.",
        V([], "DOUBLE", lambda:math.pi, "Returns an approximate value of pi"),
        java_name="pi",
    )
    udf(r, "GREATEST", "MATHEMATICAL",
        "Returns the highest non-null value among a variable number of comparable columns.",
        V(["INT val", "INT... vals"], "INT", _pick(max), nino=False),
        V(["BIGINT val", "BIGINT... vals"], "BIGINT", _pick(max), nino=False),
        V(["DOUBLE val", "DOUBLE... vals"], "DOUBLE", _pick(max,_double_key), nino=False),
        V(["VARCHAR val", "VARCHAR... vals"], "VARCHAR", _pick(max), nino=False),
        V(["BYTES val", "BYTES... vals"], "BYTES", _pick(max,_bytes_key), nino=False),
        V(["DATE val", "DATE... vals"], "DATE", _pick(max), nino=False),
        V(["TIME val", "TIME... vals"], "TIME", _pick(max), nino=False),
        V(["TIMESTAMP val", "TIMESTAMP... vals"], "TIMESTAMP", _pick(max), nino=False),
        V(["DECIMAL val", "DECIMAL... vals"], _widened, _pick(max), declared="DECIMAL", nino=False),
        java_name="greatest",
    )
    udf(r, "LEAST", "MATHEMATICAL",
        "Returns the lowest non-null value among a variable number of comparable columns",
        V(["INT val", "INT... vals"], "INT", _pick(min), nino=False),
        V(["BIGINT val", "BIGINT... vals"], "BIGINT", _pick(min), nino=False),
        V(["DOUBLE val", "DOUBLE... vals"], "DOUBLE", _pick(min,_double_key), nino=False),
        V(["VARCHAR val", "VARCHAR... vals"], "VARCHAR", _pick(min), nino=False),
        V(["BYTES val", "BYTES... vals"], "BYTES", _pick(min,_bytes_key), nino=False),
        V(["DATE val", "DATE... vals"], "DATE", _pick(min), nino=False),
        V(["TIME val", "TIME... vals"], "TIME", _pick(min), nino=False),
        V(["TIMESTAMP val", "TIMESTAMP... vals"], "TIMESTAMP", _pick(min), nino=False),
        V(["DECIMAL val", "DECIMAL... vals"], _widened, _pick(min), declared="DECIMAL", nino=False),
        java_name="least",
    )
