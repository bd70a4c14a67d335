"""ksqlDB's KsqlJsonSerializerTest (io.confluent.ksql.serde.json), the cases not already in
tests/unit/ksqlserver/formats/test_json_serde_spec.py: its JSON_SR parameterisation with a SCHEMA_ID
(extra optional / required fields of the registered schema, an incompatible schema), key subjects,
BIGINT and DECIMAL text. JSON and JSON_SR alike unless the Java test says otherwise (`useSchemas`)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.errors import SerdeError
from ksqlserver.formats import SerdeOptions, get_format
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import JSON, MemoryRegistryClient, RegisteredSchema

TOPIC = "bob"
ITEM = [("ITEMID", "BIGINT"), ("NAME", "STRING"), ("CATEGORIES", "ARRAY<STRUCT<ID BIGINT, NAME STRING>>")]
ITEM_ROW = [10, "Item_10", [{"ID": 1, "NAME": "Food"}]]
_NULLABLE_LONG = {"oneOf": [{"type": "null"}, {"type": "integer", "connect.type": "int64"}]}
_NULLABLE_STRING = {"oneOf": [{"type": "null"}, {"type": "string"}]}
_CATEGORIES = {"connect.index": 2, "oneOf": [{"type": "null"}, {"type": "array", "items": {"oneOf": [
    {"type": "null"}, {"type": "object", "properties": {"ID": {"connect.index": 0, **_NULLABLE_LONG},
                                                        "NAME": {"connect.index": 1, **_NULLABLE_STRING}}}]}}]}


def _item_schema(extra: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": {"ITEMID": {"connect.index": 0, **_NULLABLE_LONG},
                                             "CATEGORIES": _CATEGORIES,
                                             "NAME": {"connect.index": 1, **_NULLABLE_STRING}, **extra}}


def _text(fmt: str, data: bytes) -> str:
    """KsqlJsonSerializerTest#asJsonString: JSON_SR's payload after the 5-byte header."""
    return (data[5:] if fmt == "JSON_SR" else data).decode()


def _serde(fmt: str, registry: MemoryRegistryClient, spec: list[tuple[str, str]], is_key: bool = False,
           wrap: bool | None = None, **extra: str) -> Any:
    cols = [Column(n, parse_type(t)) for n, t in spec]
    options = SerdeOptions(topic=TOPIC, registry=registry, wrap_single_value=wrap, extra=extra)
    return get_format(fmt).serde(cols, options, is_key)


def _with_schema_id(schema: dict[str, Any]) -> tuple[MemoryRegistryClient, Any]:
    registry = MemoryRegistryClient()
    schema_id = registry.register(f"{TOPIC}-value", RegisteredSchema(JSON, json.dumps(schema)))
    return registry, _serde("JSON_SR", registry, ITEM, schemaId=str(schema_id))


def test_should_serialize_struct_with_extra_optional_field_with_schema_id() -> None:
    """shouldSerializeStructWithExtraOptionalFieldWithSchemaId (useSchemas): the registered schema's
    optional EXPIRATION_DATE is written as null, after the columns."""
    extra = {"EXPIRATION_DATE": {"connect.index": 3, "oneOf": [{"type": "null"}, {"type": "integer"}]}}
    _, s = _with_schema_id(_item_schema(extra))
    assert _text("JSON_SR", s.serialize(ITEM_ROW)) == (
        '{"ITEMID":10,"NAME":"Item_10","CATEGORIES":[{"ID":1,"NAME":"Food"}],"EXPIRATION_DATE":null}')


def test_should_serialize_with_extra_non_optional_field_with_schema_id() -> None:
    """shouldSerializeWithExtraNonOptionalFieldWithSchemaId: a required extra field is left out."""
    _, s = _with_schema_id(_item_schema({"DATE": {"connect.index": 3, "type": "integer"}}))
    assert _text("JSON_SR", s.serialize(ITEM_ROW)) == (
        '{"ITEMID":10,"NAME":"Item_10","CATEGORIES":[{"ID":1,"NAME":"Food"}]}')


def test_should_throw_if_optional_schema_not_compatible() -> None:
    """shouldThrowIfOptionalSchemaNotCompatible: a null for the registered schema's required CATEGORIES
    array fails the record. ksqlDB's text, "Error serializing message to topic: bob", is the engine's
    prefix here (plan/physical.py); the serde raises the cause, Connect's Struct.put refusal."""
    schema = {"type": "object", "properties": {
        "ITEMID": {"connect.index": 0, "type": "integer", "connect.type": "int64"},
        "CATEGORIES": {"connect.index": 2, "type": "array", "items": {"type": "object", "properties": {
            "ID": {"connect.index": 0, **_NULLABLE_LONG}, "NAME": {"connect.index": 1, **_NULLABLE_STRING}}}},
        "NAME": {"connect.index": 1, "type": "string"}}}
    _, s = _with_schema_id(schema)
    with pytest.raises(SerdeError, match='Invalid value: null used for required field: "CATEGORIES", schema type: '
                                         "ARRAY"):
        s.serialize([10, "Food", None])


@pytest.mark.parametrize("fmt", ["JSON", "JSON_SR"])
def test_should_serialize_key_and_register_key_subject(fmt: str) -> None:
    """shouldSerializeKeyAndRegisterKeySubject."""
    registry = MemoryRegistryClient()
    data = _serde(fmt, registry, [("K", "BOOLEAN")], is_key=True).serialize([True])
    if fmt == "JSON_SR":
        assert registry.subjects() == [f"{TOPIC}-key"]
    assert _text(fmt, data) == "true"


@pytest.mark.parametrize("fmt", ["JSON", "JSON_SR"])
@pytest.mark.parametrize(("spec", "value", "text"), [
    ("BIGINT", 62, "62"),  # shouldSerializeBigInt
    ("DOUBLE", 62.0, "62.0"),  # shouldSerializeDouble
    ("DECIMAL(20, 19)", Decimal("1.234567890123456789"), "1.234567890123456789"),  # shouldSerializeDecimal
    ("DECIMAL(3, 1)", Decimal("12.0"), "12.0"),  # shouldSerializeDecimalsWithoutStrippingTrailingZeros
])
def test_should_serialize_unwrapped(fmt: str, spec: str, value: Any, text: str) -> None:
    data = _serde(fmt, MemoryRegistryClient(), [("V", spec)], wrap=False).serialize([value])
    if fmt == "JSON_SR":
        wire.split(data)
    assert _text(fmt, data) == text
