"""ksqlDB's AvroSRSchemaDataTranslatorTest (io.confluent.ksql.serde.avro): a row written with a schema taken
from the Schema Registry by VALUE_SCHEMA_ID is fitted to that schema by field name: fields the row lacks are
null or their default, nested records / arrays / maps of records are rebuilt with the registered (required)
schemas, and a row that cannot fit fails with AvroSRSchemaDataTranslator's (or Connect's) message.

A user reaches the translator with a CREATE STREAM ... AS SELECT into a sink with VALUE_SCHEMA_ID: its
records, and the serialization errors in the processing log. shouldThrowIfMissingField cannot be reached so:
the CREATE refuses a sink whose columns are not a prefix of the registered schema's (DefaultSchemaInjector.
checkColumnsCompatibility) before any row is written; shouldNotTransformOtherType concerns a Java type."""

from __future__ import annotations

import io
import json
from typing import Any

import fastavro

HINT = "\nHint: You probably forgot to add VALUE_SCHEMA_ID when creating the source."


def _opt(t: Any) -> Any:
    return ["null", t]


def _sink(fmt: Any, fields: list[dict[str, Any]], columns: str) -> None:
    fmt.topic("in")
    fmt.register("out-value", {"type": "record", "name": "R", "fields": fields}, schema_id=5)
    fmt.sql(f"CREATE STREAM S ({columns}) WITH (KAFKA_TOPIC='in', VALUE_FORMAT='JSON');")
    fmt.sql("CREATE STREAM O WITH (KAFKA_TOPIC='out', VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID=5) AS SELECT * FROM S;")


def _read(fmt: Any) -> list[Any]:
    schema = fastavro.parse_schema(json.loads(fmt.registry.schema_by_id(5).schema))
    out = []
    for value in fmt.values("out"):
        assert value[:5] == b"\x00\x00\x00\x00\x05"
        out.append(fastavro.schemaless_reader(io.BytesIO(value[5:]), schema))
    return out


def test_should_transform_struct(fmt: Any) -> None:
    """shouldTransformStruct: the registered schema's extra optional field f3 is written null"""
    _sink(fmt, [{"name": "f1", "type": _opt("string")}, {"name": "f2", "type": _opt("int")},
                {"name": "f3", "type": _opt("long")}], "`f1` STRING, `f2` INT")  # fmt: skip
    fmt.produce("in", b'{"f1": "abc", "f2": 12}')
    assert _read(fmt) == [{"f1": "abc", "f2": 12, "f3": None}]


def test_should_transform_struct_with_default_value(fmt: Any) -> None:
    """shouldTransformStructWithDefaultValue: an extra field with a default is written with it"""
    _sink(fmt, [{"name": "f1", "type": _opt("string")}, {"name": "f2", "type": _opt("int")},
                {"name": "f3", "type": "long", "default": 123}], "`f1` STRING, `f2` INT")  # fmt: skip
    fmt.produce("in", b'{"f1": "abc", "f2": 12}')
    assert _read(fmt) == [{"f1": "abc", "f2": 12, "f3": 123}]


def test_should_throw_if_extra_field_not_optional_or_default(fmt: Any) -> None:
    """shouldThrowIfExtraFieldNotOptionalOrDefault"""
    _sink(fmt, [{"name": "f1", "type": _opt("string")}, {"name": "f2", "type": _opt("int")},
                {"name": "f3", "type": _opt("long")}, {"name": "f4", "type": "string"}],
          "`f1` STRING, `f2` INT")  # fmt: skip
    fmt.produce("in", b'{"f1": "abc", "f2": 12}')
    assert fmt.values("out") == []
    [err] = fmt.serialization_errors()
    cause = "Missing default value for required Avro field: [f4]. This field appears in Avro schema in Schema Registry"
    assert err["errorMessage"] == f"Error serializing message to topic: out. {cause}{HINT}"
    assert err["cause"] == [cause]
    assert (err["target"], err["topic"]) == ("value", "out")


def test_should_throw_if_convert_invalid_value(fmt: Any) -> None:
    """shouldThrowIfConvertInvalidValue: null in a field the registered schema requires"""
    _sink(fmt, [{"name": "f1", "type": "string"}, {"name": "f2", "type": _opt("int")},
                {"name": "f3", "type": _opt("long")}], "`f1` STRING, `f2` INT")  # fmt: skip
    fmt.produce("in", b'{"f1": null, "f2": 12}')
    assert fmt.values("out") == []
    [err] = fmt.serialization_errors()
    cause = 'Invalid value: null used for required field: "f1", schema type: STRING'
    assert err["errorMessage"] == f"Error serializing message to topic: out. {cause}{HINT}"
    assert err["cause"] == [cause]
    assert err["topic"] == "out"


INNER = {"type": "record", "name": "Inner", "fields": [{"name": "ss1", "type": "string"},
                                                       {"name": "ss2", "type": "long"}]}  # fmt: skip
NESTED = {"type": "record", "name": "Nested", "fields": [{"name": "s1", "type": "string"},
                                                         {"name": "s2", "type": "long"},
                                                         {"name": "s3", "type": INNER}]}  # fmt: skip
ELEMENT = {"type": "record", "name": "Element", "fields": [{"name": "a1", "type": "string"},
                                                           {"name": "a2", "type": "long"}]}  # fmt: skip
NESTED_COLUMN = "STRUCT<`s1` STRING, `s2` BIGINT, `s3` STRUCT<`ss1` STRING, `ss2` BIGINT>>"
NESTED_VALUE = {"s1": "s1", "s2": 64, "s3": {"ss1": "ss1", "ss2": 54444}}


def test_should_transform_struct_with_nested_structs(fmt: Any) -> None:
    """shouldTransformStructWithNestedStructs: optional logical records into required registered ones"""
    _sink(fmt, [{"name": "string_field", "type": "string"}, {"name": "struct_field", "type": NESTED}],
          f"`string_field` STRING, `struct_field` {NESTED_COLUMN}")  # fmt: skip
    fmt.produce("in", json.dumps({"string_field": "abc", "struct_field": NESTED_VALUE}).encode())
    assert _read(fmt) == [{"string_field": "abc", "struct_field": NESTED_VALUE}]


def test_should_transform_struct_with_array_of_structs(fmt: Any) -> None:
    """shouldTransformStructWithArrayOfStructs"""
    _sink(fmt, [{"name": "string_field", "type": "string"},
                {"name": "array_field", "type": {"type": "array", "items": ELEMENT}},
                {"name": "struct_field", "type": NESTED}],
          f"`string_field` STRING, `array_field` ARRAY<STRUCT<`a1` STRING, `a2` BIGINT>>, "
          f"`struct_field` {NESTED_COLUMN}")  # fmt: skip
    array = [{"a1": "array_val1", "a2": 23}]
    fmt.produce("in", json.dumps({"string_field": "abc", "array_field": array, "struct_field": NESTED_VALUE}).encode())
    assert _read(fmt) == [{"string_field": "abc", "array_field": array, "struct_field": NESTED_VALUE}]


def test_should_transform_struct_with_map_of_structs(fmt: Any) -> None:
    """shouldTransformStructWithMapOfStructs"""
    _sink(fmt, [{"name": "string_field", "type": "string"},
                {"name": "map_field", "type": {"type": "map", "values": INNER}}],
          "`string_field` STRING, `map_field` MAP<STRING, STRUCT<`ss1` STRING, `ss2` BIGINT>>")  # fmt: skip
    inner = {"ss1": "ss1", "ss2": 54444}
    fmt.produce("in", json.dumps({"string_field": "abc", "map_field": {"key1": inner, "key2": inner}}).encode())
    assert _read(fmt) == [{"string_field": "abc", "map_field": {"key1": inner, "key2": inner}}]


def test_a_sink_missing_a_registered_field_is_refused(fmt: Any) -> None:
    """shouldThrowIfMissingField, as a user meets it: DefaultSchemaInjector.checkColumnsCompatibility refuses
    sink columns that are not the registered schema's"""
    fmt.topic("in")
    fmt.register("out-value", {"type": "record", "name": "R", "fields": [
        {"name": "f1", "type": _opt("string")}, {"name": "f3", "type": _opt("long")}]}, schema_id=5)
    fmt.sql("CREATE STREAM S (`f1` STRING, `f2` INT) WITH (KAFKA_TOPIC='in', VALUE_FORMAT='JSON');")
    message = fmt.message("CREATE STREAM O WITH (KAFKA_TOPIC='out', VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID=5) AS "
                          "SELECT * FROM S;")  # fmt: skip
    assert message == ("The following value columns are changed, missing or reordered: [`f2` INTEGER]. "
                       "Schema from schema registry is [`f1` STRING, `f3` BIGINT]")  # fmt: skip
