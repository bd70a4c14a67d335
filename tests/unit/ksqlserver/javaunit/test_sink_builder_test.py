"""ksqlDB 0.29's SinkBuilderTest (ksqldb-streams, io.confluent.ksql.execution.streams): a sink with a TIMESTAMP
column writes each row at the column's time (SinkBuilder.TransformTimestamp); a row whose time cannot be
extracted is not written, and a failed extraction is a record processing error."""

from __future__ import annotations

import json
import struct
from typing import TYPE_CHECKING, Any

import pytest

from ksqlserver.drivers.base import Record

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql

_ROWS = [{"W": 5, "S": "2020-01-01"}, {"W": None, "S": "bad"}, {"W": -3, "S": None}]


@pytest.fixture
def a(ksql: Ksql) -> Ksql:
    ksql.engine.driver.create_topic("a", partitions=1)
    ksql.execute(
        "CREATE STREAM A (K INT KEY, W BIGINT, S STRING) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON');"
    )
    return ksql


def _run(k: Ksql, sql: str) -> list[tuple[int, bytes | None]]:
    k.execute(sql)
    for i, row in enumerate(_ROWS):
        k.engine.driver.produce("a", [Record(struct.pack(">i", i), json.dumps(row).encode(), 100 + i)])
    k.engine.drain()
    return [(r.timestamp, r.value) for r in k.engine.driver.records("O")]


def _log(k: Ksql) -> list[dict[str, Any]]:
    return [json.loads(r.value)["message"] for r in k.engine.driver.records("default_ksql_processing_log")]


def test_long_timestamp_column(a: Ksql) -> None:
    """shouldTransformTimestampRow / shouldBuildStreamUsingTransformTimestampWhenTimestampIsSpecified: the row
    is written at the column's time; a null or negative time writes nothing (it is logged: see
    test_sink_timestamp_errors)."""
    assert _run(a, "CREATE STREAM O WITH (TIMESTAMP='W') AS SELECT * FROM A;") == [
        (5, b'{"W":5,"S":"2020-01-01"}')
    ]


def test_string_timestamp_column(a: Ksql) -> None:
    """StringTimestampExtractor through the sink: parsed with TIMESTAMP_FORMAT (UTC here)."""
    out = _run(a, "CREATE STREAM O WITH (TIMESTAMP='S', TIMESTAMP_FORMAT='yyyy-MM-dd') AS SELECT * FROM A;")
    assert out == [(1577836800000, b'{"W":5,"S":"2020-01-01"}')]


def test_no_timestamp_column(a: Ksql) -> None:
    """shouldBuildStreamWithoutTransformTimestampWhenNoTimestampIsSpecified: the input record's time."""
    assert [t for t, _ in _run(a, "CREATE STREAM O AS SELECT * FROM A;")] == [100, 101, 102]


def test_timestamp_extractor_error_is_logged(a: Ksql) -> None:
    """shouldCallProcessingLoggerOnTimestampExtractorError: the extractor's failure (here the
    DateTimeParseException of StringToTimestampParser, which StringTimestampExtractor does not wrap) is a
    record processing error of the processing log."""
    _run(a, "CREATE STREAM O WITH (TIMESTAMP='S', TIMESTAMP_FORMAT='yyyy-MM-dd') AS SELECT * FROM A;")
    # the cause list is ErrorMessageUtil.getErrorMessages(e): the exception's own message first; the null
    # text of the third row fails too (DateTimeFormatter.parse's Objects.requireNonNull(text, "text"))
    assert _log(a) == [
        {
            "type": 1,
            "deserializationError": None,
            "recordProcessingError": {
                "errorMessage": f"Error writing row with extracted timestamp: {detail}",
                "record": None,
                "cause": [detail],
            },
            "productionError": None,
            "serializationError": None,
            "kafkaStreamsThreadError": None,
        }
        for detail in ("Text 'bad' could not be parsed at index 0", "text")
    ]


def test_timestamp_extractor_error_over_a_join(a: Ksql) -> None:
    """shouldCallProcessingLoggerOnTimestampExtractorError for a join's sink."""
    a.engine.driver.create_topic("t", partitions=1)
    a.execute("CREATE TABLE T (K INT PRIMARY KEY, X INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    a.execute(
        "CREATE STREAM O WITH (TIMESTAMP='S', TIMESTAMP_FORMAT='yyyy-MM-dd') AS SELECT A.K, S, X FROM A "
        "JOIN T ON A.K = T.K;"
    )
    a.engine.driver.produce("t", [Record(struct.pack(">i", i), b'{"X": 1}', 1) for i in range(3)])
    a.engine.drain()
    for i, row in enumerate(_ROWS):
        a.engine.driver.produce("a", [Record(struct.pack(">i", i), json.dumps(row).encode(), 100 + i)])
    a.engine.drain()
    out = [(r.timestamp, r.value) for r in a.engine.driver.records("O")]
    assert out == [(1577836800000, b'{"S":"2020-01-01","X":1}')]
    messages = [m["recordProcessingError"]["errorMessage"] for m in _log(a) if m["type"] == 1]
    assert messages == [
        "Error writing row with extracted timestamp: Text 'bad' could not be parsed at index 0",
        "Error writing row with extracted timestamp: text",
    ]
