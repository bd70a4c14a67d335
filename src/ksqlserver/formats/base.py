"""What every format provides: a serde for a list of columns, and its type and feature rules."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from ksqlserver.catalog.types import Column
from ksqlserver.compile.codegen import Emitter
from ksqlserver.errors import FormatError, SerdeError

__all__ = ["Format", "FormatError", "Serde", "SerdeError", "SerdeOptions", "Snippet", "unwrapped_count_error"]


def unwrapped_count_error(topic: str, got: int) -> SerdeError:
    """UnwrappedSerializer.extractOnlyColumn: SerdeUtils.throwOnColumnCountMismatch(1, got, true, topic)."""
    return SerdeError(f"Column count mismatch on serialization. topic: {topic}, expected: 1, got: {got}")


@dataclass(frozen=True)
class SerdeOptions:
    """Per-source serde settings: single-value wrapping, the DELIMITED delimiter, and for the Schema
    Registry formats their properties (ksqlDB's names: `fullSchemaName`, `schemaId`, `unwrapPrimitives`,
    `nullableRepresentation`), the topic (its subjects) and the registry client."""

    wrap_single_value: bool | None = None  # None: the format's default
    delimiter: str = ","
    extra: dict[str, str] = field(default_factory=dict)
    topic: str = ""
    registry: Any = field(default=None, compare=False)  # a formats.sr.client.SchemaRegistryClient
    # ksql.json_sr.converter.deserializer.enabled: JSON_SR values read by the Schema Registry converter;
    # false: by the JSON reader after the magic byte and schema id (KsqlJsonSerdeFactory.createDeserializer)
    json_sr_converter: bool = field(default=True, compare=False)


@dataclass
class Serde:
    """Turns a row (values in column order) into bytes and back; None is a null/tombstone."""

    columns: tuple[Column, ...]
    serialize: Callable[[Sequence[Any] | None], bytes | None]
    deserialize: Callable[[bytes | None], list[Any] | None]
    features: tuple[str, ...] = ()


@dataclass(frozen=True)
class Snippet:
    """A format's part of a generated fast loop (see `Format.decode_snippet`): `code` (lines at the loop
    body's indentation, names bound in the emitter) leaves its result in a variable, and `guard` is true
    exactly where that result is the serde's own; elsewhere the loop takes its fallback."""

    code: tuple[str, ...]
    guard: str


class Format:
    """A ksqlDB format (JSON, DELIMITED, KAFKA, NONE, AVRO, PROTOBUF, PROTOBUF_NOSR, JSON_SR).

    Beside its serde a format may offer a codegen contract for the generated fast loops: code that
    decodes a value into column values, or encodes column values into bytes, inline, plus an exactness
    guard. A format without one (None) is simply read and written through its serde."""

    name: str = ""
    supports_wrapping: bool = False  # whether WRAP_SINGLE_VALUE=true is allowed
    supports_unwrapping: bool = True  # whether WRAP_SINGLE_VALUE=false is allowed
    schema_inference: bool = False  # columns may come from the Schema Registry
    properties: frozenset[str] = frozenset()  # format properties it accepts (ksqlDB's names)
    inheritable: frozenset[str] = frozenset()  # those a CREATE ... AS SELECT sink inherits
    # whether a key-less source's key is this format's empty record (JSON, DELIMITED, the Connect formats) rather
    # than nothing: KAFKA and NONE give ksqlDB's KsqlVoidSerde for no columns, read nothing and write null
    empty_key_struct: bool = False

    def check_type(self, column: Column) -> None:
        """Raise FormatError if this format cannot hold the column's type."""

    def serde(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> Serde:
        raise NotImplementedError

    def features(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> tuple[str, ...]:
        """Serde features reported by DESCRIBE (UNWRAP_SINGLES / WRAP_SINGLES)."""
        return ()

    def decode_snippet(
        self,
        columns: Sequence[Column],
        options: SerdeOptions,
        em: Emitter,
        data: str,
        out: str,
        unread: Collection[int] = (),
    ) -> Snippet | None:
        """Code setting `out` to the list the value serde's deserialize gives for the bytes named `data`
        (never None there), guarded; the columns at the `unread` positions may be given as None (no
        expression reads them). None: no snippet for this schema."""
        return None

    def encode_snippet(
        self, columns: Sequence[Column], options: SerdeOptions, em: Emitter, values: Sequence[str], out: str
    ) -> Snippet | None:
        """Code setting `out` to the bytes the value serde's serialize gives for the values named by
        `values` (one expression per column), guarded. None: no snippet for this schema."""
        return None

    def row_reader(
        self, columns: Sequence[Column], options: SerdeOptions, unread: Collection[int] = ()
    ) -> Callable[[bytes], list[Any] | None] | None:
        """The callable of `decode_snippet` where that snippet is one call of it: the value bytes in, the
        list the value serde's deserialize gives (`unread` positions may be None) or None where it declines,
        never raising where the serde would not. None: no such reader (C loops call it directly)."""
        return None

    def row_writer(self, columns: Sequence[Column], options: SerdeOptions) -> Callable[[tuple[Any, ...]], Any] | None:
        """A callable taking the column values (a tuple) and giving the bytes the value serde's serialize
        gives, or None where it declines (the caller then serializes through the serde); never raising
        where the serde would not. None: no such writer for this schema (C loops call it directly)."""
        return None
