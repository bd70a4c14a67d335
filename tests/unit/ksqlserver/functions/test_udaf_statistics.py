"""AVG, STDDEV_SAMP, STDDEV_SAMPLE and CORRELATION: ksqlDB 0.29's Java unit tests ported
(average/AverageUdafTest, stddev/StandardDeviationSampUdafTest, stddev/StandardDeviationSampleUdafTest,
correlation/CorrelationUdafTest). Accumulators: AVG [sum, count], STDDEV [sum, count, m2], CORRELATION
[x_sum, y_sum, x_squared_sum, y_squared_sum, xy_sum, count]."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.functions import aggregates
from ksqlserver.functions.aggregator import Aggregator

INT, L, D = T.INTEGER, T.BIGINT, T.DOUBLE


def agg(name: str, types: list[Any]) -> Aggregator:
    return aggregates.build(name, types, [], False, {})


def fold(a: Aggregator, values: Iterable[Any]) -> Any:
    acc = a.init()
    for v in values:
        acc = a.add(acc, v)
    return acc


def test_average_udaf_test() -> None:
    """AverageUdafTest: sums and counts, the mean, zeroes, the empty group (0.0), nulls, merge and undo."""
    lg = agg("AVG", [L])
    acc = fold(lg, [1, 1, 1, 1, 1])
    assert acc == [5, 5] and lg.result(acc) == 1.0
    assert agg("AVG", [INT]).result(fold(agg("AVG", [INT]), [1] * 5)) == 1.0
    assert agg("AVG", [D]).result(fold(agg("AVG", [D]), [1.0] * 5)) == 1.0
    assert agg("AVG", [INT]).result(fold(agg("AVG", [INT]), [0, 0, 0])) == 0.0
    assert agg("AVG", [INT]).result(agg("AVG", [INT]).init()) == 0.0
    i = agg("AVG", [INT])
    assert i.result(fold(i, [1, 2, None, 3])) == 2.0
    assert i.merge is not None and i.merge(fold(i, [1, 2]), fold(i, [3, 4])) == [10, 4]
    assert i.undo is not None and i.result(i.undo(fold(i, [1, 2, 6]), 6)) == 1.5
    assert i.result(i.undo(fold(i, [4]), 4)) == 0.0  # back to no values: count 0 maps to 0.0


def test_average_sums_wrap_like_the_java_type() -> None:
    """AverageUdaf.averageInt keeps an int SUM (`getInt32(SUM) + newValue` wraps); merge wraps too."""
    i = agg("AVG", [INT])
    assert i.result(fold(i, [2**31 - 1, 1])) == -(2**31) / 2
    assert i.merge is not None and i.merge([2**31 - 1, 1], [1, 1]) == [-(2**31), 2]


@pytest.mark.parametrize(("name", "root"), [("STDDEV_SAMP", False), ("STDDEV_SAMPLE", True)])
def test_standard_deviation_aggregate_and_undo(name: str, root: bool) -> None:
    """StandardDeviationSamp(le)UdafTest: the Youngs-Cramer update, zeroes, empty, nulls and undo.
    STDDEV_SAMP maps to M2 / (count - 1) (the variance); STDDEV_SAMPLE to its square root."""

    def mapped(x: float) -> float:
        return math.sqrt(x) if root else x

    lg = agg(name, [L])
    acc = fold(lg, [1, 2, 3, 4, 5])
    assert acc == [15, 5, 10.0]
    assert lg.result(acc) == mapped(2.5)
    i = agg(name, [INT])
    acc_i = fold(i, [3, 5, 6, 7])
    assert acc_i == [21, 4, 8.75] and i.result(acc_i) == mapped(2.9166666666666665)
    d = agg(name, [D])
    acc_d = fold(d, [10.2, 13.4, 14.5, 17.8])
    assert acc_d == [55.900000000000006, 4, 29.48749999999999]
    assert d.result(acc_d) == mapped(29.48749999999999 / 3)
    assert i.result(fold(i, [0, 0, 0])) == 0.0 and i.result(i.init()) == 0.0
    assert i.result(fold(i, [60, 64, 70, None])) == (5.033222956847166 if root else 25.333333333333332)
    assert lg.undo is not None
    undone = lg.undo(acc, 2)
    assert undone == [13, 4, 8.75] and lg.result(undone) == mapped(2.9166666666666665)


def test_stddev_samp_merges_with_long_division() -> None:
    """StandardDeviationSampUdaf's mergeInner divides the INT/BIGINT sums by the counts as longs."""
    lg = agg("STDDEV_SAMP", [L])
    assert lg.merge is not None
    merged = lg.merge(fold(lg, [1, 2, 3, 4, 5]), fold(lg, [2, 2, 1]))
    assert merged[:2] == [20, 8] and merged[2] == 18.166666666666664
    assert lg.result(merged) == 2.595238095238095
    i = agg("STDDEV_SAMP", [INT])
    assert i.merge is not None
    merged_i = i.merge(fold(i, [5, 8, 10]), fold(i, [6, 7, 9]))
    assert merged_i == [45, 6, 17.333333333333332] and i.result(merged_i) == 3.4666666666666663
    d = agg("STDDEV_SAMP", [D])
    assert d.merge is not None
    merged_d = d.merge(fold(d, [5.5, 8.4, 10.9]), fold(d, [6.3, 7.2, 9.7]))
    assert merged_d == [48.0, 6, 21.240000000000006] and d.result(merged_d) == 4.248000000000001


def test_stddev_sample_merges_with_double_division() -> None:
    """StandardDeviationSampleUdaf's mergeInner divides `getInt64(SUM).doubleValue()` by the count as doubles
    (unlike StandardDeviationSampUdaf): shouldMergeLongs / shouldMergeInts / shouldMergeDoubles."""
    lg = agg("STDDEV_SAMPLE", [L])
    assert lg.merge is not None
    merged = lg.merge(fold(lg, [1, 2, 3, 4, 5]), fold(lg, [2, 2, 1]))
    assert merged == [20, 8, 14.0] and lg.result(merged) == 1.4142135623730951
    i = agg("STDDEV_SAMPLE", [INT])
    assert i.merge is not None
    merged_i = i.merge(fold(i, [5, 8, 10]), fold(i, [6, 7, 9]))
    assert merged_i == [45, 6, 17.5] and i.result(merged_i) == 1.8708286933869707
    d = agg("STDDEV_SAMPLE", [D])
    assert d.merge is not None
    merged_d = d.merge(fold(d, [5.5, 8.4, 10.9]), fold(d, [6.3, 7.2, 9.7]))
    assert merged_d == [48.0, 6, 21.240000000000006] and d.result(merged_d) == 2.0610676844781204


POSITIVE = [(14.2, 215.0), (16.4, 325.0), (11.9, 185.0), (15.2, 332.0), (18.5, 406.0), (22.1, 522.0),
            (19.4, 412.0), (25.1, 614.0), (23.4, 544.0), (18.1, 421.0), (22.6, 445.0), (17.2, 408.0)]  # fmt: skip


def test_correlation_udaf_test() -> None:
    """CorrelationUdafTest: Pearson's r, nulls skipped pairwise, NaN for no spread, merge and undo."""
    c = agg("CORRELATION", [D, D])
    assert c.type == D
    assert c.result(fold(c, POSITIVE)) == pytest.approx(0.9575, abs=0.00005)
    assert c.result(fold(c, [(-x, -y) for x, y in POSITIVE])) == pytest.approx(0.9575, abs=0.00005)
    with_nulls = [*POSITIVE[:5], (13.1, None), *POSITIVE[5:], (None, 620.0)]
    assert c.result(fold(c, with_nulls)) == pytest.approx(0.9575, abs=0.00005)
    assert math.isnan(c.result(fold(c, [(None, None)] * 14)))
    assert math.isnan(c.result(fold(c, [(15.0, 20.0)])))
    assert c.result(fold(c, [(15.0, 20.0), (20.0, 30.0)])) == pytest.approx(1.0, abs=0.00005)
    assert c.result(fold(c, [(15.0, 20.0), (20.0, -30.0)])) == pytest.approx(-1.0, abs=0.00005)
    assert math.isnan(c.result(fold(c, [(20.0, y) for y in (15.0, 10.0, 5.0, 0.0, -5.0, -10.0)])))
    assert math.isnan(c.result(fold(c, [(x, 20.0) for x in (15.0, 10.0, 5.0, 0.0, -5.0, -10.0)])))
    assert c.merge is not None
    assert c.result(c.merge(fold(c, POSITIVE[:9]), fold(c, POSITIVE[9:]))) == pytest.approx(0.9575, abs=0.00005)
    assert c.undo is not None
    acc = fold(c, [*POSITIVE[:5], (23.4, 203.0), (13.1, None)])
    acc = c.undo(c.undo(acc, (23.4, 203.0)), (13.1, None))
    for v in POSITIVE[5:]:
        acc = c.add(acc, v)
    assert c.result(acc) == pytest.approx(0.9575, abs=0.00005)


def test_correlation_of_ints_and_longs_converts_to_doubles() -> None:
    """createCorrelationInteger / createCorrelationLong: Integer::doubleValue, Long::doubleValue."""
    i, lg = agg("CORRELATION", [INT, INT]), agg("CORRELATION", [L, L])
    assert i.result(fold(i, [(1, 2), (2, 4), (3, 6)])) == pytest.approx(1.0)
    assert lg.result(fold(lg, [(1, -2), (2, -4), (3, -6)])) == pytest.approx(-1.0)
