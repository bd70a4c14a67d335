"""AVRO: Avro binary in Confluent's wire format, schemas in the Schema Registry (fastavro encodes; flat
records of primitives take the generated codec in `sr/avro_codec.py`)."""

from __future__ import annotations

import io
import json
import struct
from collections.abc import Callable
from operator import itemgetter
from typing import Any

import fastavro

from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import FormatError, SerdeError
from ksqlserver.formats.connect_format import FULL_SCHEMA_NAME, SCHEMA_ID, ConnectFormat, ParsedSchema, same
from ksqlserver.formats.sr import avro_codec
from ksqlserver.formats.sr.avro_schema import (
    DEFAULT_VALUE_NAME,
    AvroSchemaError,
    _Names,
    canonical_text,
    compatible_read,
    ksql_avro_schema,
    resolve,
    to_connect,
)
from ksqlserver.formats.sr.avro_values import reader_adapter, writer_adapter
from ksqlserver.formats.sr.client import AVRO, RegisteredSchema, SchemaRegistryClient
from ksqlserver.formats.sr.connect import ARRAY, MAP, STRUCT, CSchema, translator

_IDENTITY = translator(SqlType("STRING"), CSchema("STRING"))  # the translator that changes nothing


def _strip_logical(s: Any) -> Any:
    """The schema fastavro reads and writes with: logical types other than decimal removed (DATE, TIME and
    TIMESTAMP stay the ints the engine holds; fastavro would make date/datetime objects)."""
    if isinstance(s, list):
        return [_strip_logical(x) for x in s]
    if not isinstance(s, dict):
        return s
    out = {k: _strip_logical(v) for k, v in s.items() if k not in ("__full",)}
    logical = out.get("logicalType")
    if logical is not None and str(logical).lower() != "decimal":
        del out["logicalType"]
    return out


class ParsedAvro(ParsedSchema):
    def __init__(self, schema: Any, registered: RegisteredSchema, named: dict[str, Any] | None = None) -> None:
        self.schema = schema
        self.registered = registered
        try:
            self.resolved = resolve(schema, _Names(dict(named or {})))
            self.connect = to_connect(self.resolved)
            named_types: dict[str, Any] = {}
            for ref in (named or {}).values():
                fastavro.parse_schema(_strip_logical(ref), named_types)
            self.fast = fastavro.parse_schema(_strip_logical(schema), named_types)
        except (fastavro.schema.SchemaParseException, fastavro.schema.UnknownType, KeyError, TypeError) as e:
            raise AvroSchemaError(f"Invalid Avro schema: {e}") from None
        self.codec = avro_codec.compile_codec(self.resolved)

    def full_names(self) -> list[str]:
        if isinstance(self.resolved, dict) and self.resolved.get("__full"):
            return [self.resolved["__full"]]
        return []

    def encoder(self) -> Callable[[Any], bytes]:
        generic = self._generic_encoder()
        if self.codec is None:
            return generic
        names = self.codec.names
        encode_list = self.codec.encode_list

        def encode(value: Any) -> bytes:
            try:
                return encode_list([value.get(n) for n in names])
            except (TypeError, struct.error, AttributeError, OverflowError):
                return generic(value)  # fastavro says what is wrong with the value

        return encode

    def row_encoder(self, names: list[str]) -> Callable[[list[Any]], bytes] | None:
        """Column values (in the schema's field order) -> payload, for rows of primitive columns."""
        if self.codec is None or self.codec.names != names:
            return None
        encode_list = self.codec.encode_list
        generic = self._generic_encoder()

        def encode(values: list[Any]) -> bytes:
            try:
                return encode_list(values)
            except (TypeError, struct.error, AttributeError, OverflowError):
                return generic(dict(zip(names, values, strict=True)))

        return encode

    def row_decoder(self, target: SqlType, names: list[str]) -> Callable[[memoryview], list[Any]] | None:
        """payload -> the columns' values, when each column reads its field unchanged (same type)."""
        if self.codec is None:
            return None
        writer = dict(self.connect.fields)
        index = {n: i for i, n in enumerate(self.codec.names)}
        # each column's field as the generic translator (`connect.translator`) matches them: a writer field
        # by its own name, else by its upper-cased name; the last writer field matching a column wins
        types = dict(target.fields or ())
        source: dict[str, str] = {}
        for wn in writer:
            name = wn if wn in types else wn.upper() if wn.upper() in types else None
            if name is not None:
                source[name] = wn
        picks: list[int] = []
        for name, t in target.fields or ():
            field = source.get(name)
            if field is None:
                return None
            if translator(t, writer[field]) is not _IDENTITY:
                return None
            picks.append(index[field])
        decode_list = self.codec.decode_list
        fallback = self._generic_decoder()
        errors = (SerdeError, IndexError, struct.error, UnicodeDecodeError)

        def slow(payload: memoryview) -> list[Any]:
            row = fallback(payload)
            return [row.get(self.codec.names[i]) for i in picks]  # type: ignore[union-attr]

        if picks == list(range(len(self.codec.names))):
            def same(payload: memoryview) -> list[Any]:
                try:
                    return decode_list(payload)
                except errors:
                    return slow(payload)

            return same
        pick = itemgetter(*picks) if len(picks) > 1 else None

        def subset(payload: memoryview) -> list[Any]:
            try:
                values = decode_list(payload)
            except errors:
                return slow(payload)
            return list(pick(values)) if pick is not None else [values[picks[0]]]

        return subset

    def _generic_encoder(self) -> Callable[[Any], bytes]:
        adapt = writer_adapter(self.connect, self.resolved)
        parsed = self.fast
        write = fastavro.schemaless_writer

        def encode(value: Any) -> bytes:
            out = io.BytesIO()
            write(out, parsed, adapt(value))
            return out.getvalue()

        return encode

    def decoder(self) -> Callable[[memoryview], Any]:
        generic = self._generic_decoder()
        if self.codec is None:
            return generic
        names = self.codec.names
        decode_list = self.codec.decode_list
        errors = (SerdeError, IndexError, struct.error, UnicodeDecodeError)

        def decode(payload: memoryview) -> Any:
            try:
                return dict(zip(names, decode_list(payload), strict=True))
            except errors:
                return generic(payload)  # fastavro's reading, and its error for a malformed record

        return decode

    def _generic_decoder(self) -> Callable[[memoryview], Any]:
        adapt = reader_adapter(self.resolved)
        parsed = self.fast
        read = fastavro.schemaless_reader

        def decode(payload: memoryview) -> Any:
            buf = io.BytesIO(payload)
            value = adapt(read(buf, parsed, None))
            if buf.tell() != len(payload):
                raise SerdeError(f"{len(payload) - buf.tell()} bytes left after the Avro record")
            return value

        return decode


class AvroFormat(ConnectFormat):
    name = "AVRO"
    registry_type = AVRO
    translator_name = "Avro"
    properties = frozenset({FULL_SCHEMA_NAME, SCHEMA_ID})
    map_key_error = "Avro only supports MAPs with STRING keys"

    def parse(
        self, registered: RegisteredSchema, registry: SchemaRegistryClient | None, props: dict[str, str]
    ) -> ParsedSchema:
        if registered.schema_type != AVRO:
            raise FormatError(f"Expected an AVRO schema, got {registered.schema_type}")
        named: dict[str, Any] = {}
        if registered.references and registry is not None:
            for ref_name, ref in registry.references(registered).items():
                named[ref_name] = json.loads(ref.schema)
        try:
            schema = json.loads(registered.schema)
        except ValueError as e:
            raise AvroSchemaError(f"Invalid Avro schema: {e}") from None
        names = _Names()
        for ref_schema in named.values():
            resolve(ref_schema, names)
        return ParsedAvro(schema, registered, names.types)

    def from_connect(self, schema: CSchema, props: dict[str, str], is_key: bool) -> ParsedSchema:
        full_name = props.get(FULL_SCHEMA_NAME) or DEFAULT_VALUE_NAME
        avro = ksql_avro_schema(schema, full_name)
        return ParsedAvro(avro, RegisteredSchema(AVRO, canonical_text(avro)))

    def fit(self, schema: CSchema) -> Callable[[Any], Any]:
        return _renamer(schema) or same

    def read_target(self, t: SqlType, props: dict[str, str]) -> tuple[SqlType, Callable[[Any], Any] | None]:
        # KsqlAvroSerdeFactory.createAvroTranslator: with a SCHEMA_ID the deserializer is a plain
        # ConnectDataTranslator over the SQL names; otherwise AvroDataTranslator's compatible names
        return (t, None) if props.get(SCHEMA_ID) else compatible_read(t)


def _renamer(s: CSchema) -> Callable[[Any], Any] | None:
    """Struct values keyed by column names -> keyed by the Avro field names ('.' -> '_'), if any differ."""
    if s.type == STRUCT:
        inner = [(n, n.replace(".", "_"), _renamer(fs)) for n, fs in s.fields]
        if all(a == b and r is None for a, b, r in inner):
            return None
        return lambda v: None if v is None else {
            b: (r(v.get(a)) if r else v.get(a)) for a, b, r in inner
        }
    if s.type == ARRAY:
        item = _renamer(s.value)  # type: ignore[arg-type]
        return None if item is None else (lambda v: None if v is None else [item(x) for x in v])
    if s.type == MAP:
        val = _renamer(s.value)  # type: ignore[arg-type]
        return None if val is None else (lambda v: None if v is None else {k: val(x) for k, x in v.items()})
    return None
