"""Aggregation outputs keep the triggering record's headers: Kafka Streams forwards an aggregate in that
record's context (KStreamAggregate / KStreamWindowAggregate, or a cache entry's LRUCacheEntry context when
the record cache flushes it), and the sink writes the context's headers. Observed on ksqlDB 0.29 (the
oracle built from source): `GROUP BY K`, `GROUP BY A` (through the repartition) and a windowed GROUP BY
write the input headers."""

from __future__ import annotations

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

H1 = (("h1", b"\x01\x02"), ("h2", None))


@pytest.mark.parametrize(
    "query",
    [
        "SELECT K, COUNT(*) AS C FROM S GROUP BY K",
        "SELECT A, COUNT(*) AS C FROM S GROUP BY A",
        "SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K",
        "SELECT K, COUNT(*) AS C FROM S WINDOW SESSION (1 SECOND) GROUP BY K",
        "SELECT K, SUM(A) AS C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K",
    ],
)
@pytest.mark.parametrize("partitions", [1, 4])
def test_aggregate_outputs_carry_the_input_headers(query: str, partitions: int) -> None:
    d = MemoryDriver()
    d.create_topic("s", partitions=partitions)
    e = Engine(EngineConfig(service_id="x_", synchronous=True, properties={"auto.offset.reset": "earliest"}), d)
    try:
        e.execute("CREATE STREAM S (K INT KEY, A INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
        e.execute(f"CREATE TABLE OUT AS {query};")
        key = b"\x00\x00\x00\x01"
        d.produce("s", [Record(key, b'{"A": 1}', 1, 0, 0, H1), Record(key, b'{"A": 2}', 2, 0, 0, ())])
        e.drain()
        out = d.records("OUT")
        # the first record's output has its headers; what the second triggers (a session merge's tombstone
        # too) has the second's, none
        assert out[0].headers == H1
        assert len(out) >= 2 and all(r.headers == () for r in out[1:])
    finally:
        e.close()
