"""Windowed sinks partition by the key without its window: Kafka Streams' StreamSinkNode.writeToTopology
picks WindowedStreamPartitioner for a WindowedSerializer key (ksqlDB's windowed key serdes are
WindowedSerdes.TimeWindowedSerde / SessionWindowedSerde), which hashes `serializeBaseKey`; the producer's
own partitioner would hash the window bytes too and spread one key's windows over partitions."""

from __future__ import annotations

import json
import struct

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.drivers.partitioner import partition_of
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.runtime.operators.windows import split_windowed_key

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}


@pytest.mark.parametrize(
    ("window", "session"),
    [("TUMBLING (SIZE 1 SECOND)", False), ("HOPPING (SIZE 2 SECONDS, ADVANCE BY 1 SECOND)", False),
     ("SESSION (1 SECOND)", True)],
)
def test_a_windowed_aggregate_writes_each_key_to_its_base_key_partition(window: str, session: bool) -> None:
    driver = MemoryDriver(key_partitioning=True)
    driver.create_topic("ins", partitions=4)
    keys = [f"k{i}" for i in range(12)]
    driver.produce(
        "ins",
        [Record(k.encode(), json.dumps({"V": i}).encode(), 1_000 + 3_000 * (i % 5)) for i, k in enumerate(keys * 5)],
    )
    engine = Engine(EngineConfig(service_id="wp_", synchronous=True), driver)
    engine.execute("CREATE STREAM INS (K STRING KEY, V INT) WITH (KAFKA_TOPIC='ins', VALUE_FORMAT='JSON');")
    engine.execute(f"CREATE TABLE W AS SELECT K, COUNT(*) N FROM INS WINDOW {window} GROUP BY K;", EARLIEST)
    engine.drain()
    out = driver.records("W")
    assert out
    partitions_of_key: dict[bytes, set[int]] = {}
    for r in out:
        assert r.key is not None
        base, _, _ = split_windowed_key(r.key, session, 1000)
        assert r.partition == partition_of(base, 4), (base, r.partition)
        partitions_of_key.setdefault(base, set()).add(r.partition)
    assert all(len(p) == 1 for p in partitions_of_key.values())
    assert len({p for ps in partitions_of_key.values() for p in ps}) > 1  # the keys do spread over partitions
    engine.close()


def test_a_windowed_stream_copy_keeps_the_base_key_partition() -> None:
    driver = MemoryDriver(key_partitioning=True)
    driver.create_topic("wins", partitions=4)
    raw = [struct.pack(">i", k) + struct.pack(">q", 2_000 * w) for k in range(6) for w in range(3)]
    driver.produce("wins", [Record(key, b'{"ID": 1}', 10) for key in raw])  # placed by their whole bytes
    engine = Engine(EngineConfig(service_id="wq_", synchronous=True), driver)
    engine.execute(
        "CREATE STREAM S (K INT KEY, ID BIGINT) WITH (KAFKA_TOPIC='wins', VALUE_FORMAT='JSON', "
        "WINDOW_TYPE='Tumbling', WINDOW_SIZE='2 SECONDS');"
    )
    engine.execute("CREATE STREAM C WITH (PARTITIONS=4) AS SELECT * FROM S;", EARLIEST)
    engine.drain()
    out = driver.records("C")
    assert len(out) == len(raw)
    assert [r.partition for r in out] == [partition_of(r.key[:-8], 4) for r in out]  # type: ignore[index]
    engine.close()
