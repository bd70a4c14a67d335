"""Functions the generated code calls: ksqlDB's integer and double division and modulo, DECIMAL arithmetic
with its rounding, LIKE patterns, ksqlDB's nested error handling (calls that yield null on failure), and [] on arrays and maps."""

from __future__ import annotations

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


def dec_op(op: str, scale: int) -> Callable[[Decimal, Decimal], Decimal]:
    q = Decimal(1).scaleb(-scale)
    if op == "+":
        return lambda a, b: _DCTX.add(a, b).quantize(q, rounding=ROUND_HALF_UP, context=_DCTX)
    if op == "-":
        return lambda a, b: _DCTX.subtract(a, b).quantize(q, rounding=ROUND_HALF_UP, context=_DCTX)
    if op == "*":
        return lambda a, b: _DCTX.multiply(a, b).quantize(q, rounding=ROUND_HALF_UP, context=_DCTX)
    if op == "/":
        return lambda a, b: _DCTX.divide(a, b).quantize(q, rounding=ROUND_HALF_UP, context=_DCTX)
    return lambda a, b: _DCTX.remainder(a, b).quantize(q, rounding=ROUND_HALF_UP, context=_DCTX)


def like_regex(pattern: str, escape: str | None) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if escape and c == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if c == "%" else "." if c == "_" else re.escape(c))
        i += 1
    return re.compile("".join(out), re.S)


NESTED_MAX = 16  # failures kept for the projection to report (other steps never read them: bounded)


def raise_first(failures: list[Exception]) -> Any:
    e = failures[0]
    failures.clear()
    raise e


def guards(failures: list[Exception]) -> tuple[Callable[..., Any], Callable[[Callable[[], Any]], Any]]:
    """ksqlDB's nested error handling: a function call given as another function's argument, a CAST, and
    the items of ARRAY / MAP / STRUCT constructors are evaluated on their own, a failure making them null
    (and noted in `failures`, which a projection reports under the column). Elsewhere a failing call fails
    its column or predicate. Returns (quiet: fn -> fn with failures as null, or_null: thunk -> value)."""

    def quiet(fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            try:
                return fn(*args)
            except Exception as e:
                if len(failures) < NESTED_MAX:
                    failures.append(e)
                return None

        return call

    def or_null(arg: Callable[[], Any]) -> Any:
        try:
            return arg()
        except Exception as e:
            if len(failures) < NESTED_MAX:
                failures.append(e)
            return None

    return quiet, or_null


def subscript(base: Any, index: Any) -> Any:
    if isinstance(base, list):
        n = len(base)
        i = index - 1 if index > 0 else n + index
        return base[i] if 0 <= i < n and index != 0 else None
    return base.get(index)
