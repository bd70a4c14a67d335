"""ksqlDB's ConnectKsqlSchemaTranslatorTest (io.confluent.ksql.serde.connect): the columns a registered schema
translates to. Every type becomes optional; field names are upper-cased (UPPERCASE_FIELD_NAME, the default)
or kept as written (ORIGINAL_FIELD_NAME, which SchemaRegistryTopicSchemaSupplier uses when the CREATE names
a schema id); INT32/INT64 stay INTEGER/BIGINT unless they carry Connect's Time/Date/Timestamp logical types;
a map's key becomes STRING (INT8..INT64, BOOLEAN and STRING keys are accepted); structs inside maps and
arrays are translated too. A user sees the result as the columns a CREATE without columns infers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ksqlserver.formats.sr.client import PROTOBUF

AVRO_RECORD = {"type": "record", "name": "R", "fields": [
    {"name": "intField", "type": "int"}, {"name": "longField", "type": "long"},
    {"name": "doubleField", "type": "double"}, {"name": "stringField", "type": "string"},
    {"name": "booleanField", "type": "boolean"}, {"name": "bytesField", "type": "bytes"},
]}  # fmt: skip
PROTO = (
    'syntax = "proto3"; message R { map<int32, int32> mapfield = 1; map<string, Inner> mapField2 = 2; '
    "repeated Inner arrayField = 3; Inner structField = 4; repeated int32 ints = 5; "
    "message Inner { int32 innerIntField = 1; } }"
)
POLICIES = [
    # (name, with schema id?, how a name comes out)
    ("uppercase", False, str.upper),
    ("original", True, lambda s: s),
]


def _infer(fmt: Any, subject_schema: Any, schema_type: str, with_id: bool) -> str:
    fmt.topic("t")
    fmt.register("t-value", subject_schema, schema_type, schema_id=1)
    schema_id = ", VALUE_SCHEMA_ID=1" if with_id else ""
    name = "AVRO" if schema_type == "AVRO" else schema_type
    fmt.sql(f"CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='{name}'{schema_id});")
    return str(fmt.schema("S"))


@pytest.mark.parametrize(("policy", "with_id", "name"), POLICIES)
def test_should_translate_primitives(fmt: Any, policy: str, with_id: bool, name: Any) -> None:
    """shouldTranslatePrimitives: regular int32/int64 do not become TIME/DATE/TIMESTAMP"""
    types = [("intField", "INTEGER"), ("longField", "BIGINT"), ("doubleField", "DOUBLE"), ("stringField", "STRING"),
             ("booleanField", "BOOLEAN"), ("bytesField", "BYTES")]  # fmt: skip
    assert _infer(fmt, AVRO_RECORD, "AVRO", with_id) == ", ".join(f"`{name(n)}` {t}" for n, t in types)


@pytest.mark.parametrize(("policy", "with_id", "name"), POLICIES)
def test_should_translate_maps_arrays_and_nested(fmt: Any, policy: str, with_id: bool, name: Any) -> None:
    """shouldTranslateMaps, shouldTranslateStructInsideMap, shouldTranslateArray,
    shouldTranslateStructInsideArray, shouldTranslateNested, shouldTranslateMapWithNonStringKey"""
    inner = f"STRUCT<`{name('innerIntField')}` INTEGER>"
    assert _infer(fmt, PROTO, PROTOBUF, with_id) == (
        f"`{name('mapfield')}` MAP<STRING, INTEGER>, `{name('mapField2')}` MAP<STRING, {inner}>, "
        f"`{name('arrayField')}` ARRAY<{inner}>, `{name('structField')}` {inner}, `{name('ints')}` ARRAY<INTEGER>"
    )


@pytest.mark.parametrize(("policy", "with_id", "name"), POLICIES)
def test_should_translate_time_types(fmt: Any, policy: str, with_id: bool, name: Any) -> None:
    """shouldTranslateTimeTypes: Avro's time-millis, date and timestamp-millis (Connect's Time, Date,
    Timestamp)"""
    record = {"type": "record", "name": "R", "fields": [
        {"name": "timefield", "type": {"type": "int", "logicalType": "time-millis"}},
        {"name": "datefield", "type": {"type": "int", "logicalType": "date"}},
        {"name": "timestampfield", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    ]}  # fmt: skip
    assert _infer(fmt, json.dumps(record), "AVRO", with_id) == (
        f"`{name('timefield')}` TIME, `{name('datefield')}` DATE, `{name('timestampfield')}` TIMESTAMP"
    )
