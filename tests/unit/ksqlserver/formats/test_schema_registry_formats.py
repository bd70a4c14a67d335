"""AVRO, PROTOBUF, PROTOBUF_NOSR and JSON_SR serdes against an in-memory registry: round trips of every
type, the schemas ksqlDB registers (names, logical types, nullable unions, MapEntry maps, ConnectDefault
messages), the wire format, and bad records (wrong magic byte, unknown id, a registry that is down)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.errors import FormatError, SchemaRegistryError, SchemaRegistryUnavailableError, SerdeError
from ksqlserver.formats import SerdeOptions, get_format
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.avro_schema import key_schema_name
from ksqlserver.formats.sr.client import (
    AVRO,
    MemoryRegistryClient,
    RegisteredSchema,
    SchemaRegistryClient,
    SubjectVersion,
)
from ksqlserver.formats.sr.connect import ensure_fit, java_float

COLUMNS = [
    Column("ID", parse_type("INT")),
    Column("NAME", parse_type("STRING")),
    Column("AMOUNT", parse_type("DOUBLE")),
    Column("BIG", parse_type("BIGINT")),
    Column("OK", parse_type("BOOLEAN")),
    Column("D", parse_type("DECIMAL(4, 2)")),
    Column("M", parse_type("MAP<STRING, INT>")),
    Column("S", parse_type("STRUCT<A INT, B ARRAY<STRING>>")),
    Column("T", parse_type("TIMESTAMP")),
    Column("DT", parse_type("DATE")),
    Column("TM", parse_type("TIME")),
    Column("B", parse_type("BYTES")),
]
ROW = [1, "x", 2.5, 2**40, True, Decimal("1.50"), {"k": 2}, {"A": 3, "B": ["p", "q"]}, 1000, 19000, 3600000,
       b"\x01\x02"]
NULLS = [None] * len(COLUMNS)


def serde(fmt: str, registry: SchemaRegistryClient | None, cols: list[Column] = COLUMNS, **kw: Any) -> Any:
    is_key = kw.pop("is_key", False)
    options = SerdeOptions(topic="t", registry=registry, extra=kw.pop("extra", {}), **kw)
    return get_format(fmt).serde(cols, options, is_key)


@pytest.mark.parametrize("fmt", ["AVRO", "JSON_SR", "PROTOBUF", "PROTOBUF_NOSR"])
def test_every_type_round_trips(fmt: str) -> None:
    registry = MemoryRegistryClient()
    s = serde(fmt, registry)
    data = s.serialize(ROW)
    assert s.deserialize(data) == ROW
    if fmt == "PROTOBUF_NOSR":
        assert data[0] != 0 or len(data) < 5 or registry.subjects() == []
    else:
        schema_id, _ = wire.split(data)
        assert registry.latest("t-value").schema_id == schema_id


@pytest.mark.parametrize("fmt", ["AVRO", "JSON_SR"])
def test_nulls_survive_where_the_format_has_them(fmt: str) -> None:
    s = serde(fmt, MemoryRegistryClient())
    assert s.deserialize(s.serialize(NULLS)) == NULLS


def test_protobuf_writes_defaults_for_nulls_unless_told_otherwise() -> None:
    cols = [Column("I", parse_type("INT")), Column("S", parse_type("STRING"))]
    plain = serde("PROTOBUF", MemoryRegistryClient(), cols)
    assert plain.deserialize(plain.serialize([None, None])) == [0, ""]
    for rep in ("optional", "wrapper"):
        kept = serde("PROTOBUF", MemoryRegistryClient(), cols, extra={"nullableRepresentation": rep})
        assert kept.deserialize(kept.serialize([None, None])) == [None, None]


def test_avro_schema_is_ksqldbs() -> None:
    registry = MemoryRegistryClient()
    cols = [Column("D", parse_type("DECIMAL(4, 2)")), Column("M", parse_type("MAP<STRING, INT>")),
            Column("DT", parse_type("DATE")), Column("F1", parse_type("STRUCT<F1 INT>"))]
    serde("AVRO", registry, cols).serialize([Decimal("1.00"), {}, 0, {"F1": 1}])
    schema = json.loads(registry.latest("t-value").schema.schema)
    assert schema["name"] == "KsqlDataSourceSchema" and schema["namespace"] == "io.confluent.ksql.avro_schemas"
    assert schema["connect.name"] == "io.confluent.ksql.avro_schemas.KsqlDataSourceSchema"
    d, m, dt, f1 = (f["type"][1] for f in schema["fields"])
    assert all(f["type"][0] == "null" and f["default"] is None for f in schema["fields"])
    assert d == {"type": "bytes", "scale": 2, "precision": 4, "connect.version": 1,
                 "connect.parameters": {"scale": "2", "connect.decimal.precision": "4"},
                 "connect.name": "org.apache.kafka.connect.data.Decimal", "logicalType": "decimal"}
    assert m["type"] == "array" and m["items"]["name"] == "KsqlDataSourceSchema_M"
    assert m["items"]["connect.internal.type"] == "MapEntry"
    assert dt == {"type": "int", "connect.version": 1, "connect.name": "org.apache.kafka.connect.data.Date",
                  "logicalType": "date"}
    assert f1["name"] == "KsqlDataSourceSchema_F1" and "namespace" not in f1


def test_avro_key_schema_is_named_after_the_source_and_unwrapped() -> None:
    assert key_schema_name("OUTPUT") == "io.confluent.ksql.avro_schemas.OutputKey"
    assert key_schema_name("MY_STREAM_2") == "io.confluent.ksql.avro_schemas.MyStream2Key"
    registry = MemoryRegistryClient()
    key = serde("AVRO", registry, [Column("K", parse_type("STRUCT<A INT, B INT>"))], is_key=True,
                extra={"fullSchemaName": key_schema_name("OUTPUT")})
    assert key.features == ("UNWRAP_SINGLES",)
    data = key.serialize([{"A": 1, "B": 2}])
    assert key.deserialize(data) == [{"A": 1, "B": 2}]
    schema = json.loads(registry.latest("t-key").schema.schema)
    assert schema == {
        "type": "record", "name": "OutputKey", "namespace": "io.confluent.ksql.avro_schemas",
        "fields": [{"name": "A", "type": ["null", "int"], "default": None},
                   {"name": "B", "type": ["null", "int"], "default": None}],
        "connect.name": "io.confluent.ksql.avro_schemas.OutputKey",
    }


def test_protobuf_schema_names_messages_connect_default() -> None:
    registry = MemoryRegistryClient()
    cols = [Column("S", parse_type("STRUCT<A INT>")), Column("M", parse_type("MAP<STRING, STRUCT<X INT>>"))]
    serde("PROTOBUF", registry, cols).serialize([{"A": 1}, {"k": {"X": 2}}])
    text = registry.latest("t-value").schema.schema
    assert "message ConnectDefault1 {" in text
    assert "ConnectDefault2 S = 1;" in text and "repeated ConnectDefault3Entry M = 2;" in text
    assert "message ConnectDefault4 {" in text  # the map's value struct, met after the entry


def test_single_values_unwrap_when_asked() -> None:
    cols = [Column("V", parse_type("BIGINT"))]
    for fmt in ("AVRO", "JSON_SR"):
        registry = MemoryRegistryClient()
        s = serde(fmt, registry, cols, wrap_single_value=False)
        assert s.features == ("UNWRAP_SINGLES",)
        assert s.deserialize(s.serialize([7])) == [7]
        registered = registry.latest("t-value").schema.schema
        assert json.loads(registered) in ("long", {"oneOf": [{"type": "null"}, {"type": "integer",
                                                                                   "connect.type": "int64"}]})


def test_unknown_magic_byte_and_unknown_id_are_serde_errors() -> None:
    s = serde("AVRO", MemoryRegistryClient())
    with pytest.raises(SerdeError, match="Unknown magic byte!"):
        s.deserialize(b'{"ID": 1}')
    with pytest.raises(SerdeError, match="Error retrieving Avro value schema for id 99: Schema 99 not found"):
        s.deserialize(wire.frame(99, b"\x00"))


def test_truncated_payload_is_a_serde_error() -> None:
    s = serde("AVRO", MemoryRegistryClient())
    data = s.serialize(ROW)
    with pytest.raises(SerdeError):
        s.deserialize(data[:12])


class DownRegistry(MemoryRegistryClient):
    def _fetch_by_id(self, schema_id: int) -> RegisteredSchema:
        raise SchemaRegistryUnavailableError("Schema Registry at http://x is unreachable: ConnectError")

    def latest(self, subject: str) -> SubjectVersion:
        raise SchemaRegistryUnavailableError("Schema Registry at http://x is unreachable: ConnectError")


def test_a_registry_that_is_down_is_not_a_bad_record() -> None:
    """The query fails its batch and retries from its committed offsets: nothing is skipped."""
    s = serde("AVRO", DownRegistry())
    with pytest.raises(SchemaRegistryUnavailableError):
        s.deserialize(wire.frame(1, b"\x00"))
    assert not issubclass(SchemaRegistryUnavailableError, SerdeError)


def test_schema_lookups_are_cached_per_id() -> None:
    registry = MemoryRegistryClient()
    writer = serde("AVRO", registry)
    records = [writer.serialize(ROW) for _ in range(100)]
    registry.requests = 0
    reader = serde("AVRO", registry)
    for data in records:
        reader.deserialize(data)
    assert registry.requests == 0  # the writer registered it in this process: already cached by id
    fresh = MemoryRegistryClient()
    fresh.register_with_id("t-value", registry.schema_by_id(wire.split(records[0])[0]), 1)
    fresh._by_id.clear()  # as a client in another process: the id is new to it
    fresh.requests = 0
    other = serde("AVRO", fresh)
    for data in records:
        other.deserialize(wire.frame(1, bytes(wire.split(data)[1])))
    assert fresh.requests == 1


def test_reading_with_the_writers_schema_translates_to_the_columns() -> None:
    """A producer's own schema: names matched case-insensitively, int widened to BIGINT, float to DOUBLE,
    a record's other fields ignored, an enum read as STRING."""
    registry = MemoryRegistryClient()
    writer_schema = {"type": "record", "name": "Tx", "fields": [
        {"name": "id", "type": "int"}, {"name": "amount", "type": "float"},
        {"name": "extra", "type": "string"}, {"name": "kind", "type": {"type": "enum", "name": "K",
                                                                       "symbols": ["A", "B"]}}]}
    schema_id = registry.register("t-value", RegisteredSchema(AVRO, json.dumps(writer_schema)))
    import io

    import fastavro

    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(writer_schema),
                               {"id": 5, "amount": 1.5, "extra": "z", "kind": "B"})
    cols = [Column("ID", parse_type("BIGINT")), Column("AMOUNT", parse_type("DOUBLE")),
            Column("KIND", parse_type("STRING")), Column("MISSING", parse_type("STRING"))]
    assert serde("AVRO", registry, cols).deserialize(wire.frame(schema_id, out.getvalue())) == [5, 1.5, "B", None]


def test_incompatible_writer_schema_is_ksqldbs_message() -> None:
    registry = MemoryRegistryClient()
    schema_id = registry.register("t-value", RegisteredSchema(AVRO, json.dumps(
        {"type": "record", "name": "R", "fields": [{"name": "ID", "type": "string"}]})))
    s = serde("AVRO", registry, [Column("ID", parse_type("INT"))])
    with pytest.raises(SerdeError, match="Cannot deserialize type string as type int32 for path: ->ID"):
        s.deserialize(wire.frame(schema_id, b"\x02a"))


def test_schema_id_writes_with_the_registered_schema() -> None:
    registry = MemoryRegistryClient()
    physical = {"type": "record", "name": "Test", "fields": [
        {"name": "ID", "type": "string"}, {"name": "N", "type": "long", "default": 10}]}
    registry.register_with_id("t-value", RegisteredSchema(AVRO, json.dumps(physical)), 102)
    s = serde("AVRO", registry, [Column("ID", parse_type("STRING"))], extra={"schemaId": "102"})
    data = s.serialize(["abc"])
    assert wire.split(data)[0] == 102
    assert s.deserialize(data) == ["abc"]
    missing = serde("AVRO", registry, [Column("OTHER", parse_type("STRING"))], extra={"schemaId": "102"})
    with pytest.raises(SerdeError, match="Schema from Schema Registry misses field with name: OTHER"):
        missing.serialize(["x"])
    with pytest.raises(FormatError, match="Failed to fetch schema for serialization from Schema Registry using "
                                          "schema id: 7"):
        serde("AVRO", registry, [Column("ID", parse_type("STRING"))], extra={"schemaId": "7"})


def test_map_keys_must_be_strings() -> None:
    with pytest.raises(FormatError, match="Avro only supports MAPs with STRING keys"):
        serde("AVRO", MemoryRegistryClient(), [Column("M", parse_type("MAP<INT, INT>"))])
    with pytest.raises(FormatError, match="PROTOBUF format only supports MAP types with STRING keys"):
        serde("PROTOBUF", MemoryRegistryClient(), [Column("M", parse_type("MAP<INT, INT>"))])


def test_no_registry_is_ksqldbs_message() -> None:
    s = serde("AVRO", None, [Column("ID", parse_type("INT"))])
    with pytest.raises(SerdeError, match="KSQL is not configured to use a schema registry"):
        s.serialize([1])


def test_decimals_fit_exactly_or_fail_like_ksqldb() -> None:
    assert str(ensure_fit(Decimal("1.5"), 4, 2)) == "1.50"
    with pytest.raises(SerdeError, match="without rounding"):
        ensure_fit(Decimal("1.234"), 4, 2)
    with pytest.raises(SerdeError, match="Numeric field overflow"):
        ensure_fit(Decimal("123.4"), 4, 2)
    assert str(ensure_fit(Decimal("1" * 30), 38, 2)) == "1" * 30 + ".00"


def test_java_float_text() -> None:
    assert java_float(1.100000023841858) == "1.1"
    assert java_float(1e10) == "1.0E10"


def test_memory_registry_errors_carry_confluents_codes() -> None:
    registry = MemoryRegistryClient()
    with pytest.raises(SchemaRegistryError) as err:
        registry.latest("nope-value")
    assert err.value.registry_code == 40401 and err.value.not_found
    assert "Subject 'nope-value' not found.; error code: 40401" in err.value.message


@pytest.mark.parametrize("preregistered", [False, True])
def test_a_decimal_wider_than_28_digits_is_written(preregistered: bool) -> None:
    """DECIMAL(33, 16): Python's default decimal context keeps 28 digits, and rescaling such a value in
    it raised InvalidOperation (the query died on the record); ksqlDB's BigDecimal has no such limit."""
    registry = MemoryRegistryClient()
    cols = [Column("V", parse_type("DECIMAL(33, 16)"))]
    if preregistered:  # a schema already in the registry: values are adapted to it on the way out
        schema = {"type": "record", "name": "KsqlDataSourceSchema", "namespace": "io.confluent.ksql.avro_schemas",
                  "fields": [{"name": "V", "default": None, "type": ["null", {
                      "type": "bytes", "logicalType": "decimal", "precision": 33, "scale": 16}]}]}
        registry.register("t-value", RegisteredSchema(AVRO, json.dumps(schema)))
    s = serde("AVRO", registry, cols)
    value = Decimal("12345678987654321.2345678987654321")
    assert s.deserialize(s.serialize([value])) == [value]
    assert s.deserialize(s.serialize([Decimal("12345678987654322")])) == [Decimal("12345678987654322.0000000000000000")]
