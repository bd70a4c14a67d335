"""COUNT, SUM, SUM_LIST, MIN and MAX: one number (or value) per group, Java's overflow kept.

SUM and SUM_LIST of INT wrap at 32 bits, of BIGINT at 64; SUM of DECIMAL rounds to the column's
precision and fails past it; MIN/MAX order doubles and bytes as Java's compareTo does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from ksqlserver.catalog.types import BIGINT, DOUBLE, SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.functions.aggregator import Aggregator
from ksqlserver.functions.udafs.common import Factory, add_pair, first_type, java_greater, java_wrap


def count(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    if star or not types:
        return Aggregator(lambda: 0, lambda a, v: a + 1, lambda a, v: a - 1, lambda a: a, BIGINT, merge=add_pair)
    return Aggregator(
        lambda: 0,
        lambda a, v: a if v is None else a + 1,
        lambda a, v: a if v is None else a - 1,
        lambda a: a,
        BIGINT,
        merge=add_pair,
    )


def _decimal_sum(t: SqlType) -> Aggregator:
    p, s = t.precision or 38, t.scale or 0
    ctx = Context(prec=p, rounding=ROUND_HALF_UP)
    limit = Decimal(10) ** (p - s)
    # DecimalSumKudaf.initialize is BigDecimal.ZERO (scale 0): a group's first aggregate over a null writes
    # 0; the state read back from the store has the column's scale (the serde's DecimalUtil.ensureFit
    # setScale), so a later one writes 0.00. `init` is the initializer's own value (identity), any other
    # accumulator is a stored one
    init = Decimal(0)
    quantum = Decimal(1).scaleb(-s)
    wide = Context(prec=p + s + 2)

    def stored(a: Decimal) -> Decimal:
        return a if a is init or a.as_tuple().exponent == -s else a.quantize(quantum, context=wide)

    def add(a: Decimal, v: Decimal | None) -> Decimal:
        if v is None:
            return Decimal(0) if a is init else stored(a)  # a copy: once stored it reads back rescaled
        r = ctx.add(stored(a), v)
        if r.copy_abs() >= limit:  # abs() would round to the default context's 28 digits
            raise EvaluationError(
                f"Numeric field overflow: A field with precision {p} and scale {s} must round to an absolute "
                f"value less than 10^{p - s}. Got {format(r, 'f')}"
            )
        return r

    def undo(a: Decimal, v: Decimal | None) -> Decimal:
        return stored(a) if v is None else ctx.subtract(stored(a), v)

    def merge(a: Decimal, b: Decimal) -> Decimal:
        return ctx.add(stored(a), stored(b))

    return Aggregator(lambda: init, add, undo, lambda a: a, t, merge=merge)


def sum_(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    t = first_type(types)
    if t.base == "DECIMAL":
        return _decimal_sum(t)
    if t.base == "DOUBLE":
        return Aggregator(
            lambda: 0.0,
            lambda a, v: a if v is None else a + v,
            lambda a, v: a if v is None else a - v,
            lambda a: a,
            t,
            merge=add_pair,
        )
    w = java_wrap(t)
    return Aggregator(
        lambda: 0,
        lambda a, v: a if v is None else w(a + v),
        lambda a, v: a if v is None else w(a - v),
        lambda a: a,
        t,
        merge=lambda a, b: w(a + b),
    )


def sum_list(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    item = first_type(types).item or DOUBLE
    if item.base == "DOUBLE":
        total: Callable[[list[Any]], Any] = lambda xs: sum((x for x in xs if x is not None), 0.0)
        return Aggregator(
            lambda: 0.0,
            lambda a, v: a if v is None else a + total(v),
            lambda a, v: a if v is None else a - total(v),
            lambda a: a,
            DOUBLE,
            merge=add_pair,
        )
    w = java_wrap(item)

    def wtotal(xs: list[Any]) -> int:
        s = 0
        for x in xs:
            if x is not None:
                s = w(s + x)
        return s

    return Aggregator(
        lambda: 0,
        lambda a, v: a if v is None else w(a + wtotal(v)),
        lambda a, v: a if v is None else w(a - wtotal(v)),
        lambda a: a,
        item,
        merge=lambda a, b: w(a + b),
    )


def extreme(pick_max: bool) -> Factory:
    def make(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
        t = first_type(types)
        greater = java_greater(t)

        # BaseComparableKudaf.aggregate(current, aggregate) with MaxKudaf's `current.compareTo(aggregate) > 0 ?
        # current : aggregate` or MinKudaf's `... ? aggregate : current` (a tie: MAX keeps the aggregate, MIN
        # takes the current value; visible for decimals of different scales)
        def add(a: Any, v: Any) -> Any:
            if v is None:
                return a
            if a is None:
                return v
            return (v if greater(v, a) else a) if pick_max else (a if greater(v, a) else v)

        # merge(aggOne, aggTwo) is aggregate(aggOne, aggTwo): aggOne plays the current value
        return Aggregator(lambda: None, add, None, lambda a: a, t, merge=lambda a, b: add(b, a))


    return make
