"""ksqlDB 0.29's PersistentQueryMetadataTest (ksqldb-engine, io.confluent.ksql.util), its processing-log
case: PersistentQueryMetadataImpl.uncaughtHandler, after QueryMetadataImpl's, logs a KafkaStreamsThreadError
(type 4): "Unhandled exception caught in streams thread", the thread's name and
ErrorMessageUtil.getErrorMessages of the failure, under the query's
`<query id>.ksql.logger.thread.exception.uncaught` logger (QueryBuilder.getUncaughtExceptionProcessingLogger).

Ported: shouldCallProcessingLoggerOnError. Not ported: the query types and stop/close calls on mocked Kafka
Streams."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import LogEngine


def test_should_call_processing_logger_on_error(le: LogEngine) -> None:
    """shouldCallProcessingLoggerOnError."""
    le.sql(
        "CREATE STREAM SRC (K STRING KEY, TS STRING) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON', "
        "TIMESTAMP='TS', TIMESTAMP_FORMAT='yyyy-MM-dd');"
    )
    le.sql("CREATE STREAM OUT AS SELECT * FROM SRC;", {"ksql.timestamp.throw.on.invalid": "true"})
    le.produce("src", b'"b"', {"TS": "not a date"}, 6)
    record, thread = le.log()
    assert record["message"]["type"] == 1  # the extractor's own RecordProcessingError comes first
    assert thread["logger"] == "processing.CSAS_OUT_0.ksql.logger.thread.exception.uncaught"
    message = thread["message"]
    assert message["type"] == 4
    assert [k for k, v in message.items() if v is not None] == ["type", "kafkaStreamsThreadError"]
    error = message["kafkaStreamsThreadError"]
    assert list(error) == ["errorMessage", "threadName", "cause"]
    assert error["errorMessage"] == "Unhandled exception caught in streams thread"
    # Kafka Streams names its threads <client id>-StreamThread-<n>, the client id the application id and
    # the process's UUID
    assert re.fullmatch(r"_confluent-ksql-log_query_CSAS_OUT_0-[0-9a-f-]{36}-StreamThread-1", error["threadName"])
    assert error["cause"][0].startswith("Fatal user code error in TimestampExtractor callback for record src-0@0")
    assert error["cause"][1:] == ["Text 'not a date' could not be parsed at index 0"]


def test_a_query_that_does_not_fail_logs_no_thread_error(le: LogEngine) -> None:
    """The thread error is logged by the uncaught handler only: a query that did not fail logs none."""
    le.sql("CREATE STREAM SRC (K STRING KEY, V INT) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON');")
    le.sql("CREATE STREAM OUT AS SELECT * FROM SRC;")
    le.produce("src", b'"b"', {"V": 1}, 6)
    assert le.log() == []
