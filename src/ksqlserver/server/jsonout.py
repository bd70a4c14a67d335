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
_FLAT = frozenset({str, int, bool, float, type(None)})
_INF = float("inf")


def _orjson_agrees(values: Iterable[Any]) -> bool:
    """True when orjson writes these values byte for byte as `dumps` does: plain JSON types only, and no
    float that Python prints in exponent form below 1e-4 (orjson writes `0.00005` for `5e-05`) or that is
    not finite (orjson writes null). orjson writes every other float with repr's digits and form (both
    print the shortest digits that round-trip), and strings as `ensure_ascii=False` does (checked over every
    code point and a sweep of random doubles when this was written)."""
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


_SUSPECTS = (b"e-", b"0.0000", b"null")


def _suspect(text: bytes) -> bool:
    """orjson's text of a float it writes differently (small, or not finite) always contains one of these."""
    return b"e-" in text or b"0.0000" in text or b"null" in text


def _orjson(value: Any) -> bytes | None:
    try:
        return orjson.dumps(value)
    except TypeError:  # an int beyond 64 bits, a non-string key, a lone surrogate: the generic path
        return None


def dumps_row(values: list[Any]) -> bytes:
    """`dumps_bytes` of one result row: the same bytes, several times faster for rows of plain values. A
    flat row is written by orjson first; its values are looked at only when the text is suspect."""
    kinds = set(map(type, values))
    if kinds <= _FLAT:
        out = _orjson(values)
        if out is not None and (float not in kinds or not _suspect(out) or _orjson_agrees(values)):
            return out
        return dumps_bytes(values)
    if _orjson_agrees(values):
        out = _orjson(values)
        if out is not None:
            return out
    return dumps_bytes(values)


def dumps_rows(rows: list[list[Any]]) -> bytes | None:
    """`dumps_row` of each row joined with "," (what `[row,row]` holds between its brackets), in one orjson
    call for a batch of flat plain rows; None when the rows need the per-row path."""
    if not rows or set(map(type, rows)) != {list}:
        return None
    kinds = set(map(type, chain.from_iterable(rows)))
    if not kinds <= _FLAT:
        return None
    out = _orjson(rows)
    if out is None:
        return None
    body = out[1:-1]
    if float in kinds and _suspect(body):
        # flat rows: a "],[" outside a string only ends a row; as many as row boundaries proves none is
        # inside one, so the rows around each suspect text are found by position and rewritten alone
        if body.count(b"],[") != len(rows) - 1:
            return None
        return _rewrite_suspect_rows(body, rows)
    return body


def _rewrite_suspect_rows(body: bytes, rows: list[list[Any]]) -> bytes:
    pieces: list[bytes] = []
    done = 0  # body[:done] is settled
    # the next place of each suspect text (-1: none left), each searched again only once passed
    nexts = [body.find(p) for p in _SUSPECTS]
    while True:
        hits = [i for i in nexts if i >= 0]
        if not hits:
            break
        hit = min(hits)
        start = body.rfind(b"],[", 0, hit)
        start = 1 if start < 0 else start + 3  # the row's values begin here
        end = body.find(b"],[", hit)
        end = len(body) - 1 if end < 0 else end
        index = body.count(b"],[", 0, start)
        pieces.append(body[done:start])
        pieces.append(dumps_row(rows[index])[1:-1])
        done = end
        nexts = [body.find(p, end) if 0 <= i < end else i for p, i in zip(_SUSPECTS, nexts, strict=True)]
    pieces.append(body[done:])
    return b"".join(pieces)


def dumps_row_lines(rows: list[list[Any]]) -> bytes:
    """Each row's `dumps_row` and a newline, the delimited framing of a batch."""
    joined = dumps_rows(rows)
    # flat rows: a "],[" outside a string only ends a row, so as many as row boundaries proves none is inside
    if joined is not None and joined.count(b"],[") == len(rows) - 1:
        return joined.replace(b"],[", b"]\n[") + b"\n"
    return b"".join([dumps_row(row) + b"\n" for row in rows])
