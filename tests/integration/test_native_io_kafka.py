"""The Kafka driver on kafkanative against a real broker: the same records, partitions and commits as on
confluent-kafka.

Records produced through either path and read back through either consumer must be equal field for field
(key, value, timestamp, partition, offset, headers, topic): keys by murmur2 (`partitioner`), a record's own
partition with keep_partition, null keys and values (tombstones), empty values, headers with a null value,
order within a partition. A commit stores each partition's offset with Kafka Streams' metadata (the
partition time), which a confluent-kafka consumer of the group reads back; a rebalance callback sees the
assignment (KafkaConsumer._on_assign) and a restarted member resumes after the committed offset.
"""

from __future__ import annotations

import time
import uuid

import pytest
from confluent_kafka import Consumer, TopicPartition

import kafkanative
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.kafka import KafkaDriver, KafkaDriverConfig, offset_metadata

pytestmark = pytest.mark.skipif(kafkanative.native() is None, reason="kafkanative unavailable")

RECORDS = [
    Record(b"k1", b"v1", 1_700_000_000_001, 2, 0, (), ""),
    Record(b"k2", None, 1_700_000_000_002, 0, 0, (("h", b"x"), ("empty", None)), ""),  # a tombstone
    Record(None, b"no key", 1_700_000_000_003, 1, 0, (), ""),
    Record(b"k1", b"", 1_700_000_000_004, 2, 0, (("h", b"y"),), ""),
    *(Record(b"key-%d" % i, b"value-%d" % i, 1_700_000_001_000 + i, i % 3, 0, (), "") for i in range(200)),
]


def _read_all(driver: KafkaDriver, topic: str, group: str, expected: int) -> tuple[list[Record], object]:
    consumer = driver.consumer([topic], group, from_beginning=True)
    out: list[Record] = []
    deadline = time.monotonic() + 60
    while len(out) < expected and time.monotonic() < deadline:
        out += consumer.poll_batch(1000, 0.5)
    return out, consumer


def _by_partition(records: list[Record]) -> dict[int, list[tuple[object, ...]]]:
    """Keyed records per partition in order, offsets left out (a null key goes to a random partition under
    murmur2_random, shifting the offsets after it); the null-key ones under -1, partition left out."""
    out: dict[int, list[tuple[object, ...]]] = {}
    next_offset: dict[int, int] = {}
    for r in records:
        assert r.offset == next_offset.get(r.partition, 0)  # every partition read from 0 without a gap
        next_offset[r.partition] = r.offset + 1
        if r.key is None:
            out.setdefault(-1, []).append((r.value, r.timestamp, r.headers))
        else:
            out.setdefault(r.partition, []).append((r.key, r.value, r.timestamp, r.partition, r.headers))
    return out


@pytest.mark.parametrize("keep_partition", [False, True])
def test_native_and_confluent_paths_write_and_read_the_same_records(bootstrap_servers: str, keep_partition: bool) -> None:
    drivers = {io: KafkaDriver(KafkaDriverConfig(bootstrap_servers, native_io=io)) for io in (False, True)}
    topics = {io: f"test-native-{io}-{uuid.uuid4().hex[:8]}" for io in (False, True)}
    for io, driver in drivers.items():
        driver.create_topic(topics[io], 3)
        driver.produce(topics[io], RECORDS, wait=True, keep_partition=keep_partition)
    results = {}
    for reader in (False, True):
        for writer in (False, True):
            got, consumer = _read_all(drivers[reader], topics[writer], f"g-{uuid.uuid4().hex[:8]}", len(RECORDS))
            consumer.close()  # type: ignore[attr-defined]
            assert len(got) == len(RECORDS)
            results[(reader, writer)] = _by_partition([r._replace(topic="") for r in got])
    first = results[(False, False)]
    assert all(r == first for r in results.values())
    if keep_partition:
        for p, rows in first.items():
            if p >= 0:
                assert [row[1] for row in rows] == [r.value for r in RECORDS if r.partition == p and r.key]
    rows = [row for p, part in first.items() if p >= 0 for row in part]
    tombstone = next(row for row in rows if row[0] == b"k2")
    assert tombstone[1] is None and tombstone[4] == (("h", b"x"), ("empty", None))
    assert tombstone[2] == 1_700_000_000_002
    assert first[-1] == [(b"no key", 1_700_000_000_003, ())]
    for driver in drivers.values():
        for t in topics.values():
            driver.delete_topic(t)
        driver.close()


def test_a_native_consumer_commits_offsets_with_kafka_streams_metadata_and_resumes_after_them(
    bootstrap_servers: str,
) -> None:
    driver = KafkaDriver(KafkaDriverConfig(bootstrap_servers, native_io=True))
    topic = f"test-native-commit-{uuid.uuid4().hex[:8]}"
    group = f"g-{uuid.uuid4().hex[:8]}"
    driver.create_topic(topic, 1)
    first = [Record(None, b"%d" % i, 1_000 + i) for i in range(10)]
    driver.produce(topic, first)
    got, consumer = _read_all(driver, topic, group, 10)
    assert [r.value for r in got] == [r.value for r in first]
    assert consumer.assignment() == [(topic, 0)]  # type: ignore[attr-defined]
    consumer.commit()  # type: ignore[attr-defined]
    consumer.close()  # type: ignore[attr-defined]
    check = Consumer({"bootstrap.servers": bootstrap_servers, "group.id": group})
    try:
        [committed] = check.committed([TopicPartition(topic, 0)], timeout=30)
    finally:
        check.close()
    assert committed.offset == 10
    assert offset_metadata.decode(committed.metadata).partition_time == 1_009  # the largest timestamp read
    driver.produce(topic, [Record(None, b"after", 2_000)])
    again, consumer = _read_all(driver, topic, group, 1)
    assert [r.value for r in again] == [b"after"]
    assert consumer.restored_metadata()[(topic, 0)].partition_time == 1_009  # type: ignore[attr-defined]
    consumer.close()  # type: ignore[attr-defined]
    driver.delete_topic(topic)
    driver.close()


def test_commit_metadata_reads_back_the_same_whichever_client_committed(bootstrap_servers: str) -> None:
    """confluent-kafka stores a commit's metadata as a C string with its NUL and reads it back as one; an
    exactly-once query's offsets (send_offsets_to_transaction, confluent-kafka) are read by a native
    consumer after a restart, and the other way round."""
    from ksqlserver.drivers.kafka.native import NativeConsumer

    driver = KafkaDriver(KafkaDriverConfig(bootstrap_servers))
    topic, group = f"test-native-md-{uuid.uuid4().hex[:8]}", f"g-{uuid.uuid4().hex[:8]}"
    driver.create_topic(topic, 1)
    conf = {"bootstrap.servers": bootstrap_servers, "group.id": group}
    ck, native = Consumer(conf), NativeConsumer(conf, {"bootstrap.servers": bootstrap_servers})
    try:
        ck.commit(offsets=[TopicPartition(topic, 0, 3, metadata="from-confluent")], asynchronous=False)
        [got] = native.committed([TopicPartition(topic, 0)], timeout=30)
        assert (got.offset, got.metadata) == (3, "from-confluent")
        native.commit([TopicPartition(topic, 0, 4, metadata="from-native")], asynchronous=False)
        [got] = ck.committed([TopicPartition(topic, 0)], timeout=30)
        assert (got.offset, got.metadata) == (4, "from-native")
    finally:
        ck.close()
        native.close()
        driver.delete_topic(topic)
        driver.close()
