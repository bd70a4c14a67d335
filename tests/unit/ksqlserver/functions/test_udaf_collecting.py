"""COLLECT_LIST, COLLECT_SET, HISTOGRAM, ATTR and COUNT_DISTINCT: ksqlDB 0.29's Java unit tests ported
(array/CollectListUdafTest, array/CollectSetUdafTest, map/HistogramUdafTest, attr/AttrTest,
count/CountDistinctKudafTest), plus Java's equals where Python's == differs (Double.equals, BigDecimal)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import aggregates
from ksqlserver.functions.aggregator import Aggregator

S, INT, D = T.STRING, T.INTEGER, T.DOUBLE
LIST_LIMIT, SET_LIMIT = "ksql.functions.collect_list.limit", "ksql.functions.collect_set.limit"


def agg(name: str, types: list[Any], config: Mapping[str, Any] | None = None) -> Aggregator:
    return aggregates.build(name, types, [], False, dict(config or {}))


def fold(a: Aggregator, values: Iterable[Any]) -> Any:
    acc = a.init()
    for v in values:
        acc = a.add(acc, v)
    return acc


@pytest.mark.parametrize(
    ("t", "values"),
    [
        (T.TIMESTAMP, [1, 2]),  # milliseconds since the epoch, as the engine holds them
        (T.TIME, [1, 2]),
        (T.DATE, [0, 1]),
        (T.BYTES, [b"\x01", b"\x02"]),
    ],
)
def test_collect_list_and_set_collect_every_type(t: T.SqlType, values: list[Any]) -> None:
    """CollectListUdafTest / CollectSetUdafTest: shouldCollect{Timestamps,Times,Dates,Bytes}."""
    for name in ("COLLECT_LIST", "COLLECT_SET"):
        a = agg(name, [t])
        assert a.type == T.array(t) and a.result(fold(a, values)) == values


def test_collect_list_udaf_test() -> None:
    """CollectListUdafTest: duplicates and nulls kept, merge appends, limits (numbers, strings, negative),
    undo removes the last equal value and ignores a value past the limit."""
    cl = agg("COLLECT_LIST", [INT])
    assert cl.result(fold(cl, [3, 4, 5, 3])) == [3, 4, 5, 3]
    lhs, rhs = fold(cl, [1, 2, None, 3]), fold(cl, [2, None, 3, 4, 5, 6])
    assert lhs == [1, 2, None, 3] and rhs == [2, None, 3, 4, 5, 6]
    assert cl.merge is not None and cl.merge(lhs, rhs) == [1, 2, None, 3, 2, None, 3, 4, 5, 6]
    for limit in (10, "10"):
        limited = fold(agg("COLLECT_LIST", [INT], {LIST_LIMIT: limit}), range(1, 25))
        assert limited == list(range(1, 11))
    assert len(fold(agg("COLLECT_LIST", [INT], {LIST_LIMIT: -10}), range(1, 26))) == 25
    assert cl.undo is not None
    acc = cl.undo(fold(cl, [3, 4, 5, 3]), 4)
    assert acc == [3, 5, 3] and cl.undo(acc, 3) == [3, 5]
    lim = agg("COLLECT_LIST", [INT], {LIST_LIMIT: 10})
    full = lim.add(fold(lim, range(10)), 11)
    assert 11 not in full and lim.undo is not None and lim.undo(full, 11) == full
    assert cl.merge(fold(lim, range(10)), [1, 2]) == [*range(10), 1, 2]  # the list's own limit only


def test_collect_set_udaf_test() -> None:
    """CollectSetUdafTest: distinct values in first-seen order (null one of them), merge, limits; not a
    TableUdaf."""
    cs = agg("COLLECT_SET", [INT])
    assert cs.undo is None
    assert cs.result(fold(cs, [3, 4, 5, 3])) == [3, 4, 5]
    lhs, rhs = fold(cs, [1, 2, None, 3]), fold(cs, [2, None, 3, 4, 5, 6])
    assert cs.merge is not None and cs.merge(lhs, rhs) == [1, 2, None, 3, 4, 5, 6]
    for limit in (1000, "1000"):
        limited = fold(agg("COLLECT_SET", [INT], {SET_LIMIT: limit}), range(1, 2500))
        assert limited == list(range(1, 1001))
    assert len(fold(agg("COLLECT_SET", [INT], {SET_LIMIT: -1}), range(1, 26))) == 25
    assert len(fold(agg("COLLECT_SET", [INT], {LIST_LIMIT: 1}), range(5))) == 5  # its own setting only


@pytest.mark.parametrize("bad", [" 5", "5 ", "1_0", "5.0", "x", "2147483648"])
def test_limits_parse_as_integer_parse_int(bad: str) -> None:
    """CollectListUdaf.configure: `Integer.parseInt((String) limit)` fails on blanks, underscores, decimals
    and values past an int; UdafFactoryInvoker.createFunction reports it as the factory failing."""
    for name, key in (("COLLECT_LIST", LIST_LIMIT), ("COLLECT_SET", SET_LIMIT)):
        with pytest.raises(EvaluationError, match=r"^Failed to invoke UDAF factory method$"):
            agg(name, [INT], {key: bad})
    assert fold(agg("COLLECT_LIST", [INT], {LIST_LIMIT: "+2"}), range(5)) == [0, 1]
    assert fold(agg("COLLECT_LIST", [INT], {LIST_LIMIT: 2**32 + 2}), range(5)) == [0, 1]  # Number.intValue()


def test_collections_compare_doubles_with_double_equals() -> None:
    """List.contains / lastIndexOf use Double.equals: NaN equals NaN, -0.0 and 0.0 differ."""
    cs = agg("COLLECT_SET", [D])
    out = cs.result(fold(cs, [0.0, -0.0, float("nan"), float("nan"), 0.0]))
    assert [str(x) for x in out] == ["0.0", "-0.0", "nan"]
    assert cs.merge is not None and [str(x) for x in cs.merge([0.0], [-0.0, 0.0])] == ["0.0", "-0.0"]
    cl = agg("COLLECT_LIST", [D])
    assert cl.undo is not None
    assert [str(x) for x in cl.undo([0.0, -0.0, 1.0], 0.0)] == ["-0.0", "1.0"]
    assert cl.undo([1.0, float("nan")], float("nan")) == [1.0]
    nested = agg("COLLECT_SET", [T.array(D)])
    assert len(fold(nested, [[0.0], [-0.0], [0.0]])) == 2
    dec = agg("COLLECT_SET", [T.decimal(3, 2)])
    assert len(fold(dec, [Decimal("1.0"), Decimal("1.00")])) == 2  # BigDecimal.equals counts the scale


def test_histogram_udaf_test() -> None:
    """HistogramUdafTest: counts, null a key of its own, merge, undo, the 1000-entry limit."""
    h = agg("HISTOGRAM", [S])
    assert h.type == T.map_of(S, T.BIGINT)
    assert h.result(fold(h, ["foo", "bar", "foo", "foo", "baz"])) == {"foo": 3, "bar": 1, "baz": 1}
    lhs = fold(h, ["1", "2", "1", "4", None])
    rhs = fold(h, ["1", "3", None, None])
    # HistogramUdafTest's null key, as the JSON state store hands it back: "null", counted once (see below)
    assert lhs == {"1": 2, "2": 1, "4": 1, "null": 1} and rhs == {"1": 1, "3": 1, "null": 1}
    assert h.merge is not None and h.merge(lhs, rhs) == {"1": 3, "2": 1, "4": 1, "null": 2, "3": 1}
    acc = fold(h, ["true", "true", "false", "null", "true"])
    assert h.undo is not None and h.undo(acc, "true") == {"true": 2, "false": 1, "null": 1}
    assert h.undo(h.undo(acc, "false"), "null") == {"true": 3}  # a count reaching 0 leaves the map
    big = fold(h, [str(i) for i in range(1, 2500)])
    assert len(big) == 1000 and big["1"] == 1 and big["1000"] == 1 and "1001" not in big


def test_histogram_null_key_is_collapsed_by_the_state_round_trip() -> None:
    """HistogramUdaf counts a null under a null HashMap key; the aggregate state serde (JSON) writes it as
    "null" ahead of any string "null" (a null key sits in HashMap bucket 0) and the reader keeps the later
    duplicate. So after a round trip one "null" entry remains: a later null re-adds the null key, which the next
    round trip drops again (observed on ksqlDB 0.29: {'null': 1} after two nulls in one window)."""
    h = agg("HISTOGRAM", [S])
    assert fold(h, [None, None, "x", None]) == {"null": 1, "x": 1}
    assert fold(h, ["null", "null", None]) == {"null": 2}  # the string's count wins over the null key's
    assert fold(h, [None, "null"]) == {"null": 2}  # after the round trip the string "null" is the same key
    assert h.undo is not None
    with pytest.raises(EvaluationError, match="NullPointerException"):  # compute(null, ...) unboxes null
        h.undo(fold(h, [None]), None)


def test_histogram_cannot_undo_a_value_it_did_not_count() -> None:
    """HistogramUdaf.undo: `aggregate.compute(v, (k, v) -> (--v < 1) ? null : v)` unboxes a null count for a
    value past the limit (never counted): a NullPointerException, so the query fails."""
    h = agg("HISTOGRAM", [S])
    big = fold(h, [str(i) for i in range(1, 1002)])
    assert h.undo is not None
    with pytest.raises(EvaluationError, match="NullPointerException"):
        h.undo(big, "1001")


def test_attr_test() -> None:
    """AttrTest: merge adds counts (nulls are values), undo decrements but not below 0; the result is the
    only value with a positive count."""
    a = agg("ATTR", [INT])
    assert a.merge is not None and a.undo is not None
    merged = a.merge([[1, 2], [2, 1]], [[1, 2], [3, 1]])
    assert sorted(merged) == [[1, 4], [2, 1], [3, 1]]
    assert sorted(a.merge([[None, 2]], [[1, 2]]), key=str) == [[1, 2], [None, 2]]
    assert a.merge([], [[1, 2]]) == [[1, 2]]
    assert [1, 1] in a.undo([[1, 2], [2, 1]], 1)
    assert a.undo([[2, 1]], 1) == [[2, 1]]
    assert a.undo([[1, 0]], 1) == [[1, 0]]
    assert a.result(fold(a, [5, 5])) == 5 and a.result(fold(a, [5, 6])) is None
    assert a.result(a.undo(fold(a, [5, 6]), 6)) == 5  # back to a single value
    d = agg("ATTR", [D])
    assert d.result(fold(d, [0.0, -0.0])) is None  # Objects.equals(0.0, -0.0) is false
    assert math.isnan(d.result(fold(d, [float("nan"), float("nan")])))


def test_count_distinct_kudaf_test() -> None:
    """CountDistinctKudafTest: strings, lists, nulls ignored, merge; not a TableUdaf."""
    c = agg("COUNT_DISTINCT", [S])
    assert c.undo is None and c.type == T.BIGINT
    assert c.result(fold(c, [str(i % 4) for i in range(100)])) == 4
    lists = agg("COUNT_DISTINCT", [T.array(INT)])
    assert lists.result(fold(lists, [[i % 4] for i in range(100)])) == 4
    assert c.result(fold(c, [None])) == 0
    assert c.merge is not None
    assert c.result(c.merge(fold(c, [str(i % 4) for i in range(100)]), fold(c, ["5"]))) == 5
