"""AVG, STDDEV_SAMP / STDDEV_SAMPLE and CORRELATION, with ksqlDB's arithmetic.

AVG's sum wraps like the column's Java type and divides as a double; STDDEV_SAMP returns the sample
variance (STDDEV_SAMPLE its square root); CORRELATION divides as Java's doubles do.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ksqlserver.catalog.types import DOUBLE, SqlType
from ksqlserver.functions.aggregator import Aggregator
from ksqlserver.functions.numeric import wrap64
from ksqlserver.functions.udafs.common import Factory, add_pair, first_type, java_wrap


def avg(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
    """[sum, count]; the sum wraps like the column's Java type, the mean is a double division."""
    t = first_type(types)
    if t.base == "DOUBLE":
        add = lambda a, v: a if v is None else [a[0] + v, a[1] + 1]
        undo = lambda a, v: a if v is None else [a[0] - v, a[1] - 1]
        zero: Any = 0.0
    else:
        w = java_wrap(t)
        add = lambda a, v: a if v is None else [w(a[0] + v), a[1] + 1]
        undo = lambda a, v: a if v is None else [w(a[0] - v), a[1] - 1]
        zero = 0
    plus: Callable[[Any, Any], Any] = add_pair if t.base == "DOUBLE" else (lambda x, y: java_wrap(t)(x + y))
    return Aggregator(
        lambda: [zero, 0],
        add,
        undo,
        lambda a: 0.0 if a[1] == 0 else float(a[0]) / a[1],
        DOUBLE,
        True,
        merge=lambda a, b: [plus(a[0], b[0]), a[1] + b[1]],
    )


def stddev(root: bool) -> Factory:
    def make(types: Sequence[SqlType | None], lits: Sequence[Any], star: bool, cfg: Mapping[str, str]) -> Aggregator:
        """[sum, count, m2] as ksqlDB's Welford-style update, with its integer arithmetic."""
        t = first_type(types)
        if t.base == "DOUBLE":
            plus: Callable[[Any, Any], Any] = lambda a, b: a + b
            minus: Callable[[Any, Any], Any] = lambda a, b: a - b

            def delta(s: Any, n: int, v: Any) -> float:
                return v * (n + 1) - (s + v)

            zero: Any = 0.0
        else:
            w = java_wrap(t)
            plus = lambda a, b: w(a + b)
            minus = lambda a, b: w(a - b)

            def delta(s: Any, n: int, v: Any) -> float:
                return float(wrap64(wrap64(v * (n + 1)) - w(s + v)))

            zero = 0

        def mean_diff(s1: Any, n1: int, s2: Any, n2: int) -> float:
            # StandardDeviationSampUdaf divides an INT/BIGINT sum by the count as longs (truncating);
            # StandardDeviationSampleUdaf divides their doubleValue()s
            if t.base == "DOUBLE" or root:
                return float(s1) / n1 - float(s2) / n2
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
            else:  # Chan's pairwise update, with ksqlDB's mean difference
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
