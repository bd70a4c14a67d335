"""Kafka Streams 3.5's StreamTableJoinIntegrationTest (org.apache.kafka.streams.integration) as KSQL
stream-table joins.

AbstractJoinIntegrationTest's input alternates stream records (a null value: skipped by
KStreamKTableJoinProcessor) and table updates / deletions, some out of order; a stream record joins the
table's current row (non-versioned: the latest update applied, whatever its timestamp) and keeps its own
timestamp. ksqlDB's StreamTableJoinBuilder calls the same `join` / `leftJoin`.

Ported: testInner, testLeft (caching enabled or not: no store on the output, the same records).
Skipped:
- testInnerWithVersionedStore, testLeftWithVersionedStore: ksqlDB 0.29 has no versioned tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Joins

BASE = 1_000_000  # MockTime's milliseconds
# AbstractJoinIntegrationTest.input: (1 left / 2 right, value, timestamp)
INPUT = [
    (1, None, 1), (2, None, 2), (1, "A", 3), (2, "a", 4), (1, "B", 5), (2, "b", 6), (1, None, 7), (2, None, 8),
    (1, "C", 9), (2, "c", 10), (2, None, 11), (1, None, 12), (2, None, 13),
    (2, "d", 7),  # out-of-order data with null as latest
    (1, "D", 6), (1, None, 2), (2, None, 3), (2, "e", 14), (1, "E", 15),
    (1, None, 10),  # out-of-order data with non-null as latest
    (2, None, 9), (1, "F", 4), (2, "f", 3),
]  # fmt: skip

TEST_INNER = [
    None,
    None,
    None,
    None,
    [("B-a", 5)],
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    [("D-d", 6)],
    None,
    None,
    None,
    [("E-e", 15)],
    None,
    None,
    None,
    None,
]

TEST_LEFT = [
    None,
    None,
    [("A-null", 3)],
    None,
    [("B-a", 5)],
    None,
    None,
    None,
    [("C-null", 9)],
    None,
    None,
    None,
    None,
    None,
    [("D-d", 6)],
    None,
    None,
    None,
    [("E-e", 15)],
    None,
    None,
    [("F-null", 4)],
    None,
]

KINDS = {"inner": ("JOIN", TEST_INNER), "left": ("LEFT JOIN", TEST_LEFT)}


@pytest.mark.parametrize("kind", KINDS)
def test_stream_table_join(joins: Joins, kind: str) -> None:
    """testInner / testLeft."""
    t = joins.join("STREAM", "TABLE", KINDS[kind][0])
    t.run(INPUT, KINDS[kind][1], base=BASE)
