"""What the built-in aggregates share: the factory signature and Java's arithmetic, ordering and equality."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ksqlserver.catalog.types import STRING, SqlType
from ksqlserver.functions.aggregator import Aggregator
from ksqlserver.functions.numeric import _bytes_key, _double_key, wrap32, wrap64

Factory = Callable[[Sequence[SqlType | None], Sequence[Any], bool, Mapping[str, str]], Aggregator]
INT_MAX = 2**31 - 1


def java_wrap(t: SqlType | None) -> Callable[[int], int]:
    return wrap32 if t is not None and t.base == "INTEGER" else wrap64


def java_key(t: SqlType | None) -> Callable[[Any], Any] | None:
    """Java's compareTo as a sort key where Python's order differs (doubles, bytes, strings)."""
    if t is not None and t.base == "DOUBLE":
        return _double_key
    if t is not None and t.base == "BYTES":
        return _bytes_key
    if t is not None and t.base == "STRING":
        return utf16_key
    return None


def utf16_key(s: str) -> bytes:
    """String.compareTo compares UTF-16 code units: a character past U+FFFF (a surrogate pair, D800-DFFF)
    sorts below U+E000-U+FFFF, unlike Python's code point order. Big-endian bytes keep the unit order."""
    return s.encode("utf-16-be", "surrogatepass")


def java_greater(t: SqlType | None) -> Callable[[Any, Any], bool]:
    """`x.compareTo(y) > 0` for values of type `t` (neither null)."""
    if t is not None and t.base == "STRING":
        # code point and code unit orders agree unless both strings hold non-ASCII characters
        return lambda x, y: x > y if x.isascii() or y.isascii() else utf16_key(x) > utf16_key(y)
    key = java_key(t)
    if key is None:
        return lambda x, y: x > y
    return lambda x, y: key(x) > key(y)


def java_equals(x: Any, y: Any) -> bool:
    """Objects.equals over ksqlDB's Java values: Double.equals (NaN equals NaN, -0.0 differs from 0.0) and
    BigDecimal.equals (the scale counts), also inside lists, maps and structs."""
    if isinstance(x, float) and isinstance(y, float):
        if x != x:
            return y != y
        return x == y and math.copysign(1.0, x) == math.copysign(1.0, y)
    if isinstance(x, Decimal) and isinstance(y, Decimal):
        return x == y and x.as_tuple().exponent == y.as_tuple().exponent
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(map(java_equals, x, y))
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(java_equals(v, y[k]) for k, v in x.items())
    return bool(x == y) and (x is None) == (y is None)


def _plain_equality(t: SqlType | None) -> bool:
    """Whether Python's == is Java's equals for values of `t` (no doubles or decimals inside)."""
    if t is None:
        return False
    if t.base in ("DOUBLE", "DECIMAL"):
        return False
    if t.fields is not None:
        return all(_plain_equality(ft) for _, ft in t.fields)
    return all(_plain_equality(x) for x in (t.item, t.key) if x is not None)


def java_index_of(t: SqlType | None) -> Callable[[list[Any], Any], int]:
    """List.lastIndexOf for a list of `t` values (-1 when absent), with Java's equals."""
    if _plain_equality(t):

        def plain(xs: list[Any], v: Any) -> int:
            for i in range(len(xs) - 1, -1, -1):
                if xs[i] == v and (xs[i] is None) == (v is None):
                    return i
            return -1

        return plain

    def java(xs: list[Any], v: Any) -> int:
        for i in range(len(xs) - 1, -1, -1):
            if java_equals(xs[i], v):
                return i
        return -1

    return java


def java_contains(t: SqlType | None) -> Callable[[list[Any], Any], bool]:
    """List.contains for a list of `t` values, with Java's equals."""
    if _plain_equality(t):
        return lambda xs, v: v in xs
    if t is not None and t.base == "DOUBLE":
        # == is Double.equals unless NaN or a zero is involved: only those take the slow loop
        return lambda xs, v: v in xs if v is None or (v == v and v != 0.0) else any(java_equals(x, v) for x in xs)
    return lambda xs, v: any(java_equals(x, v) for x in xs)


def add_pair(a: Any, b: Any) -> Any:
    return a + b


def first_type(types: Sequence[SqlType | None]) -> SqlType:
    return types[0] if types and types[0] is not None else STRING
