"""ksqlDB 0.29's ProcessingLogServerUtilsTest (ksqldb-rest-app, io.confluent.ksql.logging.processing): the
processing log's topic and the stream the server creates over it.

ProcessingLogServerUtils.processingLogStreamCreateStatement: `CREATE STREAM <ksql.logging.processing.stream.name>
(<the message schema>) WITH(KAFKA_TOPIC='<topic>', VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');` where the
schema's names are written unquoted (so upper-cased) except `topic`, a reserved word, which keeps its case;
maybeCreateProcessingLogTopic creates the topic (ksql.logging.processing.topic.name, else
`<service id>ksql_processing_log`) with ksql.logging.processing.topic.partitions and .replication.factor.
Both are created unless ksql.logging.processing.{topic,stream}.auto.create is false (the server's shipped
ksql-server.properties sets both true).

Ported: shouldBuildCorrectStreamCreateDDL, shouldBuildCorrectStreamCreateDDLWithDefaultTopicName,
shouldNotCreateLogTopicIfNotConfigured, shouldCreateProcessingLogTopic,
shouldCreateProcessingLogTopicWithCorrectDefaultName. Not ported: shouldThrowOnUnexpectedKafkaClientError
(a mocked topic client's failure)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ksqlserver.runtime.processing_log import stream_create_statement

if TYPE_CHECKING:
    from conftest import LogEngine


def test_should_build_correct_stream_create_ddl() -> None:
    """shouldBuildCorrectStreamCreateDDL: the statement text, copied from the Java test."""
    assert stream_create_statement("PROCESSING_LOG_STREAM", "processing_log_topic") == (
        "CREATE STREAM PROCESSING_LOG_STREAM ("
        "logger VARCHAR, "
        "level VARCHAR, "
        "time BIGINT, "
        "message STRUCT<"
        "type INT, "
        "deserializationError STRUCT<target VARCHAR, errorMessage VARCHAR, recordB64 VARCHAR, cause ARRAY<VARCHAR>, `topic` VARCHAR>, "
        "recordProcessingError STRUCT<errorMessage VARCHAR, record VARCHAR, cause ARRAY<VARCHAR>>, "
        "productionError STRUCT<errorMessage VARCHAR>, "
        "serializationError STRUCT<target VARCHAR, errorMessage VARCHAR, record VARCHAR, cause ARRAY<VARCHAR>, `topic` VARCHAR>, "
        "kafkaStreamsThreadError STRUCT<errorMessage VARCHAR, threadName VARCHAR, cause ARRAY<VARCHAR>>"
        ">"
        ") WITH(KAFKA_TOPIC='processing_log_topic', VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');"
    )


def test_the_server_creates_the_stream_with_the_default_topic_name(le: LogEngine) -> None:
    """shouldBuildCorrectStreamCreateDDLWithDefaultTopicName: KSQL_PROCESSING_LOG over
    `<service id>ksql_processing_log`, KAFKA keys, JSON values, `topic` in lower case."""
    source = le.one("DESCRIBE KSQL_PROCESSING_LOG EXTENDED;")["sourceDescription"]
    assert (source["topic"], source["keyFormat"], source["valueFormat"]) == ("log_ksql_processing_log", "KAFKA", "JSON")
    assert [f["name"] for f in source["fields"]] == ["LOGGER", "LEVEL", "TIME", "MESSAGE"]
    message = {f["name"]: f["schema"] for f in source["fields"][3]["schema"]["fields"]}
    assert list(message) == [
        "TYPE", "DESERIALIZATIONERROR", "RECORDPROCESSINGERROR", "PRODUCTIONERROR", "SERIALIZATIONERROR",
        "KAFKASTREAMSTHREADERROR",
    ]  # fmt: skip
    assert [f["name"] for f in message["DESERIALIZATIONERROR"]["fields"]] == [
        "TARGET", "ERRORMESSAGE", "RECORDB64", "CAUSE", "topic",
    ]  # fmt: skip
    assert [f["name"] for f in message["SERIALIZATIONERROR"]["fields"]] == [
        "TARGET", "ERRORMESSAGE", "RECORD", "CAUSE", "topic",
    ]  # fmt: skip


def test_the_topic_field_reads_the_logged_topic(le: LogEngine) -> None:
    """The logged JSON's "topic" is the stream's `topic`."""
    le.sql("CREATE STREAM SRC (K STRING KEY, N BIGINT) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON');")
    le.sql("CREATE STREAM OUT AS SELECT * FROM SRC;")
    le.sql("CREATE STREAM ERRS AS SELECT MESSAGE->DESERIALIZATIONERROR->`topic` AS T FROM KSQL_PROCESSING_LOG;")
    le.produce("src", b'"a"', b'{"N": "x"}', 5)
    assert le.values("ERRS") == [{"T": "src"}]


def test_should_not_create_log_topic_or_stream_if_not_configured(make_log: Callable[..., LogEngine]) -> None:
    """shouldNotCreateLogTopicIfNotConfigured, and the stream's flag."""
    le = make_log(
        {"ksql.logging.processing.topic.auto.create": "false", "ksql.logging.processing.stream.auto.create": "false"}
    )
    assert "log_ksql_processing_log" not in le.driver.topics()
    assert le.one("SHOW STREAMS;")["streams"] == []


def test_should_create_processing_log_topic(make_log: Callable[..., LogEngine]) -> None:
    """shouldCreateProcessingLogTopic: the configured name, partitions and replicas; the stream under its
    configured name (an unquoted identifier: upper-cased)."""
    le = make_log(
        {
            "ksql.logging.processing.topic.name": "processing_log_topic",
            "ksql.logging.processing.topic.partitions": "10",
            "ksql.logging.processing.topic.replication.factor": "3",
            "ksql.logging.processing.stream.name": "processing_log_stream",
        }
    )
    info = le.driver.topics()["processing_log_topic"]
    assert (info.partitions, info.replicas) == (10, 3)
    [stream] = le.one("SHOW STREAMS;")["streams"]
    assert (stream["name"], stream["topic"]) == ("PROCESSING_LOG_STREAM", "processing_log_topic")


def test_should_create_processing_log_topic_with_correct_default_name(make_log: Callable[..., LogEngine]) -> None:
    """shouldCreateProcessingLogTopicWithCorrectDefaultName: `<service id>ksql_processing_log`."""
    le = make_log({"ksql.logging.processing.topic.partitions": "10"})
    assert le.driver.topics()["log_ksql_processing_log"].partitions == 10
