"""ksqlDB's built-in aggregate functions (UDAFs): types, null handling and undo for table aggregations.

An `Aggregator` is four closures over a plain-data accumulator (so state stores can keep it): `init()`,
`add(acc, value) -> acc`, `undo(acc, value) -> acc` (None when the function cannot aggregate a table) and
`result(acc)`. `value` is the first argument, or a tuple of the column arguments for multi-column
functions (CORRELATION); literal arguments (TOPK's k) are bound when the aggregator is built.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ksqlserver.catalog.types import BIGINT, DOUBLE, INTEGER, STRING, SqlType
from ksqlserver.errors import KsqlStatementError

COLLECT_LIMIT = 1000  # ksql.functions.collect_{list,set}.limit and HISTOGRAM's entry limit


@dataclass(frozen=True)
class Aggregator:
    init: Callable[[], Any]
    add: Callable[[Any, Any], Any]
    undo: Callable[[Any, Any], Any] | None
    result: Callable[[Any], Any]
    type: SqlType
    complex_state: bool = False  # the intermediate value is a struct/array/map (not for DELIMITED)
    # combines two accumulators (plugin UDAFs; session windows then merge instead of replaying inputs)
    merge: Callable[[Any, Any], Any] | None = None
    # this aggregator with its failures reported through a query's error handler (plugin UDAFs)
    bind: Callable[[Callable[..., None]], Aggregator] | None = None

    def reporting(self, on_error: Callable[..., None]) -> Aggregator:
        """The aggregator a query runs: plugin UDAFs report failures to its processing log; built-ins as is."""
        return self if self.bind is None else self.bind(on_error)


def replaying(agg: Aggregator) -> Aggregator:
    """`agg` over the list of its inputs, mergeable by concatenation: a built-in beside a plugin UDAF in a
    session window, where every aggregate of the query must merge (results as when inputs are replayed)."""

    def result(inputs: list[Any]) -> Any:
        acc = agg.init()
        for v in inputs:
            acc = agg.add(acc, v)
        return agg.result(acc)

    return Aggregator(
        list, lambda a, v: [*a, v], None, result, agg.type, agg.complex_state, lambda a, b: [*a, *b]
    )


def _need(name: str, types: Sequence[SqlType | None], n: int) -> None:
    if len(types) < n:
        raise KsqlStatementError(
            f"Function '{name}' does not accept parameters ({', '.join(map(str, types))})."
        )


def _numeric(name: str, t: SqlType | None) -> SqlType:
    if t is None or not t.is_numeric:
        raise KsqlStatementError(f"Function '{name}' does not accept parameters ({t}).")
    return t


def _count(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool) -> Aggregator:
    if star or not types:
        return Aggregator(lambda: 0, lambda a, v: a + 1, lambda a, v: a - 1, lambda a: a, BIGINT)
    return Aggregator(
        lambda: 0,
        lambda a, v: a if v is None else a + 1,
        lambda a, v: a if v is None else a - 1,
        lambda a: a,
        BIGINT,
    )


def _sum(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool) -> Aggregator:
    _need("SUM", types, 1)
    t = _numeric("SUM", types[0])
    if t.base == "DECIMAL":
        zero: Any = Decimal(0).scaleb(-(t.scale or 0))
        limit = Decimal(10) ** ((t.precision or 0) - (t.scale or 0))

        def dadd(a: Any, v: Any) -> Any:
            if v is None:
                return a
            r = a + v
            if abs(r) >= limit:
                raise ArithmeticError("Numeric field overflow")
            return r

        return Aggregator(lambda: zero, dadd, lambda a, v: a if v is None else a - v, lambda a: a, t)
    if t.base == "DOUBLE":
        return Aggregator(
            lambda: 0.0,
            lambda a, v: a if v is None else a + v,
            lambda a, v: a if v is None else a - v,
            lambda a: a,
            t,
        )
    bits = 32 if t.base == "INTEGER" else 64

    def wrap(x: int) -> int:
        x &= (1 << bits) - 1
        return x - (1 << bits) if x >> (bits - 1) else x

    return Aggregator(
        lambda: 0,
        lambda a, v: a if v is None else wrap(a + v),
        lambda a, v: a if v is None else wrap(a - v),
        lambda a: a,
        t,
    )


def _avg(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool) -> Aggregator:
    _need("AVG", types, 1)
    t = _numeric("AVG", types[0])

    def add(a: list[Any], v: Any) -> list[Any]:
        return a if v is None else [a[0] + v, a[1] + 1]

    def undo(a: list[Any], v: Any) -> list[Any]:
        return a if v is None else [a[0] - v, a[1] - 1]

    if t.base == "DECIMAL":
        return Aggregator(
            lambda: [Decimal(0), 0],
            add,
            undo,
            lambda a: 0.0 if a[1] == 0 else float(a[0]) / a[1],
            DOUBLE,
            True,
        )
    zero = 0.0 if t.base == "DOUBLE" else 0
    return Aggregator(lambda: [zero, 0], add, undo, lambda a: 0.0 if a[1] == 0 else a[0] / a[1], DOUBLE, True)


def _minmax(pick: Callable[[Any, Any], Any]) -> Callable[..., Aggregator]:
    def make(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool) -> Aggregator:
        _need("MIN/MAX", types, 1)
        t = types[0] or STRING
        return Aggregator(
            lambda: None,
            lambda a, v: a if v is None else (v if a is None else pick(a, v)),
            None,
            lambda a: a,
            t,
        )

    return make


def _by_offset(latest: bool) -> Callable[..., Aggregator]:
    def make(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool) -> Aggregator:
        _need("LATEST_BY_OFFSET", types, 1)
        t = types[0] or STRING
        n = None
        ignore_nulls = True
        for x in lits:
            if isinstance(x, bool):
                ignore_nulls = x
            elif isinstance(x, int):
                n = x
        if n is None:
            if latest:

                def add1(a: Any, v: Any) -> Any:
                    return a if v is None and ignore_nulls else [v]
            else:

                def add1(a: Any, v: Any) -> Any:
                    return a if a is not None or (v is None and ignore_nulls) else [v]

            return Aggregator(lambda: None, add1, None, lambda a: None if a is None else a[0], t, True)

        def addn(a: list[Any], v: Any) -> list[Any]:
            if v is None and ignore_nulls:
                return a
            if latest:
                return ([*a, v])[-n:]
            return a if len(a) >= n else [*a, v]

        return Aggregator(list, addn, None, lambda a: list(a), SqlType("ARRAY", item=t), True)

    return make


def _collect(distinct: bool) -> Callable[..., Aggregator]:
    def make(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool) -> Aggregator:
        _need("COLLECT_LIST", types, 1)
        t = types[0] or STRING

        def add(a: list[Any], v: Any) -> list[Any]:
            if len(a) >= COLLECT_LIMIT or (distinct and v in a):
                return a
            return [*a, v]

        def undo(a: list[Any], v: Any) -> list[Any]:
            if v not in a:
                return a
            i = len(a) - 1 - a[::-1].index(v)
            return a[:i] + a[i + 1 :]

        return Aggregator(list, add, undo, lambda a: list(a), SqlType("ARRAY", item=t), True)

    return make


def _count_distinct(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool) -> Aggregator:
    # ksqlDB estimates with HyperLogLog; an exact set gives the same answers at these cardinalities
    def add(a: list[Any], v: Any) -> list[Any]:
        return a if v is None or v in a else [*a, v]

    return Aggregator(list, add, None, len, BIGINT, True)


def _topk(distinct: bool) -> Callable[..., Aggregator]:
    def make(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool) -> Aggregator:
        _need("TOPK", types, 1)
        t = types[0] or STRING
        k = int(lits[0]) if lits else 1

        def add(a: list[Any], v: Any) -> list[Any]:
            if v is None or (distinct and v in a):
                return a
            return sorted([*a, v], reverse=True)[:k]

        return Aggregator(list, add, None, lambda a: list(a), SqlType("ARRAY", item=t), True)

    return make


def _stddev(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool) -> Aggregator:
    _need("STDDEV_SAMP", types, 1)
    _numeric("STDDEV_SAMP", types[0])

    def add(a: list[Any], v: Any) -> list[Any]:
        return a if v is None else [a[0] + 1, a[1] + float(v), a[2] + float(v) * float(v)]

    def undo(a: list[Any], v: Any) -> list[Any]:
        return a if v is None else [a[0] - 1, a[1] - float(v), a[2] - float(v) * float(v)]

    def result(a: list[Any]) -> float:
        n, s, sq = a
        if n < 2:
            return 0.0
        return math.sqrt(max(0.0, (sq - s * s / n) / (n - 1)))

    return Aggregator(lambda: [0, 0.0, 0.0], add, undo, result, DOUBLE, True)


def _histogram(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool) -> Aggregator:
    def add(a: dict[str, int], v: Any) -> dict[str, int]:
        if v is None or (v not in a and len(a) >= COLLECT_LIMIT):
            return a
        b = dict(a)
        b[v] = b.get(v, 0) + 1
        return b

    def undo(a: dict[str, int], v: Any) -> dict[str, int]:
        if v not in a:
            return a
        b = dict(a)
        b[v] -= 1
        if b[v] <= 0:
            del b[v]
        return b

    return Aggregator(dict, add, undo, dict, SqlType("MAP", key=STRING, item=BIGINT), True)


def _correlation(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool) -> Aggregator:
    _need("CORRELATION", types, 2)

    def step(a: list[float], v: tuple[Any, Any], sign: int) -> list[float]:
        x, y = v
        if x is None or y is None:
            return a
        x, y = float(x), float(y)
        return [
            a[0] + sign,
            a[1] + sign * x,
            a[2] + sign * y,
            a[3] + sign * x * y,
            a[4] + sign * x * x,
            a[5] + sign * y * y,
        ]

    def result(a: list[float]) -> float:
        n, sx, sy, sxy, sxx, syy = a
        if n < 2:
            return math.nan
        cov = sxy - sx * sy / n
        vx = sxx - sx * sx / n
        vy = syy - sy * sy / n
        den = math.sqrt(vx * vy)
        return math.nan if den == 0 else cov / den

    return Aggregator(
        lambda: [0, 0.0, 0.0, 0.0, 0.0, 0.0],
        lambda a, v: step(a, v, 1),
        lambda a, v: step(a, v, -1),
        result,
        DOUBLE,
        True,
    )


Factory = Callable[[Sequence[SqlType | None], Sequence[Any], bool], Aggregator]

AGGREGATES: dict[str, tuple[Factory, int]] = {  # name -> (factory, number of column arguments)
    "COUNT": (_count, 1),
    "SUM": (_sum, 1),
    "AVG": (_avg, 1),
    "MIN": (_minmax(min), 1),
    "MAX": (_minmax(max), 1),
    "LATEST_BY_OFFSET": (_by_offset(True), 1),
    "EARLIEST_BY_OFFSET": (_by_offset(False), 1),
    "COLLECT_LIST": (_collect(False), 1),
    "COLLECT_SET": (_collect(True), 1),
    "COUNT_DISTINCT": (_count_distinct, 1),
    "TOPK": (_topk(False), 1),
    "TOPKDISTINCT": (_topk(True), 1),
    "STDDEV_SAMP": (_stddev, 1),
    "HISTOGRAM": (_histogram, 1),
    "CORRELATION": (_correlation, 2),
}


def build(name: str, types: Sequence[SqlType | None], literals: Sequence[Any], star: bool) -> Aggregator:
    """The aggregator for `name` over column argument types and bound literal arguments."""
    factory, _ = AGGREGATES[name]
    return factory(types, literals, star)


def column_arity(name: str) -> int:
    return AGGREGATES[name][1]


__all__ = ["AGGREGATES", "INTEGER", "Aggregator", "build", "column_arity", "replaying"]
