"""Test records in the Schema Registry formats, as ksqlDB's harness writes and reads them (FORMAT.md §5,
§8): topic schemas registered before the statements run (with their ids and references); an input is
written with the latest schema of its subject (the test's own, or the one the CREATE registered), its JSON
turned into that schema's Connect value; an output is read with the schema its id names, back to JSON-like
values (structs as objects, decimals exact, bytes as bytes).
"""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Any

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.formats import get_format
from ksqlserver.formats.connect_format import ConnectFormat
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import (
    AVRO,
    JSON,
    PROTOBUF,
    MemoryRegistryClient,
    Reference,
    RegisteredSchema,
    subject_name,
)
from ksqlserver.formats.sr.connect import (
    ARRAY,
    BOOL,
    BYTES_T,
    FLOAT32,
    FLOAT64,
    INT8,
    INT16,
    INT32,
    INT64,
    MAP,
    STR,
    STRUCT,
    CSchema,
    decimal_precision,
    decimal_scale,
    ensure_fit,
)

SR_FORMATS = ("AVRO", "PROTOBUF", "JSON_SR")
_TYPES = {"AVRO": AVRO, "PROTOBUF": PROTOBUF, "JSON_SR": JSON, "JSON": JSON}


def schema_text(schema: Any, fmt: str) -> str:
    """A test file's schema node as registry text: Protobuf schemas are strings already."""
    if _TYPES.get(fmt.upper(), AVRO) == PROTOBUF:
        return str(schema)
    return json.dumps(schema, default=_json_default)


def _json_default(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() and "." not in str(v) else float(v)
    raise TypeError(type(v).__name__)


def register_topic_schemas(registry: MemoryRegistryClient, topics: list[dict[str, Any]]) -> None:
    """`topics[].keySchema/valueSchema` under `<topic>-key/-value` (with `keySchemaId`/`valueSchemaId` when
    given), their references first under their own names."""
    for topic in topics:
        for part in ("key", "value"):
            schema = topic.get(f"{part}Schema")
            if schema is None:
                continue
            fmt = str(topic.get(f"{part}Format") or "AVRO")
            refs = []
            for ref in topic.get(f"{part}SchemaReferences") or []:
                ref_fmt = str(ref.get("format") or fmt)
                registered = RegisteredSchema(_TYPES.get(ref_fmt.upper(), AVRO), schema_text(ref["schema"], ref_fmt))
                registry.register_with_id(ref["name"], registered, None)
                refs.append(Reference(ref["name"], ref["name"], 1))
            registered = RegisteredSchema(_TYPES.get(fmt.upper(), AVRO), schema_text(schema, fmt), tuple(refs))
            schema_id = topic.get(f"{part}SchemaId")
            registry.register_with_id(
                subject_name(topic["name"], part == "key"), registered, None if schema_id is None else int(schema_id)
            )


def encode(registry: MemoryRegistryClient, source: DataSource, topic: str, spec: Any, is_key: bool) -> bytes | None:
    """`spec` written with the latest schema of the topic's subject."""
    if spec is None:
        return None
    fmt = get_format(source.key_format if is_key else source.value_format)
    assert isinstance(fmt, ConnectFormat)
    latest = registry.latest(subject_name(topic, is_key))
    options = source.key_options if is_key else source.value_options
    props = {k: v for k, v in options.extra.items() if k != "schemaId"}
    parsed = fmt.parse(latest.schema, registry, props)
    value = spec_to_connect(spec, parsed.connect)
    return wire.header(latest.schema_id) + parsed.encoder()(value)


def decode(registry: MemoryRegistryClient, source: DataSource, data: bytes, is_key: bool) -> Any:
    """A record written in the Schema Registry wire format, as the JSON-like value its schema gives."""
    fmt = get_format(source.key_format if is_key else source.value_format)
    assert isinstance(fmt, ConnectFormat)
    schema_id, payload = wire.split(data)
    options = source.key_options if is_key else source.value_options
    props = {k: v for k, v in options.extra.items() if k not in ("schemaId", "fullSchemaName")}
    parsed = fmt.parse(registry.schema_by_id(schema_id), registry, props)
    return parsed.decoder()(payload)


def spec_to_connect(spec: Any, s: CSchema) -> Any:
    """ksqlDB's SpecToConnectConverter: a test file's JSON value as a Connect value of schema `s`."""
    if spec is None:
        return None
    t = s.type
    if t in (INT8, INT16, INT32, INT64):
        return int(str(spec)) if not isinstance(spec, (int, Decimal)) else int(spec)
    if t in (FLOAT32, FLOAT64):
        return float(str(spec))
    if t == BOOL:
        return str(spec).lower() == "true" if not isinstance(spec, bool) else spec
    if t == STR:
        if isinstance(spec, bool):
            return "true" if spec else "false"
        if isinstance(spec, (dict, list)):
            return json.dumps(spec, default=str)
        return str(spec)
    if t == ARRAY:
        return [spec_to_connect(x, s.value) for x in spec]  # type: ignore[arg-type]
    if t == MAP:
        return {spec_to_connect(k, s.key): spec_to_connect(v, s.value) for k, v in spec.items()}  # type: ignore[arg-type]
    if t == STRUCT:
        names = {n.upper(): n for n, _ in s.fields}
        out: dict[str, Any] = dict.fromkeys(n for n, _ in s.fields)
        for k, v in spec.items():
            real = names.get(str(k).upper())
            if real is not None:
                out[real] = spec_to_connect(v, s.get(real))  # type: ignore[arg-type]
        return out
    if t == BYTES_T:
        if s.is_decimal:
            value = spec if isinstance(spec, Decimal) else Decimal(str(spec))
            return ensure_fit(value, decimal_precision(s), decimal_scale(s))
        if isinstance(spec, str):
            return base64.b64decode(spec)
        return spec
    raise ValueError(f"This test does not support the data type yet: {t}")


def is_framed(data: bytes | None) -> bool:
    return data is not None and len(data) >= 5 and data[0] == 0
