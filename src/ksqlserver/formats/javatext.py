"""Java's text forms of values: Double.toString, BigDecimal.toString, and ksqlDB's String casts."""

from __future__ import annotations

import base64
import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ksqlserver.formats.java_plain import PLAIN_MAX, PLAIN_MIN, is_plain
from ksqlserver.formats.native import textformats


def py_java_double(d: float) -> str:
    """Double.toString: plain in the range of `java_plain`, else computerised scientific (1.0E10)."""
    r = repr(d)
    if "e" not in r and "n" not in r and is_plain(d):
        return r  # the common case: Python's shortest repr is Java's text here
    return _java_double_slow(d)


def _java_double_slow(d: float) -> str:
    if d != d:
        return "NaN"
    if d in (math.inf, -math.inf):
        return "Infinity" if d > 0 else "-Infinity"
    if d == 0.0:
        return "-0.0" if math.copysign(1.0, d) < 0 else "0.0"
    if d == 5e-324 or d == -5e-324:
        return "4.9E-324" if d > 0 else "-4.9E-324"  # Java prints Double.MIN_VALUE with two digits
    a = abs(d)
    if _TWO53 <= a < _TWO63 and a == int(a):
        return _long_path(d)
    r = repr(d)
    if PLAIN_MIN <= a < PLAIN_MAX:
        if "e" in r:
            r = format(Decimal(r), "f")
        if "." not in r:
            r += ".0"
        return r
    # computerised scientific from repr's shortest digits, by string surgery (no Decimal: this runs per
    # value for small scores and large amounts)
    sign = ""
    if r[0] == "-":
        sign, r = "-", r[1:]
    mant, _, exp = r.partition("e")
    whole, _, frac = mant.partition(".")
    if exp:  # d.ddde+XX: one digit before the point
        digits, sci = whole + frac, int(exp)
    elif whole != "0":  # large: 12345678.0
        digits, sci = whole + frac, len(whole) - 1
    else:  # small: 0.000123
        stripped = frac.lstrip("0")
        digits, sci = stripped, len(stripped) - len(frac) - 1
    digits = digits.lstrip("0").rstrip("0") or "0"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{sci}"


_TWO53, _TWO63 = 2.0**53, 2.0**63
# FloatingDecimal's insignificantDigitsForPow2 for the exponents the integer path meets (p2 = binExp - 54)
_INSIGNIFICANT = (0, 0, 0, 0, 1, 1, 1, 2, 2)


def _long_path(d: float) -> str:
    """Double.toString (JDK 17's FloatingDecimal, not the shortest digits) of an integral double in
    [2^53, 2^63): the integer's digits, its lowest insignificant ones rounded away (half up) by the binary
    exponent, not the shortest round-trip digits; e.g. 3.6285714285714288E16 where repr has ...429e16."""
    a = abs(d)
    lv = int(a)
    p2 = math.frexp(a)[1] - 1 - 54
    insig = _INSIGNIFICANT[p2] if p2 > 1 else 0
    if insig:
        pow10 = 10**insig
        lv, residue = divmod(lv, pow10)
        if residue >= pow10 >> 1:
            lv += 1
    text = str(lv)
    decpt = insig + len(text)
    digits = text.rstrip("0") or "0"
    return f"{'-' if d < 0 else ''}{digits[0]}.{digits[1:] or '0'}E{decpt - 1}"


_native = textformats()
# the compiled twin (formats/native/javatext.c, same digits) when it builds: scores and amounts below 1e-3 or
# above 1e7 are common, and Python's version of that branch costs several microseconds per value
java_double: Callable[[float], str] = py_java_double if _native is None else _native.java_double


def java_decimal(d: Decimal) -> str:
    """BigDecimal.toString (Python's Decimal str follows the same specification)."""
    return str(d)


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def timestamp_text(ms: int) -> str:
    """ksqlDB's TIMESTAMP to STRING: ISO local date-time with milliseconds, UTC."""
    t = EPOCH + dt.timedelta(milliseconds=ms)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}"


def date_text(days: int) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=days)).isoformat()


def time_text(ms: int) -> str:
    s, msec = divmod(ms, 1000)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    text = f"{h:02d}:{m:02d}:{sec:02d}"
    return text + (f".{msec:03d}" if msec else "")


def to_text(value: Any, base: str | None = None) -> str | None:
    """A value as ksqlDB's CAST(x AS STRING) / CONCAT render it (Java toString)."""
    if value is None:
        return None
    if base == "TIMESTAMP":
        return timestamp_text(value)
    if base == "DATE":
        return date_text(value)
    if base == "TIME":
        return time_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, list):
        return "[" + ", ".join("null" if v is None else to_text(v) or "" for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={'null' if v is None else to_text(v)}" for k, v in value.items()) + "}"
    return str(value)
