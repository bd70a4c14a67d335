"""ksqlDB 0.29's LoggingSerializerTest and SerializationErrorTest (ksqldb-serde,
io.confluent.ksql.logging.processing), with what follows a sink serializer's failure.

LoggingSerializer.serialize logs a SerializationError (type 3: target "key" or "value", the exception's
message, its causes' messages, the sink topic, and the GenericRow / GenericKey's toString as `record` when
ksql.logging.processing.rows.include is true) and rethrows. Kafka Streams 3.5's RecordCollectorImpl.send
wraps the serializer's exception in a StreamsException that stops the query's thread: the record is not
written, the query fails, and its queryErrors hold the error, a USER error when the serializer's exception
is a KsqlSerializationException for a user topic (KsqlSerializationClassifier).

A sink serializer is made to fail by a Schema Registry that refuses the sink subject's schema once the
query runs (`RefusingRegistry`).

Ported: shouldThrowIfDelegateThrows, shouldLogOnException, shouldLogExceptionForKey (LoggingSerializerTest);
shouldBuildSerializationError, shouldBuildSerializationErrorWithNullRecordIfIncludeRowFalse,
shouldBuildErrorWithKeyComponent (SerializationErrorTest). Not ported: configure/close delegation, null
checks, equals/hashCode."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import LogEngine, RefusingRegistry

SOURCE = "CREATE STREAM SRC (K STRING KEY, S STRING, N BIGINT) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON');"
REFUSED = (
    'Error registering Avro schema: Schema being registered is incompatible with an earlier schema for subject '
    '"{subject}"; error code: 409'
)


def failing_sink(
    make_log: Callable[..., LogEngine], registry: RefusingRegistry, rows: bool, key_format: str = "KAFKA"
) -> LogEngine:
    le = make_log({"ksql.logging.processing.rows.include": str(rows).lower()}, registry)
    le.sql(SOURCE)
    le.sql(f"CREATE STREAM OUT WITH (KEY_FORMAT='{key_format}', VALUE_FORMAT='AVRO') AS SELECT * FROM SRC;")
    registry.refuse = True
    le.produce("src", b'"a"', {"S": "some", "N": 7}, 5)
    le.produce("src", b'"b"', {"S": "more", "N": 8}, 6)
    return le


def serialization_errors(le: LogEngine) -> list[dict[str, Any]]:
    return [m["serializationError"] for m in le.messages() if m["type"] == 3]


def test_should_build_serialization_error(make_log: Callable[..., LogEngine], refusing_registry: RefusingRegistry) -> None:
    """shouldBuildSerializationError / shouldLogOnException: type 3, target value, the exception's message and
    its causes, the record (GenericRow.toString: strings quoted, BIGINTs with an L) and the sink's topic; the
    message's other structs are null."""
    le = failing_sink(make_log, refusing_registry, rows=True)
    [message] = [m for m in le.messages() if m["type"] == 3]
    assert [k for k, v in message.items() if v is not None] == ["type", "serializationError"]
    error = message["serializationError"]
    assert list(error) == ["target", "errorMessage", "record", "cause", "topic"]
    cause = REFUSED.format(subject="OUT-value")
    assert error == {
        "target": "value",
        "errorMessage": f"Error serializing message to topic: OUT. {cause}",
        "record": "[ 'some' | 7L ]",
        "cause": [cause],
        "topic": "OUT",
    }


def test_should_build_serialization_error_with_null_record_if_include_row_false(
    make_log: Callable[..., LogEngine], refusing_registry: RefusingRegistry
) -> None:
    """shouldBuildSerializationErrorWithNullRecordIfIncludeRowFalse."""
    [error] = serialization_errors(failing_sink(make_log, refusing_registry, rows=False))
    assert error["record"] is None


def test_should_build_error_with_key_component(make_log: Callable[..., LogEngine], refusing_registry: RefusingRegistry) -> None:
    """shouldBuildErrorWithKeyComponent / shouldLogExceptionForKey: the key serializer fails first (Kafka
    Streams serializes the key before the value): target key, the record a GenericKey."""
    le = failing_sink(make_log, refusing_registry, rows=True, key_format="AVRO")
    [error] = serialization_errors(le)
    assert error["target"] == "key"
    assert error["record"] == "['a']"
    assert error["cause"] == [REFUSED.format(subject="OUT-key")]


def test_should_throw_if_delegate_throws(make_log: Callable[..., LogEngine], refusing_registry: RefusingRegistry) -> None:
    """shouldThrowIfDelegateThrows, as a user sees it: the record is not written and the query stops (the
    next record is not processed either) though its status stays RUNNING (QueryMetadataImpl.getQueryStatus:
    the uncaught handler replaces the thread, KafkaStreams is never in ERROR); its queryErrors hold the StreamsException, caused by the
    KsqlSerializationException, classified USER (KsqlSerializationClassifier: a user topic); the thread's
    failure is logged after the record's (PersistentQueryMetadataImpl.uncaughtHandler)."""
    le = failing_sink(make_log, refusing_registry, rows=False)
    assert le.values("OUT") == []
    [error] = serialization_errors(le)
    assert [m["type"] for m in le.messages()] == [3, 4]
    described = le.described(le.query_ids()[0])
    assert described["state"] == "RUNNING"  # REPLACE_THREAD: KafkaStreams never enters ERROR
    [query_error] = described["queryErrors"]
    assert query_error["type"] == "USER"
    lines = query_error["errorMessage"].splitlines()
    # Kafka Streams 3.5.1's RecordCollectorImpl.send (ProductionExceptionHandler.handleSerializationException
    # answers FAIL): the record the sink was given (no partition: no StreamPartitioner), caused by the
    # serializer's exception; the message real ksqlDB 0.29 on Kafka 3.5.1 reports
    assert lines[0] == (
        "org.apache.kafka.streams.errors.StreamsException: Unable to serialize record. "
        "ProducerRecord(topic=[OUT], partition=[null], timestamp=[5]"
    )
    assert lines[1] == "Caused by: io.confluent.ksql.serde.KsqlSerializationException: " + error["errorMessage"]


def test_a_serializer_failure_on_an_aggregate_fails_the_query(
    make_log: Callable[..., LogEngine], refusing_registry: RefusingRegistry
) -> None:
    """The same for an aggregation's sink: the GenericRow of the aggregate's value columns is the record."""
    le = make_log({"ksql.logging.processing.rows.include": "true"}, refusing_registry)
    le.sql(SOURCE)
    le.sql("CREATE TABLE AGG WITH (VALUE_FORMAT='AVRO') AS SELECT K, COUNT(*) AS C FROM SRC GROUP BY K;")
    refusing_registry.refuse = True
    le.produce("src", b'"a"', {"S": "some", "N": 7}, 5)
    [error] = serialization_errors(le)
    assert (error["target"], error["record"], error["topic"]) == ("value", "[ 1L ]", "AGG")
    assert le.described(le.query_ids()[0])["queryErrors"][0]["type"] == "USER"


def test_a_serializer_failure_on_a_join_fails_the_query(
    make_log: Callable[..., LogEngine], refusing_registry: RefusingRegistry
) -> None:
    """The same for a join's sink."""
    le = make_log({"ksql.logging.processing.rows.include": "true"}, refusing_registry)
    le.sql(SOURCE)
    le.sql("CREATE TABLE T (ID STRING PRIMARY KEY, B INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    le.sql("CREATE STREAM J WITH (VALUE_FORMAT='AVRO') AS SELECT SRC.K, S, B FROM SRC JOIN T ON SRC.K = T.ID;")
    refusing_registry.refuse = True
    le.produce("t", b'"a"', {"B": 3}, 1)
    le.produce("src", b'"a"', {"S": "some", "N": 7}, 5)
    [error] = serialization_errors(le)
    assert (error["target"], error["record"], error["topic"]) == ("value", "[ 'some' | 3 ]", "J")
    assert le.described(le.query_ids()[0])["queryErrors"][0]["type"] == "USER"
