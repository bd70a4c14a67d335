"""ksqlDB's FormatFactoryTest (io.confluent.ksql.serde): FormatFactory.of / fromName resolve format names
case-insensitively and refuse unknown formats and properties a format does not support
(FormatProperties.validateProperties). A user meets FormatFactory through the formats and format
properties of a CREATE's WITH clause: the names are accepted in any case and the errors are the statement's."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("written", "name"),
    [("JsoN", "JSON"), ("AvRo", "AVRO"), ("Delimited", "DELIMITED"), ("PrOtObUf", "PROTOBUF"),
     ("PrOtObUf_nOsR", "PROTOBUF_NOSR"), ("jSoN_sR", "JSON_SR")],
)  # fmt: skip
def test_should_create_from_string(fmt: Any, written: str, name: str) -> None:
    """shouldCreateFromString, shouldCreateFromNameWithCaseInsensitivity"""
    fmt.topic("t")
    fmt.sql(f"CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='{written}');")
    assert fmt.source("S").value_format == name
    assert fmt.describe("S")["valueFormat"] == name


def test_should_throw_on_unknown_format(fmt: Any) -> None:
    """shouldThrowOnUnknownFormat"""
    fmt.topic("t")
    assert "Unknown format: BOB" in fmt.message("CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='bob');")


@pytest.mark.parametrize("prop", ["VALUE_AVRO_SCHEMA_FULL_NAME", "VALUE_SCHEMA_FULL_NAME"])
def test_should_throw_on_non_avro_with_avro_schema_name(fmt: Any, prop: str) -> None:
    """shouldThrowOnNonAvroWithAvroSchemaName"""
    fmt.topic("t")
    message = fmt.message(f"CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', {prop}='foo');")
    assert "JSON does not support the following configs: [fullSchemaName]" in message


def test_should_throw_on_empty_avro_schema_name(fmt: Any) -> None:
    """shouldThrowOnEmptyAvroSchemaName: the configuration printed as Java prints a map"""
    fmt.topic("t")
    message = fmt.message(
        "CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO', VALUE_AVRO_SCHEMA_FULL_NAME=' ');"
    )
    assert "fullSchemaName cannot be empty. Format configuration: {fullSchemaName= }" in message


def test_should_print_every_property_of_an_empty_schema_name(fmt: Any) -> None:
    """shouldThrowOnEmptyAvroSchemaName with PROTOBUF, whose value properties (CreateSourceProperties.
    getValueFormatProperties) also hold unwrapPrimitives, after the schema name"""
    fmt.topic("t")
    message = fmt.message(
        "CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF', VALUE_SCHEMA_FULL_NAME=' ');"
    )
    assert "fullSchemaName cannot be empty. Format configuration: {fullSchemaName= , unwrapPrimitives=true}" in message


def test_should_throw_when_attempting_to_use_value_delimiter_with_json_format(fmt: Any) -> None:
    """shouldThrowWhenAttemptingToUseValueDelimiterWithJsonFormat"""
    fmt.topic("t")
    message = fmt.message("CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', VALUE_DELIMITER='x');")
    assert "JSON does not support the following configs: [delimiter]" in message


@pytest.mark.parametrize(
    ("with_clause", "expected"),
    [
        # KEY_SCHEMA_ID on a JSON key, VALUE_SCHEMA_ID on a KAFKA value, KEY_SCHEMA_ID on a DELIMITED key:
        # the schema-id check of CreateSourceProperties words it before FormatFactory would
        ("KEY_FORMAT='JSON', VALUE_FORMAT='JSON', KEY_SCHEMA_ID=1",
         "KEY_FORMAT should support schema inference when KEY_SCHEMA_ID is provided. Current format is JSON."),
        ("KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA', VALUE_SCHEMA_ID=1",
         "VALUE_FORMAT should support schema inference when VALUE_SCHEMA_ID is provided. Current format is KAFKA."),
        ("KEY_FORMAT='delimited', VALUE_FORMAT='JSON', KEY_SCHEMA_ID=123",
         "KEY_FORMAT should support schema inference when KEY_SCHEMA_ID is provided. Current format is DELIMITED."),
    ],
)  # fmt: skip
def test_should_throw_when_creating_from_unsupported_property(fmt: Any, with_clause: str, expected: str) -> None:
    """shouldThrowWhenCreatingFromUnsupportedProperty"""
    fmt.topic("t")
    assert fmt.message(f"CREATE STREAM S (K INT KEY, V INT) WITH (KAFKA_TOPIC='t', {with_clause});") == expected


@pytest.mark.parametrize("name", ["AVRO", "PROTOBUF", "JSON_SR"])
def test_should_not_throw_when_creating_from_supported_property(fmt: Any, name: str) -> None:
    """shouldNotThrowWhenCreatingFromSupportedProperty: schemaId and fullSchemaName together"""
    from ksqlserver.formats.sr.client import JSON, PROTOBUF

    schema: Any = {
        "AVRO": '{"type": "record", "name": "avroName", "fields": [{"name": "V", "type": ["null", "int"]}]}',
        "PROTOBUF": 'syntax = "proto3"; message protoName { int32 V = 1; }',
        "JSON_SR": '{"type": "object", "title": "jsonName", "properties": {"V": {"type": "integer"}}}',
    }[name]
    schema_type = {"AVRO": "AVRO", "PROTOBUF": PROTOBUF, "JSON_SR": JSON}[name]
    fmt.topic("t")
    fmt.register("t-value", schema, schema_type, schema_id=1)
    full = {"AVRO": "avroName", "PROTOBUF": "protoName", "JSON_SR": "jsonName"}[name]
    fmt.sql(f"CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='{name}', VALUE_SCHEMA_ID=1, "
            f"VALUE_SCHEMA_FULL_NAME='{full}');")  # fmt: skip
    assert fmt.source("S").value_format == name
