"""Kafka Streams 3.5's KStreamKTableLeftJoinTest (org.apache.kafka.streams.kstream.internals) as a KSQL
stream-table `LEFT JOIN`.

ksqlDB 0.29's StreamTableJoinBuilder calls `stream.leftJoin(table, joiner)` (KStreamKTableJoinProcessor with
leftJoin): every stream record is forwarded with its own timestamp, joined with the table's row or with
nulls; table updates produce nothing. pushToTable's random table timestamps are kept (a seeded generator).

Ported: shouldJoinWithEmptyTableOnStreamUpdates, shouldNotJoinOnTableUpdates,
shouldJoinRegardlessIfMatchFoundOnStreamUpdates, shouldClearTableEntryOnNullValueUpdates.
Skipped:
- shouldRequireCopartitionedStreams: the copartition group of the internal topology builder.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Joins, Scenario

KEYS = [0, 1, 2, 3]


def push_to_stream(t: Scenario, count: int, prefix: str) -> None:
    for i in range(count):
        t.pipe(1, KEYS[i], prefix + str(KEYS[i]), i)


def push_to_table(t: Scenario, count: int, prefix: str) -> None:
    r = random.Random(count)
    for i in range(count):
        t.pipe(2, KEYS[i], prefix + str(KEYS[i]), r.randrange(2**31 - 1))


def push_null_value_to_table(t: Scenario, count: int) -> None:
    for i in range(count):
        t.pipe(2, KEYS[i], None)


def stream_table(joins: Joins) -> Scenario:
    return joins.join("STREAM", "TABLE", "LEFT JOIN")


def test_should_join_with_empty_table_on_stream_updates(joins: Joins) -> None:
    """shouldJoinWithEmptyTableOnStreamUpdates."""
    t = stream_table(joins)
    push_to_stream(t, 2, "X")
    t.check((0, "X0+null", 0), (1, "X1+null", 1))


def test_should_not_join_on_table_updates(joins: Joins) -> None:
    """shouldNotJoinOnTableUpdates."""
    t = stream_table(joins)
    push_to_stream(t, 2, "X")
    t.check((0, "X0+null", 0), (1, "X1+null", 1))
    push_to_table(t, 2, "Y")
    t.check()
    push_to_stream(t, 4, "X")
    t.check((0, "X0+Y0", 0), (1, "X1+Y1", 1), (2, "X2+null", 2), (3, "X3+null", 3))
    push_to_table(t, 4, "YY")
    t.check()
    push_to_stream(t, 4, "X")
    t.check((0, "X0+YY0", 0), (1, "X1+YY1", 1), (2, "X2+YY2", 2), (3, "X3+YY3", 3))
    push_to_table(t, 4, "YYY")
    t.check()


def test_should_join_regardless_if_match_found_on_stream_updates(joins: Joins) -> None:
    """shouldJoinRegardlessIfMatchFoundOnStreamUpdates."""
    t = stream_table(joins)
    push_to_table(t, 2, "Y")
    t.check()
    push_to_stream(t, 4, "X")
    t.check((0, "X0+Y0", 0), (1, "X1+Y1", 1), (2, "X2+null", 2), (3, "X3+null", 3))


def test_should_clear_table_entry_on_null_value_updates(joins: Joins) -> None:
    """shouldClearTableEntryOnNullValueUpdates."""
    t = stream_table(joins)
    push_to_table(t, 4, "Y")
    t.check()
    push_to_stream(t, 4, "X")
    t.check((0, "X0+Y0", 0), (1, "X1+Y1", 1), (2, "X2+Y2", 2), (3, "X3+Y3", 3))
    push_null_value_to_table(t, 2)
    t.check()
    push_to_stream(t, 4, "XX")
    t.check((0, "XX0+null", 0), (1, "XX1+null", 1), (2, "XX2+Y2", 2), (3, "XX3+Y3", 3))
