"""Grouping keys as store keys: struct and array grouping values frozen to hashable tuples, and back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ksqlserver.catalog.types import SqlType


def freezer(t: SqlType | None) -> Callable[[Any], Any] | None:
    """Value -> hashable image for a grouping column of type `t` (None: the value is hashable as is)."""
    if t is None or t.base not in ("STRUCT", "ARRAY"):
        return None
    if t.base == "ARRAY":
        item = freezer(t.item) or (lambda v: v)
        return lambda v: None if v is None else tuple(item(x) for x in v)
    fields = [(n, freezer(ft) or (lambda v: v)) for n, ft in t.fields or ()]
    return lambda v: None if v is None else tuple(f(v.get(n)) for n, f in fields)


def thawer(t: SqlType | None) -> Callable[[Any], Any] | None:
    """The inverse of `freezer`."""
    if t is None or t.base not in ("STRUCT", "ARRAY"):
        return None
    if t.base == "ARRAY":
        item = thawer(t.item) or (lambda v: v)
        return lambda v: None if v is None else [item(x) for x in v]
    fields = [(n, thawer(ft) or (lambda v: v)) for n, ft in t.fields or ()]
    return lambda v: None if v is None else {n: f(x) for (n, f), x in zip(fields, v, strict=True)}


def key_codec(
    types: Sequence[SqlType | None],
) -> tuple[Callable[[tuple[Any, ...]], tuple[Any, ...]], Callable[[tuple[Any, ...]], tuple[Any, ...]]]:
    """(freeze, thaw) of whole grouping keys; identities when every grouping column is hashable."""
    freezers = [freezer(t) for t in types]
    if all(f is None for f in freezers):
        return (lambda k: k), (lambda k: k)
    fz = [f or (lambda v: v) for f in freezers]
    th = [thawer(t) or (lambda v: v) for t in types]
    return (
        lambda k: tuple(f(v) for f, v in zip(fz, k, strict=True)),
        lambda k: tuple(f(v) for f, v in zip(th, k, strict=True)),
    )
