"""Compact JSON as ksqlDB writes it, including DECIMAL values printed with their scale."""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import Any

_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=lambda o: _fallback(o))


def _fallback(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def _has_decimal(value: Any) -> bool:
    if isinstance(value, Decimal):
        return True
    if isinstance(value, list | tuple):
        return any(_has_decimal(v) for v in value)
    if isinstance(value, dict):
        return any(_has_decimal(v) for v in value.values())
    return False


def dumps(value: Any) -> str:
    """`json.dumps` with ksqlDB's compact separators; Decimals keep their exact digits (`1.10`)."""
    if not _has_decimal(value):
        return _encoder.encode(value)
    decimals: list[str] = []

    def swap(item: Any) -> Any:
        if isinstance(item, Decimal):
            decimals.append(format(item, "f"))
            return f"\x00dec{len(decimals) - 1}\x00"
        if isinstance(item, list | tuple):
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
