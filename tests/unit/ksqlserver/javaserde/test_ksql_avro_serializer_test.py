"""ksqlDB's KsqlAvroSerializerTest (io.confluent.ksql.serde.avro), ported to our AVRO format: the schema
ksqlDB registers for each column type (names of nested records and map entries, nullable unions), the
values written, FULL_SCHEMA_NAME and SCHEMA_ID handling, and the error texts of refused schemas.

Assertions about Java casts (shouldThrowIfNotBoolean and friends) have no counterpart: our engine hands the
serializer values of the column types only."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import fastavro
import pytest

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.errors import FormatError, SerdeError
from ksqlserver.formats import SerdeOptions, get_format
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import AVRO, MemoryRegistryClient, RegisteredSchema

TOPIC = "bob"
NS = "io.confluent.ksql.avro_schemas"
ORDER = [("ORDERTIME", "BIGINT"), ("ORDERID", "BIGINT"), ("ITEMID", "STRING"), ("ORDERUNITS", "DOUBLE"),
         ("ARRAYCOL", "ARRAY<DOUBLE>"), ("MAPCOL", "MAP<STRING, DOUBLE>")]
ORDER_ROW = [1511897796092, 1, "item_1", 10.0, [100.0], {"key1": 100.0}]


def _cols(spec: list[tuple[str, str]]) -> list[Column]:
    return [Column(n, parse_type(t)) for n, t in spec]


def _serde(registry: MemoryRegistryClient, spec: list[tuple[str, str]], **extra: str) -> Any:
    options = SerdeOptions(topic=TOPIC, registry=registry, extra=extra)
    return get_format("AVRO").serde(_cols(spec), options, False)


def _registered(registry: MemoryRegistryClient) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(registry.latest(f"{TOPIC}-value").schema.schema)
    return schema


def _read(registry: MemoryRegistryClient, data: bytes) -> Any:
    """Decode with the writer's schema as a plain Avro reader would (KsqlAvroSerializerTest#deserialize)."""
    schema_id, payload = wire.split(data)
    writer = json.loads(registry.schema_by_id(schema_id).schema)
    return fastavro.schemaless_reader(io.BytesIO(bytes(payload)), fastavro.parse_schema(writer))


def _field0_type(spec: str, value: Any) -> tuple[Any, Any]:
    """KsqlAvroSerializerTest#shouldSerializeFieldTypeCorrectly: one column `field0`, its Avro type is
    the union [null, T] of the KsqlDataSourceSchema record, and the value read back."""
    registry = MemoryRegistryClient()
    data = _serde(registry, [("field0", spec)]).serialize([value])
    schema = _registered(registry)
    assert (schema["namespace"], schema["name"]) == (NS, "KsqlDataSourceSchema")
    assert len(schema["fields"]) == 1
    union = schema["fields"][0]["type"]
    assert len(union) == 2 and union[0] == "null"
    return union[1], _read(registry, data)["field0"]


def test_should_serialize_struct_correctly() -> None:
    """shouldSerializeStructCorrectly / shouldSerializeStructWithSchemaId's expected record."""
    registry = MemoryRegistryClient()
    data = _serde(registry, ORDER).serialize(ORDER_ROW)
    record = _read(registry, data)
    assert record["ORDERTIME"] == 1511897796092 and record["ITEMID"] == "item_1"
    assert record["ARRAYCOL"] == [100.0]
    assert record["MAPCOL"] == [{"key": "key1", "value": 100.0}]  # a MAP<STRING,...> is written as MapEntry


def test_should_serialize_null_value_and_null_as_null() -> None:
    """shouldSerializeNullValue, shouldSerializeNullAsNull: a null row is a null record, not bytes."""
    assert _serde(MemoryRegistryClient(), ORDER).serialize(None) is None


def test_should_handle_nulls() -> None:
    """shouldHandleNulls: null ARRAY and MAP fields are written as the null branch."""
    registry = MemoryRegistryClient()
    row = [*ORDER_ROW[:4], None, None]
    record = _read(registry, _serde(registry, ORDER).serialize(row))
    assert record["ARRAYCOL"] is None and record["MAPCOL"] is None


@pytest.mark.parametrize(("spec", "value", "avro", "read"), [
    ("BOOLEAN", True, "boolean", True),
    ("INT", 123, "int", 123),
    ("BIGINT", 123, "long", 123),
    ("DOUBLE", 1.5, "double", 1.5),
    ("STRING", "foobar", "string", "foobar"),
    ("BYTES", b"\x01\x02", "bytes", b"\x01\x02"),
])
def test_should_serialize_primitive_fields(spec: str, value: Any, avro: str, read: Any) -> None:
    """shouldSerializeBooleanField, shouldSerializeIntegerField, shouldSerializeBigintField,
    shouldSerializeDoubleField, shouldSerializeStringField, shouldSerializeBytesField."""
    avro_type, got = _field0_type(spec, value)
    assert avro_type == avro and got == read


def test_should_serialize_decimal_field() -> None:
    """shouldSerializeDecimalField: bytes with decimal logical type and Connect's parameters."""
    avro_type, got = _field0_type("DECIMAL(4, 2)", Decimal("12.34"))
    assert avro_type == {"type": "bytes", "scale": 2, "precision": 4, "connect.version": 1,
                         "connect.parameters": {"scale": "2", "connect.decimal.precision": "4"},
                         "connect.name": "org.apache.kafka.connect.data.Decimal", "logicalType": "decimal"}
    assert got == Decimal("12.34")


@pytest.mark.parametrize(("spec", "logical", "base", "connect"), [
    ("TIME", "time-millis", "int", "Time"),
    ("DATE", "date", "int", "Date"),
    ("TIMESTAMP", "timestamp-millis", "long", "Timestamp"),
])
def test_should_serialize_time_date_timestamp(spec: str, logical: str, base: str, connect: str) -> None:
    """shouldSerializeTime, shouldSerializeDate, shouldSerializeTimestamp (TIME_SCHEMA, DATE_SCHEMA,
    TIMESTAMP_SCHEMA)."""
    avro_type, _ = _field0_type(spec, 500)
    assert avro_type == {"type": base, "logicalType": logical, "connect.version": 1,
                         "connect.name": f"org.apache.kafka.connect.data.{connect}"}


def test_should_serialize_array_field() -> None:
    """shouldSerializeArrayField / shouldSerializeArray: items are the nullable union."""
    avro_type, got = _field0_type("ARRAY<INT>", [1, None, 3])
    assert avro_type == {"type": "array", "items": ["null", "int"]}
    assert got == [1, None, 3]


def test_should_serialize_map_field_with_name() -> None:
    """shouldSerializeMapFieldWithName / shouldSerializeMapWithOptionalKeys: a MAP is an array of MapEntry
    records named KsqlDataSourceSchema_field0, the array itself carrying the same connect.name. The entry's
    namespace is inherited from the enclosing record, so Avro's schema text leaves it out."""
    avro_type, got = _field0_type("MAP<STRING, BIGINT>", {"foo": 123})
    assert avro_type == {
        "type": "array",
        "items": {"type": "record", "name": "KsqlDataSourceSchema_field0",
                  "fields": [{"name": "key", "type": ["null", "string"], "default": None},
                             {"name": "value", "type": ["null", "long"], "default": None}],
                  "connect.internal.type": "MapEntry"},
        "connect.name": f"{NS}.KsqlDataSourceSchema_field0",
    }
    assert got == [{"key": "foo", "value": 123}]


def test_should_serialize_struct_field() -> None:
    """shouldSerializeStructField: a STRUCT is a record named KsqlDataSourceSchema_field0."""
    avro_type, got = _field0_type("STRUCT<`field1` INT, `field2` STRING>", {"field1": 123, "field2": "foobar"})
    assert avro_type["type"] == "record" and avro_type["name"] == "KsqlDataSourceSchema_field0"
    assert avro_type["connect.name"] == f"{NS}.KsqlDataSourceSchema_field0"
    assert avro_type["fields"] == [{"name": "field1", "type": ["null", "int"], "default": None},
                                   {"name": "field2", "type": ["null", "string"], "default": None}]
    assert got == {"field1": 123, "field2": "foobar"}


def test_should_serialize_multiple_map_fields() -> None:
    """shouldSerializeMultipleMapFields: maps inside a struct are named after their path
    (KsqlDataSourceSchema_field0_inner0, ..._inner1)."""
    avro_type, got = _field0_type("STRUCT<`inner0` MAP<STRING, BIGINT>, `inner1` MAP<STRING, STRING>>",
                                  {"inner0": {"foo": 123}, "inner1": {"bar": "baz"}})
    inner0, inner1 = (f["type"][1] for f in avro_type["fields"])
    assert inner0["connect.name"] == f"{NS}.KsqlDataSourceSchema_field0_inner0"
    assert inner0["items"]["name"] == "KsqlDataSourceSchema_field0_inner0"
    assert inner1["items"]["name"] == "KsqlDataSourceSchema_field0_inner1"
    assert got == {"inner0": [{"key": "foo", "value": 123}], "inner1": [{"key": "bar", "value": "baz"}]}


def test_should_serialize_array_of_struct_map_and_map_of_maps() -> None:
    """shouldSerializeArrayOfArray, shouldSerializeArrayOfMap, shouldSerializeArrayOfStruct,
    shouldSerializeMapOfMaps, shouldSerializeMapOfStruct: nested values come back as written."""
    spec = "STRUCT<AA ARRAY<ARRAY<INT>>, AM ARRAY<MAP<STRING, INT>>, MM MAP<STRING, MAP<STRING, INT>>>"
    value = {"AA": [[1, 2], [3]], "AM": [{"a": 1}], "MM": {"x": {"y": 2}}}
    registry = MemoryRegistryClient()
    s = _serde(registry, [("field0", spec)])
    assert s.deserialize(s.serialize([value])) == [value]


def test_should_throw_on_map_schema_with_non_string_keys() -> None:
    """shouldThrowOnMapSchemaWithNonStringKeys, shouldThrowOnNestedMapSchemaWithNonStringKeys."""
    for spec in ("MAP<INT, INT>", "STRUCT<f0 MAP<INT, INT>>"):
        with pytest.raises(FormatError, match="Avro only supports MAPs with STRING keys"):
            _serde(MemoryRegistryClient(), [("field0", spec)])


def test_should_encode_source_name_into_field_name() -> None:
    """shouldEncodeSourceNameIntoFieldName: `source.field0` is written as `source_field0`."""
    registry = MemoryRegistryClient()
    record = _read(registry, _serde(registry, [("source.field0", "INT")]).serialize([123]))
    assert record == {"source_field0": 123}


def test_should_use_schema_name_from_property_if_exists() -> None:
    """shouldUseSchemaNameFromPropertyIfExists: FULL_SCHEMA_NAME gives the record's namespace and name."""
    registry = MemoryRegistryClient()
    _serde(registry, [("field0", "STRING")], fullSchemaName="com.test.namespace.TestSchemaName1").serialize(
        ["foobar"])
    schema = _registered(registry)
    assert (schema["namespace"], schema["name"]) == ("com.test.namespace", "TestSchemaName1")


def _order_schema(extra: dict[str, Any] | None) -> dict[str, Any]:
    fields: list[dict[str, Any]] = [
        {"name": "ORDERTIME", "type": ["null", "long"], "default": None},
        {"name": "ORDERID", "type": ["null", "long"], "default": None},
        {"name": "ITEMID", "type": ["null", "string"], "default": None},
        {"name": "ORDERUNITS", "type": ["null", "double"], "default": None},
        {"name": "ARRAYCOL", "type": ["null", {"type": "array", "items": ["null", "double"]}], "default": None},
        {"name": "MAPCOL", "type": ["null", {"type": "map", "values": ["null", "double"]}], "default": None},
    ]
    if extra is None:
        return {"namespace": NS, "name": "KsqlDataSourceSchema", "type": "record", "fields": fields}
    return {"namespace": "io.confluent.ksql.somename", "name": "somename", "type": "record",
            "fields": [*fields, extra]}


def _with_schema_id(schema: dict[str, Any]) -> tuple[MemoryRegistryClient, Any]:
    registry = MemoryRegistryClient()
    schema_id = registry.register(f"{TOPIC}-value", RegisteredSchema(AVRO, json.dumps(schema)))
    return registry, _serde(registry, ORDER, schemaId=str(schema_id))


def test_should_serialize_struct_with_schema_id() -> None:
    """shouldSerializeStructWithSchemaId: the registered schema is used; its MAP is a real Avro map."""
    registry, s = _with_schema_id(_order_schema(None))
    record = _read(registry, s.serialize(ORDER_ROW))
    assert record == {"ORDERTIME": 1511897796092, "ORDERID": 1, "ITEMID": "item_1", "ORDERUNITS": 10.0,
                      "ARRAYCOL": [100.0], "MAPCOL": {"key1": 100.0}}


def test_should_serialize_struct_with_extra_field_with_schema_id() -> None:
    """shouldSerializeStructWithExtraFieldWithSchemaId: an optional extra field is written as null."""
    extra = {"name": "EXTRA", "type": ["null", {"type": "record", "name": "someothername", "fields": [
        {"name": "F", "type": ["null", "long"], "default": None}]}], "default": None}
    registry, s = _with_schema_id(_order_schema(extra))
    record = _read(registry, s.serialize(ORDER_ROW))
    assert record["EXTRA"] is None and record["ITEMID"] == "item_1"


def test_should_serialize_struct_with_extra_default_field_with_schema_id() -> None:
    """shouldSerializeStructWithExtraDefaultFieldWithSchemaId: a required extra field gets its default."""
    registry, s = _with_schema_id(_order_schema({"name": "EXTRA", "type": "long", "default": 123}))
    record = _read(registry, s.serialize(ORDER_ROW))
    assert record["EXTRA"] == 123


def test_should_throw_serialize_non_optional_struct() -> None:
    """shouldThrowSerializeNonOptionalStruct: a required extra field without default is refused."""
    _, s = _with_schema_id(_order_schema({"name": "EXTRA", "type": "long"}))
    with pytest.raises(SerdeError, match=r"Missing default value for required Avro field: \[EXTRA\]\. This field "
                                         r"appears in Avro schema in Schema Registry"):
        s.serialize(ORDER_ROW)


def test_should_serialize_primitive_with_schema_id() -> None:
    """shouldSerializePrimitiveWithSchemaId: unwrapped BOOLEAN and INT against registered primitives."""
    for avro, spec, value in (("boolean", "BOOLEAN", True), ("int", "INT", 123)):
        registry = MemoryRegistryClient()
        schema_id = registry.register(f"{TOPIC}-value", RegisteredSchema(AVRO, json.dumps({"type": avro})))
        options = SerdeOptions(topic=TOPIC, registry=registry, wrap_single_value=False,
                               extra={"schemaId": str(schema_id)})
        s = get_format("AVRO").serde(_cols([("field0", spec)]), options, False)
        assert _read(registry, s.serialize([value])) == value


def test_null_for_a_required_registered_field() -> None:
    """AvroSRSchemaDataTranslator.copyStruct (behind the SCHEMA_ID tests above): a null takes the
    registered field's default (Struct.get), else Connect's Struct.put refuses it with
    ConnectSchema.validateValue's text."""
    registry = MemoryRegistryClient()
    schema = {"type": "record", "name": "R", "fields": [
        {"name": "A", "type": "long"}, {"name": "B", "type": "long", "default": 5},
        {"name": "S", "type": ["null", {"type": "record", "name": "In", "fields": [{"name": "X", "type": "string"}]}],
         "default": None}]}
    schema_id = registry.register(f"{TOPIC}-value", RegisteredSchema(AVRO, json.dumps(schema)))
    s = _serde(registry, [("A", "BIGINT"), ("B", "BIGINT"), ("S", "STRUCT<X STRING>")], schemaId=str(schema_id))
    assert _read(registry, s.serialize([1, None, None])) == {"A": 1, "B": 5, "S": None}
    with pytest.raises(SerdeError, match='Invalid value: null used for required field: "A", schema type: INT64'):
        s.serialize([None, 1, None])
    with pytest.raises(SerdeError, match='Invalid value: null used for required field: "X", schema type: STRING'):
        s.serialize([1, 1, {"X": None}])
