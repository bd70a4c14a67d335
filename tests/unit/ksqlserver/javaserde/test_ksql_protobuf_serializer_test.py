"""ksqlDB's KsqlProtobufSerializerTest (io.confluent.ksql.serde.protobuf), ported to our PROTOBUF format:
nested message names under FULL_SCHEMA_NAME, the wire bytes of DECIMAL, TIME, DATE, TIMESTAMP and BYTES
fields, and SCHEMA_ID serialization (extra fields left at their default, a missing field refused)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.errors import SerdeError
from ksqlserver.formats import SerdeOptions, get_format
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import PROTOBUF, MemoryRegistryClient, RegisteredSchema

TOPIC = "bob"
STRUCT_COLS = [("id", "BIGINT"), ("age", "INT"), ("name", "STRING")]


def _serde(registry: MemoryRegistryClient, spec: list[tuple[str, str]], **extra: str) -> Any:
    cols = [Column(n, parse_type(t)) for n, t in spec]
    return get_format("PROTOBUF").serde(cols, SerdeOptions(topic=TOPIC, registry=registry, extra=extra), False)


def _physical(registry: MemoryRegistryClient, text: str) -> int:
    return registry.register(f"{TOPIC}-value", RegisteredSchema(PROTOBUF, text))


def test_should_use_nested_struct_names() -> None:
    """shouldUseNestedStructNames: struct, array-of-struct and map-of-struct fields under
    FULL_SCHEMA_NAME's package and message; the row reads back as written."""
    registry = MemoryRegistryClient()
    inner = "STRUCT<`field0_1` STRING>"
    s = _serde(registry, [("field0", inner), ("field1", f"ARRAY<{inner}>"), ("field2", f"MAP<STRING, {inner}>")],
               fullSchemaName="com.test.namespace.TestSchemaName1")
    row = [{"field0_1": "foobar"}, [{"field0_1": "arrValue1"}, {"field0_1": "arrValue2"}],
           {"key1": {"field0_1": "mapValue1"}}]
    assert s.deserialize(s.serialize(row)) == row
    text = registry.latest(f"{TOPIC}-value").schema.schema
    assert "package com.test.namespace;" in text and "message TestSchemaName1 {" in text
    assert "repeated ConnectDefault3Entry field2 = 3;" in text


def test_should_use_schema_name_from_property_if_exists() -> None:
    """shouldUseSchemaNameFromPropertyIfExists: the message's full name is FULL_SCHEMA_NAME; the field is
    written as `field0: "foobar"` (tag 1, length-delimited)."""
    registry = MemoryRegistryClient()
    data = _serde(registry, [("field0", "STRING")], fullSchemaName="com.test.namespace.TestSchemaName1").serialize(
        ["foobar"])
    text = registry.latest(f"{TOPIC}-value").schema.schema
    assert "package com.test.namespace;" in text and "message TestSchemaName1 {" in text
    assert bytes(wire.split(data)[1]) == b"\x00\x0a\x06foobar"  # message index 0, then field0


@pytest.mark.parametrize(("spec", "value", "message", "imports"), [
    # DecimalUtils.fromBigDecimal(12.34): value=unscaled big-endian bytes, precision 4, scale 2
    ("DECIMAL(4, 2)", Decimal("12.34"), "0a0204d210041802", "confluent/type/decimal.proto"),
    # TimeOfDay{seconds: 2}
    ("TIME", 2000, "1802", "google/type/timeofday.proto"),
    # Date{year: 1970, month: 1, day: 11}
    ("DATE", 10, "08b20f1001180b", "google/type/date.proto"),
    # Timestamp{seconds: 2, nanos: 0}
    ("TIMESTAMP", 2000, "0802", "google/protobuf/timestamp.proto"),
])
def test_should_serialize_logical_fields(spec: str, value: Any, message: str, imports: str) -> None:
    """shouldSerializeDecimalField, shouldSerializeTimeField, shouldSerializeDateField,
    shouldSerializeTimestampField: field0 holds the well-known message (TIME_SCHEMA, DATE_SCHEMA,
    TIMESTAMP_SCHEMA, DECIMAL_SCHEMA)."""
    registry = MemoryRegistryClient()
    s = _serde(registry, [("field0", spec)])
    data = s.serialize([value])
    inner = bytes.fromhex(message)
    assert bytes(wire.split(data)[1]) == b"\x00\x0a" + bytes([len(inner)]) + inner
    assert f'import "{imports}";' in registry.latest(f"{TOPIC}-value").schema.schema
    assert s.deserialize(data) == [value]


def test_should_serialize_bytes_field() -> None:
    """shouldSerializeBytesField."""
    registry = MemoryRegistryClient()
    data = _serde(registry, [("field0", "BYTES")]).serialize([b"abc"])
    assert bytes(wire.split(data)[1]) == b"\x00\x0a\x03abc"


STRUCT_NAME = 'syntax = "proto3";\n\nmessage StructName {\n int64 id = 1;\nint32 age = 2;\nstring name = 3;\n'


def test_should_serialize_struct_with_schema_id() -> None:
    """shouldSerializeStructWithSchemaId: written with the registered schema's id and field numbers."""
    registry = MemoryRegistryClient()
    schema_id = _physical(registry, STRUCT_NAME + "}\n")
    data = _serde(registry, STRUCT_COLS, schemaId=str(schema_id), fullSchemaName="StructName").serialize(
        [123, 20, "bob"])
    found, payload = wire.split(data)
    assert found == schema_id and bytes(payload) == b"\x00\x08\x7b\x10\x14\x1a\x03bob"


def test_should_serialize_struct_with_extra_field_with_schema_id() -> None:
    """shouldSerializeStructWithExtraFieldWithSchemaId: the extra `address` reads as its default ""."""
    registry = MemoryRegistryClient()
    schema_id = _physical(registry, STRUCT_NAME + "string address = 4;\n}\n")
    data = _serde(registry, STRUCT_COLS, schemaId=str(schema_id), fullSchemaName="StructName").serialize(
        [123, 20, "bob"])
    reader = _serde(registry, [*STRUCT_COLS, ("address", "STRING")], schemaId=str(schema_id))
    assert reader.deserialize(data) == [123, 20, "bob", ""]


def test_should_throw_if_schema_misses_field_not_compatible() -> None:
    """shouldThrowIfSchemaMissesFieldNotCompatible."""
    registry = MemoryRegistryClient()
    schema_id = _physical(registry, 'syntax = "proto3";\n\nmessage StructName {\n int64 id = 1;\nstring name = 2;\n}\n')
    s = _serde(registry, STRUCT_COLS, schemaId=str(schema_id))
    with pytest.raises(SerdeError, match="Schema from Schema Registry misses field with name: age"):
        s.serialize([123, 20, "bob"])
