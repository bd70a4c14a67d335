"""ksqlDB 0.29's KsLocatorTest (io.confluent.ksql.execution.streams.materialization.ks), on one node.

KsLocator.locate decides which partitions a pull query reads and in which order: one single-column key
goes to getMetadataForKeys (its partition alone, shouldReturnOwnerIfKnown); no key (a table scan,
shouldFindAllPartitionsWhenNoKeys), a range scan (shouldFindAllPartitionsWithKeysAndRangeScan) or more than
one key (shouldGroupKeysByLocation, @Ignore'd since issue #7174 sent them to getMetadataForAllPartitions)
read every partition in ascending order, each with the HashSet of all the keys (Sets.newHashSet), which
KeyedTableLookupOperator reads in iteration order. On one node every partition is local
(shouldReturnLocalOwnerIfSameAsSuppliedLocalHost); the host filters, standbys and lag of the other tests
need a cluster, and the metadata errors a Kafka Streams instance that is not running."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

import pytest

from ksqlserver.drivers.partitioner import partition_of

if TYPE_CHECKING:
    from conftest import Streams

KEYS = ["a", "b", "c", "d", "e", "f", "g", "h"]


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql(
        "CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=3, KEY_FORMAT='KAFKA', "
        "VALUE_FORMAT='JSON');"
    )
    ks.sql("CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM S GROUP BY K;")
    ks.insert("S", *({"K": k, "V": 1, "ROWTIME": 1000} for k in KEYS))
    return ks


def part(key: str) -> int:
    return partition_of(key.encode(), 3)


def test_should_return_owner_if_known(ks: Streams) -> None:
    """shouldReturnOwnerIfKnown / shouldReturnLocalOwnerIfSameAsSuppliedLocalHost: one key is read from its
    partition, on this node."""
    assert ks.pull("SELECT * FROM T WHERE K = 'h';") == [["h", 1]]
    assert ks.pull("SELECT * FROM T WHERE K = 'zz';") == []


def test_should_find_all_partitions_when_no_keys(ks: Streams) -> None:
    """shouldFindAllPartitionsWhenNoKeys: a table scan reads partition 0, 1, 2 in turn (each in its store's
    key order)."""
    keys = [r[0] for r in ks.pull("SELECT * FROM T;")]
    assert sorted(keys) == KEYS
    assert keys == sorted(KEYS, key=lambda k: (part(k), k))


def test_should_find_all_partitions_with_keys_and_range_scan(ks: Streams) -> None:
    """shouldFindAllPartitionsWithKeysAndRangeScan: a range on the key reads every partition, ascending."""
    keys = [r[0] for r in ks.pull("SELECT * FROM T WHERE K > 'b';")]
    assert keys == sorted(KEYS[2:], key=lambda k: (part(k), k))


def test_should_group_keys_by_location(ks: Streams) -> None:
    """shouldGroupKeysByLocation (as 0.29 runs it): several keys are looked up in every partition in
    ascending order; a key's row is only in its own, so the rows come partition by partition."""
    keys = [r[0] for r in ks.pull("SELECT * FROM T WHERE K IN ('h', 'a', 'c', 'b', 'zz');")]
    assert sorted(keys) == ["a", "b", "c", "h"]
    assert [part(k) for k in keys] == sorted(part(k) for k in keys)


def test_keys_of_one_partition_are_read_in_hash_set_order(make_streams: object) -> None:
    """The HashSet of KeyConstraints (hashCode Objects.hash(key, windowBounds), the GenericKey's
    Objects.hash(values)) decides the order within a partition, not the order of the IN list: for STRING
    keys 'a' and 'b' the set holds 'b' (bucket 1) before 'a' (bucket 2), for INT keys 1 and 2, 2 (bucket 1)
    before 1 (bucket 2)."""
    ks = make_streams()  # type: ignore[operator]
    ks.sql("CREATE STREAM S (K STRING KEY, I INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM S GROUP BY K;")
    ks.sql("CREATE TABLE TI AS SELECT I, COUNT(*) AS C FROM S GROUP BY I;")
    ks.insert("S", *({"K": k, "I": i, "ROWTIME": 1} for k, i in [("a", 1), ("b", 2), ("c", 3)]))
    assert ks.pull("SELECT K FROM T WHERE K IN ('a', 'b');") == [["b"], ["a"]]
    assert ks.pull("SELECT K FROM T WHERE K IN ('b', 'a');") == [["b"], ["a"]]
    assert ks.pull("SELECT K FROM T WHERE K = 'a' OR K = 'b';") == [["b"], ["a"]]
    assert ks.pull("SELECT I FROM TI WHERE I IN (1, 2);") == [[2], [1]]
    # one key: its own partition, nothing to order
    assert ks.pull("SELECT K FROM T WHERE K = 'a';") == [["a"]]


def test_windowed_keys_hash_with_their_window_bounds(make_streams: object) -> None:
    """A windowed table's KeyConstraint hashes its WindowBounds too (two WindowRanges without bounds):
    the order is the HashSet's, the windows of one key in start order."""
    ks = make_streams()  # type: ignore[operator]
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K;")
    ks.insert("S", *({"K": k, "V": 1, "ROWTIME": ts} for k, ts in [("a", 0), ("b", 0), ("a", 1000)]))
    rows = ks.pull("SELECT K, WINDOWSTART FROM W WHERE K IN ('a', 'b');")
    assert rows == [["b", 0], ["a", 0], ["a", 1000]]


def test_int_keys_serialize_for_their_partition(make_streams: object) -> None:
    """The partition of a key is the default partitioner's over its serialized form (an INT as 4 bytes)."""
    ks = make_streams()  # type: ignore[operator]
    ks.sql(
        "CREATE STREAM S (K INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=4, KEY_FORMAT='KAFKA', "
        "VALUE_FORMAT='JSON');"
    )
    ks.sql("CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM S GROUP BY K;")
    ks.insert("S", *({"K": k, "V": 1, "ROWTIME": 1} for k in range(8)))
    keys = [r[0] for r in ks.pull("SELECT K FROM T WHERE K IN (7, 6, 5, 4, 3, 2, 1, 0);")]
    parts = [partition_of(struct.pack(">i", k), 4) for k in keys]
    assert sorted(keys) == list(range(8)) and parts == sorted(parts)
