"""TOPK, TOPKDISTINCT, EARLIEST_BY_OFFSET and LATEST_BY_OFFSET: ksqlDB 0.29's Java unit tests ported
(topk/*TopkKudafTest, topkdistinct/*TopkDistinctKudafTest, offset/EarliestByOffsetTest; LatestByOffset's
merge read from its source), plus Java's String.compareTo and the merge loops' `i != k`."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import aggregates
from ksqlserver.functions.aggregator import Aggregator

S, INT, L, D, B = T.STRING, T.INTEGER, T.BIGINT, T.DOUBLE, T.BOOLEAN
VALUES = [10, 30, 45, 10, 50, 60, 20, 60, 80, 35, 25]


def agg(name: str, types: list[Any], lits: Iterable[Any] = ()) -> Aggregator:
    return aggregates.build(name, types, list(lits), False, {})


def fold(a: Aggregator, values: Iterable[Any], acc: Any = None) -> Any:
    acc = a.init() if acc is None else acc
    for v in values:
        acc = a.add(acc, v)
    return acc


def test_int_topk_kudaf_test() -> None:
    """IntTopkKudafTest: the top k with duplicates, fewer than k, merges, large k, not a TableUdaf."""
    tk = agg("TOPK", [INT], [3])
    assert tk.undo is None and tk.type == T.array(INT)
    assert fold(tk, VALUES) == [80, 60, 60]
    assert fold(tk, [10]) == [10]
    assert tk.merge is not None
    assert tk.merge([50, 45, 25], [60, 55, 48]) == [60, 55, 50]
    assert tk.merge([50, 45], [60]) == [60, 50, 45]
    assert tk.merge([50], [60]) == [60, 50]
    assert fold(tk, [100], fold(tk, [1])) == [100, 1]
    big = agg("TOPK", [INT], [300])
    initial = list(range(299, -1, -1))
    assert big.merge is not None
    assert big.merge(big.add(initial, 10), initial)[:3] == [299, 299, 298]
    twelve = agg("TOPK", [INT], [12])
    assert twelve.merge is not None
    parts = [fold(twelve, [v + n for v in [10, 30, 45, 10, 50, 60, 20, 70, 80, 35, 25]], [0] * 12) for n in range(4)]
    merged = parts[0]
    for p in parts[1:]:
        merged = twelve.merge(merged, p)
    assert merged == [83, 82, 81, 80, 73, 72, 71, 70, 63, 62, 61, 60]


def test_topk_with_other_columns_makes_structs() -> None:
    """IntTopkKudafTest.shouldAggregateTopKStruct: `sort_col`, `col0`, `col1`; ties keep arrival order
    (a stable sort on `Comparator.comparing(structToVal).reversed()`)."""
    tk = agg("TOPK", [INT, B, S], [3])
    assert tk.type == T.array(T.struct([("sort_col", INT), ("col0", B), ("col1", S)]))
    rows = [(10, True, "hello"), (30, False, "world"), (45, False, "topk"), (10, True, "test"),
            (50, False, "aggregate"), (60, True, "function"), (20, True, "udaf"), (60, True, "testing"),
            (80, False, "ksql"), (35, True, "value"), (25, False, "streaming")]  # fmt: skip
    out = fold(tk, rows)
    assert [(s["sort_col"], s["col0"], s["col1"]) for s in out] == [
        (80, False, "ksql"), (60, True, "function"), (60, True, "testing")
    ]
    assert fold(tk, [(10, True, "hello")]) == [{"sort_col": 10, "col0": True, "col1": "hello"}]
    assert fold(tk, [(None, True, "x")]) == []  # a null sort value is skipped


@pytest.mark.parametrize(
    ("t", "values", "top"),
    [
        (L, [10, 30, 45, 10, 50, 60, 20, 60, 80, 35, 25], [80, 60, 60]),
        (D, [10.0, 30.0, 45.0, 10.0, 50.0, 60.0, 20.0, 60.0, 80.0, 35.0, 25.0], [80.0, 60.0, 60.0]),
        (S, ["10", "30", "45", "10", "50", "60", "20", "60", "80", "35", "25"], ["80", "60", "60"]),
    ],
)
def test_typed_topk_kudaf_tests(t: T.SqlType, values: list[Any], top: list[Any]) -> None:
    """LongTopkKudafTest / DoubleTopkKudafTest / StringTopkKudafTest."""
    assert fold(agg("TOPK", [t], [3]), values) == top


def test_topk_orders_strings_by_utf16_code_units() -> None:
    """TopkKudaf / TopkDistinctKudaf sort by String.compareTo: U+FF5E above U+1F600 (a surrogate pair)."""
    smile, tilde = "\U0001f600", "\uff5e"
    assert fold(agg("TOPK", [S], [2]), [smile, tilde, "a"]) == [tilde, smile]
    assert fold(agg("TOPKDISTINCT", [S], [2]), [smile, tilde, smile, "a"]) == [tilde, smile]


def test_topk_with_zero_or_negative_k() -> None:
    """TopkKudaf.aggregate with k = 0 sets index -1 (Java's IndexOutOfBoundsException); a negative k never
    fills up, and merge loops `i != topKSize`, so it keeps every value (TopkDistinctKudaf alike)."""
    with pytest.raises(EvaluationError, match=r"^Index -1 out of bounds for length 0$"):
        fold(agg("TOPK", [INT], [0]), [1])
    with pytest.raises(EvaluationError, match=r"^Index -1 out of bounds for length 0$"):
        fold(agg("TOPKDISTINCT", [INT], [0]), [1])
    neg = agg("TOPK", [INT], [-1])
    assert fold(neg, [1, 3, 2]) == [3, 2, 1]
    assert neg.merge is not None and neg.merge([3, 1], [2]) == [3, 2, 1]
    negd = agg("TOPKDISTINCT", [INT], [-1])
    assert negd.merge is not None and negd.merge([3, 1], [3, 2]) == [3, 2, 1]
    zero = agg("TOPK", [INT], [0])
    assert zero.merge is not None and zero.merge([], []) == []


def test_int_topk_distinct_kudaf_test() -> None:
    """IntTopkDistinctKudafTest: distinct top k, fewer than k, merges with duplicates."""
    td = agg("TOPKDISTINCT", [INT], [3])
    assert td.undo is None
    assert fold(td, [10, 30, 45, 10, 50, 60, 20, 60, 80, 35, 25, 60, 80]) == [80, 60, 50]
    assert fold(td, [80]) == [80]
    assert td.merge is not None
    assert td.merge([50, 45, 25], [60, 50, 48]) == [60, 50, 48]
    assert td.merge([50, 45], [60]) == [60, 50, 45]
    assert td.merge([50, 45], [60, 50]) == [60, 50, 45]
    assert td.merge([60], [60]) == [60]
    assert fold(td, [100], fold(td, [1])) == [100, 1]
    twelve = agg("TOPKDISTINCT", [INT], [12])
    assert twelve.merge is not None
    parts = [fold(twelve, [v + n for v in [10, 30, 45, 10, 50, 60, 20, 70, 80, 35, 25]], [1] * 12) for n in range(4)]
    merged = parts[0]
    for p in parts[1:]:
        merged = twelve.merge(merged, p)
    assert merged == [83, 82, 81, 80, 73, 72, 71, 70, 63, 62, 61, 60]


@pytest.mark.parametrize(
    ("t", "values", "top"),
    [
        (T.decimal(4, 1), [Decimal("10.0"), Decimal("30.0"), Decimal("10.0"), Decimal("45.0")],
         [Decimal("45.0"), Decimal("30.0"), Decimal("10.0")]),
        (T.BYTES, [b"\x01", b"\x80", b"\x7f", b"\x01"], [b"\x7f", b"\x01", b"\x80"]),  # signed bytes
        (D, [0.0, -0.0, 1.0], [1.0, 0.0, -0.0]),  # Double.equals: -0.0 is another value
    ],
)  # fmt: skip
def test_typed_topk_distinct_kudaf_tests(t: T.SqlType, values: list[Any], top: list[Any]) -> None:
    """DecimalTopKDistinctKudafTest / BytesTopKDistinctKudafTest; List.contains with Double.equals."""
    out = fold(agg("TOPKDISTINCT", [t], [3]), values)
    assert [str(x) for x in out] == [str(x) for x in top]


def test_earliest_by_offset_test() -> None:
    """EarliestByOffsetTest: initial null / empty, the first value(s), up to N, merges by sequence."""
    e = agg("EARLIEST_BY_OFFSET", [INT])
    assert e.init() is None and e.undo is None
    first = e.add(e.init(), 321)
    assert e.result(e.add(first, 123)) == 321
    en = agg("EARLIEST_BY_OFFSET", [INT], [2])
    assert en.init() == [] and en.type == T.array(INT)
    assert en.result(fold(en, [321, 123])) == [321, 123]
    assert en.result(fold(en, [10, 3, 2])) == [10, 3]
    a1, a2 = e.add(None, 123), e.add(None, 321)
    assert e.merge is not None and e.merge(a1, a2) == a1 and e.merge(a2, a1) == a1
    s1, s2, s3, s4 = (en.add([], v)[0] for v in (123, 321, 543, 654))
    assert en.merge is not None
    assert en.merge([s1, s4], [s2, s3]) == [s1, s2] and en.merge([s2, s3], [s1, s4]) == [s1, s2]
    en5 = agg("EARLIEST_BY_OFFSET", [INT], [5])
    assert en5.merge is not None and en5.merge([s1, s4], [s2, s3]) == [s1, s2, s3, s4]


def test_earliest_and_latest_null_handling() -> None:
    """earliest(ignoreNulls) / latest(ignoreNulls): nulls skipped by default, kept with false."""
    assert agg("EARLIEST_BY_OFFSET", [INT]).result(fold(agg("EARLIEST_BY_OFFSET", [INT]), [None, 1])) == 1
    keep = agg("EARLIEST_BY_OFFSET", [INT], [False])
    assert keep.result(fold(keep, [None, 1])) is None
    lt = agg("LATEST_BY_OFFSET", [INT])
    assert lt.result(fold(lt, [1, None])) == 1 and lt.result(lt.init()) is None
    lkeep = agg("LATEST_BY_OFFSET", [INT], [False])
    assert lkeep.result(fold(lkeep, [1, None])) is None
    ln = agg("LATEST_BY_OFFSET", [INT], [2, False])
    assert ln.result(fold(ln, [1, None, 3])) == [None, 3]
    en = agg("EARLIEST_BY_OFFSET", [INT], [2, False])
    assert en.result(fold(en, [None, 1, 3])) == [None, 1]


def test_latest_by_offset_merges() -> None:
    """LatestByOffset.latestT merge: the later sequence, except that with ignoreNulls a null value loses;
    latestTN merge sorts both by sequence and keeps the *first* N (as ksqlDB 0.29 does)."""
    lt = agg("LATEST_BY_OFFSET", [INT])
    assert lt.merge is not None
    older, newer = lt.add(lt.init(), 1), lt.add(lt.init(), 2)
    assert lt.merge(older, newer) == newer and lt.merge(newer, older) == newer
    empty = lt.init()  # created last: the newest sequence, but a null value
    assert lt.merge(older, empty) == older and lt.merge(empty, older) == older
    keep = agg("LATEST_BY_OFFSET", [INT], [False])
    assert keep.merge is not None
    nul = keep.add(keep.init(), None)
    assert keep.merge(older, nul) == nul
    ln = agg("LATEST_BY_OFFSET", [INT], [2])
    assert ln.merge is not None
    x = fold(ln, [1, 2])
    y = fold(ln, [3, 4])
    assert ln.result(ln.merge(y, x)) == [1, 2]


@pytest.mark.parametrize("name", ["EARLIEST_BY_OFFSET", "LATEST_BY_OFFSET"])
@pytest.mark.parametrize("n", [0, -1])
def test_by_offset_n_must_be_positive(name: str, n: int) -> None:
    """earliestTN / latestTN throw "earliestN must be 1 or greater"; UdafFactoryInvoker.createFunction
    reports "Failed to invoke UDAF factory method"."""
    with pytest.raises(EvaluationError, match=r"^Failed to invoke UDAF factory method$"):
        agg(name, [INT], [n])
