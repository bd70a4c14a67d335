"""PRINT's format lines and Schema Registry formats, as ksqlDB 0.29's REST server writes them.

- `io.confluent.ksql.rest.server.resources.streaming.TopicStreamWriter.FormatsTracker`: after each batch,
  before its records, a `Key format: ` / `Value format: ` line whenever the formats still possible
  changed (the first batch always), `¯\\_(ツ)_/¯ - no data processed` for a side with only nulls so far.
- `RecordFormatter.Format`: AVRO, PROTOBUF, JSON, JSON_SR, KAFKA_INT, KAFKA_BIGINT, KAFKA_DOUBLE,
  KAFKA_STRING; an AVRO record prints as `GenericData.toString` (`{"A": 1, "B": "x"}`).
"""

from __future__ import annotations

import struct

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.formats.sr.client import MemoryRegistryClient
from ksqlserver.statements.print import NO_DATA, FormatsTracker, RecordFormatter
from ksqlserver.statements.print_sr import generic_text


def _lines(engine: Engine, sql: str, exact_print: bool = True) -> list[str]:
    """`exact_print`: /query's StreamedQueryResource (TopicStreamWriter, the formats lines), else /query-stream's
    BlockingPrintPublisher (the records alone)."""
    q = engine.start_query(sql, exact_print=exact_print)
    engine.drain()
    out: list[str] = []
    for _ in range(20):
        out += q.poll(0.05)
        if q.done:
            break
    q.close()
    return out


def test_formats_lines_come_before_the_records_and_again_when_they_narrow() -> None:
    fmt, tracker = RecordFormatter(), FormatsTracker()
    fmt.format([Record(None, struct.pack(">i", 7), 0, 0)])
    assert tracker.update(fmt) == [f"Key format: {NO_DATA}", "Value format: KAFKA_INT or KAFKA_STRING"]
    assert tracker.update(fmt) == []  # unchanged: nothing
    fmt.format([Record(None, b"text", 0, 0)])  # 4 bytes: KAFKA_INT still reads it, no change
    assert tracker.update(fmt) == []
    fmt.format([Record(None, b"longer text", 0, 0)])
    assert tracker.update(fmt) == ["Value format: KAFKA_STRING"]


def test_print_of_an_avro_topic() -> None:
    engine = Engine(
        EngineConfig(synchronous=True, processing_log=False, command_topic=False),
        MemoryDriver(),
        MemoryRegistryClient(),
    )
    try:
        engine.execute(
            "CREATE STREAM S (ID BIGINT KEY, NAME STRING, SCORE DOUBLE) "
            "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='AVRO', PARTITIONS=1);"
        )
        engine.execute("INSERT INTO S (ID, NAME, SCORE) VALUES (1, 'a \"q\"', 8.5);")
        engine.execute("INSERT INTO S (ID, NAME, SCORE) VALUES (2, NULL, 1.0E10);")
        lines = _lines(engine, "PRINT 's' FROM BEGINNING LIMIT 2;")
        # 8 bytes with no invalid UTF-8 read as a string too (the tutorials show the same list)
        assert lines[:2] == ["Key format: KAFKA_BIGINT or KAFKA_DOUBLE or KAFKA_STRING", "Value format: AVRO"]
        assert lines[2].endswith(', key: 1, value: {"NAME": "a \\"q\\"", "SCORE": 8.5}, partition: 0')
        assert lines[3].endswith(', key: 2, value: {"NAME": null, "SCORE": 1.0E10}, partition: 0')
    finally:
        engine.close()


def test_generic_data_text() -> None:
    assert generic_text({"A": [1, {"B": True}], "C": {"k": None}}) == '{"A": [1, {"B": true}], "C": {"k": null}}'


def test_query_stream_print_sends_the_records_alone() -> None:
    """BlockingPrintPublisher (/query-stream) sends RecordFormatter.format's lines only, no formats lines
    (observed on ksqlDB 0.29 built from source: scenarios/server_misc.json, the /query-stream PRINT step
    answered two `rowtime: ...` lines)."""
    engine = Engine(EngineConfig(synchronous=True, processing_log=False, command_topic=False), MemoryDriver())
    try:
        engine.execute("CREATE STREAM S (ID BIGINT KEY, NAME STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")
        engine.execute("INSERT INTO S (ID, NAME) VALUES (1, 'a');")
        lines = _lines(engine, "PRINT 's' FROM BEGINNING LIMIT 1;", exact_print=False)
        assert len(lines) == 1 and lines[0].startswith("rowtime: ")
        assert lines[0].endswith(', key: 1, value: {"NAME":"a"}, partition: 0')
        with_formats = _lines(engine, "PRINT 's' FROM BEGINNING LIMIT 1;")
        assert with_formats[:2] == ["Key format: KAFKA_BIGINT or KAFKA_DOUBLE or KAFKA_STRING", "Value format: JSON or KAFKA_STRING"]
    finally:
        engine.close()
