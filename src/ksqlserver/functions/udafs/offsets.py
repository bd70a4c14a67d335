"""EARLIEST_BY_OFFSET and LATEST_BY_OFFSET: the first or last value(s) of a group in arrival order."""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping, Sequence
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.functions.aggregator import Aggregator
from ksqlserver.functions.udafs.common import first_type


def _offset_args(name: str, lits: Sequence[Any]) -> tuple[int | None, bool]:
    n: int | None = None
    ignore_nulls = True
    for x in lits:
        if isinstance(x, bool):
            ignore_nulls = x
        elif isinstance(x, int):
            n = x
    if n is not None and n <= 0:
        raise EvaluationError("Failed to invoke UDAF factory method")
    return n, ignore_nulls


# Each value is kept with a sequence number taken when it is aggregated (ksqlDB's SEQ field), so merging
# two accumulators (session windows) can tell which value came first. Numbers start at the clock so they
# keep increasing across restarts.
_sequence = itertools.count(time.time_ns())


def _by_seq(x: list[Any]) -> int:
    return x[0]


def latest_by_offset(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    t = first_type(types)
    n, ignore_nulls = _offset_args("LATEST_BY_OFFSET", lits)
    if n is None:

        def later(a: list[Any], b: list[Any]) -> list[Any]:
            if ignore_nulls and (a[1] is None or b[1] is None):
                return b if a[1] is None and b[1] is not None else a
            return a if a[0] >= b[0] else b

        return Aggregator(
            lambda: [next(_sequence), None],
            lambda a, v: a if v is None and ignore_nulls else [next(_sequence), v],
            None,
            lambda a: a[1],
            t,
            True,
            merge=later,
        )
    size = n
    return Aggregator(
        list,
        lambda a, v: a if v is None and ignore_nulls else [*a, [next(_sequence), v]][-size:],
        None,
        lambda a: [x[1] for x in a],
        T.array(t),
        True,
        merge=lambda a, b: sorted([*a, *b], key=_by_seq)[:size],  # ksqlDB keeps the first N by sequence
    )


def earliest_by_offset(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    t = first_type(types)
    n, ignore_nulls = _offset_args("EARLIEST_BY_OFFSET", lits)
    if n is None:

        def earlier(a: list[Any] | None, b: list[Any] | None) -> list[Any] | None:
            if a is None or b is None:
                return b if a is None else a
            return a if a[0] < b[0] else b

        return Aggregator(
            lambda: None,
            lambda a, v: a if a is not None else None if v is None and ignore_nulls else [next(_sequence), v],
            None,
            lambda a: None if a is None else a[1],
            t,
            True,
            merge=earlier,
        )
    size = n
    return Aggregator(
        list,
        lambda a, v: a if (v is None and ignore_nulls) or len(a) >= size else [*a, [next(_sequence), v]],
        None,
        lambda a: [x[1] for x in a],
        T.array(t),
        True,
        merge=lambda a, b: sorted([*a, *b], key=_by_seq)[:size],
    )
