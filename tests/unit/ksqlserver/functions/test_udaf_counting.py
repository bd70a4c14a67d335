"""COUNT, SUM (typed variants), SUM_LIST, MIN and MAX: ksqlDB 0.29's Java unit tests ported
(count/CountKudafTest, sum/*SumKudafTest, sum/ListSumUdafTest, min/*MinKudafTest, max/*MaxKudafTest), plus
the Java semantics Python does not share (Java's String.compareTo, BaseComparableKudaf's ties)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import aggregates
from ksqlserver.functions.aggregator import Aggregator

S, INT, L, D = T.STRING, T.INTEGER, T.BIGINT, T.DOUBLE


def agg(name: str, types: list[Any], lits: Iterable[Any] = ()) -> Aggregator:
    return aggregates.build(name, types, list(lits), False, {})


def fold(a: Aggregator, values: Iterable[Any]) -> Any:
    acc = a.init()
    for v in values:
        acc = a.add(acc, v)
    return acc


def run(a: Aggregator, values: Iterable[Any]) -> Any:
    return a.result(fold(a, values))


def test_count_counts_non_null_values_and_undoes_them() -> None:
    """CountKudaf: aggregate/undo skip null, merge adds (a TableUdaf)."""
    c = agg("COUNT", [S])
    acc = fold(c, ["a", None, "b", "c"])
    assert c.result(acc) == 3
    assert c.undo(acc, None) == 3 and c.undo(acc, "a") == 2
    assert c.merge is not None and c.merge(3, 4) == 7


@pytest.mark.parametrize("t", [INT, L, D])
def test_sum_base_kudaf_test(t: T.SqlType) -> None:
    """BaseSumKudafTest: sums, nulls skipped, undo subtracts, merge adds (Integer/Long/DoubleSumKudaf)."""
    conv = float if t == D else int
    s = agg("SUM", [t])
    assert s.type == t
    assert run(s, [conv(x) for x in (3, 5, 8, 2, 3, 4, 5)]) == conv(30)
    assert run(s, [None if x is None else conv(x) for x in (3, None, 8, 2, 3, 4, 5)]) == conv(25)
    acc = conv(30)
    for x in (3, None, 8, 2, 3, 4, 5):
        acc = s.undo(acc, None if x is None else conv(x))  # type: ignore[misc]
    assert acc == conv(5)
    assert s.merge is not None and s.merge(conv(7), conv(23)) == conv(30)


def test_sum_wraps_like_java_ints_and_longs() -> None:
    """IntegerSumKudaf / LongSumKudaf add with Java's int / long overflow, in merge too."""
    i, lg = agg("SUM", [INT]), agg("SUM", [L])
    assert run(i, [2**31 - 1, 1]) == -(2**31)
    assert i.merge is not None and i.merge(2**31 - 1, 2) == -(2**31) + 1
    assert run(lg, [-(2**63), -1]) == 2**63 - 1
    assert i.undo is not None and i.undo(-(2**31), 1) == 2**31 - 1


def test_decimal_sum_kudaf() -> None:
    """DecimalSumKudaf: MathContext(precision) rounding, the overflow message, undo and merge."""
    s = agg("SUM", [T.decimal(4, 2)])
    assert s.type == T.decimal(4, 2)
    assert run(s, [Decimal("1.01"), None, Decimal("2.02")]) == Decimal("3.03")
    with pytest.raises(EvaluationError) as err:
        run(s, [Decimal("99.99"), Decimal("0.01")])
    assert err.value.message == (
        "Numeric field overflow: A field with precision 4 and scale 2 must round to an absolute value less "
        "than 10^2. Got 100.0"
    )
    assert s.undo is not None and s.undo(Decimal("3.03"), Decimal("1.01")) == Decimal("2.02")
    assert s.merge is not None and s.merge(Decimal("1.50"), Decimal("2.25")) == Decimal("3.75")


def test_decimal_sum_of_nulls_has_the_initializers_scale_until_stored() -> None:
    """DecimalSumKudaf.initialize is BigDecimal.ZERO (scale 0): a group's first aggregate over a null is 0; the
    state the store gives back has the column's scale (DecimalUtil.ensureFit on deserialization), so the
    next one is 0.00 (observed on ksqlDB 0.29: a window whose first DECIMAL(6,2) value is null writes 0)."""
    s = agg("SUM", [T.decimal(6, 2)])
    first = s.add(s.init(), None)
    assert str(first) == "0"
    assert str(s.add(first, None)) == "0.00"
    assert str(s.add(s.init(), Decimal("1.25"))) == "1.25"
    assert str(s.add(Decimal("12.5"), None)) == "12.50"  # a stored value reads back with scale 2
    assert s.undo is not None and str(s.undo(first, None)) == "0.00"


def test_list_sum_udaf_test() -> None:
    """ListSumUdafTest: every shape, nulls in the list skipped, undo and merge."""
    li, ll, ld = agg("SUM_LIST", [T.array(INT)]), agg("SUM_LIST", [T.array(L)]), agg("SUM_LIST", [T.array(D)])
    assert (li.type, ll.type, ld.type) == (INT, L, D)
    assert li.add(0, [1, 1, 1, 1, 1]) == 5 and ll.add(0, [1] * 5) == 5 and ld.add(0.0, [1.0] * 5) == 5.0
    assert li.add(0, [0, 0, 0]) == 0 and li.add(0, []) == 0
    assert li.add(0, [1, 1, None, 1]) == 3
    assert li.add(0, None) == 0  # a null list leaves the sum
    assert li.merge is not None and li.merge(li.add(0, [1, 1, 1, 1]), li.add(0, [2, 2, 2])) == 10
    assert li.undo is not None and li.undo(li.add(0, [1, 1, 1, 1]), [1, 1, 1]) == 1
    assert run(li, [[2**31 - 1], [1]]) == -(2**31)  # Integer::sum wraps


@pytest.mark.parametrize(
    ("t", "values", "lo", "hi"),
    [
        (INT, [3, 5, 8, 2, 3, 4, 5], 2, 8),
        (L, [3, 5, 8, 2, 3, 4, 5], 2, 8),
        (D, [3.0, 5.0, 8.0, 2.2, 3.5, 4.6, 5.0], 2.2, 8.0),
        (S, ["C", "F", "B", "E", "A", "D", "B"], "A", "F"),
        (T.BYTES, [b"C", b"F", b"B", b"E", b"A", b"D", b"B"], b"A", b"F"),
        (T.decimal(2, 1), [Decimal("3.0"), Decimal("8.0"), Decimal("2.2")], Decimal("2.2"), Decimal("8.0")),
        (T.DATE, [3, 1, 2], 1, 3),  # days since the epoch
        (T.TIME, [3000, 1000], 1000, 3000),  # milliseconds of the day
        (T.TIMESTAMP, [3000, -1000], -1000, 3000),  # milliseconds since the epoch
    ],
)  # fmt: skip
def test_min_max_kudaf_tests(t: T.SqlType, values: list[object], lo: object, hi: object) -> None:
    """*MinKudafTest / *MaxKudafTest: the extreme, nulls ignored before and after, merge; not a TableUdaf."""
    mn, mx = agg("MIN", [t]), agg("MAX", [t])
    assert mn.type == t and mn.undo is None and mx.undo is None
    assert run(mn, [None, *values, None]) == lo and run(mx, [None, *values, None]) == hi
    assert run(mn, [None]) is None
    assert mx.merge is not None and mn.merge is not None
    assert mx.merge(values[0], values[1]) == max(values[:2]) and mn.merge(values[0], values[1]) == min(values[:2])
    assert mx.merge(None, values[0]) == values[0] and mn.merge(values[0], None) == values[0]


def test_bytes_compare_as_signed_bytes() -> None:
    """ByteBuffer.compareTo compares signed bytes: 0x80 sorts below 0x7f."""
    assert run(agg("MAX", [T.BYTES]), [b"\x80", b"\x7f"]) == b"\x7f"
    assert run(agg("MIN", [T.BYTES]), [b"\x7f", b"\x80"]) == b"\x80"


def test_doubles_compare_as_double_compare_to() -> None:
    """Double.compareTo: NaN above everything, -0.0 below 0.0."""
    assert run(agg("MAX", [D]), [1.0, float("nan"), 2.0]) != run(agg("MAX", [D]), [1.0, float("nan"), 2.0])  # NaN
    assert str(run(agg("MIN", [D]), [0.0, -0.0])) == "-0.0"
    assert str(run(agg("MAX", [D]), [-0.0, 0.0])) == "0.0"


def test_strings_compare_as_utf16_code_units() -> None:
    """String.compareTo compares UTF-16 code units: U+1F600 (surrogates D83D DE00) sorts below U+FF5E,
    though its code point is larger (MaxKudaf / MinKudaf over String)."""
    smile, tilde = "\U0001f600", "\uff5e"
    assert run(agg("MAX", [S]), [smile, tilde]) == tilde
    assert run(agg("MIN", [S]), [tilde, smile]) == smile
    assert run(agg("MAX", [S]), ["b", smile]) == smile  # against ASCII both orders agree


def test_ties_follow_base_comparable_kudaf() -> None:
    """BaseComparableKudaf.aggregate(current, aggregate): MaxKudaf keeps the aggregate on a tie, MinKudaf takes
    the current value; merge(aggOne, aggTwo) is aggregate(aggOne, aggTwo). Seen on decimals of equal value."""
    one, one0 = Decimal("1.0"), Decimal("1.00")
    mx, mn = agg("MAX", [T.decimal(3, 2)]), agg("MIN", [T.decimal(3, 2)])
    assert str(run(mx, [one, one0])) == "1.0"
    assert str(run(mn, [one, one0])) == "1.00"
    assert mx.merge is not None and mn.merge is not None
    assert str(mx.merge(one, one0)) == "1.00"  # aggOne is "current": not greater, so aggTwo
    assert str(mn.merge(one, one0)) == "1.0"  # MinKudaf: not greater, so the current (aggOne)
