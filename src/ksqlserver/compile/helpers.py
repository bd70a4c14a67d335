"""Functions the generated code calls: ksqlDB's integer and double division and modulo, DECIMAL arithmetic
with its rounding, LIKE patterns, ksqlDB's nested error handling (calls that yield null on failure), and [] on arrays and maps."""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

_DCTX = Context(prec=120)


def idiv(a: int, b: int) -> int:
    if b == 0:
        raise ZeroDivisionError("/ by zero")
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def imod(a: int, b: int) -> int:
    if b == 0:
        raise ZeroDivisionError("/ by zero")
    r = abs(a) % abs(b)
    return r if a >= 0 else -r


def jcat(a: str | None, b: str | None) -> str:
    """Java's String `a + b`: a null reference is appended as "null" (StringBuilder.append(null))."""
    return ("null" if a is None else a) + ("null" if b is None else b)


def fdiv(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or a != a:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def fmod(a: float, b: float) -> float:
    if b == 0:
        return math.nan
    return math.fmod(a, b)


_DEC_TRAPS = [decimal.Inexact, decimal.DivisionByZero, decimal.InvalidOperation, decimal.Overflow]
_DEC_ERRORS = (
    (decimal.DivisionByZero, "Division by zero"),
    (decimal.DivisionUndefined, "Division undefined"),
    (decimal.DivisionImpossible, "Division impossible"),
    (decimal.Inexact, "Rounding necessary"),
)


def _dec_error(e: decimal.DecimalException) -> ArithmeticError:
    for cls, text in _DEC_ERRORS:
        if isinstance(e, cls):
            return ArithmeticError(text)
    return ArithmeticError(str(e) or type(e).__name__)


def _java_remainder(precision: int) -> Callable[[Decimal, Decimal], Decimal]:
    """BigDecimal.remainder(divisor, MathContext(p)): divideToIntegralValue divides to p digits rounding
    DOWN; a quotient longer than p digits is refused ("Division impossible") only when the digits dropped
    leave a remainder at least the divisor, and the remainder itself is exact."""
    down = Context(prec=max(precision, 1), rounding=decimal.ROUND_DOWN, traps=[decimal.InvalidOperation])
    exact = Context(prec=decimal.MAX_PREC, traps=[decimal.InvalidOperation])

    def rem(a: Decimal, b: Decimal) -> Decimal:
        if abs(a) < abs(b):
            return a
        q = down.divide(a, b)
        if q.as_tuple().exponent < 0:  # type: ignore[operator]
            q = q.to_integral_value(rounding=decimal.ROUND_DOWN)
        r = exact.subtract(a, exact.multiply(q, b))
        if abs(r) >= abs(b):
            raise ArithmeticError("Division impossible")
        return r

    return rem


def dec_op(op: str, precision: int, scale: int) -> Callable[[Decimal, Decimal], Decimal]:
    """ksqlDB's DECIMAL arithmetic: the exact result within `precision` digits, then at `scale`, with
    no rounding allowed (Java's MathContext(p, UNNECESSARY) and setScale(s)): a quotient that does not
    terminate in time, or needs more digits, raises "Rounding necessary" (the column becomes null)."""
    ctx = Context(prec=max(precision, 1), rounding=ROUND_HALF_UP, traps=_DEC_TRAPS)
    qctx = Context(prec=max(precision, 1) + 2, traps=_DEC_TRAPS)
    q = Decimal(1).scaleb(-scale)
    fn = {"+": ctx.add, "-": ctx.subtract, "*": ctx.multiply, "/": ctx.divide}.get(op) or _java_remainder(precision)

    def apply(a: Decimal, b: Decimal) -> Decimal:
        # BigDecimal.divide (and remainder, which divides first) by zero: Python's C decimal reports 0/0 as
        # a bare InvalidOperation, so the two messages are chosen here
        if op in ("/", "%") and b.is_zero():
            raise ArithmeticError("Division undefined" if a.is_zero() else "Division by zero")
        try:
            r = fn(a, b).quantize(q, context=qctx)
        except decimal.DecimalException as e:
            raise _dec_error(e) from None
        return r.copy_abs() if r.is_zero() else r  # BigDecimal has no negative zero (-0.5 * 0 is 0.0)

    return apply


def dec_of_double(d: float) -> Decimal:
    """BigDecimal.valueOf(double): the decimal of the double's shortest text."""
    if d != d or d in (math.inf, -math.inf):
        raise ArithmeticError(f"Character {'N' if d != d else 'I'} is neither a decimal digit number, "
                              "decimal point, nor \"e\" notation exponential mark.")
    return Decimal(repr(d))


_SIGNED = bytes((b ^ 0x80) for b in range(256))


def signed_bytes(b: bytes) -> bytes:
    """A sort key ordering bytes like Java's ByteBuffer.compareTo (signed bytes)."""
    return b.translate(_SIGNED)


def null_boolean() -> Any:
    """A null where Java unboxes a Boolean (AND, OR, NOT, a CASE condition): the evaluation fails."""
    raise TypeError("Cannot unbox a null BOOLEAN")


class JavaNullPointer(TypeError):
    """Java's NullPointerException where generated code unboxes or dereferences a null value."""


def unboxed_null() -> Any:
    """A null operand of arithmetic (Java unboxes it, or calls a BigDecimal method on it): the evaluation
    fails, as the NullPointerException does in ksqlDB's generated code."""
    raise JavaNullPointer("Cannot unbox a null value (java.lang.NullPointerException)")


_ANY = "[^\\n\\r\\u0085\\u2028\\u2029]"  # Java's `.`: any character but a line terminator


def like_regex(pattern: str, escape: str | None) -> re.Pattern[str]:
    """LikeEvaluator's regex: % and _ are wildcards, the escape character makes the next one literal."""
    if escape and (pattern.endswith(escape) and (len(pattern) - len(pattern.rstrip(escape))) % 2 == 1):
        raise ValueError("LIKE pattern must not end with escape character")
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if escape and c == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(f"{_ANY}*" if c == "%" else _ANY if c == "_" else re.escape(c))
        i += 1
    return re.compile("".join(out))


NESTED_MAX = 16  # failures kept for the projection to report (other steps never read them: bounded)


class NestedFailure(Exception):
    """A failure caught by ksqlDB's nested error handling (SqlToJavaVisitor.evaluateOrReturnNull): the
    processing log gets RecordProcessingError("Error processing <what>", cause), not the column's message."""

    def __init__(self, what: str, cause: Exception, message: str | None = None) -> None:
        super().__init__(str(cause))
        self.processing_message = message if message is not None else f"Error processing {what}"
        self.cause = cause


def raise_first(failures: list[Exception]) -> Any:
    e = failures[0]
    failures.clear()
    raise e  # a NestedFailure keeps its own message in the processing log


def guards(
    failures: list[Exception],
) -> tuple[Callable[[Callable[..., Any], str], Callable[..., Any]], Callable[[Callable[[], Any], str], Any]]:
    """ksqlDB's nested error handling: a function call given as another function's argument, a CAST, and
    the items of ARRAY / MAP / STRUCT constructors are evaluated on their own, a failure making them null
    (and noted in `failures` as a `NestedFailure` naming `what` failed, which a projection logs). Elsewhere a
    failing call fails its column or predicate. Returns (quiet: (fn, what) -> fn with failures as null,
    or_null: (thunk, what) -> value)."""

    def quiet(fn: Callable[..., Any], what: str) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            try:
                return fn(*args)
            except Exception as e:
                if len(failures) < NESTED_MAX:
                    failures.append(NestedFailure(what, e))
                return None

        return call

    def or_null(arg: Callable[[], Any], what: str) -> Any:
        try:
            return arg()
        except Exception as e:
            if len(failures) < NESTED_MAX:
                failures.append(NestedFailure(what, e))
            return None

    return quiet, or_null


class JavaClassCast(TypeError):
    """Java's ClassCastException (a default value of another type returned where a value is expected)."""


def predicate_cast_guard(
    failures: list[Exception], java_type: str | None
) -> Callable[[Callable[[], Any], str], Any]:
    """A CAST's nested error handling in a WHERE / HAVING: SqlPredicate evaluates with `false` as the
    default value, so the failing CAST logs and returns `(<type>) defaultValue`: false for a BOOLEAN,
    otherwise a ClassCastException that fails the whole predicate (the row is filtered out)."""

    def or_default(arg: Callable[[], Any], what: str) -> Any:
        try:
            return arg()
        except Exception as e:
            if len(failures) < NESTED_MAX:
                failures.append(NestedFailure(what, e))
            if java_type is None:
                return False
            raise JavaClassCast(
                f"class java.lang.Boolean cannot be cast to class {java_type} (java.lang.Boolean and "
                f"{java_type} are in module java.base of loader 'bootstrap')"
            ) from None

    return or_default


def param_guard(failures: list[Exception]) -> Callable[[Callable[[], Any], str], Any]:
    """A table function's parameter (TableFunctionApplier.evalParam): evaluated as its own expression, a
    failure is null and noted with `message` ("Failed to evaluate table function parameter <i>")."""

    def or_null(arg: Callable[[], Any], message: str) -> Any:
        try:
            return arg()
        except Exception as e:
            if len(failures) < NESTED_MAX:
                failures.append(NestedFailure("", e, message))
            return None

    return or_null


def subscript(base: Any, index: Any) -> Any:
    """ArrayAccess: 1-based, negative from the end, null when out of range; a map's value or null."""
    if isinstance(base, list):
        if index is None:
            raise TypeError("Cannot subscript an ARRAY with a null index")
        n = len(base)
        i = index - 1 if index >= 0 else n + index
        return base[i] if 0 <= i < n else None
    return base.get(index)
