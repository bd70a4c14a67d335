"""Compact JSON as ksqlDB writes it, including DECIMAL values printed with their scale."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from itertools import chain
from typing import Any

import orjson

_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=lambda o: _fallback(o))


class _HasDecimal(Exception):
    """A Decimal met while encoding: the value is encoded again by the exact-digits path."""


def _fallback(value: Any) -> Any:
    if isinstance(value, Decimal):
        raise _HasDecimal()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def dumps(value: Any) -> str:
    """`json.dumps` with ksqlDB's compact separators; Decimals keep their exact digits (`1.10`)."""
    try:  # most values have no Decimal: one C-encoder pass, no walk over the value first
        return _encoder.encode(value)
    except _HasDecimal:
        pass
    decimals: list[str] = []

    def swap(item: Any) -> Any:
        if isinstance(item, Decimal):
            decimals.append(format(item, "f"))
            return f"\x00dec{len(decimals) - 1}\x00"
        if isinstance(item, list | tuple | set | frozenset):
            return [swap(v) for v in item]
        if isinstance(item, dict):
            return {k: swap(v) for k, v in item.items()}
        return item

    text = _encoder.encode(swap(value))
    for index, digits in enumerate(decimals):
        text = text.replace(f'"\\u0000dec{index}\\u0000"', digits, 1)
    return text


def dumps_bytes(value: Any) -> bytes:
    return dumps(value).encode("utf-8")


_PLAIN = (str, int, bool, type(None))
_INF = float("inf")


def _orjson_agrees(values: Iterable[Any]) -> bool:
    """True when orjson writes these values byte for byte as `dumps` does: plain JSON types only, and no
    float that Python prints in exponent form below 1e-4 (orjson writes `0.00005` for `5e-05`) or that is
    not finite. orjson writes every other float with repr's digits and form, and strings as
    `ensure_ascii=False` does (checked over every code point when this was written)."""
    for v in values:
        t = type(v)
        if t is float:
            if not (v == 0.0 or 1e-4 <= abs(v) < _INF):
                return False
        elif t is list or t is tuple:
            if not _orjson_agrees(v):
                return False
        elif t is dict:
            if not _orjson_agrees(v.values()):
                return False
        elif t not in _PLAIN:  # Decimal, bytes, temporal values, sets: the generic path
            return False
    return True


_FLAT = frozenset({str, int, bool, float, type(None)})


def dumps_row(values: list[Any]) -> bytes:
    """`dumps_bytes` of one result row, the same bytes, several times faster for plain rows. A flat row is
    written by orjson first and checked after: a float orjson writes differently (below 1e-4, or not
    finite) always leaves `e-`, `0.0000` or `null` in its text, and only then are its values looked at."""
    kinds = set(map(type, values))
    if kinds <= _FLAT:
        try:
            out = orjson.dumps(values)
        except TypeError:  # an int beyond 64 bits, a lone surrogate: the generic path
            return dumps_bytes(values)
        if float not in kinds or not (b"e-" in out or b"0.0000" in out or b"null" in out):
            return out
        return out if _orjson_agrees(values) else dumps_bytes(values)
    if _orjson_agrees(values):
        try:
            return orjson.dumps(values)
        except TypeError:  # an int beyond 64 bits, a non-string key, a lone surrogate: the generic path
            pass
    return dumps_bytes(values)


def dumps_rows(rows: list[list[Any]]) -> bytes | None:
    """`dumps_row` of each row joined with ","  (what `[row,row]` holds between its brackets), in one orjson
    call for a batch of flat plain rows; None when a row needs the per-row path."""
    if not rows or set(map(type, rows)) != {list}:
        return None
    kinds = set(map(type, chain.from_iterable(rows)))
    if not kinds <= _FLAT:
        return None
    try:
        out = orjson.dumps(rows)
    except TypeError:
        return None
    if float in kinds and (b"e-" in out or b"0.0000" in out or b"null" in out):
        return None
    return out[1:-1]


def dumps_row_lines(rows: list[list[Any]]) -> bytes:
    """Each row's `dumps_row` and a newline, the delimited framing of a batch."""
    joined = dumps_rows(rows)
    # flat rows: a "],[" outside a string only ends a row, so as many as row boundaries proves none is inside
    if joined is not None and joined.count(b"],[") == len(rows) - 1:
        return joined.replace(b"],[", b"]\n[") + b"\n"
    return b"".join([dumps_row(row) + b"\n" for row in rows])
