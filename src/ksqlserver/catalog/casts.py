"""CAST and implicit conversions between SQL types, as ksqlDB's CastEvaluator performs them.

`caster(src, dst)` is called once at compile time and returns a null-safe function; narrowing integer casts
wrap like Java, DECIMAL targets round half-up and give null when the value does not fit.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from decimal import Context as _Context
from typing import Any

from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import KsqlStatementError
from ksqlserver.formats.javatext import to_text

Cast = Callable[[Any], Any]
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

_CTX = _Context(prec=200)  # DECIMAL(38, s) arithmetic never hits the default 28 digits


def wrap32(v: int) -> int:
    return (v + 2**31) % 2**32 - 2**31


def wrap64(v: int) -> int:
    return (v + 2**63) % 2**64 - 2**63


def _java_long(d: float) -> int:
    if d != d:
        return 0
    if d >= 2**63:
        return 2**63 - 1
    if d < -(2**63):
        return -(2**63)
    return int(d)


def _java_int(d: float) -> int:
    if d != d:
        return 0
    return max(min(int(d), 2**31 - 1), -(2**31)) if not math.isinf(d) else (2**31 - 1 if d > 0 else -(2**31))


def to_decimal(v: Any, t: SqlType) -> Decimal | None:
    """Fit `v` into DECIMAL(p, s) half-up; None when the integer digits overflow (ksqlDB casts to null)."""
    try:
        d = v if isinstance(v, Decimal) else Decimal(repr(v) if isinstance(v, float) else str(v).strip())
        q = d.quantize(Decimal(1).scaleb(-(t.scale or 0)), rounding=ROUND_HALF_UP, context=_CTX)
    except InvalidOperation:
        return None
    int_digits = len(q.as_tuple().digits) - (t.scale or 0)
    if q != 0 and int_digits > (t.precision or 0) - (t.scale or 0):
        return None
    return q


def struct_text(v: dict[str, Any]) -> str:
    return "Struct{" + ",".join(f"{k}={_text(x)}" for k, x in v.items() if x is not None) + "}"


def _text(v: Any) -> str:
    if isinstance(v, dict):
        return struct_text(v)
    if isinstance(v, Decimal):
        return format(v, "f")
    return to_text(v) or "null"


def parse_timestamp_text(s: str) -> int:
    text = s.strip().replace(" ", "T")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    t = dt.datetime.fromisoformat(text)
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return (t - EPOCH) // dt.timedelta(milliseconds=1)


def unsupported(src: SqlType | None, dst: SqlType) -> KsqlStatementError:
    return KsqlStatementError(f"Cast of {src} to {dst} is not supported")


def caster(src: SqlType | None, dst: SqlType) -> Cast:
    """A null-safe function converting values of `src` to `dst`; raises for impossible casts."""
    f = _raw(src, dst)

    def cast(v: Any) -> Any:
        return None if v is None else f(v)

    return cast


def _raw(src: SqlType | None, dst: SqlType) -> Cast:
    if src is None or src == dst:
        return lambda v: v
    s, d = src.base, dst.base
    if d == "STRING":
        if s == "DECIMAL":
            return lambda v: format(v, "f")
        if s == "STRUCT":
            return struct_text
        if s in ("TIMESTAMP", "DATE", "TIME"):
            return lambda v: to_text(v, s)
        if s == "MAP":
            return lambda v: "{" + ", ".join(f"{k}={_text(x)}" for k, x in v.items()) + "}"
        return lambda v: to_text(v) or ""
    if d == "BOOLEAN":
        if s == "STRING":
            return lambda v: v.strip().lower() == "true"
        raise unsupported(src, dst)
    if d in ("INTEGER", "BIGINT"):
        wrap = wrap32 if d == "INTEGER" else wrap64
        if s in ("INTEGER", "BIGINT"):
            return wrap
        if s == "DOUBLE":
            return _java_int if d == "INTEGER" else _java_long
        if s == "DECIMAL":
            return lambda v: wrap(int(v))
        if s == "STRING":
            return lambda v: wrap(int(v.strip()))
        if s == "TIMESTAMP" and d == "BIGINT":
            return lambda v: v
        raise unsupported(src, dst)
    if d == "DOUBLE":
        if s in ("INTEGER", "BIGINT", "DECIMAL"):
            return float
        if s == "STRING":
            return lambda v: float(v.strip())
        raise unsupported(src, dst)
    if d == "DECIMAL":
        if s in ("INTEGER", "BIGINT", "DECIMAL", "DOUBLE", "STRING"):
            return lambda v: to_decimal(v, dst)
        raise unsupported(src, dst)
    if d == "TIMESTAMP":
        if s == "STRING":
            return parse_timestamp_text
        if s == "DATE":
            return lambda v: v * 86_400_000
        if s == "BIGINT":
            return lambda v: v
        raise unsupported(src, dst)
    if d == "DATE":
        if s == "STRING":
            return lambda v: (dt.date.fromisoformat(v.strip()) - dt.date(1970, 1, 1)).days
        if s == "TIMESTAMP":
            return lambda v: v // 86_400_000
        raise unsupported(src, dst)
    if d == "TIME":
        if s == "STRING":
            return lambda v: (
                lambda t: ((t.hour * 60 + t.minute) * 60 + t.second) * 1000 + t.microsecond // 1000
            )(dt.time.fromisoformat(v.strip()))
        if s == "TIMESTAMP":
            return lambda v: v % 86_400_000
        raise unsupported(src, dst)
    if d == "BYTES":
        raise unsupported(src, dst)
    if d == "ARRAY" and s == "ARRAY":
        item = caster(src.item, dst.item)  # type: ignore[arg-type]
        return lambda v: [item(x) for x in v]
    if d == "MAP" and s == "MAP":
        key = caster(src.key, dst.key)  # type: ignore[arg-type]
        val = caster(src.item, dst.item)  # type: ignore[arg-type]
        return lambda v: {key(k): val(x) for k, x in v.items()}
    if d == "STRUCT" and s == "STRUCT":
        fields = []
        for name, ft in dst.fields or ():
            st = src.field_type(name)
            fields.append((name, caster(st, ft) if st is not None else (lambda v: None), st is not None))
        return lambda v: {n: (c(v.get(n)) if present else None) for n, c, present in fields}
    raise unsupported(src, dst)
