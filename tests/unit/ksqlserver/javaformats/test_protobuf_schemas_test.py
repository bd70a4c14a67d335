"""ksqlDB's ProtobufSchemasTest (io.confluent.ksql.serde.protobuf): schemaWithName names (or renames) the root
Connect schema only, leaving nested schemas as they are, and leaves the schema unchanged without a name. A user
sees it in the Protobuf schema registered for a PROTOBUF value: VALUE_SCHEMA_FULL_NAME names the root message
(its package and name), nested structs keep their default ConnectDefaultN names."""

from __future__ import annotations

from typing import Any

COLUMNS = "`field1` INT, `field2` STRUCT<`product_id` INT>"


def _registered(fmt: Any, with_name: str) -> str:
    fmt.topic("t")
    fmt.sql(f"CREATE STREAM S ({COLUMNS}) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF'{with_name});")
    fmt.sql("INSERT INTO S VALUES (1, STRUCT(`product_id` := 2));")
    return str(fmt.registered("t-value").schema)


def test_should_name_schema_without_name(fmt: Any) -> None:
    """shouldNameSchemaWithoutName, shouldReplaceSchemaName: the root is io.CustomName"""
    assert _registered(fmt, ", VALUE_SCHEMA_FULL_NAME='io.CustomName'") == (
        'syntax = "proto3";\n'
        "package io;\n"
        "\n"
        "message CustomName {\n"
        "  int32 field1 = 1;\n"
        "  ConnectDefault1 field2 = 2;\n"
        "  message ConnectDefault1 {\n"
        "    int32 product_id = 1;\n"
        "  }\n"
        "}\n"
    )


def test_should_return_same_schema_on_null_new_name(fmt: Any) -> None:
    """shouldReturnSameSchemaOnNullNewName: without a name, the default names"""
    text = _registered(fmt, "")
    assert text.startswith('syntax = "proto3";\n\nmessage ConnectDefault1 {\n  int32 field1 = 1;\n'
                           "  ConnectDefault2 field2 = 2;\n")  # fmt: skip
