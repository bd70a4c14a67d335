"""ksqlDB's ProtobufNoSRFormatTest (io.confluent.ksql.serde.protobuf): PROTOBUF_NOSR's schemaFullNames is
AbstractProtobufFormat's, as PROTOBUF's. PROTOBUF_NOSR has no schema inference, so a user never gets a
registered schema's names from it: it refuses schema ids and full schema names as unsupported properties and
writes its messages without the registry's framing, named ConnectDefault1 as PROTOBUF's are."""

from __future__ import annotations

from typing import Any


def test_protobuf_nosr_refuses_a_schema_id(fmt: Any) -> None:
    fmt.topic("t")
    message = fmt.message("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF_NOSR', VALUE_SCHEMA_ID=1);")
    assert message == ("VALUE_FORMAT should support schema inference when VALUE_SCHEMA_ID is provided. "
                       "Current format is PROTOBUF_NOSR.")  # fmt: skip


def test_protobuf_nosr_refuses_a_full_schema_name(fmt: Any) -> None:
    fmt.topic("t")
    message = fmt.message("CREATE STREAM S (A INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF_NOSR', "
                          "VALUE_SCHEMA_FULL_NAME='examples.proto.ProtobufKey1');")  # fmt: skip
    assert message == "PROTOBUF_NOSR does not support the following configs: [fullSchemaName]"


def test_protobuf_nosr_writes_bare_messages(fmt: Any) -> None:
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (K1 INT, K2 STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF_NOSR');")
    fmt.sql("INSERT INTO S VALUES (1, 'a');")
    assert fmt.values("t") == [b"\x08\x01\x12\x01a"]
    assert fmt.subjects() == []
