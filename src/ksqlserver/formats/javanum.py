"""Java's number parsing and narrowing, as ksqlDB's deserialisers rely on them: Integer.parseInt,
Long.parseLong, Double.parseDouble, new BigDecimal(String), the (int)/(long) casts of Jackson's
intValue/asLong, and DecimalUtil.ensureFit (no rounding: a value needing it is an error)."""

from __future__ import annotations

import math
import re
from decimal import Context, Decimal, InvalidOperation

__all__ = [
    "DecimalFitError",
    "ensure_fit",
    "parse_big_decimal",
    "parse_double",
    "parse_int",
    "parse_long",
    "plain",
    "to_int32",
    "to_int64",
]

_INT = re.compile(r"[+-]?\d+")  # Character.digit: any Unicode decimal digit, as \d
# FloatingDecimal's grammar: decimal (with an optional f/F/d/D suffix), NaN, Infinity, hexadecimal
_DOUBLE = re.compile(r"[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?)")
_HEX_DOUBLE = re.compile(r"([+-]?)0[xX]([0-9a-fA-F]*\.?[0-9a-fA-F]*)[pP]([+-]?[0-9]+)[fFdD]?")
_JAVA_TRIM = "".join(chr(c) for c in range(33))  # String.trim: every char <= ' '
_BIG_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


_CTX = Context(prec=200)  # DECIMAL(38, s) never meets the default 28 digits
MILLIS_PER_DAY = 86_400_000
_SCALES = [Decimal(1).scaleb(-s) for s in range(39)]


class DecimalFitError(ValueError):
    """A value that does not fit a DECIMAL(p, s) (DecimalUtil.ensureFit's two failures)."""


def to_int32(v: int) -> int:
    """The low 32 bits as a signed int, as Java's (int) cast and Number.intValue narrow."""
    v &= 0xFFFFFFFF
    return v - 0x100000000 if v & 0x80000000 else v


def to_int64(v: int) -> int:
    """The low 64 bits as a signed long, as Java's (long) cast and Number.longValue narrow."""
    v &= 0xFFFFFFFFFFFFFFFF
    return v - 0x10000000000000000 if v & 0x8000000000000000 else v


def parse_int(text: str) -> int | None:
    """Integer.parseInt: an optional sign and digits, in range; None where Java throws."""
    if text.isdigit() and text.isascii() and len(text) < 10:  # the common text
        return int(text)
    if _INT.fullmatch(text) is None:
        return None
    v = int(text)
    return v if -(2**31) <= v < 2**31 else None


def parse_long(text: str) -> int | None:
    """Long.parseLong: an optional sign and digits, in range; None where Java throws."""
    if text.isdigit() and text.isascii() and len(text) < 19:  # the common text
        return int(text)
    if _INT.fullmatch(text) is None:
        return None
    v = int(text)
    return v if -(2**63) <= v < 2**63 else None


def parse_double(text: str) -> float | None:
    """Double.parseDouble: surrounding whitespace (chars <= ' ') trimmed, NaN and Infinity, a type suffix,
    hexadecimal floats; None where Java throws NumberFormatException."""
    try:
        v = float(text)
    except ValueError:
        v = None
    # ASCII text without underscores that float() reads to a finite value is in Java's grammar too (and
    # the whitespace float() strips there is all <= ' ', which Java trims): the same value
    if v is not None and text.isascii() and "_" not in text and v - v == 0.0:
        return v
    t = text.strip(_JAVA_TRIM)
    if _DOUBLE.fullmatch(t) is not None:
        if t[-1] in "fFdD":
            t = t[:-1]
        neg = t[0] == "-"
        body = t.lstrip("+-")
        if body == "NaN":
            return math.nan
        if body == "Infinity":
            return -math.inf if neg else math.inf
        return float(t)
    m = _HEX_DOUBLE.fullmatch(t)
    if m is not None and m.group(2) not in ("", "."):
        try:
            return float.fromhex(f"{m.group(1)}0x{m.group(2)}p{m.group(3)}")
        except OverflowError:
            return -math.inf if m.group(1) == "-" else math.inf
    return None


def parse_big_decimal(text: str) -> Decimal | None:
    """new BigDecimal(String): Java's grammar (no whitespace, NaN, infinities or underscores)."""
    if _BIG_DECIMAL.fullmatch(text) is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def plain(d: Decimal) -> str:
    """BigDecimal.toPlainString (BigDecimal has no negative zero)."""
    s = format(d, "f")
    return s[1:] if s.startswith("-") and d == 0 else s


def ensure_fit(value: Decimal, precision: int, scale: int) -> Decimal:
    """DecimalUtil.ensureFit: reject a magnitude of 10^(p - s) or more, then set the scale exactly (a value
    that would need rounding is rejected too); DecimalFitError carries ksqlDB's words."""
    digits = precision - scale
    if abs(value) >= Decimal(10) ** digits:
        raise DecimalFitError(
            f"Numeric field overflow: A field with precision {precision} and scale {scale} must round "
            f"to an absolute value less than 10^{digits}. Got {plain(value)}"
        )
    t = value.as_tuple()
    exp = t.exponent
    assert isinstance(exp, int)
    drop = -exp - scale  # digits beyond the scale: setScale(UNNECESSARY) needs them all zero
    if drop > 0 and any(t.digits[-drop:]):
        raise DecimalFitError(
            f"Cannot fit decimal '{plain(value)}' into DECIMAL({precision}, {scale}) without rounding. "
            f"(Requires {len(t.digits)},{-exp})"
        )
    return value.quantize(_SCALES[scale] if scale < len(_SCALES) else Decimal(1).scaleb(-scale), context=_CTX)




def time_of_day_error(ms: int) -> str | None:
    """ksqlDB's text for a TIME outside one day, or None when `ms` is within it (JSON and DELIMITED alike)."""
    if 0 <= ms <= MILLIS_PER_DAY:
        return None
    return f"Time values must use number of milliseconds greater than 0 and less than {MILLIS_PER_DAY}."
