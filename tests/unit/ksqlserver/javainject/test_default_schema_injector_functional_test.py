"""ksqlDB 0.29's DefaultSchemaInjectorFunctionalTest (ksqldb-engine/src/test/java/io/confluent/ksql/schema/
ksql/inference/DefaultSchemaInjectorFunctionalTest.java): the SQL type DefaultSchemaInjector, through
SchemaRegistryTopicSchemaSupplier and the Avro/Connect translators, infers for each Avro (and Connect-made
Avro) schema of a value field, in the test's three modes:

- with_schema_id: CREATE STREAM ... VALUE_SCHEMA_ID=1, names as registered (ORIGINAL_FIELD_NAME);
- without_schema_id: the latest schema of `test-value`, names upper-cased (UPPERCASE_FIELD_NAME);
- csas_with_schema_id: CREATE STREAM ... AS SELECT with VALUE_SCHEMA_ID=1 whose registered schema has an
  extra trailing field1 (validateCsasInference: the registered schema is the one the sink writes with).

The Connect schemas of the Java test are given as the Avro that Connect's AvroData.fromConnectSchema
makes of them (connect.type int8/int16, non-string-keyed maps as arrays of MapEntry records)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import Sr

MODES = ["with_schema_id", "without_schema_id", "csas_with_schema_id"]
DECIMAL = {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2}


def _opt(t: Any) -> list[Any]:
    return ["null", t]


def _map_entry(key: Any, value: Any) -> dict[str, Any]:
    """AvroData.fromConnectSchema of a map whose keys are not strings."""
    return {
        "type": "array",
        "items": {
            "type": "record", "name": "MapEntry", "namespace": "io.confluent.connect.avro",
            "fields": [{"name": "key", "type": key}, {"name": "value", "type": value}],
        },
    }


# (test name, Avro type of field0, expected SQL type with original names)
CASES: list[tuple[str, Any, str]] = [
    ("shouldInferIntAsInteger", "int", "INTEGER"),
    ("shouldInferLongAsLong", "long", "BIGINT"),
    ("shouldInferBooleanAsBoolean", "boolean", "BOOLEAN"),
    ("shouldInferStringAsString", "string", "STRING"),
    ("shouldInferFloatAsDouble", "float", "DOUBLE"),
    ("shouldInferDoubleAsDouble", "double", "DOUBLE"),
    ("shouldInferDecimalAsDecimal", DECIMAL, "DECIMAL(4, 2)"),
    ("shouldInferArrayAsArray", {"type": "array", "items": "long"}, "ARRAY<BIGINT>"),
    ("shouldInferMapAsMap", {"type": "map", "values": "int"}, "MAP<STRING, INTEGER>"),
    ("shouldInferRecordAsAStruct",
     {"type": "record", "name": "inner_record",
      "fields": [{"name": "inner1", "type": "int"}, {"name": "inner2", "type": "string"}]},
     "STRUCT<`inner1` INTEGER, `inner2` STRING>"),
    ("shouldInferRecordWithOptionalField",
     {"type": "record", "name": "inner_record",
      "fields": [{"name": "inner1", "type": _opt("int"), "default": None},
                 {"name": "inner2", "type": _opt("string"), "default": None}]},
     "STRUCT<`inner1` INTEGER, `inner2` STRING>"),
    ("shouldInferOptionalField", _opt("int"), "INTEGER"),
    ("shouldInferEnumAsString", {"type": "enum", "name": "foo", "symbols": ["A", "B", "C"]}, "STRING"),
    ("shouldInferDateAsDate", {"type": "int", "logicalType": "date"}, "DATE"),
    ("shouldInferTimeMillisAsTime", {"type": "int", "logicalType": "time-millis"}, "TIME"),
    ("shouldInferTimeMicrosAsBigint", {"type": "long", "logicalType": "time-micros"}, "BIGINT"),
    ("shouldInferTimestampMillisAsTimestamp", {"type": "long", "logicalType": "timestamp-millis"}, "TIMESTAMP"),
    ("shouldInferTimestampMicrosAsBigint", {"type": "long", "logicalType": "timestamp-micros"}, "BIGINT"),
    ("shouldInferUnionAsStruct", ["int", "string"], "STRUCT<`int` INTEGER, `string` STRING>"),
    ("shouldIgnoreFixed",
     {"type": "record", "name": "foo",
      "fields": [{"name": "fixed_field", "type": {"type": "fixed", "name": "fixed", "size": 32}},
                 {"name": "STRING", "type": _opt("string"), "default": None}]},
     "STRUCT<`fixed_field` BYTES, `STRING` STRING>"),
    ("shouldInferBytes",
     {"type": "record", "name": "foo",
      "fields": [{"name": "bytes", "type": ["bytes", "null"], "default": ""},
                 {"name": "STRING", "type": ["string", "null"], "default": "bar"}]},
     "STRUCT<`bytes` BYTES, `STRING` STRING>"),
    ("shouldInferInt8AsInteger", {"type": "int", "connect.type": "int8"}, "INTEGER"),
    ("shouldInferInt16AsInteger", {"type": "int", "connect.type": "int16"}, "INTEGER"),
    ("shouldInferOptional", _opt("int"), "INTEGER"),
    ("shouldInferConnectMapWithOptionalStringKey", _opt({"type": "map", "values": _opt("int")}),
     "MAP<STRING, INTEGER>"),
    ("shouldInferConnectMapWithInt8Key",
     _opt(_map_entry({"type": "int", "connect.type": "int8"}, _opt("int"))), "MAP<STRING, INTEGER>"),
    ("shouldInferConnectMapWithInt16Key",
     _opt(_map_entry({"type": "int", "connect.type": "int16"}, _opt("int"))), "MAP<STRING, INTEGER>"),
    ("shouldInferConnectMapWithInt32Key", _opt(_map_entry("int", _opt("int"))), "MAP<STRING, INTEGER>"),
    ("shouldInferConnectMapWithInt64Key", _opt(_map_entry("long", _opt("int"))), "MAP<STRING, INTEGER>"),
    ("shouldInferConnectMapWithBooleanKey", _opt(_map_entry("boolean", _opt("int"))), "MAP<STRING, INTEGER>"),
    ("shouldIgnoreConnectMapWithUnsupportedKey",
     {"type": "record", "name": "ConnectDefault2", "namespace": "io.confluent.connect.avro",
      "fields": [{"name": "map", "type": _map_entry("bytes", _opt("long"))},
                 {"name": "foo", "type": _opt("string"), "default": None}]},
     "STRUCT<`foo` STRING>"),
    ("shouldInferEmptyStruct",
     _opt({"type": "record", "name": "ConnectDefault2", "namespace": "io.confluent.connect.avro", "fields": []}),
     "STRUCT< >"),
    ("shouldInferComplexConnectSchema",
     {"type": "record", "name": "inner", "fields": [
         {"name": "primitive", "type": "int"},
         {"name": "array", "type": {"type": "record", "name": "arrayInner", "fields": [
             {"name": "arrayInner1", "type": _opt("string"), "default": None},
             {"name": "arrayInner2", "type": "long"}]}},
         {"name": "map", "type": {"type": "record", "name": "mapInner", "fields": [
             {"name": "mapInner1", "type": _opt("double"), "default": None},
             {"name": "mapInner2", "type": "string"}]}},
         {"name": "struct", "type": {"type": "record", "name": "structInner1", "fields": [
             {"name": "structInner1_1", "type": "string"},
             {"name": "structInner1_2", "type": _opt({"type": "record", "name": "structInner2", "fields": [
                 {"name": "structInner2_1", "type": "boolean"},
                 {"name": "structInner2_2", "type": _opt("int"), "default": None}]}), "default": None}]}}]},
     "STRUCT<`primitive` INTEGER, `array` STRUCT<`arrayInner1` STRING, `arrayInner2` BIGINT>, "
     "`map` STRUCT<`mapInner1` DOUBLE, `mapInner2` STRING>, `struct` STRUCT<`structInner1_1` STRING, "
     "`structInner1_2` STRUCT<`structInner2_1` BOOLEAN, `structInner2_2` INTEGER>>>"),
]


def _upper(sql_type: str) -> str:
    """The type as UPPERCASE_FIELD_NAME translates it: every field name upper-cased."""
    return re.sub(r"`([^`]*)`", lambda m: f"`{m.group(1).upper()}`", sql_type)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case,avro_type,expected", CASES, ids=[c[0] for c in CASES])
def test_should_infer_type(sr_test: Sr, mode: str, case: str, avro_type: Any, expected: str) -> None:
    """shouldInferType: a record `stream` with field0 of the type (and field1 INT in the CSAS mode)."""
    sr = sr_test
    fields = [{"name": "field0", "type": avro_type}]
    if mode == "csas_with_schema_id":
        fields.append({"name": "field1", "type": "int"})
    schema = {"type": "record", "name": "stream", "fields": fields}
    if mode == "with_schema_id":
        sr.register("any-value", schema, schema_id=1)
        sr.execute("CREATE STREAM TEST WITH (KAFKA_TOPIC='test', KEY_FORMAT='kafka', VALUE_FORMAT='avro', "
                   "VALUE_SCHEMA_ID=1);")
        assert sr.schema("TEST") == f"`field0` {expected}"
    elif mode == "without_schema_id":
        sr.register("test-value", schema)
        sr.execute("CREATE STREAM TEST WITH (KAFKA_TOPIC='test', KEY_FORMAT='kafka', VALUE_FORMAT='avro');")
        assert sr.schema("TEST") == f"`FIELD0` {_upper(expected)}"
    else:
        schema_id = sr.register("any-value", schema, schema_id=1)
        sr.execute(f"CREATE STREAM TEST_SOURCE (`key` INTEGER KEY, `field0` {expected}) WITH "
                   "(KAFKA_TOPIC='test', FORMAT='JSON');")
        sr.execute("CREATE STREAM TEST WITH (VALUE_FORMAT='avro', VALUE_SCHEMA_ID=1) AS SELECT * FROM TEST_SOURCE "
                   "EMIT CHANGES;")
        src = sr.source("TEST")
        assert src.value_options.extra["schemaId"] == str(schema_id)
        assert sr.registered("TEST-value") == sr.registry.schema_by_id(1)  # type: ignore[union-attr]


@pytest.fixture
def sr_test(make_sr: Any) -> Sr:
    return make_sr(topics=("test",))
