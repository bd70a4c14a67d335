"""A string holding a lone surrogate (a JSON input's "\\ud800" escape gives one to a Java String, as to a
Python str) is written, not refused, by every sink serializer:

- JSON: Jackson's UTF8JsonGenerator._outputMultiByteChar escapes each char in D800-DFFF as an upper-case
  \\uXXXX escape;
- DELIMITED (KsqlDelimitedSerializer), KAFKA (StringSerializer) and AVRO (Avro's Utf8): String.getBytes(UTF_8)
  writes a lone surrogate as '?'.

Before, the serializer failed, which now (LoggingSerializer, Kafka Streams' RecordCollectorImpl) fails the
query."""

from __future__ import annotations

import json

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.formats.json_values import jackson_string


def test_jackson_escapes_a_lone_surrogate() -> None:
    assert jackson_string("x\ud800y") == '"x\\uD800y"'
    assert jackson_string("\udfff") == '"\\uDFFF"'
    assert jackson_string("a\U0001f600") == '"a\\uD83D\\uDE00"'  # a pair, as before


def run(value_format: str) -> list[bytes | None]:
    d = MemoryDriver()
    e = Engine(
        EngineConfig(service_id="s_", synchronous=True, command_topic=False,
                     properties={"ksql.streams.auto.offset.reset": "earliest"}),
        d,
    )  # fmt: skip
    try:
        e.execute("CREATE STREAM S (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
        e.execute(f"CREATE STREAM O WITH (VALUE_FORMAT='{value_format}') AS SELECT * FROM S;")
        d.produce("s", [Record(b'"k"', b'{"V": "a\\ud800b"}', 1)])
        e.drain()
        [query] = e.state.persistent.values()
        assert query.state == "RUNNING"
        return [r.value for r in d.records("O")]
    finally:
        e.close()


def test_a_json_sink_writes_the_escape() -> None:
    [value] = run("JSON")
    assert value == b'{"V":"a\\uD800b"}'
    assert json.loads(value or b"") == {"V": "a\ud800b"}


def test_a_delimited_sink_writes_a_question_mark() -> None:
    assert run("DELIMITED") == [b"a?b"]


def test_a_kafka_sink_writes_a_question_mark() -> None:
    assert run("KAFKA") == [b"a?b"]
