"""ksqlDB's KsqlConnectDeserializerTest (io.confluent.ksql.serde.connect): a record is read by the format's
Connect converter (toConnectData) and the Connect value translated to the row (DataTranslator.toKsqlRow).
End to end: a PROTOBUF record written by another producer with the registered schema is read into the
stream's columns."""

from __future__ import annotations

from typing import Any

from ksqlserver.formats.sr.client import PROTOBUF


def test_should_deserialize_records_correctly(fmt: Any) -> None:
    """shouldDeserializeRecordsCorrectly"""
    fmt.topic("topic")
    fmt.register("topic-value", 'syntax = "proto3"; message R { string biz = 1; int32 baz = 2; }', PROTOBUF,
                 schema_id=1)  # fmt: skip
    fmt.sql("CREATE STREAM S WITH (KAFKA_TOPIC='topic', VALUE_FORMAT='PROTOBUF');")
    fmt.sql("CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT * FROM S;")
    fmt.produce("topic", b"\x00\x00\x00\x00\x01\x00" + b"\x0a\x03boz" + b"\x10\x07")
    assert fmt.values("O") == [b'{"BIZ":"boz","BAZ":7}']


def test_a_record_that_cannot_be_read_is_logged_with_the_converters_causes(fmt: Any) -> None:
    """KsqlConnectDeserializer.deserialize wraps the converter's failure as "Error deserializing message from
    topic: <topic>"; the processing log lists the converter's DataException and its cause (AvroConverter:
    "Failed to deserialize data for topic <t> to Avro: ", the deserializer's "Unknown magic byte!")"""
    fmt.topic("topic")
    fmt.register("topic-value", {"type": "record", "name": "R", "fields": [{"name": "biz", "type": "string"}]},
                 schema_id=1)  # fmt: skip
    fmt.sql("CREATE STREAM S WITH (KAFKA_TOPIC='topic', VALUE_FORMAT='AVRO');")
    fmt.sql("CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT * FROM S;")
    fmt.produce("topic", b"bizbazboz")
    assert fmt.values("O") == []
    [err] = fmt.deserialization_errors()
    assert err["errorMessage"] == "Error deserializing message from topic: topic"
    assert err["cause"] == ["Failed to deserialize data for topic topic to Avro: ", "Unknown magic byte!"]
    assert (err["target"], err["topic"]) == ("value", "topic")
