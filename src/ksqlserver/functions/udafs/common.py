"""What the built-in aggregates share: the factory signature and Java's arithmetic and ordering."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ksqlserver.catalog.types import STRING, SqlType
from ksqlserver.functions.aggregator import Aggregator
from ksqlserver.functions.numeric import _bytes_key, _double_key, wrap32, wrap64

Factory = Callable[[Sequence[SqlType | None], Sequence[Any], bool, Mapping[str, str]], Aggregator]
INT_MAX = 2**31 - 1


def java_wrap(t: SqlType | None) -> Callable[[int], int]:
    return wrap32 if t is not None and t.base == "INTEGER" else wrap64


def java_key(t: SqlType | None) -> Callable[[Any], Any] | None:
    """Java's compareTo as a sort key where Python's order differs (doubles, bytes)."""
    if t is not None and t.base == "DOUBLE":
        return _double_key
    if t is not None and t.base == "BYTES":
        return _bytes_key
    return None


def add_pair(a: Any, b: Any) -> Any:
    return a + b


def first_type(types: Sequence[SqlType | None]) -> SqlType:
    return types[0] if types and types[0] is not None else STRING
