"""Divergences found running Confluent's tutorials repo (confluentinc/tutorials, `*/ksql/README.md`) through
`python -m ksqlserver.conformance.tutorials_md`, each fixed from ksqlDB 0.29 / Kafka Streams 3.5 and
tested here with the few statements that reach it (the tutorial is cited, not copied).

- anomaly-detection/ksql/README.md: a stream-table join whose table rows carry older event times (their
  TIMESTAMP column) than the stream's, though they were produced after them. Kafka Streams'
  `PartitionGroup.nextRecord` takes the partition whose head record has the smallest timestamp, and
  `RecordQueue.updateHead` gives each record the timestamp its `TimestampExtractor` extracts (ksqlDB's
  `TimestampExtractionPolicy` for a TIMESTAMP column), not the record's own: the table's rows are joined
  first and every transaction matches. The in-memory driver's broker mode (`timestamp_order`) compared
  the records' own (produce-time) timestamps.
- deduplication-windowed/ksql/README.md: a key-less stream with FORMAT='JSON' over the topic of a
  windowed table (keys: the JSON key then the 8-byte window start). `KsqlJsonDeserializer.deserialize`
  reads `MAPPER.readTree(bytes)`, and Jackson's parser decodes UTF-8 as it reads and stops after the root
  object, so the window bytes (not UTF-8) are never looked at: the key reads, the record is kept. We
  decoded the whole key first and dropped every record as a key deserialization error.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

import pytest

from ksqlserver.conformance.tutorials import new_engine
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.formats.json_format import parse

EARLIEST = {"auto.offset.reset": "earliest"}


@pytest.fixture
def broker() -> Iterator[tuple[Engine, MemoryDriver]]:
    """An engine over the in-memory driver in its broker mode (key partitioning, timestamp order)."""
    engine, driver = new_engine({"ksql.streams.cache.max.bytes.buffering": "0"})
    try:
        yield engine, driver
    finally:
        engine.close()


def _rows(engine: Engine, sql: str) -> list[list[object]]:
    query = engine.start_query(sql, dict(EARLIEST))
    try:
        engine.drain()
        return [list(r) for r in query.poll(0.2)]
    finally:
        query.close()


def _join_sources(engine: Engine) -> None:
    engine.execute(
        "CREATE STREAM txns (id INT, recipient VARCHAR, ts VARCHAR) WITH (kafka_topic='txns', partitions=1, "
        "value_format='JSON', timestamp='ts', timestamp_format='yyyy-MM-dd HH:mm:ss');"
        "CREATE TABLE names (name VARCHAR PRIMARY KEY, created VARCHAR, cid INT) WITH (kafka_topic='names', "
        "partitions=1, value_format='JSON', timestamp='created', timestamp_format='yyyy-MM-dd HH:mm:ss');"
    )
    # the stream's rows first, the table's after them, with older event times
    engine.execute(
        "INSERT INTO txns (id, recipient, ts) VALUES (1, 'Verizon', '2024-09-22 10:00:00');"
        "INSERT INTO txns (id, recipient, ts) VALUES (2, 'Target', '2024-09-22 10:01:00');"
        "INSERT INTO names (name, created, cid) VALUES ('Verizon', '2024-09-18 00:00:00', 7);"
    )


def test_join_reads_its_inputs_in_extracted_timestamp_order(broker: tuple[Engine, MemoryDriver]) -> None:
    """PartitionGroup.nextRecord / RecordQueue.updateHead: the smallest extracted timestamp goes first,
    in a persistent join (its stream side re-keyed first) and in a transient one."""
    engine, _ = broker
    _join_sources(engine)
    engine.execute(
        "CREATE STREAM matched AS SELECT t.id, t.recipient, s.cid FROM txns t JOIN names s "
        "ON t.recipient = s.name;",
        dict(EARLIEST),
    )
    engine.drain()
    assert _rows(engine, "SELECT * FROM matched EMIT CHANGES;") == [["Verizon", 1, 7]]
    assert _rows(
        engine, "SELECT t.id, s.cid FROM txns t JOIN names s ON t.recipient = s.name EMIT CHANGES;"
    ) == [[1, 7]]


def test_memory_consumer_orders_by_the_event_times_it_is_given() -> None:
    """The driver side of the same rule: without event times the records' own timestamps decide."""
    d = MemoryDriver(timestamp_order=True)
    d.create_topic("a", 1, 1)
    d.create_topic("b", 1, 1)
    d.produce("a", [Record(None, b"a", 10)])
    d.produce("b", [Record(None, b"b", 20)])
    plain = d.consumer(["a", "b"], "g1", True)
    assert [r.value for r in plain.poll_batch(10, 0)] == [b"a", b"b"]
    timed = d.consumer(["a", "b"], "g2", True)
    timed.set_event_times({"b": lambda r: 5})
    assert [r.value for r in timed.poll_batch(10, 0)] == [b"b", b"a"]


def test_json_reads_the_root_value_before_bytes_that_are_not_utf8() -> None:
    """ObjectMapper.readTree (KsqlJsonDeserializer): the root object is read, what follows is not looked
    at; bytes that are not UTF-8 inside or before the value are still refused with Jackson's message."""
    window = struct.pack(">q", 1796654280000)  # 0x000001a2...: 0xa2 cannot start a UTF-8 character
    assert parse(b'{"KEY1":"10.0.0.1"}' + window) == {"KEY1": "10.0.0.1"}
    with pytest.raises(Exception, match="Invalid UTF-8 start byte 0xa2"):
        parse(b'{"a":"\xa2"}')
    with pytest.raises(Exception, match="Expected space separating root-level values"):
        parse(b"12\xa2")


def test_keyless_json_stream_reads_a_windowed_tables_topic(broker: tuple[Engine, MemoryDriver]) -> None:
    """deduplication-windowed: the stream's empty JSON key reads the windowed key's JSON object (the
    window bytes after it unread), so its rows come through."""
    engine, _ = broker
    engine.execute(
        "CREATE STREAM clicks (ip VARCHAR, url VARCHAR) WITH (kafka_topic='clicks', partitions=1, format='JSON');"
        "INSERT INTO clicks (ip, url) VALUES ('10.0.0.1', 'u1');"
        "INSERT INTO clicks (ip, url) VALUES ('10.0.0.1', 'u1');"
        "INSERT INTO clicks (ip, url) VALUES ('10.0.0.2', 'u2');"
    )
    engine.execute(
        "CREATE TABLE detected WITH (kafka_topic='DETECTED') AS SELECT ip AS k1, url AS k2, "
        "AS_VALUE(ip) AS ip, COUNT(ip) AS n FROM clicks WINDOW TUMBLING (SIZE 2 MINUTES) "
        "GROUP BY ip, url EMIT CHANGES;",
        dict(EARLIEST),
    )
    engine.drain()
    engine.execute(
        "CREATE STREAM raw_detected (ip STRING, n BIGINT) WITH (kafka_topic='DETECTED', partitions=1, format='JSON');"
    )
    rows = _rows(engine, "SELECT ip, n FROM raw_detected WHERE n = 1 EMIT CHANGES;")
    assert sorted(rows) == [["10.0.0.1", 1], ["10.0.0.2", 1]]
