"""PRINT's Schema Registry formats: AVRO, PROTOBUF and JSON_SR records as ksqlDB 0.29's `RecordFormatter`
prints them (`Format.AVRO`: `KafkaAvroDeserializer`, then `GenericData.toString`; `Format.PROTOBUF`:
`TextFormat.printer().shortDebugString`; `Format.JSON_SR`: `KafkaJsonSchemaDeserializer`, then the
`JsonNode`'s compact text). Each decoder raises ValueError when the bytes are not of its format: no magic
byte, a schema id the registry does not know, a schema of another type, a payload that does not parse.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ksqlserver.errors import KsqlError
from ksqlserver.formats.javatext import py_java_double
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import AVRO, JSON, PROTOBUF, RegisteredSchema, SchemaRegistryClient

Decoder = Callable[[bytes], str]


def _registered(registry: SchemaRegistryClient | None, data: bytes, kind: str) -> tuple[RegisteredSchema, memoryview]:
    if registry is None:
        raise ValueError("no Schema Registry")
    try:
        schema_id, payload = wire.split(data)
        registered = registry.schema_by_id(schema_id)
    except (KsqlError, OSError) as e:
        raise ValueError(str(e)) from e
    if registered.schema_type != kind:
        raise ValueError(f"not a {kind} schema")
    return registered, payload


def _no_logical(schema: Any) -> Any:
    """The schema without logical types: `KafkaAvroDeserializer` reads them as their underlying types."""
    if isinstance(schema, dict):
        return {k: _no_logical(v) for k, v in schema.items() if k != "logicalType"}
    if isinstance(schema, list):
        return [_no_logical(s) for s in schema]
    return schema


def _escaped(text: str) -> str:
    """`GenericData.writeEscapedString`."""
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif c in "\b\f\n\r\t":
            out.append({"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}[c])
        elif ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or 0x2000 <= ord(c) <= 0x20FF:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return "".join(out)


def generic_text(value: Any) -> str:
    """`GenericData.toString` of a datum fastavro read: records and maps `{"k": v}`, arrays `[a, b]`,
    strings quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{_escaped(str(k))}": {generic_text(v)}' for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(generic_text(v) for v in value) + "]"
    if isinstance(value, str):
        return f'"{_escaped(value)}"'
    if isinstance(value, float):
        return py_java_double(value)
    if isinstance(value, bytes):
        return '{"bytes": "' + "".join(chr(b) for b in value) + '"}'
    return str(value)


def avro_decoder(registry: SchemaRegistryClient | None) -> Decoder:
    import fastavro

    parsed: dict[str, Any] = {}

    def decode(data: bytes) -> str:
        registered, payload = _registered(registry, data, AVRO)
        schema = parsed.get(registered.schema)
        try:
            if schema is None:
                schema = parsed[registered.schema] = fastavro.parse_schema(_no_logical(json.loads(registered.schema)))
            buf = io.BytesIO(bytes(payload))
            value = fastavro.schemaless_reader(buf, schema)
        except Exception as e:  # fastavro raises many kinds for bytes that are not this schema's
            raise ValueError(str(e)) from e
        if buf.tell() != len(payload):
            raise ValueError("trailing bytes")
        # a top-level string or number prints as itself (Utf8/Integer.toString), anything else as GenericData
        return value if isinstance(value, str) else generic_text(value)

    return decode


def protobuf_decoder(registry: SchemaRegistryClient | None) -> Decoder:
    from google.protobuf import message_factory, text_format

    from ksqlserver.formats.protobuf import ProtobufFormat, _message_at

    def decode(data: bytes) -> str:
        registered, payload = _registered(registry, data, PROTOBUF)
        try:
            parsed: Any = ProtobufFormat().parse(registered, registry, {})
            indexes, pos = wire.read_message_indexes(payload)
            message = message_factory.GetMessageClass(_message_at(parsed.file, indexes))()
            message.ParseFromString(bytes(payload[pos:]))
        except Exception as e:  # a payload that is not this schema's message
            raise ValueError(str(e)) from e
        return str(text_format.MessageToString(message, as_one_line=True))

    return decode


def json_sr_decoder(registry: SchemaRegistryClient | None) -> Decoder:
    def decode(data: bytes) -> str:
        _, payload = _registered(registry, data, JSON)
        try:
            value = json.loads(bytes(payload).decode("utf-8"), parse_float=Decimal)
        except ValueError as e:
            raise ValueError(str(e)) from e
        return _compact(value)

    return decode


def _compact(value: Any) -> str:
    """Jackson's `JsonNode.toString`: compact, numbers with the digits they were read with."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{_compact(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_compact(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)
