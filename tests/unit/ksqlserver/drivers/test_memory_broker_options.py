"""The in-memory driver's broker-like options (used by the tutorials runner).

- `partitioner.murmur2` is Kafka's `org.apache.kafka.common.utils.Utils.murmur2` (the vectors are those
  of Kafka's `UtilsTest.testMurmur2`); `key_partitioning` places keyed records as Kafka's
  `DefaultPartitioner` does: `toPositive(murmur2(key)) % partitions`.
- `timestamp_order`: a reader of several topics gets the record with the smallest timestamp next, as a
  Kafka Streams task (`PartitionGroup.nextRecord`) picks among its buffered partitions.
"""

from __future__ import annotations

import struct

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.drivers.partitioner import murmur2, partition_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21", -973932308),
        ("foobar", -790332482),
        ("a-little-bit-long-string", -985981536),
        ("a-little-bit-longer-string", -1486304829),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971),
        ("abc", 479470107),
    ],
)
def test_murmur2_is_kafkas(text: str, expected: int) -> None:
    assert murmur2(text.encode()) == expected


def test_key_partitioning_places_keyed_records_by_murmur2() -> None:
    d = MemoryDriver(key_partitioning=True)
    d.create_topic("t", 2, 1)
    key = struct.pack(">i", 780)
    d.produce("t", [Record(key, b"v", 0, 0), Record(None, b"n", 0, 0)])
    d.produce("t", [Record(key, b"kept", 0, 0)], keep_partition=True)
    assert [r.partition for r in d.records("t")] == [partition_of(key, 2), 0, 0] == [1, 0, 0]
    plain = MemoryDriver()
    plain.create_topic("t", 2, 1)
    plain.produce("t", [Record(key, b"v", 0, 0)])
    assert plain.records("t")[0].partition == 0


def test_timestamp_order_merges_topics_by_record_time() -> None:
    for by_time, expected in ((True, [b"a1", b"b2", b"a3"]), (False, [b"a1", b"a3", b"b2"])):
        d = MemoryDriver(timestamp_order=by_time)
        d.create_topic("a", 1, 1)
        d.create_topic("b", 1, 1)
        d.produce("a", [Record(None, b"a1", 1), Record(None, b"a3", 3)])
        d.produce("b", [Record(None, b"b2", 2)])
        c = d.consumer(["a", "b"], "g", True)
        assert [r.value for r in c.poll_batch(10, 0)] == expected
        c.close()


def test_each_partition_numbers_its_offsets_from_zero() -> None:
    """A Kafka partition is its own log: offsets (what ROWOFFSET reads) count per partition, so records
    interleaved across two partitions are 0, 1 in each, not their place in the topic's produce order."""
    d = MemoryDriver()
    d.create_topic("p2", partitions=2)
    d.produce("p2", [Record(b"a", b"1", 1, 0), Record(b"b", b"2", 2, 1), Record(b"c", b"3", 3, 1), Record(b"d", b"4", 4, 0)])
    assert [(r.partition, r.offset) for r in d.records("p2")] == [(0, 0), (1, 0), (1, 1), (0, 1)]
    consumer = d.consumer(["p2"], "g")
    assert [r.value for r in consumer.poll_batch(10, 0.1)] == [b"1", b"2", b"3", b"4"]


def test_one_partition_reads_every_topic_as_partition_0() -> None:
    """The QTT runner's driver: TopologyTestDriver pipes every record, a repartition stage's too, into
    partition 0 of one task, whatever partition its producer chose; the topic keeps its partition count."""
    d = MemoryDriver(one_partition=True)
    d.create_topic("t", 4, 1)
    d.produce("t", [Record(b"k", b"v", 0, 3), Record(b"k", b"w", 0, 2)], keep_partition=True)
    assert [(r.partition, r.offset) for r in d.records("t")] == [(0, 0), (0, 1)]
    assert d.topic("t").partitions == 4
    plain = MemoryDriver()
    plain.create_topic("t", 4, 1)
    plain.produce("t", [Record(b"k", b"v", 0, 3)])
    assert plain.records("t")[0].partition == 3
