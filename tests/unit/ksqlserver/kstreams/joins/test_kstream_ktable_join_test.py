"""Kafka Streams 3.5's KStreamKTableJoinTest (org.apache.kafka.streams.kstream.internals) as a KSQL stream-table
`JOIN`.

ksqlDB 0.29's StreamTableJoinBuilder calls `stream.join(table, joiner)` (KStreamKTableJoinProcessor): a
stream record looks the table up by key and is forwarded with its own timestamp when a row is there; a table
update only changes the table (a tombstone deletes the row); a stream record with a null key or value is
skipped ("Skipping record due to null join key or value", a Kafka Streams log line, not ksqlDB's processing
log). pushToTable's random table timestamps are kept (a seeded generator): they never show in a result.

Ported: shouldNotJoinWithEmptyTableOnStreamUpdates, shouldNotJoinOnTableUpdates,
shouldJoinOnlyIfMatchFoundOnStreamUpdates, shouldClearTableEntryOnNullValueUpdates,
shouldLogAndMeterWhenSkippingNullLeftKey, shouldLogAndMeterWhenSkippingNullLeftValue (both: no result).
Skipped:
- shouldReuseRepartitionTopicWithGeneratedName, shouldCreateRepartitionTopicsWithUserProvidedName: topology
  descriptions of one re-keyed stream joined with two tables (ksqlDB builds one join per query).
- shouldRequireCopartitionedStreams: the copartition group of the internal topology builder (ksqlDB checks
  co-partitioning itself, at statement time: javaanalyze/ covers its messages).
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


def push_null_value_to_table(t: Scenario) -> None:
    for i in range(2):
        t.pipe(2, KEYS[i], None)


def stream_table(joins: Joins) -> Scenario:
    return joins.join("STREAM", "TABLE", "JOIN")


def test_should_not_join_with_empty_table_on_stream_updates(joins: Joins) -> None:
    """shouldNotJoinWithEmptyTableOnStreamUpdates."""
    t = stream_table(joins)
    push_to_stream(t, 2, "X")
    t.check()


def test_should_not_join_on_table_updates(joins: Joins) -> None:
    """shouldNotJoinOnTableUpdates."""
    t = stream_table(joins)
    push_to_stream(t, 2, "X")
    t.check()
    push_to_table(t, 2, "Y")
    t.check()
    push_to_stream(t, 4, "X")
    t.check((0, "X0+Y0", 0), (1, "X1+Y1", 1))
    push_to_table(t, 4, "YY")
    t.check()
    push_to_stream(t, 4, "X")
    t.check((0, "X0+YY0", 0), (1, "X1+YY1", 1), (2, "X2+YY2", 2), (3, "X3+YY3", 3))
    push_to_table(t, 4, "YYY")
    t.check()


def test_should_join_only_if_match_found_on_stream_updates(joins: Joins) -> None:
    """shouldJoinOnlyIfMatchFoundOnStreamUpdates."""
    t = stream_table(joins)
    push_to_table(t, 2, "Y")
    t.check()
    push_to_stream(t, 4, "X")
    t.check((0, "X0+Y0", 0), (1, "X1+Y1", 1))


def test_should_clear_table_entry_on_null_value_updates(joins: Joins) -> None:
    """shouldClearTableEntryOnNullValueUpdates."""
    t = stream_table(joins)
    push_to_table(t, 4, "Y")
    t.check()
    push_to_stream(t, 4, "X")
    t.check((0, "X0+Y0", 0), (1, "X1+Y1", 1), (2, "X2+Y2", 2), (3, "X3+Y3", 3))
    push_null_value_to_table(t)
    t.check()
    push_to_stream(t, 4, "XX")
    t.check((2, "XX2+Y2", 2), (3, "XX3+Y3", 3))


def test_should_log_and_meter_when_skipping_null_left_key(joins: Joins) -> None:
    """shouldLogAndMeterWhenSkippingNullLeftKey: a stream record with a null key joins nothing."""
    t = stream_table(joins)
    push_to_table(t, 2, "Y")
    t.pipe(1, None, "A")
    t.check()


def test_should_log_and_meter_when_skipping_null_left_value(joins: Joins) -> None:
    """shouldLogAndMeterWhenSkippingNullLeftValue: a stream record with a null value joins nothing."""
    t = stream_table(joins)
    push_to_table(t, 2, "Y")
    t.pipe(1, 1, None)
    t.check()
