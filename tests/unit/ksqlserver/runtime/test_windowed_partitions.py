"""PersistentQuery.windowed_partitions on a one-partition sink (Kafka Streams' StreamSinkNode with a
WindowedStreamPartitioner: every windowed key of a one-partition topic goes to partition 0): records
already in partition 0 are passed on as they are, the others re-addressed; the same records as
`_replace(partition=0)` of every one gave."""

from __future__ import annotations

from typing import Any

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig


def test_one_partition_sink_gets_every_record_in_partition_zero() -> None:
    driver = MemoryDriver()
    engine = Engine(EngineConfig(service_id="wp_", processing_log=False, synchronous=True), driver)
    driver.create_topic("tx", 1)
    props: dict[str, Any] = {"ksql.streams.auto.offset.reset": "earliest"}
    engine.execute("CREATE STREAM TX (K STRING KEY, V INT) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');", props)
    engine.execute(
        "CREATE TABLE S WITH (KAFKA_TOPIC='s', PARTITIONS=1) AS SELECT K, COUNT(*) AS N FROM TX "
        "WINDOW SESSION (5 MINUTES) GROUP BY K EMIT CHANGES;",
        props,
    )
    (q,) = engine.state.persistent.values()
    out = [
        Record(b"a", b"1", 5, 0, 0, (), "s"),
        Record(b"b", None, 6, 3, 0, (("h", b"x"),), "s"),
        Record(b"c", b"2", 7, 1, 9, (), "s"),
    ]
    got = q.windowed_partitions(out)
    assert got == [r._replace(partition=0) for r in out]
    assert all(type(r) is Record for r in got)
    assert got[0] is out[0]  # already in partition 0: the same record
    engine.close()
