"""The built-in aggregates' arithmetic and state, as ksqlDB 0.29's UDAF classes compute them."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import aggregates
from ksqlserver.functions.aggregator import Aggregator

S, INT, L, D = T.STRING, T.INTEGER, T.BIGINT, T.DOUBLE


def agg(name: str, types: list[Any], lits: Iterable[Any] = (), config: dict[str, str] | None = None) -> Aggregator:
    return aggregates.build(name, types, list(lits), False, config or {})


def run(a: Aggregator, values: Iterable[Any]) -> Any:
    acc = a.init()
    for v in values:
        acc = a.add(acc, v)
    return a.result(acc)


def test_count_and_sum_wrap_like_java() -> None:
    assert run(agg("COUNT", [S]), ["a", None, "b"]) == 2
    assert run(aggregates.build("COUNT", [], [], True), [None, None]) == 2
    assert run(agg("SUM", [INT]), [2**31 - 1, 1]) == -(2**31)
    assert run(agg("SUM", [L]), [2**63 - 1, 2]) == -(2**63) + 1
    assert run(agg("SUM", [D]), [0.5, None, 0.25]) == 0.75
    assert run(agg("SUM_LIST", [T.array(INT)]), [[2**31 - 1, None], [1]]) == -(2**31)
    assert run(agg("SUM_LIST", [T.array(D)]), [[0.5, 1.0], None]) == 1.5


def test_sum_of_decimals_keeps_precision_and_fails_past_it() -> None:
    a = agg("SUM", [T.decimal(4, 2)])
    assert a.type == T.decimal(4, 2)
    assert run(a, [Decimal("10.50"), Decimal("1.25")]) == Decimal("11.75")
    with pytest.raises(EvaluationError, match=r"Numeric field overflow: A field with precision 4 and scale 2 must "
                                              r"round to an absolute value less than 10\^2. Got 100.0"):  # rounded to 4 digits
        run(a, [Decimal("99.99"), Decimal("0.01")])


def test_avg_divides_the_wrapped_sum_as_doubles() -> None:
    a = agg("AVG", [INT])
    assert a.type == D and a.complex_state
    assert run(a, []) == 0.0
    assert run(a, [1, 2, None]) == 1.5
    assert run(a, [2**31 - 1, 1]) == -(2**31) / 2  # the INT sum overflows as in Java
    acc = a.add(a.add(a.init(), 4), 6)
    assert a.result(a.undo(acc, 6)) == 4.0  # a table aggregation can take values back


def test_stddev_samp_is_the_variance_and_stddev_sample_its_root() -> None:
    values = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
    assert run(agg("STDDEV_SAMP", [D]), values) == pytest.approx(statistics.variance(values))
    assert run(agg("STDDEV_SAMPLE", [D]), values) == pytest.approx(statistics.stdev(values))
    assert run(agg("STDDEV_SAMP", [INT]), [1, 2, 3, 4]) == pytest.approx(statistics.variance([1, 2, 3, 4]))
    assert run(agg("STDDEV_SAMP", [L]), [5]) == 0.0
    a = agg("STDDEV_SAMPLE", [D])
    acc = a.init()
    for v in [1.0, 2.0, 3.0, 10.0]:
        acc = a.add(acc, v)
    assert a.result(a.undo(acc, 10.0)) == pytest.approx(statistics.stdev([1.0, 2.0, 3.0]))


def test_correlation() -> None:
    a = agg("CORRELATION", [D, D])
    expected = statistics.correlation([1.0, 2.0, 3.0], [2.0, 4.0, 6.5])
    assert run(a, [(1.0, 2.0), (2.0, 4.0), (3.0, 6.5)]) == pytest.approx(expected)
    assert run(a, [(1.0, 2.0), (2.0, 1.0)]) == pytest.approx(-1.0)
    assert math.isnan(run(a, [(1.0, None), (2.0, 1.0)]))  # one usable row
    assert math.isnan(run(a, [(1.0, 5.0), (2.0, 5.0)]))  # constant column
    assert run(agg("CORRELATION", [INT, INT]), [(1, 1), (2, 3), (3, 2)]) == pytest.approx(0.5)


def test_min_max_over_every_comparable_type() -> None:
    assert run(agg("MAX", [D]), [1.0, math.nan, 2.0]) != run(agg("MAX", [D]), [1.0])  # NaN is the largest
    assert math.isnan(run(agg("MAX", [D]), [1.0, math.nan, 2.0]))
    assert run(agg("MIN", [D]), [1.0, math.nan]) == 1.0
    assert str(run(agg("MIN", [D]), [0.0, -0.0])) == "-0.0"
    assert run(agg("MAX", [T.BYTES]), [b"\x01", b"\xff"]) == b"\x01"  # signed bytes
    assert run(agg("MIN", [S]), ["b", None, "a"]) == "a"
    assert run(agg("MAX", [T.decimal(4, 1)]), [Decimal("1.5"), Decimal("2.0")]) == Decimal("2.0")
    assert run(agg("MAX", [T.TIMESTAMP]), [5, 3]) == 5
    assert agg("MIN", [INT]).undo is None  # not a table aggregate


def test_collect_list_and_set_with_limits() -> None:
    assert run(agg("COLLECT_LIST", [INT]), [1, None, 1]) == [1, None, 1]  # nulls are collected
    limited = agg("COLLECT_LIST", [INT], config={"ksql.functions.collect_list.limit": "2"})
    assert run(limited, [1, 2, 3]) == [1, 2]
    assert run(agg("COLLECT_LIST", [INT], config={"ksql.functions.collect_list.limit": "-1"}), [1, 2, 3]) == [1, 2, 3]
    assert run(agg("COLLECT_SET", [S]), ["a", "b", "a", None, None]) == ["a", "b", None]
    assert run(agg("COLLECT_SET", [S], config={"ksql.functions.collect_set.limit": "1"}), ["a", "b"]) == ["a"]
    cl = agg("COLLECT_LIST", [INT])
    acc = cl.add(cl.add(cl.add(cl.init(), 1), 2), 1)
    assert cl.undo(acc, 1) == [1, 2]  # the last occurrence goes
    assert agg("COLLECT_SET", [INT]).undo is None


def test_histogram() -> None:
    h = agg("HISTOGRAM", [S])
    acc = h.init()
    for v in ["a", "b", "a"]:
        acc = h.add(acc, v)
    assert h.result(acc) == {"a": 2, "b": 1}
    assert h.result(h.undo(acc, "b")) == {"a": 2}
    big = h.init()
    for i in range(1005):
        big = h.add(big, str(i))
    big = h.add(big, "0")
    assert len(big) == 1000 and big["0"] == 2  # 1000 distinct values at most; known ones still count


def test_topk_and_topkdistinct() -> None:
    assert run(agg("TOPK", [INT], [2]), [3, None, 7, 5, 7]) == [7, 7]
    assert run(agg("TOPKDISTINCT", [INT], [2]), [3, 7, 5, 7]) == [7, 5]
    assert run(agg("TOPKDISTINCT", [S], [3]), ["b", "a"]) == ["b", "a"]
    with_others = agg("TOPK", [D, S, L], [2])
    assert with_others.type == T.array(T.struct([("sort_col", D), ("col0", S), ("col1", L)]))
    assert run(with_others, [(1.0, "a", 1), (3.0, "b", 2), (2.0, "c", 3)]) == [
        {"sort_col": 3.0, "col0": "b", "col1": 2},
        {"sort_col": 2.0, "col0": "c", "col1": 3},
    ]
    assert run(agg("TOPKDISTINCT", [T.decimal(3, 1)], [1]), [Decimal("1.5"), Decimal("2.0")]) == [Decimal("2.0")]


def test_attr_and_count_distinct() -> None:
    a = agg("ATTR", [S])
    assert run(a, ["x", "x"]) == "x"
    assert run(a, ["x", "y"]) is None
    acc = a.add(a.add(a.init(), "x"), "y")
    assert a.result(a.undo(acc, "y")) == "x"
    assert run(agg("COUNT_DISTINCT", [S]), ["a", "b", "a", None]) == 2


def test_count_distinct_is_ksqldbs_hyperloglog() -> None:
    # reference estimates from stream-lib 2.9.5's HyperLogLog(14) (the library ksqlDB 0.29 uses), run on Java
    assert run(agg("COUNT_DISTINCT", [S]), [str(i) for i in range(100_000)]) == 100_181
    assert run(agg("COUNT_DISTINCT", [INT]), range(1000)) == 1002
    assert run(agg("COUNT_DISTINCT", [D]), [i * 0.5 for i in range(5000)]) == 4958
    assert run(agg("COUNT_DISTINCT", [T.decimal(5, 2)]), [Decimal(i).scaleb(-2) for i in range(300)]) == 301
    assert agg("COUNT_DISTINCT", [S]).undo is None


def test_earliest_and_latest_by_offset() -> None:
    assert run(agg("LATEST_BY_OFFSET", [S]), ["a", "b", None]) == "b"
    assert run(agg("LATEST_BY_OFFSET", [S], [False]), ["a", "b", None]) is None
    assert run(agg("LATEST_BY_OFFSET", [S], [2]), ["a", "b", None, "c"]) == ["b", "c"]
    assert run(agg("LATEST_BY_OFFSET", [S], [2, False]), ["a", "b", None]) == ["b", None]
    assert run(agg("EARLIEST_BY_OFFSET", [S]), [None, "a", "b"]) == "a"
    assert run(agg("EARLIEST_BY_OFFSET", [S], [False]), [None, "a"]) is None
    assert run(agg("EARLIEST_BY_OFFSET", [S], [2]), [None, "a", "b", "c"]) == ["a", "b"]
    assert agg("LATEST_BY_OFFSET", [INT], [3]).type == T.array(INT)
    with pytest.raises(EvaluationError, match="Failed to invoke UDAF factory method"):
        agg("LATEST_BY_OFFSET", [INT], [0])


def test_literal_parameters_must_be_literals() -> None:
    err = aggregates.not_literal("TOPK", 1, "X")
    assert err.message == "Parameter 2 passed to function TOPK must be a literal constant, but was expression: 'X'"
