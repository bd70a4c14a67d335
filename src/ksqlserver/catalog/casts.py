"""CAST and implicit conversions between SQL types, as ksqlDB 0.29's CastEvaluator performs them.

`caster(src, dst)` is called once at compile time and returns a null-safe function; a pair ksqlDB has no
cast for raises `UnsupportedCast` ("Cast of X to Y is not supported"). At run time a value that does not
convert raises (the compiled CAST turns that into null and a processing-log entry, as ksqlDB does):
integer narrowing wraps like Java's intValue/longValue, DOUBLE to integer saturates, DECIMAL targets
round half-up and fail with "Numeric field overflow" when the integer digits do not fit.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from decimal import Context as _Context
from typing import Any

from ksqlserver.catalog import sqltime
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError, KsqlStatementError
from ksqlserver.formats.javatext import java_double

Cast = Callable[[Any], Any]

_CTX = _Context(prec=400)  # wide enough for any DECIMAL(p, s) ksqlDB can type


class UnsupportedCast(KsqlStatementError):
    """A CAST between types ksqlDB has no conversion for; carries both types."""

    def __init__(self, src: SqlType, dst: SqlType) -> None:
        super().__init__(f"Cast of {src} to {dst} is not supported")
        self.src = src
        self.dst = dst


class CastError(EvaluationError):
    """A value that does not convert (bad number text, DECIMAL overflow, ...)."""


def wrap32(v: int) -> int:
    return (v + 2**31) % 2**32 - 2**31


def wrap64(v: int) -> int:
    return (v + 2**63) % 2**64 - 2**63


def java_long(d: float) -> int:
    """Java's (long) of a double: truncation, saturating, NaN is 0."""
    if d != d:
        return 0
    if d >= 2**63:
        return 2**63 - 1
    if d < -(2**63):
        return -(2**63)
    return int(d)


def java_int(d: float) -> int:
    """Java's (int) of a double: truncation, saturating, NaN is 0."""
    if d != d:
        return 0
    if d >= 2**31 - 1:
        return 2**31 - 1
    if d <= -(2**31):
        return -(2**31)
    return int(d)


# --- DECIMAL ---------------------------------------------------------------------------------------


def ensure_max(value: Decimal, precision: int, scale: int) -> None:
    """ksqlDB's overflow check: |value| must be below 10^(precision - scale), before any rounding."""
    if abs(value) >= Decimal(10) ** (precision - scale):
        raise _overflow(value, precision, scale)


def _overflow(value: Decimal, precision: int, scale: int) -> CastError:
    return CastError(
        f"Numeric field overflow: A field with precision {precision} and scale {scale} must round to an "
        f"absolute value less than 10^{precision - scale}. Got {plain(value)}"
    )


def plain(d: Decimal) -> str:
    """BigDecimal.toPlainString."""
    return format(d, "f")


class DecimalCast:
    """DecimalUtil.cast to DECIMAL(precision, scale) of each source kind, with its constants made once."""

    def __init__(self, precision: int, scale: int) -> None:
        self.precision, self.scale = precision, scale
        self.limit = Decimal(10) ** (precision - scale)
        self.digits = _Context(prec=precision, rounding=ROUND_HALF_UP)
        self.quantum = Decimal(1).scaleb(-scale)

    def _scaled(self, d: Decimal) -> Decimal:
        if abs(d) >= self.limit:
            raise _overflow(d, self.precision, self.scale)
        r = d.quantize(self.quantum, rounding=ROUND_HALF_UP, context=_CTX)
        return r.copy_abs() if r.is_zero() else r  # BigDecimal has no negative zero

    def of_int(self, v: int) -> Decimal:
        """Rounded to `precision` significant digits, checked, scaled (a value too long overflows)."""
        return self._scaled(self.digits.plus(Decimal(v)))

    def of_double(self, v: float) -> Decimal:
        """The exact binary value rounded to `precision` digits, checked, then half-up to the scale."""
        if v - v != 0:
            raise CastError(f"Infinite or NaN: {java_double(v)}")
        return self._scaled(self.digits.plus(Decimal(v)))

    def of_decimal(self, v: Decimal) -> Decimal:
        return self._scaled(v)

    def of_string(self, v: str) -> Decimal:
        return self._scaled(parse_java_decimal(v.strip()))


def decimal_of_int(v: int, precision: int, scale: int) -> Decimal:
    return DecimalCast(precision, scale).of_int(v)


def decimal_of_double(v: float, precision: int, scale: int) -> Decimal:
    return DecimalCast(precision, scale).of_double(v)


def decimal_of_decimal(v: Decimal, precision: int, scale: int) -> Decimal:
    return DecimalCast(precision, scale).of_decimal(v)


_JAVA_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def parse_java_decimal(text: str) -> Decimal:
    """new BigDecimal(text): Java's grammar (no NaN/Infinity, no underscores)."""
    if _JAVA_DECIMAL.fullmatch(text) is None:
        raise CastError(f"Character array is not a valid decimal number: {text}")
    return Decimal(text)


def decimal_of_string(v: str, precision: int, scale: int) -> Decimal:
    return DecimalCast(precision, scale).of_string(v)


def to_decimal(v: Any, t: SqlType) -> Decimal:
    """`v` (int, float, Decimal or str) as DECIMAL(p, s), the way CAST does it."""
    p, s = t.precision or 1, t.scale or 0
    if isinstance(v, bool):
        raise CastError(f"Cannot convert {v} to {t}")
    if isinstance(v, int):
        return decimal_of_int(v, p, s)
    if isinstance(v, float):
        return decimal_of_double(v, p, s)
    if isinstance(v, Decimal):
        return decimal_of_decimal(v, p, s)
    return decimal_of_string(str(v), p, s)


# --- text ------------------------------------------------------------------------------------------

_JAVA_INT = re.compile(r"[+-]?[0-9]+")
_JAVA_DOUBLE = re.compile(r"[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)")


def parse_java_int(text: str, bits: int) -> int:
    """Integer.parseInt / Long.parseLong: ASCII digits with an optional sign, in range."""
    if _JAVA_INT.fullmatch(text) is None:
        raise CastError(f'For input string: "{text}"')
    v = int(text)
    if not -(2 ** (bits - 1)) <= v < 2 ** (bits - 1):
        raise CastError(f'For input string: "{text}"')
    return v


def parse_java_double(text: str) -> float:
    """SqlDoubles.parseDouble: Double.parseDouble without NaN and infinities."""
    t = text.strip()
    if _JAVA_DOUBLE.fullmatch(t) is None:
        raise CastError(f'For input string: "{text}"' if t else "empty String")
    if t[-1] in "fFdD":
        t = t[:-1]
    d = float(t)
    if d != d or d in (math.inf, -math.inf):
        raise CastError(f"Invalid double value: {text}")
    return d


def parse_java_boolean(text: str) -> bool:
    """SqlBooleans.parseBoolean: true for a (case-insensitive) prefix of 'true' or 'yes', else false."""
    s = text.lower()
    return bool(s) and ("true".startswith(s) or "yes".startswith(s))


def parse_java_boolean_exact(text: str) -> bool | None:
    """SqlBooleans.parseBooleanExact: a prefix of 'true'/'yes' or of 'false'/'no', else None."""
    s = text.lower()
    if not s:
        return None
    if "true".startswith(s) or "yes".startswith(s):
        return True
    if "false".startswith(s) or "no".startswith(s):
        return False
    return None


_B64_VALUES = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}


def java_base64(text: str) -> bytes:
    """java.util.Base64.getDecoder().decode(String): the standard alphabet, padding optional (a last unit
    of two or three characters decodes), ValueError with Java's message for anything else."""
    data = text.encode("latin-1", errors="replace")  # String.getBytes(ISO_8859_1): others become '?'
    out = bytearray()
    bits, shift, i, n = 0, 18, 0, len(data)
    while i < n:
        ch = data[i]
        i += 1
        v = _B64_VALUES.get(chr(ch), -1)
        if v < 0:
            if ch == 0x3D:  # '='
                if shift == 18 or (shift == 6 and (i == n or data[(i := i + 1) - 1] != 0x3D)):
                    raise ValueError("Input byte array has wrong 4-byte ending unit")
                break
            signed = ch - 256 if ch > 127 else ch  # Java prints the signed byte in hex
            raise ValueError(f"Illegal base64 character {'-' if signed < 0 else ''}{abs(signed):x}")
        bits |= v << shift
        shift -= 6
        if shift < 0:
            out += bytes(((bits >> 16) & 0xFF, (bits >> 8) & 0xFF, bits & 0xFF))
            bits, shift = 0, 18
    if shift == 6:
        out.append((bits >> 16) & 0xFF)
    elif shift == 0:
        out += bytes(((bits >> 16) & 0xFF, (bits >> 8) & 0xFF))
    elif shift == 12:
        raise ValueError("Last unit does not have enough valid bits")
    if i < n:
        raise ValueError(f"Input byte array has incorrect ending byte at {i}")
    return bytes(out)


def decode_base64(text: str) -> bytes:
    try:
        return java_base64(text)
    except ValueError as e:
        raise CastError(str(e)) from None


def _sql_timestamp_text(ms: int) -> str:
    """java.sql.Timestamp.toString in UTC: `yyyy-mm-dd hh:mm:ss.f` (fraction without trailing zeros)."""
    t = dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms)
    frac = f"{t.microsecond // 1000:03d}".rstrip("0") or "0"
    return t.strftime("%Y-%m-%d %H:%M:%S.") + frac


def _sql_time_text(ms: int) -> str:
    secs = (ms // 1000) % 86_400
    return f"{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}"


def java_string(t: SqlType | None) -> Callable[[Any], str]:
    """Java's toString of a value of type `t` as ksqlDB holds it (String.valueOf in a CAST to STRING):
    lists `[a, b]`, maps `{k=v}`, structs `Struct{F=v}` without null fields, java.sql time types."""
    b = t.base if t is not None else ""
    if b == "BOOLEAN":
        return lambda v: "true" if v else "false"
    if b == "DOUBLE":
        return java_double
    if b == "DECIMAL":
        return str  # BigDecimal.toString
    if b == "TIMESTAMP":
        return _sql_timestamp_text
    if b == "DATE":
        return sqltime.format_date
    if b == "TIME":
        return _sql_time_text
    if b == "BYTES":
        return lambda v: f"java.nio.HeapByteBuffer[pos=0 lim={len(v)} cap={len(v)}]"
    if b == "ARRAY":
        item = _nullable(java_string(t.item))  # type: ignore[union-attr]
        return lambda v: "[" + ", ".join(item(x) for x in v) + "]"
    if b == "MAP":
        key = _nullable(java_string(t.key))  # type: ignore[union-attr]
        val = _nullable(java_string(t.item))  # type: ignore[union-attr]
        return lambda v: "{" + ", ".join(f"{key(k)}={val(x)}" for k, x in v.items()) + "}"
    if b == "STRUCT":
        fields = [(n, java_string(ft)) for n, ft in t.fields or ()]  # type: ignore[union-attr]
        return lambda v: (
            "Struct{" + ",".join(f"{n}={f(v[n])}" for n, f in fields if v.get(n) is not None) + "}"
        )
    return _any_string


def _any_string(v: Any) -> str:
    """Java toString of a value whose type is not known (integers, strings)."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return java_double(v)
    return str(v)


def _nullable(f: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda v: "null" if v is None else f(v)


# --- casts -----------------------------------------------------------------------------------------


_INTERPRETED_NUMBERS = ("STRING", "DECIMAL", "DOUBLE", "INTEGER", "BIGINT")
_INTERPRETED_TIMES = {"TIMESTAMP": ("STRING", "TIMESTAMP", "DATE"), "TIME": ("STRING", "TIME", "TIMESTAMP"),
                      "DATE": ("STRING", "DATE", "TIMESTAMP"), "BYTES": ("BYTES",)}  # fmt: skip


def interpreted_cast_problem(src: SqlType | None, dst: SqlType) -> str | None:
    """What ksqlDB's expression interpreter (pull queries) says of a CAST it has no conversion for, or None.
    Its table differs from the code generator's: no STRING to BYTES, no STRUCT target (not even the same
    struct), and other words ("Unsupported cast from X to Y")."""
    if src is None:
        return None
    f, t = src.base, dst.base
    if t in ("INTEGER", "BIGINT", "DOUBLE"):
        return None if f in _INTERPRETED_NUMBERS else f"Unsupported cast from {src} to {dst}"
    if t == "DECIMAL":
        return None if f in _INTERPRETED_NUMBERS else f"Unsupported cast between {src} and {dst}"
    if t == "STRING":
        return f"Unsupported cast from {src} to {dst}" if f == "BYTES" else None
    if t == "BOOLEAN":
        return None if f in ("STRING", "BOOLEAN") else f"Unsupported cast to BOOLEAN: {src}"
    if t in _INTERPRETED_TIMES:
        return None if f in _INTERPRETED_TIMES[t] else f"Unsupported cast from {src} to {dst}"
    if t == "ARRAY" and f == "ARRAY":
        return interpreted_cast_problem(src.item, dst.item)  # type: ignore[arg-type]
    if t == "MAP":
        if f != "MAP":
            return f"Unsupported cast to {dst}: {src}"
        key = interpreted_cast_problem(src.key, dst.key)  # type: ignore[arg-type]
        return key or interpreted_cast_problem(src.item, dst.item)  # type: ignore[arg-type]
    return f"Unsupported cast from {src} to {dst}"


def caster(src: SqlType | None, dst: SqlType) -> Cast:
    """A null-safe function converting values of `src` to `dst`; raises `UnsupportedCast` at once for
    a pair ksqlDB cannot cast."""
    f = _raw(src, dst)

    def cast(v: Any) -> Any:
        return None if v is None else f(v)

    return cast


def can_cast(src: SqlType | None, dst: SqlType) -> bool:
    try:
        _raw(src, dst)
    except UnsupportedCast:
        return False
    return True


def _raw(src: SqlType | None, dst: SqlType) -> Cast:
    if src is None or src == dst:
        return lambda v: v
    s, d = src.base, dst.base
    if d == "STRING":
        if s == "DECIMAL":
            return plain
        if s == "TIMESTAMP":
            return sqltime.format_timestamp
        if s == "DATE":
            return sqltime.format_date
        if s == "TIME":
            return sqltime.format_time
        if s in ("BOOLEAN", "INTEGER", "BIGINT", "DOUBLE", "ARRAY", "MAP", "STRUCT"):
            return java_string(src)
        raise UnsupportedCast(src, dst)
    if s == "STRING":
        return _from_string(src, dst)
    if d in ("INTEGER", "BIGINT"):
        wrap = wrap32 if d == "INTEGER" else wrap64
        if s in ("INTEGER", "BIGINT"):
            return wrap
        if s == "DOUBLE":
            return java_int if d == "INTEGER" else java_long
        if s == "DECIMAL":
            return lambda v: wrap(int(v))
        raise UnsupportedCast(src, dst)
    if d == "DOUBLE":
        if s in ("INTEGER", "BIGINT", "DECIMAL"):
            return float
        raise UnsupportedCast(src, dst)
    if d == "DECIMAL":
        dc = DecimalCast(dst.precision or 1, dst.scale or 0)
        if s in ("INTEGER", "BIGINT"):
            return dc.of_int
        if s == "DOUBLE":
            return dc.of_double
        if s == "DECIMAL":
            return dc.of_decimal
        raise UnsupportedCast(src, dst)
    if d == "TIMESTAMP" and s == "DATE":
        return lambda v: v * 86_400_000
    if d == "DATE" and s == "TIMESTAMP":
        return sqltime.timestamp_to_date
    if d == "TIME" and s == "TIMESTAMP":
        return sqltime.timestamp_to_time
    try:
        if d == "ARRAY" and s == "ARRAY":
            item = caster(src.item, dst.item)  # type: ignore[arg-type]
            return lambda v: [item(x) for x in v]
        if d == "MAP" and s == "MAP":
            key = caster(src.key, dst.key)  # type: ignore[arg-type]
            val = caster(src.item, dst.item)  # type: ignore[arg-type]
            return lambda v: {key(k): val(x) for k, x in v.items()}
        if d == "STRUCT" and s == "STRUCT":
            mappers = {n: caster(ft, dst.field_type(n)) for n, ft in src.fields or () if dst.field_type(n)}  # type: ignore[arg-type]
            names = [n for n, _ in dst.fields or ()]
            return lambda v: {n: (mappers[n](v.get(n)) if n in mappers else None) for n in names}
    except UnsupportedCast as e:
        raise UnsupportedCast(src, dst) from e
    raise UnsupportedCast(src, dst)


def _from_string(src: SqlType, dst: SqlType) -> Cast:
    d = dst.base
    if d == "BOOLEAN":
        return lambda v: parse_java_boolean(v.strip())
    if d == "INTEGER":
        return lambda v: parse_java_int(v.strip(), 32)
    if d == "BIGINT":
        return lambda v: parse_java_int(v.strip(), 64)
    if d == "DOUBLE":
        return lambda v: parse_java_double(v.strip())
    if d == "DECIMAL":
        return DecimalCast(dst.precision or 1, dst.scale or 0).of_string
    if d == "TIMESTAMP":
        return lambda v: sqltime.parse_timestamp(v.strip())
    if d == "DATE":
        return lambda v: sqltime.parse_date(v.strip())
    if d == "TIME":
        return lambda v: sqltime.parse_time(v.strip())
    if d == "BYTES":
        return lambda v: decode_base64(v.strip())
    raise UnsupportedCast(src, dst)


def unsupported(src: SqlType | None, dst: SqlType) -> KsqlStatementError:
    return KsqlStatementError(f"Cast of {src} to {dst} is not supported")


__all__ = [
    "Cast",
    "CastError",
    "UnsupportedCast",
    "can_cast",
    "caster",
    "java_string",
    "parse_java_boolean",
    "parse_java_boolean_exact",
    "parse_java_double",
    "plain",
    "to_decimal",
    "wrap32",
    "wrap64",
]
