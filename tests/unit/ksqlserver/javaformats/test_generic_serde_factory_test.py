"""ksqlDB's GenericSerdeFactoryTest (io.confluent.ksql.serde): createFormatSerde wraps a format's refusal of
a schema as SchemaNotSupportedException ("<target> format does not support schema." with the format, the
schema and the reason), and wrapInLoggingSerde makes every failed (de)serialization a processing log entry
of the query ("processing.<query id>...") before the error goes on.

A user meets these through a CREATE whose columns the format refuses, and through records that cannot be
read (or written), which the query logs and skips. Not ported: shouldInvokeFormatFactoryWithCorrectParams,
shouldInvokeFormatWithCorrectParams (mock arguments), shouldThrowIfFormatFactoryThrows (Java identity)."""

from __future__ import annotations

import json
from typing import Any


def test_should_throw_if_get_serde_throws(fmt: Any) -> None:
    """shouldThrowIfGetSerdeThrows: "<target> format does not support schema." + format, schema, reason"""
    fmt.topic("t")
    message = fmt.message("CREATE STREAM S (K STRING KEY, V ARRAY<INT>) WITH (KAFKA_TOPIC='t', FORMAT='KAFKA');")
    assert message == (
        "Value format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`V` ARRAY<INTEGER>], "
        "features=[]}\nreason: The 'KAFKA' format does not support type 'ARRAY'"
    )


def test_should_throw_if_key_get_serde_throws(fmt: Any) -> None:
    """shouldThrowIfGetSerdeThrows, for the key"""
    fmt.topic("t")
    message = fmt.message("CREATE STREAM S (K BOOLEAN KEY, V INT) WITH (KAFKA_TOPIC='t', FORMAT='KAFKA');")
    assert message.startswith("Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K` "
                              "BOOLEAN KEY], features=[]}\nreason: ")  # fmt: skip


def test_should_wrap_deserializer_with_logging_serializer(fmt: Any) -> None:
    """shouldWrapDeserializerWithLoggingSerializer, shouldReturnProcessingLoggerWithQueryId: a record that
    cannot be read goes to the processing log under the query's logger, and the query goes on"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    [created] = fmt.sql("CREATE STREAM O AS SELECT * FROM S;")
    query_id = created["commandStatus"]["queryId"]
    fmt.produce("t", b"this call will cause error to be logged")
    fmt.produce("t", b'{"V": 1}')
    assert fmt.values("O") == [b'{"V":1}']
    [entry] = [m for m in fmt.processing_log() if m.get("deserializationError")]
    assert entry["type"] == 0
    assert entry["deserializationError"]["errorMessage"].startswith("Failed to deserialize value from topic: t. ")
    assert entry["deserializationError"]["topic"] == "t"
    [record] = list(fmt.driver.records("fmt_ksql_processing_log"))
    assert json.loads(record.value)["logger"].startswith(f"processing.{query_id}")


def test_should_wrap_serializer_with_logging_serializer(fmt: Any) -> None:
    """shouldWrapSerializerWithLoggingSerializer: a row the sink cannot write goes to the processing log as a
    serialization error (type 3) naming the sink's topic"""
    fmt.topic("t")
    fmt.register("out-value", {"type": "record", "name": "R", "fields": [{"name": "V", "type": "int"}]}, schema_id=3)
    fmt.sql("CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    fmt.sql("CREATE STREAM O WITH (KAFKA_TOPIC='out', VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID=3) AS SELECT * FROM S;")
    fmt.produce("t", b'{"V": null}')
    assert fmt.values("out") == []
    [entry] = [m for m in fmt.processing_log() if m.get("serializationError")]
    assert entry["type"] == 3
    assert entry["serializationError"]["topic"] == "out"
    assert entry["serializationError"]["errorMessage"].startswith("Error serializing message to topic: out. ")


def test_a_key_that_cannot_be_written_is_logged_as_the_key(fmt: Any) -> None:
    """shouldWrapSerializerWithLoggingSerializer, for the key serializer: the SerializationError's target is
    "key" (LoggingSerdeUtil.getRecordComponent), here a null in a field the key schema (KEY_SCHEMA_ID)
    requires"""
    fmt.topic("t")
    fmt.register("out-key", {"type": "record", "name": "K", "fields": [
        {"name": "F1", "type": "string"}, {"name": "F2", "type": ["null", "int"]}]}, schema_id=4)  # fmt: skip
    fmt.sql("CREATE STREAM S (ROWKEY STRUCT<F1 STRING, F2 INT> KEY, V INT) WITH (KAFKA_TOPIC='t', FORMAT='JSON');")
    fmt.sql("CREATE STREAM O WITH (KAFKA_TOPIC='out', KEY_FORMAT='AVRO', VALUE_FORMAT='JSON', KEY_SCHEMA_ID=4) AS "
            "SELECT * FROM S;")  # fmt: skip
    fmt.produce("t", b'{"V": 1}', key=b'{"F2": 2}')
    assert fmt.values("out") == []
    [err] = fmt.serialization_errors()
    assert (err["target"], err["topic"]) == ("key", "out")
    assert err["cause"] == ['Invalid value: null used for required field: "F1", schema type: STRING']
