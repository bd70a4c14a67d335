"""ksqlDB's ProtobufDataTranslatorTest (io.confluent.ksql.serde.protobuf): a row is written with the Protobuf
schema ksqlDB makes of its columns, only the root message named (explicitly by the full schema name, else
ConnectDefault1), structs inside arrays, maps and structs written as nested messages and read back to the
same values; nulls stay null (an unset message field; an empty repeated field reads as an empty ARRAY, as
Protobuf cannot tell them apart, see docs/reference/serialization.md).

Also here, the MAP values ProtobufData lays out as repeated fields of their entries
(mapDefinitionFromConnectSchema): a MAP of ARRAYs or of MAPs is written entry by entry; ProtobufData does
not read such an entry back as a map (isMapDescriptor wants a value that does not repeat), so reading it
fails as ConnectDataTranslator words a type mismatch."""

from __future__ import annotations

from typing import Any

from ksqlserver.formats.sr.client import MemoryRegistryClient

NESTED = ("`ARRAY` ARRAY<STRUCT<ARRAY_INNER INT>>, `MAP` MAP<STRING, STRUCT<MAP_INNER BIGINT>>, "
          "`STRUCT` STRUCT<STRUCT_INNER STRING>")  # fmt: skip


def test_should_name_parent_schema_only(make_serde: Any) -> None:
    """shouldNameParentSchemaOnly: nested structs are ConnectDefaultN messages, the values round-trip"""
    registry = MemoryRegistryClient()
    s = make_serde("PROTOBUF", NESTED, registry=registry, unwrapPrimitives="true")
    row = [[{"ARRAY_INNER": 123}], {"bar": {"MAP_INNER": 456}}, {"STRUCT_INNER": "foo"}]
    assert s.deserialize(s.serialize(row)) == row
    text = registry.latest("t-value").schema.schema
    assert "message ConnectDefault1 {\n" in text
    assert "  repeated ConnectDefault2 ARRAY = 1;\n" in text
    assert "  repeated ConnectDefault3Entry MAP = 2;\n" in text
    assert "  ConnectDefault5 STRUCT = 3;\n" in text


def test_should_replace_null_with_null(make_serde: Any) -> None:
    """shouldReplaceNullWithNull: a null ARRAY is left out of the message; Protobuf reads it back as an
    empty repeated field"""
    s = make_serde("PROTOBUF_NOSR", "COLUMN_NAME ARRAY<BIGINT>")
    data = s.serialize([None])
    assert data == b""
    assert s.deserialize(data) == [[]]


def test_should_use_explicit_schema_name(fmt: Any) -> None:
    """shouldUseExplicitSchemaName"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (COLUMN_NAME BIGINT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF', "
            "VALUE_SCHEMA_FULL_NAME='com.custom.schema');")  # fmt: skip
    fmt.sql("INSERT INTO S VALUES (123);")
    text = fmt.registered("t-value").schema
    assert text.startswith('syntax = "proto3";\npackage com.custom;\n\nmessage schema {\n  int64 COLUMN_NAME = 1;\n')


def test_map_values_that_repeat_are_written_entry_by_entry(fmt: Any) -> None:
    """mapDefinitionFromConnectSchema: MAP<STRING, ARRAY<STRING>> and MAP<STRING, MAP<STRING, INT>> values
    are repeated fields of their entries, written in the map's order"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (MA MAP<STRING, ARRAY<STRING>>, MM MAP<STRING, MAP<STRING, INT>>) "
            "WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF');")  # fmt: skip
    fmt.sql("INSERT INTO S VALUES (MAP('a' := ARRAY['x', 'y']), MAP('k' := MAP('i' := 1)));")
    text = fmt.registered("t-value").schema
    assert "    string key = 1;\n    repeated string value = 2;\n" in text
    assert "    repeated ConnectDefault4Entry value = 2;\n" in text
    [value] = fmt.values("t")
    ma = b"\x0a\x01a" + b"\x12\x01x" + b"\x12\x01y"  # key "a", value "x", value "y"
    mm = b"\x0a\x01k" + b"\x12\x05" + b"\x0a\x01i\x10\x01"  # key "k", one inner entry {i: 1}
    assert value == b"\x00\x00\x00\x00\x01\x00" + b"\x0a" + bytes([len(ma)]) + ma + b"\x12" + bytes([len(mm)]) + mm


def test_map_values_that_repeat_are_not_read_back_as_maps(fmt: Any) -> None:
    """ProtobufData.isMapDescriptor: an entry whose value repeats is a STRUCT, so the column's MAP does not
    match: ConnectDataTranslator's "Cannot deserialize type array as type map" in the processing log"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (MA MAP<STRING, ARRAY<STRING>>) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF');")
    fmt.sql("INSERT INTO S VALUES (MAP('a' := ARRAY['x']));")
    fmt.sql("CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT * FROM S;")
    assert fmt.values("O") == []
    [err] = fmt.deserialization_errors()
    assert err["errorMessage"] == "Error deserializing message from topic: t"
    assert err["cause"] == ["Cannot deserialize type array as type map for path: ->MA"]


def test_protobuf_nosr_map_values_that_repeat(make_serde: Any) -> None:
    """The same layout without the registry (PROTOBUF_NOSR)"""
    s = make_serde("PROTOBUF_NOSR", "MA MAP<STRING, ARRAY<STRING>>")
    assert s.serialize([{"a": ["x", "y"]}]) == b"\x0a\x09" + b"\x0a\x01a\x12\x01x\x12\x01y"
