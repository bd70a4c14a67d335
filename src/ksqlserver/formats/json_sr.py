"""JSON_SR: JSON text in Confluent's wire format, JSON schemas in the Schema Registry."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from ksqlserver.catalog.types import Column
from ksqlserver.errors import FormatError, SerdeError
from ksqlserver.formats.base import Serde, SerdeOptions
from ksqlserver.formats.connect_format import FULL_SCHEMA_NAME, SCHEMA_ID, ConnectFormat, ParsedSchema
from ksqlserver.formats.sr.client import JSON, RegisteredSchema, SchemaRegistryClient
from ksqlserver.formats.sr.connect import CSchema
from ksqlserver.formats.sr.json_schema import JsonSchemaError, from_connect, reader, to_connect, writer


class ParsedJson(ParsedSchema):
    def __init__(self, schema: Any, registered: RegisteredSchema, documents: dict[str, Any] | None = None) -> None:
        self.schema = schema
        self.registered = registered
        self.connect = to_connect(schema, documents or {})

    def full_names(self) -> list[str]:
        title = self.schema.get("title") if isinstance(self.schema, dict) else None
        return [title] if isinstance(title, str) else []

    def encoder(self) -> Callable[[Any], bytes]:
        write = writer(self.connect)
        return lambda v: write(v).encode()

    def decoder(self) -> Callable[[memoryview], Any]:
        read = reader(self.connect)

        def decode(payload: memoryview) -> Any:
            try:
                parsed = json.loads(bytes(payload), parse_float=Decimal)
            except ValueError as e:
                raise SerdeError(f"Invalid JSON: {e}") from None
            return read(parsed)

        return decode


NO_MAGIC_BYTE = (
    "Got unexpected JSON serialization format that did not start with the magic byte. If this stream was not "
    "serialized using the JsonSchemaConverter, then make sure the stream is declared with JSON format (not "
    "JSON_SR)."
)


class JsonSchemaFormat(ConnectFormat):
    name = "JSON_SR"
    registry_type = JSON
    translator_name = "JSON"
    properties = frozenset({FULL_SCHEMA_NAME, SCHEMA_ID})
    map_key_error = "JSON only supports MAP types with STRING keys"

    def serde(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> Serde:
        serde = super().serde(columns, options, is_key)
        if options.json_sr_converter or not serde.columns:
            return serde
        # ksql.json_sr.converter.deserializer.enabled=false: KsqlJsonDeserializer(isJsonSchema) reads the JSON
        # after the magic byte and schema id (JsonSerdeUtils.readJsonSR), with JSON's coercions
        from ksqlserver.formats.json_format import JsonFormat

        read_json = JsonFormat().serde(columns, replace(options, extra={}), is_key).deserialize

        def deserialize(data: bytes | None) -> list[Any] | None:
            if data is None:
                return None
            if not data or data[0] != 0:  # JsonSerdeUtils.hasMagicByte
                raise SerdeError(NO_MAGIC_BYTE, data)
            return read_json(data[5:])

        return Serde(serde.columns, serde.serialize, deserialize, serde.features)

    def parse(
        self, registered: RegisteredSchema, registry: SchemaRegistryClient | None, props: dict[str, str]
    ) -> ParsedSchema:
        if registered.schema_type != JSON:
            raise FormatError(f"Expected a JSON schema, got {registered.schema_type}")
        documents: dict[str, Any] = {}
        if registered.references and registry is not None:
            for ref_name, ref in registry.references(registered).items():
                documents[ref_name] = json.loads(ref.schema)
        try:
            schema = json.loads(registered.schema)
        except ValueError as e:
            raise JsonSchemaError(f"Invalid JSON schema: {e}") from None
        return ParsedJson(schema, registered, documents)

    def from_connect(self, schema: CSchema, props: dict[str, str], is_key: bool) -> ParsedSchema:
        js = from_connect(schema)
        text = json.dumps(js, separators=(",", ":"), ensure_ascii=False)
        return ParsedJson(js, RegisteredSchema(JSON, text))
