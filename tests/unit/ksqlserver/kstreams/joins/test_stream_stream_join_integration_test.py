"""Kafka Streams 3.5's StreamStreamJoinIntegrationTest (org.apache.kafka.streams.integration) as KSQL
stream-stream joins, `WITHIN 10 SECONDS GRACE PERIOD 24 HOURS` (JoinWindows.ofTimeDifferenceAndGrace(10 s,
24 h)).

AbstractJoinIntegrationTest.inputWithoutOutOfOrderData alternates left and right records of one key (a null
value: skipped); every record joins all the other side's records within 10 s, in their arrival order, and
the results have the later timestamp. With a 24 h grace no unmatched left / outer record's window closes, so
the LEFT and FULL OUTER joins emit the inner join's records. The repartitioned variants re-key both
streams with `map` before joining: here the join is on an expression of the key, so ksqlDB repartitions
both sides.

Ported: testInner, testLeft, testOuter, testInnerRepartitioned, testLeftRepartitioned, testOuterRepartitioned.
Skipped:
- testSelfJoin, testMultiInner: a stream joined with itself (the right stream twice in testMultiInner),
  which ksqlDB refuses (Analyzer: "self joins are not yet supported").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Joins

BASE = 1_000_000  # MockTime's milliseconds
WITHIN = "WITHIN 10 SECONDS GRACE PERIOD 24 HOURS"
# AbstractJoinIntegrationTest.inputWithoutOutOfOrderData: (1 left / 2 right, value, timestamp)
INPUT = [
    (1, None, 1), (2, None, 2), (1, "A", 3), (2, "a", 4), (1, "B", 5), (2, "b", 6), (1, None, 7), (2, None, 8),
    (1, "C", 9), (2, "c", 10), (2, None, 11), (1, None, 12), (2, None, 13), (2, "d", 14), (1, "D", 15),
]  # fmt: skip

TEST_INNER = [
    None,
    None,
    None,
    [("A-a", 4)],
    [("B-a", 5)],
    [("A-b", 6), ("B-b", 6)],
    None,
    None,
    [("C-a", 9), ("C-b", 9)],
    [("A-c", 10), ("B-c", 10), ("C-c", 10)],
    None,
    None,
    None,
    [("A-d", 14), ("B-d", 14), ("C-d", 14)],
    [("D-a", 15), ("D-b", 15), ("D-c", 15), ("D-d", 15)],
]

TEST_LEFT = [
    None,
    None,
    None,
    [("A-a", 4)],
    [("B-a", 5)],
    [("A-b", 6), ("B-b", 6)],
    None,
    None,
    [("C-a", 9), ("C-b", 9)],
    [("A-c", 10), ("B-c", 10), ("C-c", 10)],
    None,
    None,
    None,
    [("A-d", 14), ("B-d", 14), ("C-d", 14)],
    [("D-a", 15), ("D-b", 15), ("D-c", 15), ("D-d", 15)],
]

TEST_OUTER = [
    None,
    None,
    None,
    [("A-a", 4)],
    [("B-a", 5)],
    [("A-b", 6), ("B-b", 6)],
    None,
    None,
    [("C-a", 9), ("C-b", 9)],
    [("A-c", 10), ("B-c", 10), ("C-c", 10)],
    None,
    None,
    None,
    [("A-d", 14), ("B-d", 14), ("C-d", 14)],
    [("D-a", 15), ("D-b", 15), ("D-c", 15), ("D-d", 15)],
]

KINDS = {
    "inner": ("JOIN", TEST_INNER),
    "left": ("LEFT JOIN", TEST_LEFT),
    "outer": ("FULL OUTER JOIN", TEST_OUTER),
}


@pytest.mark.parametrize("kind", KINDS)
def test_stream_stream_join(joins: Joins, kind: str) -> None:
    """testInner / testLeft / testOuter."""
    key = "ROWKEY" if kind == "outer" else "L.K"
    t = joins.join("STREAM", "STREAM", KINDS[kind][0], WITHIN, select=f"{key} AS K, L.V AS L_V, R.V AS R_V")
    t.run(INPUT, KINDS[kind][1], base=BASE)


@pytest.mark.parametrize("kind", KINDS)
def test_stream_stream_join_repartitioned(joins: Joins, kind: str) -> None:
    """testInnerRepartitioned / testLeftRepartitioned / testOuterRepartitioned: the join on `K + 0` (an
    expression, not the key column; the same key values, as the Java test's identity `map`) repartitions
    both sides and keys the result by the synthetic ROWKEY; the records are those of the join on the key."""
    t = joins.join(
        "STREAM",
        "STREAM",
        KINDS[kind][0],
        WITHIN,
        criteria="L.K + 0 = R.K + 0",
        select="ROWKEY AS K, L.V AS L_V, R.V AS R_V",
    )
    t.run(INPUT, KINDS[kind][1], base=BASE)
