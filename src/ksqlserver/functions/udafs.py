"""The built-in aggregates' arithmetic, as ksqlDB 0.29's UDAF classes compute it.

Java's integer overflow is kept (SUM and AVG of INT wrap at 32 bits, BIGINT at 64), STDDEV_SAMP returns
the sample variance (STDDEV_SAMPLE its square root), CORRELATION and AVG divide as doubles, SUM of
DECIMAL rounds to the column's precision and fails past it, TOPK sorts by Java's natural order.
Accumulators are plain data (lists, numbers) so state stores and changelogs keep them exactly.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import BIGINT, DOUBLE, STRING, SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import hll
from ksqlserver.functions.aggregator import Aggregator
from ksqlserver.functions.numeric import _bytes_key, _double_key, wrap32, wrap64

Factory = Callable[[Sequence[SqlType | None], Sequence[Any], bool, Mapping[str, str]], Aggregator]
_INT_MAX = 2**31 - 1


def _wrap(t: SqlType | None) -> Callable[[int], int]:
    return wrap32 if t is not None and t.base == "INTEGER" else wrap64


def _key(t: SqlType | None) -> Callable[[Any], Any] | None:
    """Java's compareTo as a sort key where Python's order differs (doubles, bytes)."""
    if t is not None and t.base == "DOUBLE":
        return _double_key
    if t is not None and t.base == "BYTES":
        return _bytes_key
    return None


def _plus(a: Any, b: Any) -> Any:
    return a + b


def _first(types: Sequence[SqlType | None]) -> SqlType:
    return types[0] if types and types[0] is not None else STRING


# --- COUNT, SUM, SUM_LIST, MIN/MAX ---------------------------------------------------------------------


def count(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    if star or not types:
        return Aggregator(lambda: 0, lambda a, v: a + 1, lambda a, v: a - 1, lambda a: a, BIGINT, merge=_plus)
    return Aggregator(
        lambda: 0,
        lambda a, v: a if v is None else a + 1,
        lambda a, v: a if v is None else a - 1,
        lambda a: a,
        BIGINT,
        merge=_plus,
    )


def _decimal_sum(t: SqlType) -> Aggregator:
    p, s = t.precision or 38, t.scale or 0
    ctx = Context(prec=p, rounding=ROUND_HALF_UP)
    limit = Decimal(10) ** (p - s)
    zero = Decimal(0).scaleb(-s)

    def add(a: Decimal, v: Decimal | None) -> Decimal:
        if v is None:
            return a
        r = ctx.add(a, v)
        if abs(r) >= limit:
            raise EvaluationError(
                f"Numeric field overflow: A field with precision {p} and scale {s} must round to an absolute "
                f"value less than 10^{p - s}. Got {format(r, 'f')}"
            )
        return r

    return Aggregator(
        lambda: zero, add, lambda a, v: a if v is None else ctx.subtract(a, v), lambda a: a, t, merge=ctx.add
    )


def sum_(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    t = _first(types)
    if t.base == "DECIMAL":
        return _decimal_sum(t)
    if t.base == "DOUBLE":
        return Aggregator(
            lambda: 0.0,
            lambda a, v: a if v is None else a + v,
            lambda a, v: a if v is None else a - v,
            lambda a: a,
            t,
            merge=_plus,
        )
    w = _wrap(t)
    return Aggregator(
        lambda: 0,
        lambda a, v: a if v is None else w(a + v),
        lambda a, v: a if v is None else w(a - v),
        lambda a: a,
        t,
        merge=lambda a, b: w(a + b),
    )


def sum_list(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    item = _first(types).item or DOUBLE
    if item.base == "DOUBLE":
        total: Callable[[list[Any]], Any] = lambda xs: sum((x for x in xs if x is not None), 0.0)
        return Aggregator(
            lambda: 0.0,
            lambda a, v: a if v is None else a + total(v),
            lambda a, v: a if v is None else a - total(v),
            lambda a: a,
            DOUBLE,
            merge=_plus,
        )
    w = _wrap(item)

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


def _extreme(pick_max: bool) -> Factory:
    def make(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
        t = _first(types)
        key = _key(t)
        if key is None:
            better: Callable[[Any, Any], bool] = (lambda v, a: v > a) if pick_max else (lambda v, a: v < a)
        else:
            better = (lambda v, a: key(v) > key(a)) if pick_max else (lambda v, a: key(v) < key(a))

        def add(a: Any, v: Any) -> Any:
            if v is None:
                return a
            return v if a is None or better(v, a) else a

        return Aggregator(lambda: None, add, None, lambda a: a, t, merge=add)  # the extreme of the two

    return make


# --- AVG, STDDEV_SAMP / STDDEV_SAMPLE, CORRELATION --------------------------------------------------------


def avg(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    """[sum, count]; the sum wraps like the column's Java type, the mean is a double division."""
    t = _first(types)
    if t.base == "DOUBLE":
        add = lambda a, v: a if v is None else [a[0] + v, a[1] + 1]
        undo = lambda a, v: a if v is None else [a[0] - v, a[1] - 1]
        zero: Any = 0.0
    else:
        w = _wrap(t)
        add = lambda a, v: a if v is None else [w(a[0] + v), a[1] + 1]
        undo = lambda a, v: a if v is None else [w(a[0] - v), a[1] - 1]
        zero = 0
    plus: Callable[[Any, Any], Any] = _plus if t.base == "DOUBLE" else (lambda x, y: _wrap(t)(x + y))
    return Aggregator(
        lambda: [zero, 0],
        add,
        undo,
        lambda a: 0.0 if a[1] == 0 else float(a[0]) / a[1],
        DOUBLE,
        True,
        merge=lambda a, b: [plus(a[0], b[0]), a[1] + b[1]],
    )


def _stddev(root: bool) -> Factory:
    def make(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
        """[sum, count, m2] as ksqlDB's Welford-style update, with its integer arithmetic."""
        t = _first(types)
        if t.base == "DOUBLE":
            plus: Callable[[Any, Any], Any] = lambda a, b: a + b
            minus: Callable[[Any, Any], Any] = lambda a, b: a - b

            def delta(s: Any, n: int, v: Any) -> float:
                return v * (n + 1) - (s + v)

            zero: Any = 0.0
        else:
            w = _wrap(t)
            plus = lambda a, b: w(a + b)
            minus = lambda a, b: w(a - b)

            def delta(s: Any, n: int, v: Any) -> float:
                return float(wrap64(wrap64(v * (n + 1)) - w(s + v)))

            zero = 0

        def mean_diff(s1: Any, n1: int, s2: Any, n2: int) -> float:
            if t.base == "DOUBLE":
                return s1 / n1 - s2 / n2
            return float(wrap64(_jquot(s1, n1) - _jquot(s2, n2)))

        def add(a: list[Any], v: Any) -> list[Any]:
            if v is None:
                return a
            s, n, m2 = a
            n1 = n + 1
            inc = delta(s, n, v) ** 2 / (n1 * (n1 - 1)) if n1 - 1 > 0 else 0.0
            return [plus(s, v), n1, inc + m2]

        def undo(a: list[Any], v: Any) -> list[Any]:
            if v is None:
                return a
            s, n, m2 = a
            n1 = n - 1
            dec = delta(s, n, v) ** 2 / (n1 * (n1 + 1)) if n1 > 0 else 0.0
            return [minus(s, v), n1, m2 - dec]

        def result(a: list[Any]) -> float:
            n = a[1]
            if n < 2:
                return 0.0
            var = a[2] / (n - 1)
            return math.sqrt(var) if root else var

        def merge(a: list[Any], b: list[Any]) -> list[Any]:
            (s1, n1, m1), (s2, n2, m2) = a, b
            n = n1 + n2
            if n1 == 0 or n2 == 0:
                m = m1 + m2
            else:  # Chan's pairwise update, with ksqlDB's mean difference (integer division for INT/BIGINT)
                inner = mean_diff(s1, n1, s2, n2)
                m = m1 + m2 + n1 * n2 * inner * inner / n
            return [plus(s1, s2), n, m]

        return Aggregator(lambda: [zero, 0, 0.0], add, undo, result, DOUBLE, True, merge=merge)

    return make


def _jquot(a: int, b: int) -> int:
    """Java's integer division (truncated toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _jdiv(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or a != a:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def correlation(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    """[x_sum, y_sum, x_squared_sum, y_squared_sum, xy_sum, count]."""

    def step(a: list[Any], v: tuple[Any, Any], sign: int) -> list[Any]:
        x, y = v
        if x is None or y is None:
            return a
        x, y = float(x), float(y)
        return [a[0] + sign * x, a[1] + sign * y, a[2] + sign * x * x, a[3] + sign * y * y, a[4] + sign * x * y,
                a[5] + sign]

    def result(a: list[Any]) -> float:
        sx, sy, sxx, syy, sxy, n = a
        num = n * sxy - sx * sy
        dx = n * sxx - sx * sx
        dy = n * syy - sy * sy
        prod = dx * dy
        den = math.sqrt(prod) if prod >= 0 else math.nan
        return _jdiv(num, den)

    return Aggregator(
        lambda: [0.0, 0.0, 0.0, 0.0, 0.0, 0],
        lambda a, v: step(a, v, 1),
        lambda a, v: step(a, v, -1),
        result,
        DOUBLE,
        True,
        merge=lambda a, b: [x + y for x, y in zip(a, b, strict=True)],
    )


# --- collections: COLLECT_LIST/SET, HISTOGRAM, TOPK, TOPKDISTINCT, ATTR, COUNT_DISTINCT -------------------


def _limit(cfg: Mapping[str, str], key: str) -> int:
    raw = cfg.get(key)
    if raw is None or str(raw).strip() == "":
        return _INT_MAX
    n = int(str(raw).strip())
    return _INT_MAX if n < 0 else n


def collect_list(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    limit = _limit(cfg, "ksql.functions.collect_list.limit")

    def add(a: list[Any], v: Any) -> list[Any]:
        return [*a, v] if len(a) < limit else a

    def undo(a: list[Any], v: Any) -> list[Any]:
        for i in range(len(a) - 1, -1, -1):
            if a[i] == v and (a[i] is None) == (v is None):
                return a[:i] + a[i + 1 :]
        return a

    def merge(a: list[Any], b: list[Any]) -> list[Any]:
        return a + b[: max(limit - len(a), 0)]

    return Aggregator(list, add, undo, list, T.array(_first(types)), True, merge=merge)


def collect_set(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    limit = _limit(cfg, "ksql.functions.collect_set.limit")

    def add(a: list[Any], v: Any) -> list[Any]:
        return [*a, v] if len(a) < limit and v not in a else a

    def merge(a: list[Any], b: list[Any]) -> list[Any]:
        out = list(a)
        for v in b:
            if len(out) == limit:
                break
            if v not in out:
                out.append(v)
        return out

    return Aggregator(list, add, None, list, T.array(_first(types)), True, merge=merge)


_HISTOGRAM_LIMIT = 1000


def histogram(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    def add(a: dict[Any, int], v: Any) -> dict[Any, int]:
        if len(a) < _HISTOGRAM_LIMIT or v in a:
            a = dict(a)
            a[v] = a.get(v, 0) + 1
        return a

    def undo(a: dict[Any, int], v: Any) -> dict[Any, int]:
        if v not in a:
            return a
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
        return out

    return Aggregator(dict, add, undo, dict, T.map_of(STRING, BIGINT), True, merge=merge)


def _k(name: str, lits: Sequence[Any]) -> int:
    if not lits or not isinstance(lits[-1], int) or isinstance(lits[-1], bool):
        raise EvaluationError(f"{name} needs an INTEGER literal k")
    return int(lits[-1])


def topk(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    """The top k by the first column; with other columns, structs of `sort_col`, `col0`, `col1`, ..."""
    k = _k("TOPK", lits)
    t = _first(types)
    key = _key(t) or (lambda x: x)
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
        while len(out) < k:  # both are sorted descending: the larger head first, ties from `a`
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
    t = _first(types)
    key = _key(t) or (lambda x: x)

    def add(a: list[Any], v: Any) -> list[Any]:
        if v is None:
            return a
        if len(a) == k and key(v) <= key(a[-1]):
            return a
        if v in a:
            return a
        if len(a) == k:
            if k <= 0:
                raise EvaluationError(f"Index -1 out of bounds for length {len(a)}")
            a = [*a[:-1], v]
        else:
            a = [*a, v]
        return sorted(a, key=key, reverse=True)

    def merge(a: list[Any], b: list[Any]) -> list[Any]:
        out, i, j = [], 0, 0
        while len(out) < k:
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


def attr(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    """[[value, count], ...]: the value when exactly one value has a positive count, else null."""

    def update(a: list[Any], v: Any, n: int) -> list[Any]:
        out = [list(e) for e in a]
        for e in out:
            if e[0] == v and (e[0] is None) == (v is None):
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
        list, lambda a, v: update(a, v, 1), lambda a, v: update(a, v, -1), result, _first(types), True,
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


# --- EARLIEST_BY_OFFSET / LATEST_BY_OFFSET -------------------------------------------------------------


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
    t = _first(types)
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
    t = _first(types)
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


FACTORIES: dict[str, Factory] = {
    "ATTR": attr,
    "AVG": avg,
    "COLLECT_LIST": collect_list,
    "COLLECT_SET": collect_set,
    "CORRELATION": correlation,
    "COUNT": count,
    "COUNT_DISTINCT": count_distinct,
    "EARLIEST_BY_OFFSET": earliest_by_offset,
    "HISTOGRAM": histogram,
    "LATEST_BY_OFFSET": latest_by_offset,
    "MAX": _extreme(True),
    "MIN": _extreme(False),
    "STDDEV_SAMP": _stddev(False),
    "STDDEV_SAMPLE": _stddev(True),
    "SUM": sum_,
    "SUM_LIST": sum_list,
    "TOPK": topk,
    "TOPKDISTINCT": topk_distinct,
}
