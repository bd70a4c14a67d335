"""The `record` of SinkBuilder.TransformTimestamp's processing-log error (ksqlDB 0.29): it logs
`RecordProcessingError.recordProcessingError("Error writing row with extracted timestamp: " + e.getMessage(),
e, row)`, so with ksql.logging.processing.rows.include=true the record is the GenericRow the transformer was
given (RecordProcessingError.serializeRow: the sink's value columns as JSON); a tombstone's null row leaves it
null (Optional.ofNullable(record))."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import LogEngine

ROWS = {"ksql.logging.processing.rows.include": "true"}
STREAM = "CREATE STREAM S (K STRING KEY, A INT, W BIGINT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');"
PREFIX = "Error writing row with extracted timestamp: "


def errors(le: LogEngine) -> list[dict[str, Any]]:
    return [m["recordProcessingError"] for m in le.messages() if m["type"] == 1]


def test_a_stream_sink_logs_its_value_row(make_log: Callable[..., LogEngine]) -> None:
    """SinkBuilder.TransformTimestamp.transform: the row after the projection (value columns only)."""
    le = make_log(ROWS)
    le.sql(STREAM)
    le.sql("CREATE STREAM O WITH (TIMESTAMP='W') AS SELECT K, A, W FROM S;")
    le.produce("s", b'"k"', {"A": 1, "W": -3}, 5)
    [error] = errors(le)
    assert error["errorMessage"] == PREFIX + "Malformed Record"
    assert json.loads(error["record"]) == [1, -3]


def test_a_table_sink_logs_its_value_row(make_log: Callable[..., LogEngine]) -> None:
    """TableSinkBuilder runs the same TransformTimestamp on an aggregation's output row."""
    le = make_log(ROWS)
    le.sql(STREAM)
    le.sql("CREATE TABLE O WITH (TIMESTAMP='W') AS SELECT K, MIN(W) AS W, COUNT(*) AS C FROM S GROUP BY K;")
    le.produce("s", b'"k"', {"A": 1, "W": -3}, 5)
    [error] = errors(le)
    assert error["errorMessage"] == PREFIX + "Malformed Record"
    assert json.loads(error["record"]) == [-3, 1]


def test_a_join_sink_logs_its_value_row(make_log: Callable[..., LogEngine]) -> None:
    """A join's sink goes through the same SinkBuilder."""
    le = make_log(ROWS)
    le.sql(STREAM)
    le.sql("CREATE TABLE T (ID STRING PRIMARY KEY, B INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    le.sql("CREATE STREAM O WITH (TIMESTAMP='W') AS SELECT S.K, W, B FROM S JOIN T ON S.K = T.ID;")
    le.produce("t", b'"k"', {"B": 2}, 1)
    le.produce("s", b'"k"', {"A": 1, "W": None}, 5)
    [error] = errors(le)
    assert error["errorMessage"].startswith(PREFIX + 'Cannot invoke "java.lang.Long.longValue()"')
    assert json.loads(error["record"]) == [None, 2]


def test_without_rows_include_the_record_stays_null(make_log: Callable[..., LogEngine]) -> None:
    """RecordProcessingError.processingError puts the record only under INCLUDE_ROWS."""
    le = make_log({})
    le.sql(STREAM)
    le.sql("CREATE STREAM O WITH (TIMESTAMP='W') AS SELECT K, A, W FROM S;")
    le.produce("s", b'"k"', {"A": 1, "W": -3}, 5)
    [error] = errors(le)
    assert error.get("record") is None
