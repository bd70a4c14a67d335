"""TOPK and TOPKDISTINCT: the k largest values of a group, in Java's natural order."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import STRING, SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.functions.aggregator import Aggregator
from ksqlserver.functions.udafs.common import first_type, java_contains, java_key


def _k(name: str, lits: Sequence[Any]) -> int:
    if not lits or not isinstance(lits[-1], int) or isinstance(lits[-1], bool):
        raise EvaluationError(f"{name} needs an INTEGER literal k")
    return int(lits[-1])


def topk(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    """The top k by the first column; with other columns, structs of `sort_col`, `col0`, `col1`, ..."""
    k = _k("TOPK", lits)
    t = first_type(types)
    key = java_key(t) or (lambda x: x)
    others = list(types[1:])
    if others:
        names = ["sort_col", *(f"col{i}" for i in range(len(others)))]
        out_t = T.struct([(n, ft or STRING) for n, ft in zip(names, [t, *others], strict=True)])
        sort_of: Callable[[Any], Any] = lambda s: key(s["sort_col"])
        sort_value: Callable[[Any], Any] = lambda v: v[0]
        make: Callable[[Any], Any] = lambda v: dict(zip(names, v, strict=True))
    else:
        out_t = t
        sort_of = key
        sort_value = lambda v: v
        make = lambda v: v

    def add(a: list[Any], v: Any) -> list[Any]:
        s = sort_value(v)
        if s is None:
            return a
        if a and key(s) <= sort_of(a[-1]) and len(a) == k:
            return a
        if len(a) == k:
            if k <= 0:
                raise EvaluationError(f"Index -1 out of bounds for length {len(a)}")
            a = [*a[:-1], make(v)]
        else:
            a = [*a, make(v)]
        return sorted(a, key=sort_of, reverse=True)

    def merge(a: list[Any], b: list[Any]) -> list[Any]:
        out, i, j = [], 0, 0
        # both are sorted descending: the larger head first, ties from `a`; Java loops `i != k`, so a
        # negative k merges everything
        while len(out) != k:
            x = sort_of(a[i]) if i < len(a) else None
            y = sort_of(b[j]) if j < len(b) else None
            if x is not None and (y is None or x >= y):
                out.append(a[i])
                i += 1
            elif y is not None:
                out.append(b[j])
                j += 1
            else:
                break
        return out

    return Aggregator(list, add, None, list, T.array(out_t), True, merge=merge)


def topk_distinct(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    k = _k("TOPKDISTINCT", lits)
    t = first_type(types)
    key = java_key(t) or (lambda x: x)
    contains = java_contains(t)

    def add(a: list[Any], v: Any) -> list[Any]:
        if v is None:
            return a
        if len(a) == k:
            if k == 0:  # `aggregateValue.get(currentSize - 1)` on the empty list
                raise EvaluationError("Index -1 out of bounds for length 0")
            if key(v) <= key(a[-1]):
                return a
        if contains(a, v):  # List.contains: Double.equals tells -0.0 from 0.0 (both kept), NaN equals NaN
            return a
        a = [*a[:-1], v] if len(a) == k else [*a, v]  # a full list (k > 0) swaps its smallest
        return sorted(a, key=key, reverse=True)

    def merge(a: list[Any], b: list[Any]) -> list[Any]:
        out, i, j = [], 0, 0
        while len(out) != k:  # TopkDistinctKudaf.merge loops `i != tkVal` (one value per step)
            x = a[i] if i < len(a) else None
            y = b[j] if j < len(b) else None
            if x is None and y is None:
                break
            if x is not None and (y is None or key(x) > key(y)):
                out.append(x)
                i += 1
            elif x is None or key(y) > key(x):
                out.append(y)
                j += 1
            else:  # equal: once
                out.append(x)
                i += 1
                j += 1
        return out

    return Aggregator(list, add, None, list, T.array(t), True, merge=merge)
