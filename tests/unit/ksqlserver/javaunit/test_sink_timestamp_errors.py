"""A sink's TIMESTAMP column that is null or negative: ksqlDB 0.29's SinkBuilder.TransformTimestamp catches
whatever the extraction or the forward throws, logs it as a record processing error ("Error writing row with
extracted timestamp: " + message, the cause list ErrorMessageUtil.getErrorMessages of the exception) and writes
nothing. A null column is the extractor's NullPointerException (JDK 17's helpful message for
LongTimestampExtractor's unboxing and TimestampColumnExtractor's `ts.getTime()`; DateTimeFormatter.parse's
requireNonNull "text" for StringTimestampExtractor); a negative time is refused by Kafka Streams 3.5's Record
constructor, which ProcessorContextImpl.forward(key, value, To) builds: StreamsException "Malformed Record" with
an IllegalArgumentException cause."""

from __future__ import annotations

import json
import struct
from typing import TYPE_CHECKING, Any

import pytest

from ksqlserver.drivers.base import Record

if TYPE_CHECKING:
    from conftest import Ksql

PREFIX = "Error writing row with extracted timestamp: "
LONG_NPE = (
    'Cannot invoke "java.lang.Long.longValue()" because the return value of '
    '"io.confluent.ksql.execution.streams.timestamp.ColumnExtractor.extract(Object, io.confluent.ksql.GenericRow)" '
    "is null"
)


@pytest.fixture
def a(ksql: Ksql) -> Ksql:
    ksql.engine.driver.create_topic("a", partitions=1)
    ksql.execute(
        "CREATE STREAM A (K INT KEY, W BIGINT, T TIMESTAMP, S STRING) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON');"
    )
    return ksql


def _run(k: Ksql, sql: str, rows: list[dict[str, Any]]) -> list[int]:
    k.execute(sql)
    for i, row in enumerate(rows):
        k.engine.driver.produce("a", [Record(struct.pack(">i", i), json.dumps(row).encode(), 100 + i)])
    k.engine.drain()
    return [r.timestamp for r in k.engine.driver.records("O")]


def _errors(k: Ksql) -> list[tuple[str, list[str]]]:
    out = []
    for r in k.engine.driver.records("default_ksql_processing_log"):
        e = json.loads(r.value)["message"]["recordProcessingError"]
        out.append((e["errorMessage"], e["cause"]))
    return out


def test_null_bigint_column_is_logged(a: Ksql) -> None:
    """LongTimestampExtractor.extract: `(long) extractor.extract(key, value)` of a null."""
    assert _run(a, "CREATE STREAM O WITH (TIMESTAMP='W') AS SELECT * FROM A;", [{"W": None}, {"W": 7}]) == [7]
    assert _errors(a) == [(PREFIX + LONG_NPE, [LONG_NPE])]


def test_negative_time_is_a_malformed_record(a: Ksql) -> None:
    """ProcessorContextImpl.forward(key, value, To.all().withTimestamp(-3)) -> Record's constructor."""
    assert _run(a, "CREATE STREAM O WITH (TIMESTAMP='W') AS SELECT * FROM A;", [{"W": -3}, {"W": 0}]) == [0]
    assert _errors(a) == [
        (PREFIX + "Malformed Record", ["Malformed Record", "Timestamp may not be negative. Got: -3"])
    ]


def test_null_timestamp_column_is_logged(a: Ksql) -> None:
    """TimestampColumnExtractor.extract: `ts.getTime()` on its null local `ts`."""
    assert _run(a, "CREATE STREAM O WITH (TIMESTAMP='T') AS SELECT * FROM A;", [{"T": None}]) == []
    message = 'Cannot invoke "java.sql.Timestamp.getTime()" because "ts" is null'
    assert _errors(a) == [(PREFIX + message, [message])]


def test_null_string_column_is_logged(a: Ksql) -> None:
    """StringTimestampExtractor -> StringToTimestampParser -> DateTimeFormatter.parse(null): NPE "text", which
    StringTimestampExtractor does not wrap (it wraps KsqlException only)."""
    sql = "CREATE STREAM O WITH (TIMESTAMP='S', TIMESTAMP_FORMAT='yyyy-MM-dd') AS SELECT * FROM A;"
    assert _run(a, sql, [{"S": None}, {"S": "1970-01-02"}]) == [86_400_000]
    assert _errors(a) == [(PREFIX + "text", ["text"])]


def test_negative_time_over_a_join(a: Ksql) -> None:
    """The join's sink goes through the same SinkBuilder."""
    a.engine.driver.create_topic("t", partitions=1)
    a.execute("CREATE TABLE TB (K INT PRIMARY KEY, X INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    a.execute("CREATE STREAM O WITH (TIMESTAMP='W') AS SELECT A.K, W, X FROM A JOIN TB ON A.K = TB.K;")
    a.engine.driver.produce("t", [Record(struct.pack(">i", i), b'{"X": 1}', 1) for i in range(2)])
    a.engine.drain()
    for i, row in enumerate([{"W": -1}, {"W": None}]):
        a.engine.driver.produce("a", [Record(struct.pack(">i", i), json.dumps(row).encode(), 100 + i)])
    a.engine.drain()
    assert a.engine.driver.records("O") == []
    assert _errors(a) == [
        (PREFIX + "Malformed Record", ["Malformed Record", "Timestamp may not be negative. Got: -1"]),
        (PREFIX + LONG_NPE, [LONG_NPE]),
    ]
