"""COLLECT_LIST, COLLECT_SET, HISTOGRAM, ATTR and COUNT_DISTINCT: the values (or their counts) of a group.

The collections honour `ksql.functions.collect_list.limit` / `collect_set.limit`; HISTOGRAM keeps at
most 1000 distinct values; COUNT_DISTINCT is ksqlDB's HyperLogLog estimate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import BIGINT, STRING, SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import hll
from ksqlserver.functions.aggregator import Aggregator
from ksqlserver.functions.numeric import java_long, wrap32
from ksqlserver.functions.udafs.common import INT_MAX, first_type, java_contains, java_equals, java_index_of

_DIGITS = re.compile(r"[+-]?\d+")


def _limit(cfg: Mapping[str, Any], key: str) -> int:
    """CollectListUdaf / CollectSetUdaf.configure: a Number's intValue() or Integer.parseInt of a String (a
    bad one fails the factory, as UdafFactoryInvoker reports it); a negative limit means none."""
    raw = cfg.get(key)
    if raw is None or raw == "" or isinstance(raw, bool):  # Properties.get gives "" for an unset key
        n = INT_MAX
    elif isinstance(raw, int):
        n = wrap32(raw)
    elif isinstance(raw, float):
        n = max(-(2**31), min(INT_MAX, java_long(raw)))  # (int) of a double saturates; NaN is 0
    elif isinstance(raw, str) and _DIGITS.fullmatch(raw) and -(2**31) <= int(raw) < 2**31:
        n = int(raw)
    elif isinstance(raw, str):  # Integer.parseInt: no blanks, no underscores, within an int
        raise EvaluationError("Failed to invoke UDAF factory method", f"{key}={raw}")
    else:
        n = INT_MAX
    return INT_MAX if n < 0 else n


def collect_list(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    limit = _limit(cfg, "ksql.functions.collect_list.limit")
    last_index = java_index_of(first_type(types))

    def add(a: list[Any], v: Any) -> list[Any]:
        return [*a, v] if len(a) < limit else a

    def undo(a: list[Any], v: Any) -> list[Any]:
        i = last_index(a, v)  # List.lastIndexOf, with Java's equals
        return a if i < 0 else a[:i] + a[i + 1 :]

    def merge(a: list[Any], b: list[Any]) -> list[Any]:
        return a + b[: max(limit - len(a), 0)]

    return Aggregator(list, add, undo, list, T.array(first_type(types)), True, merge=merge)


def collect_set(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    limit = _limit(cfg, "ksql.functions.collect_set.limit")
    contains = java_contains(first_type(types))  # List.contains: NaN equals NaN, -0.0 is not 0.0

    def add(a: list[Any], v: Any) -> list[Any]:
        return [*a, v] if len(a) < limit and not contains(a, v) else a

    def merge(a: list[Any], b: list[Any]) -> list[Any]:
        out = list(a)
        for v in b:
            if len(out) == limit:
                break
            if not contains(out, v):
                out.append(v)
        return out

    return Aggregator(list, add, None, list, T.array(first_type(types)), True, merge=merge)


_HISTOGRAM_LIMIT = 1000


def _stored(a: dict[Any, int]) -> dict[Any, int]:
    """HISTOGRAM's map as the aggregate state store gives it back: HistogramUdaf counts a null under a null
    HashMap key, which the JSON state serde writes as the key "null" (first: a null key sits in bucket 0), so
    the deserialized map keeps one "null" entry, a string "null"'s count if present (the later duplicate
    wins), else the null's."""
    if None not in a:
        return a
    a = dict(a)
    n = a.pop(None)
    a.setdefault("null", n)
    return a


def histogram(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    def add(a: dict[Any, int], v: Any) -> dict[Any, int]:
        if len(a) < _HISTOGRAM_LIMIT or v in a:
            a = dict(a)
            a[v] = a.get(v, 0) + 1
        return _stored(a)

    def undo(a: dict[Any, int], v: Any) -> dict[Any, int]:
        if v not in a:  # HistogramUdaf.undo's `--v` unboxes the absent count (a value past the 1000 limit)
            raise EvaluationError("java.lang.NullPointerException", "" if v is None else str(v))
        a = dict(a)
        a[v] -= 1
        if a[v] < 1:
            del a[v]
        return a

    def merge(a: dict[Any, int], b: dict[Any, int]) -> dict[Any, int]:
        out = dict(a)
        for k, n in b.items():
            if len(out) < _HISTOGRAM_LIMIT or k in out:
                out[k] = out.get(k, 0) + n
        return _stored(out)

    return Aggregator(dict, add, undo, dict, T.map_of(STRING, BIGINT), True, merge=merge)


def attr(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    """[[value, count], ...]: the value when exactly one value has a positive count, else null."""

    def update(a: list[Any], v: Any, n: int) -> list[Any]:
        out = [list(e) for e in a]
        for e in out:
            if java_equals(e[0], v):  # Objects.equals
                e[1] = max(0, e[1] + n)
                return out
        if n > 0:
            out.append([v, n])
        return out

    def result(a: list[Any]) -> Any:
        live = [e for e in a if e[1] > 0]
        return live[0][0] if len(live) == 1 else None

    def merge(a: list[Any], b: list[Any]) -> list[Any]:
        out = [list(e) for e in a]
        for v, n in b:
            out = update(out, v, n)
        return out

    return Aggregator(
        list, lambda a, v: update(a, v, 1), lambda a, v: update(a, v, -1), result, first_type(types), True,
        merge=merge,
    )  # fmt: skip


def count_distinct(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    """ksqlDB's HyperLogLog estimate (exact while few values share a register); state: register -> rank."""
    hash_of = hll.hasher(types[0] if types else None)

    def add(a: dict[int, int], v: Any) -> dict[int, int]:
        if v is None:
            return a
        j, rank = hll.register_and_rank(hash_of(v))
        if rank <= a.get(j, 0):
            return a
        a = dict(a)
        a[j] = rank
        return a

    def merge(a: dict[int, int], b: dict[int, int]) -> dict[int, int]:
        out = dict(a)
        for j, rank in b.items():
            if rank > out.get(j, 0):
                out[j] = rank
        return out

    return Aggregator(dict, add, None, hll.cardinality, BIGINT, True, merge=merge)
