"""ksqlDB's KsqlAvroDeserializerTest (io.confluent.ksql.serde.avro), ported to our AVRO format: records
written by a plain Avro producer (no Connect metadata) or by Connect's AvroConverter are read into the
columns, with ksqlDB's coercions and the exact error texts that reach the processing log."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import fastavro
import pytest

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.errors import SerdeError
from ksqlserver.formats import SerdeOptions, get_format
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import AVRO, MemoryRegistryClient, RegisteredSchema

TOPIC = "bob"
ORDER = [("ORDERTIME", "BIGINT"), ("ORDERID", "BIGINT"), ("ITEMID", "STRING"), ("ORDERUNITS", "DOUBLE"),
         ("ARRAYCOL", "ARRAY<DOUBLE>"), ("MAPCOL", "MAP<STRING, DOUBLE>")]
AN_ORDER = {"orderTime": 1511897796092, "orderId": 1, "itemId": "Item_1", "orderUnits": 10.0,
            "arrayCol": [10.0, 20.0], "mapCol": {"key1": 10.0}}
EXPECTED_ORDER = [1511897796092, 1, "Item_1", 10.0, [10.0, 20.0], {"key1": 10.0}]


def _order_avro(order_id: str = "long") -> dict[str, Any]:
    return {"namespace": "kql", "name": "orders", "type": "record", "fields": [
        {"name": "orderTime", "type": "long"}, {"name": "orderId", "type": order_id},
        {"name": "itemId", "type": "string"}, {"name": "orderUnits", "type": "double"},
        {"name": "arrayCol", "type": {"type": "array", "items": ["null", "double"]}},
        {"name": "mapCol", "type": {"type": "map", "values": ["null", "double"]}}]}


def _written(registry: MemoryRegistryClient, value: Any, schema: Any) -> bytes:
    """KsqlAvroDeserializerTest#givenAvroSerialized: a KafkaAvroSerializer's bytes for `value`."""
    schema_id = registry.register(f"{TOPIC}-value", RegisteredSchema(AVRO, json.dumps(schema)))
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema), value)
    return wire.frame(schema_id, out.getvalue())


def _read(registry: MemoryRegistryClient, spec: list[tuple[str, str]], data: bytes | None,
          wrap: bool | None = None) -> Any:
    cols = [Column(n, parse_type(t)) for n, t in spec]
    options = SerdeOptions(topic=TOPIC, registry=registry, wrap_single_value=wrap)
    return get_format("AVRO").serde(cols, options, False).deserialize(data)


def _read_one(value: Any, schema: Any, spec: str) -> Any:
    """An unwrapped value (ksqlDB's deserializer for a primitive/array/map Connect schema)."""
    registry = MemoryRegistryClient()
    row = _read(registry, [("V", spec)], _written(registry, value, schema), wrap=False)
    return row[0]


def _field0(avro: Any, value: Any, spec: str) -> Any:
    """KsqlAvroDeserializerTest#shouldDeserializeFieldTypeCorrectly: a record with one field `field0`."""
    registry = MemoryRegistryClient()
    schema = {"type": "record", "name": "test_row", "fields": [{"name": "field0", "type": avro}]}
    return _read(registry, [("field0", spec)], _written(registry, {"field0": value}, schema))[0]


def test_should_deserialize_avro_record_with_no_connect_meta() -> None:
    """shouldDeserializeAvroRecordCorrectly, shouldDeserializeAvroRecordWithNoConnectMeta: the producer's
    camel-case names match the upper-case columns."""
    registry = MemoryRegistryClient()
    assert _read(registry, ORDER, _written(registry, AN_ORDER, _order_avro())) == EXPECTED_ORDER


def test_should_coerce_field_values() -> None:
    """shouldCoerceFieldValues: an Avro int is read into a BIGINT column."""
    registry = MemoryRegistryClient()
    assert _read(registry, ORDER, _written(registry, AN_ORDER, _order_avro("int"))) == EXPECTED_ORDER


def test_should_throw_if_field_value_can_not_be_coerced_to_connect_schema_type() -> None:
    """shouldThrowIfFieldValueCanNotBeCoercedToConnectSchemaType: the exact cause message."""
    registry = MemoryRegistryClient()
    data = _written(registry, {**AN_ORDER, "orderId": True}, _order_avro("boolean"))
    with pytest.raises(SerdeError, match=r"Cannot deserialize type boolean as type int64 for path: ->ORDERID$"):
        _read(registry, ORDER, data)


def test_should_throw_if_not_a_record() -> None:
    """shouldThrowIfNotARecord."""
    registry = MemoryRegistryClient()
    with pytest.raises(SerdeError, match="Cannot deserialize type int64 as type struct"):
        _read(registry, ORDER, _written(registry, 10, {"type": "long"}))


def test_should_deserialize_if_there_are_redundant_fields_or_missing_fields() -> None:
    """shouldDeserializeIfThereAreRedundantFields, shouldDeserializeWithMissingFields."""
    registry = MemoryRegistryClient()
    data = _written(registry, AN_ORDER, _order_avro())
    assert _read(registry, ORDER[:4], data) == EXPECTED_ORDER[:4]
    assert _read(registry, [*ORDER, ("EXTRA", "BIGINT")], data) == [*EXPECTED_ORDER, None]


def test_should_deserialize_null_as_null_and_null_fields_as_null() -> None:
    """shouldDeserializeNullAsNull, shouldTreatNullFieldAsNull."""
    registry = MemoryRegistryClient()
    assert _read(registry, ORDER, None) is None
    schema = {"namespace": "kql", "name": "orders", "type": "record", "fields": [
        {"name": "arrayCol", "type": ["null", {"type": "array", "items": ["null", "double"]}], "default": None},
        {"name": "mapCol", "type": ["null", {"type": "map", "values": ["null", "double"]}], "default": None}]}
    data = _written(registry, {"arrayCol": [10.0, None], "mapCol": {"key1": None}}, schema)
    assert _read(registry, ORDER, data) == [None, None, None, None, [10.0, None], {"key1": None}]


@pytest.mark.parametrize(("value", "schema", "spec", "expected"), [
    (True, {"type": "boolean"}, "BOOLEAN", True),
    (True, ["null", "boolean"], "BOOLEAN", True),
    (123, {"type": "int"}, "INT", 123),
    (123, ["null", "int"], "INT", 123),
    (123, {"type": "int"}, "BIGINT", 123),
    (123, {"type": "long"}, "BIGINT", 123),
    (1.5, {"type": "double"}, "DOUBLE", 1.5),
    (1.25, {"type": "float"}, "DOUBLE", 1.25),
    ("x", {"type": "string"}, "STRING", "x"),
    (b"abc", {"type": "bytes"}, "BYTES", b"abc"),
    (b"def", ["null", "bytes"], "BYTES", b"def"),
    (["a", "b"], {"type": "array", "items": "string"}, "ARRAY<STRING>", ["a", "b"]),
    (["a"], ["null", {"type": "array", "items": "string"}], "ARRAY<STRING>", ["a"]),
    ({"a": 1}, {"type": "map", "values": "int"}, "MAP<STRING, INT>", {"a": 1}),
    ({"a": 1}, {"type": "map", "values": "int"}, "MAP<STRING, BIGINT>", {"a": 1}),
])
def test_should_deserialize_avro_primitives_and_containers(value: Any, schema: Any, spec: str,
                                                           expected: Any) -> None:
    """shouldDeserializeAvroBoolean/OptionalBoolean/Int/OptionalInt/BigInt/Double/String/Bytes/Array/
    OptionalArray/Map."""
    assert _read_one(value, schema, spec) == expected


@pytest.mark.parametrize(("value", "schema", "spec", "message"), [
    (10, {"type": "int"}, "BOOLEAN", "Cannot deserialize type int32 as type boolean"),
    (10, {"type": "long"}, "INT", "Cannot deserialize type int64 as type int32"),
    (1.5, {"type": "double"}, "BIGINT", "Cannot deserialize type float64 as type int64"),
    ("x", {"type": "string"}, "DOUBLE", "Cannot deserialize type string as type float64"),
    (True, {"type": "boolean"}, "ARRAY<STRING>", "Cannot deserialize type boolean as type array"),
    (["look", "ma,"], {"type": "array", "items": "string"}, "ARRAY<INT>",
     "Cannot deserialize type string as type int32"),
    (True, {"type": "boolean"}, "MAP<STRING, INT>", "Cannot deserialize type boolean as type map"),
    ({"a": 1}, {"type": "map", "values": "int"}, "MAP<STRING, BOOLEAN>",
     "Cannot deserialize type int32 as type boolean"),
])
def test_should_throw_if_can_not_coerce(value: Any, schema: Any, spec: str, message: str) -> None:
    """shouldThrowIfCanNotCoerceToBoolean/Int/BigInt/Double, shouldThrowIfNotAnArray,
    shouldThrowIfCanNotCoerceArrayElement, shouldThrowIfNotAMap, shouldThrowIfCanNotCoerceMapValue."""
    with pytest.raises(SerdeError, match=message):
        _read_one(value, schema, spec)


def test_should_deserialize_connect_to_string() -> None:
    """shouldDeserializeConnectToString / shouldDeserializeAvroString: numbers and booleans read into a
    STRING column are written as Java prints them."""
    assert _read_one(10, {"type": "int"}, "STRING") == "10"
    assert _read_one(True, {"type": "boolean"}, "STRING") == "true"
    assert _read_one(1.5, {"type": "double"}, "STRING") == "1.5"


def test_should_deserialize_avro_decimal_with_no_connect_meta() -> None:
    """shouldDeserializeAvroDecimal, shouldDeserializeAvroDecimalWithNoConnectMeta."""
    schema = {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2}
    assert _read_one(Decimal("12.34"), schema, "DECIMAL(4, 2)") == Decimal("12.34")


def test_should_decode_source_name_into_field_name() -> None:
    """shouldDecodeSourceNameIntoFieldName: Avro's `source_field0` is the column `source.field0`."""
    registry = MemoryRegistryClient()
    schema = {"namespace": "kql", "name": "aliased", "type": "record",
              "fields": [{"name": "source_field0", "type": "int"}]}
    assert _read(registry, [("source.field0", "INT")], _written(registry, {"source_field0": 123}, schema)) == [123]


def test_should_deserialize_enum_field_to_string() -> None:
    """shouldDeserializeEnumFieldToString."""
    enum = {"type": "enum", "name": "enum", "namespace": "namespace", "symbols": ["V0", "V1", "V2"]}
    assert _field0(enum, "V1", "STRING") == "V1"


def test_should_deserialize_record_field_to_struct() -> None:
    """shouldDeserializeRecordFieldToStruct."""
    record = {"type": "record", "name": "record", "fields": [{"name": "inner1", "type": "string"},
                                                            {"name": "inner2", "type": "int"}]}
    got = _field0(record, {"inner1": "foobar", "inner2": 123456}, "STRUCT<`inner1` STRING, `inner2` INT>")
    assert got == {"inner1": "foobar", "inner2": 123456}


def test_should_deserialize_null_array_and_map_fields() -> None:
    """shouldDeserializeNullFieldValue, shouldDeserializeArrayFieldToArray, shouldDeserializeMapFieldToMap."""
    assert _field0(["null", "int"], None, "INT") is None
    assert _field0({"type": "array", "items": "int"}, [1, 2, 3], "ARRAY<INT>") == [1, 2, 3]
    assert _field0({"type": "map", "values": "int"}, {"one": 1, "two": 2}, "MAP<STRING, INT>") == {"one": 1, "two": 2}


@pytest.mark.parametrize(("avro", "value", "spec"), [
    ({"type": "int", "logicalType": "date"}, 19000, "INT"),
    ({"type": "int", "logicalType": "date"}, 19000, "BIGINT"),
    ({"type": "long", "logicalType": "time-micros"}, 3_600_000_123, "BIGINT"),
    ({"type": "int", "logicalType": "time-millis"}, 3_600_000, "BIGINT"),
    ({"type": "long", "logicalType": "timestamp-micros"}, 1_600_000_000_000_123, "BIGINT"),
    ({"type": "long", "logicalType": "timestamp-millis"}, 500, "BIGINT"),
    ({"type": "int", "logicalType": "time-millis"}, 500, "TIME"),
    ({"type": "int", "logicalType": "date"}, 10, "DATE"),
    ({"type": "long", "logicalType": "timestamp-millis"}, 500, "TIMESTAMP"),
])
def test_should_deserialize_logical_types(avro: Any, value: int, spec: str) -> None:
    """shouldDeserializeDateFieldToInteger/ToBigint/ToDate, shouldDeserializeTimeMicrosFieldToBigint,
    shouldDeserializeTimeMillisFieldToBigint, shouldDeserializeTimeFieldToTime,
    shouldDeserializeTimestampFieldToInteger/ToTimestamp/ToLong: the underlying number is kept (DATE as
    days, TIME and TIMESTAMP as milliseconds, which is how the engine holds them)."""
    import datetime as dt

    # fastavro writes logical types from Python objects; hand it the objects for these numbers
    logical = avro["logicalType"]
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    py: Any = {
        "date": lambda v: dt.date(1970, 1, 1) + dt.timedelta(days=v),
        "time-millis": lambda v: (dt.datetime.min + dt.timedelta(milliseconds=v)).time(),
        "time-micros": lambda v: (dt.datetime.min + dt.timedelta(microseconds=v)).time(),
        "timestamp-millis": lambda v: epoch + dt.timedelta(milliseconds=v),
        "timestamp-micros": lambda v: epoch + dt.timedelta(microseconds=v),
    }[logical](value)
    assert _field0(avro, py, spec) == value


def test_should_deserialize_union_field_to_struct() -> None:
    """shouldDeserializeUnionFieldToStruct: a non-null union is a STRUCT with one field per branch."""
    got = _field0(["int", "string"], "foobar", "STRUCT<`int` INT, `string` STRING>")
    assert got == {"int": None, "string": "foobar"}


def _connect_map(key: dict[str, Any] | str) -> dict[str, Any]:
    """How Connect's AvroData writes a MAP with non-string keys: an array of MapEntry records."""
    return {"type": "array", "items": {
        "type": "record", "name": "MapEntry", "namespace": "io.confluent.connect.avro",
        "fields": [{"name": "key", "type": key}, {"name": "value", "type": "int"}]}}


@pytest.mark.parametrize(("key", "entries", "expected"), [
    ({"type": "int", "connect.type": "int8"}, [(1, 10), (2, 20)], {"1": 10, "2": 20}),
    ({"type": "int", "connect.type": "int16"}, [(1, 10), (2, 20)], {"1": 10, "2": 20}),
    ("int", [(1, 10), (2, 20)], {"1": 10, "2": 20}),
    ("long", [(1, 10), (2, 20)], {"1": 10, "2": 20}),
    ("boolean", [(True, 10), (False, 20)], {"true": 10, "false": 20}),
])
def test_should_deserialize_connect_map_with_non_string_key(key: Any, entries: list[tuple[Any, int]],
                                                             expected: dict[str, int]) -> None:
    """shouldDeserializeConnectMapWithInt8Key/Int16Key/Int32Key/Int64Key/BooleanKey: keys as strings."""
    value = [{"key": k, "value": v} for k, v in entries]
    assert _field0(_connect_map(key), value, "MAP<STRING, INT>") == expected


@pytest.mark.parametrize(("connect", "spec"), [("int8", "INT"), ("int16", "INT"), ("int8", "BIGINT"),
                                               ("int16", "BIGINT")])
def test_should_deserialize_connect_small_ints(connect: str, spec: str) -> None:
    """shouldDeserializeConnectInt8ToInteger/Int16ToInteger/Int8ToBigint/Int16ToBigint."""
    assert _field0({"type": "int", "connect.type": connect}, 32, spec) == 32


def test_dotted_names_round_trip_through_avro_compatible_names() -> None:
    """AvroDataTranslator.toKsqlRow / ConnectSchemas.withCompatibleSchema: what our serializer writes as
    `a_b` (top level and nested) is read back under the SQL names, inside arrays and maps too."""
    registry = MemoryRegistryClient()
    spec = [("s.x", "STRUCT<`a.b` INT, `l` ARRAY<STRUCT<`c.d` STRING>>>"), ("m", "MAP<STRING, STRUCT<`e.f` INT>>")]
    cols = [Column(n, parse_type(t)) for n, t in spec]
    s = get_format("AVRO").serde(cols, SerdeOptions(topic=TOPIC, registry=registry), False)
    row = [{"a.b": 1, "l": [{"c.d": "x"}]}, {"k": {"e.f": 2}}]
    data = s.serialize(row)
    assert s.deserialize(data) == row
    unwrapped = get_format("AVRO").serde(cols[:1], SerdeOptions(topic="u", registry=registry,
                                                                 wrap_single_value=False), False)
    assert unwrapped.deserialize(unwrapped.serialize(row[:1])) == row[:1]
