"""Kafka Streams 3.5's KTableKTableForeignKeyJoinMaterializationIntegrationTest (org.apache.kafka.streams.integration)
as a KSQL foreign-key join.

The Java test deletes a left row that never joined, under three settings: join result not materialized,
materialized without a store name, and materialized in a named (queryable) store with Kafka Streams'
record cache on. ksqlDB 0.29's ForeignKeyTableTableJoinBuilder passes an unnamed `Materialized`
(MaterializedFactory.create(keySerde, valSerde)), the second setting: the unnecessary tombstone of an inner
join reaches the sink. But TableSelectBuilder then materializes the CTAS's projection in a named store
(`transformValues(..., Materialized.as(<op>-Project))`, for pull queries), so with ksqlDB's default cache
(ksql.streams.cache.max.bytes.buffering 10,000,000) the Java test's third setting applies there: the
CachingKeyValueStore flush forwards nothing for a key whose new and old values are both null.

Ported: shouldEmitTombstoneWhenDeletingNonJoiningRecords (without a cache, as ksqlDB's test runner; and with
ksqlDB's default cache: the record cache in front of the join's projection store).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

if TYPE_CHECKING:
    from conftest import Joins


def test_should_emit_tombstone_when_deleting_non_joining_records(joins: Joins) -> None:
    """shouldEmitTombstoneWhenDeletingNonJoiningRecords (materialized, not queryable): no result for lhs1,
    then a tombstone for its deletion, then nothing for deleting it again."""
    t = joins.fk_join("JOIN")
    t.pipe(1, "lhs1", "lhsValue1|rhs1")
    assert t.read_to_map() == {}
    assert t.store() == {}
    # Deleting a non-joining record produces an unnecessary tombstone for inner joins, because
    # it's not possible to know whether a result was previously emitted.
    t.pipe(1, "lhs1", None)
    assert t.read_to_map() == {"lhs1": None}
    # Deleting a non-existing record is idempotent
    t.pipe(1, "lhs1", None)
    assert t.read_to_map() == {}
    assert t.store() == {}


@pytest.fixture
def cached() -> Iterator[tuple[Engine, MemoryDriver]]:
    """An engine with ksqlDB's default record cache (10,000,000 bytes), committing after every record."""
    d = MemoryDriver()
    e = Engine(
        EngineConfig(
            service_id="cached_",
            synchronous=True,
            properties={
                "ksql.streams.auto.offset.reset": "earliest",
                "ksql.streams.commit.interval.ms": "0",
                # a synchronous engine runs without the cache unless told (ksqlDB's harnesses' default)
                "ksql.streams.cache.max.bytes.buffering": "10000000",
            },
            processing_log=False,
            command_topic=False,
        ),
        d,
    )
    yield e, d
    e.close()


def test_should_not_emit_tombstone_through_the_cached_projection(cached: tuple[Engine, MemoryDriver]) -> None:
    """shouldEmitTombstoneWhenDeletingNonJoiningRecords (materialized and queryable, the cache on): the
    deletion of a left row that never joined leaves no tombstone (CachingKeyValueStore.putAndMaybeForward)."""
    e, d = cached
    e.execute(
        "CREATE TABLE L (K STRING PRIMARY KEY, V STRING, FK STRING) "
        "WITH (KAFKA_TOPIC='l', PARTITIONS=1, VALUE_FORMAT='JSON');"
        "CREATE TABLE R (K STRING PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='r', PARTITIONS=1, VALUE_FORMAT='JSON');"
    )
    e.execute("CREATE TABLE J AS SELECT L.K AS K, L.V AS L_V, R.V AS R_V FROM L JOIN R ON L.FK = R.K;")
    d.produce("l", [Record(b"lhs1", json.dumps({"V": "lhsValue1|rhs1", "FK": "rhs1"}).encode(), 1)])
    e.drain()
    d.produce("l", [Record(b"lhs1", None, 2)])
    e.drain()
    assert d.records(e.state.metastore.require("J").topic) == []
    # a row that joins comes through at the flush, and its deletion leaves a tombstone
    d.produce("r", [Record(b"rhs1", json.dumps({"V": "rhsValue1"}).encode(), 3)])
    d.produce("l", [Record(b"lhs2", json.dumps({"V": "lhsValue2", "FK": "rhs1"}).encode(), 4)])
    e.drain()
    d.produce("l", [Record(b"lhs2", None, 5)])
    e.drain()
    out = [(r.key, r.value) for r in d.records(e.state.metastore.require("J").topic)]
    assert out == [(b"lhs2", b'{"L_V":"lhsValue2","R_V":"rhsValue1"}'), (b"lhs2", None)]


def test_key_table_join_updates_between_commits_reach_the_sink_once(cached: tuple[Engine, MemoryDriver]) -> None:
    """TableSelectBuilder's force-materialized projection store is a CachingKeyValueStore: two updates of a
    key before a commit flush as one record, the latest (NamedCache.put / flush)."""
    e, d = cached
    e.execute(
        "CREATE TABLE L (K STRING PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='l', PARTITIONS=1, VALUE_FORMAT='JSON');"
        "CREATE TABLE R (K STRING PRIMARY KEY, W STRING) WITH (KAFKA_TOPIC='r', PARTITIONS=1, VALUE_FORMAT='JSON');"
    )
    e.execute("CREATE TABLE J AS SELECT L.K AS K, V, W FROM L JOIN R ON L.K = R.K;")
    d.produce("r", [Record(b"k", b'{"W": "w"}', 1)])
    d.produce("l", [Record(b"k", b'{"V": "v1"}', 2), Record(b"k", b'{"V": "v2"}', 3)])
    e.drain()
    out = [(r.key, r.value, r.timestamp) for r in d.records(e.state.metastore.require("J").topic)]
    assert out == [(b"k", b'{"V":"v2","W":"w"}', 3)]
