"""ksqlDB 0.29's StreamStreamJoinBuilderTest (io.confluent.ksql.execution.streams).

StreamStreamJoinBuilder joins with JoinWindows.of(before).after(after) when the WITHIN clause has no GRACE
PERIOD (Kafka Streams' legacy windows: a left/outer record without a match is emitted at once, padded with
nulls) and with ofTimeDifferenceAndGrace(before, grace).after(after) when it has one (KAFKA-10847's fix of
spurious results: an unmatched record is held until its window closes, after + grace past its timestamp, and
emitted then, at the first look after stream time passes it). LEFT is left.leftJoin(right), RIGHT is
right.leftJoin(left) (the sides, their schemas and formats swapped, so the window applies from the right
side), OUTER outerJoin, INNER join; the joiner (KsqlValueJoiner) appends the right value to the left one,
nulls for a missing side, plus a null placeholder for a synthetic key column (ROWKEY, FULL OUTER) that the
projection fills. The schema is JoinParamsFactory's: the key column, then each side's columns. A joined
record is stamped with the later of the two timestamps.

Inputs, for WITHIN (1 SECOND, 2 SECONDS): L a@10000; R a@11500 (within `after` of l1); R a@8500 (more than
`before` ahead of l1, so only a RIGHT join, where the window runs from the right record, matches it);
L b@12000; R c@12500; L z@30000 (moves stream time past every window)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Streams

NO_GRACE = "WITHIN (1 SECOND, 2 SECONDS)"
GRACE = "WITHIN (1 SECOND, 2 SECONDS) GRACE PERIOD 3 SECONDS"


def join(make_streams: Callable[..., Streams], join_type: str, within: str, criteria: str = "L.K = R.K") -> Any:
    ks = make_streams()
    ks.sql("CREATE STREAM L (K STRING KEY, LV STRING) WITH (KAFKA_TOPIC='l', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE STREAM R (K STRING KEY, RV STRING) WITH (KAFKA_TOPIC='r', PARTITIONS=1, FORMAT='JSON');")
    ks.sql(f"CREATE STREAM J AS SELECT * FROM L {join_type} R {within} ON {criteria};")
    return ks


def run(ks: Streams) -> list[tuple[Any, tuple[Any, ...], int]]:
    ks.insert("L", {"K": "a", "LV": "l1", "ROWTIME": 10000})
    ks.insert("R", {"K": "a", "RV": "r1", "ROWTIME": 11500})
    ks.insert("R", {"K": "a", "RV": "r2", "ROWTIME": 8500})
    ks.insert("L", {"K": "b", "LV": "l2", "ROWTIME": 12000})
    ks.insert("R", {"K": "c", "RV": "r3", "ROWTIME": 12500})
    ks.insert("L", {"K": "z", "LV": "lz", "ROWTIME": 30000})
    return [(k, tuple(v.values()), ts) for k, v, ts in ks.records("J")]


KEYED = "`L_K` STRING KEY, `L_LV` STRING, `R_K` STRING, `R_RV` STRING"
SYNTHETIC = "`ROWKEY` STRING KEY, `L_K` STRING, `L_LV` STRING, `R_K` STRING, `R_RV` STRING"


@pytest.mark.parametrize("within", [NO_GRACE, GRACE], ids=["no_grace", "grace"])
def test_should_do_inner_join(make_streams: Callable[..., Streams], within: str) -> None:
    """shouldDoInnerJoin / shouldDoInnerJoinWithGrace: only r1 falls in l1's window; the result has r1's
    (later) timestamp."""
    ks = join(make_streams, "INNER JOIN", within)
    assert ks.schema("J") == KEYED
    assert run(ks) == [("a", ("l1", "a", "r1"), 11500)]


def test_should_do_left_join(make_streams: Callable[..., Streams]) -> None:
    """shouldDoLeftJoin: the legacy window emits each unmatched left record at once."""
    ks = join(make_streams, "LEFT JOIN", NO_GRACE)
    assert ks.schema("J") == KEYED
    assert run(ks) == [
        ("a", ("l1", None, None), 10000),
        ("a", ("l1", "a", "r1"), 11500),
        ("b", ("l2", None, None), 12000),
        ("z", ("lz", None, None), 30000),
    ]


def test_should_do_left_join_with_grace(make_streams: Callable[..., Streams]) -> None:
    """shouldDoLeftJoinWithGrace: l1 is held and then matched (no spurious null result); l2 is emitted once
    its window closed (12000 + 2000 + 3000 < 30000); lz is still held."""
    ks = join(make_streams, "LEFT JOIN", GRACE)
    assert run(ks) == [("a", ("l1", "a", "r1"), 11500), ("b", ("l2", None, None), 12000)]


def test_right_join(make_streams: Callable[..., Streams]) -> None:
    """JoinType.RIGHT: right.leftJoin(left) with the same windows, so r2 (1.5 s before l1, within `after`
    seen from the right) matches and r1 does not."""
    ks = join(make_streams, "RIGHT JOIN", NO_GRACE)
    assert run(ks) == [
        ("a", (None, "a", "r1"), 11500),
        ("a", ("l1", "a", "r2"), 10000),
        ("c", (None, "c", "r3"), 12500),
    ]


def test_right_join_with_grace(make_streams: Callable[..., Streams]) -> None:
    """JoinType.RIGHT with a grace period: r1 and r3 are held until their windows close."""
    ks = join(make_streams, "RIGHT JOIN", GRACE)
    assert run(ks) == [
        ("a", ("l1", "a", "r2"), 10000),
        ("a", (None, "a", "r1"), 11500),
        ("c", (None, "c", "r3"), 12500),
    ]


def test_should_do_outer_join(make_streams: Callable[..., Streams]) -> None:
    """shouldDoOuterJoin: a synthetic ROWKEY key (KsqlValueJoiner's additional column), each unmatched
    record emitted at once with the other side null."""
    ks = join(make_streams, "FULL OUTER JOIN", NO_GRACE)
    assert ks.schema("J") == SYNTHETIC
    assert run(ks) == [
        ("a", ("a", "l1", None, None), 10000),
        ("a", ("a", "l1", "a", "r1"), 11500),
        ("a", (None, None, "a", "r2"), 8500),
        ("b", ("b", "l2", None, None), 12000),
        ("c", (None, None, "c", "r3"), 12500),
        ("z", ("z", "lz", None, None), 30000),
    ]


def test_should_do_outer_join_with_grace(make_streams: Callable[..., Streams]) -> None:
    """shouldDoOuterJoinWithGrace: r2 is out of order (its window already closed by stream time 11500), so
    it is emitted at once; l2 and r3 wait for their windows to close."""
    ks = join(make_streams, "FULL OUTER JOIN", GRACE)
    assert run(ks) == [
        ("a", ("a", "l1", "a", "r1"), 11500),
        ("a", (None, None, "a", "r2"), 8500),
        ("b", ("b", "l2", None, None), 12000),
        ("c", (None, None, "c", "r3"), 12500),
    ]


@pytest.mark.parametrize(
    ("join_type", "schema"),
    [
        ("JOIN", "`R_RV` STRING KEY, `L_K` STRING, `L_LV` STRING, `R_K` STRING"),
        ("LEFT JOIN", "`R_RV` STRING KEY, `L_K` STRING, `L_LV` STRING, `R_K` STRING"),
        ("FULL OUTER JOIN", "`ROWKEY` STRING KEY, `L_K` STRING, `L_LV` STRING, `R_K` STRING, `R_RV` STRING"),
    ],
)
def test_should_do_join_with_expression_key(make_streams: Callable[..., Streams], join_type: str, schema: str) -> None:
    """shouldDoLeftJoinWithSyntheticKey / shouldDoInnerJoinWithSyntheticKey / shouldReturnCorrectSchema: a
    join on an expression of the left side is keyed by the right column where one may be (its value held by
    the key alone), by a synthetic ROWKEY for a full outer join."""
    ks = join(make_streams, join_type, "WITHIN 1 SECOND", "LCASE(L.LV) = R.RV")
    assert ks.schema("J") == schema
    ks.insert("L", {"K": "a", "LV": "X", "ROWTIME": 10000})
    ks.insert("R", {"K": "b", "RV": "x", "ROWTIME": 10500})
    assert [k for k, _, _ in ks.records("J")][-1] == "x"
    assert ks.values("J")[-1] == ({"L_K": "a", "L_LV": "X", "R_K": "b"} | ({"R_RV": "x"} if "OUTER" in join_type else {}))
