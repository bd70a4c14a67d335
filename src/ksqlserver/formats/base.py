"""What every format provides: a serde for a list of columns, and its type and feature rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ksqlserver.catalog.types import Column
from ksqlserver.errors import FormatError, SerdeError

__all__ = ["Format", "FormatError", "Serde", "SerdeError", "SerdeOptions"]


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


@dataclass
class Serde:
    """Turns a row (values in column order) into bytes and back; None is a null/tombstone."""

    columns: tuple[Column, ...]
    serialize: Callable[[Sequence[Any] | None], bytes | None]
    deserialize: Callable[[bytes | None], list[Any] | None]
    features: tuple[str, ...] = ()


class Format:
    """A ksqlDB format (JSON, DELIMITED, KAFKA, NONE, AVRO, PROTOBUF, PROTOBUF_NOSR, JSON_SR)."""

    name: str = ""
    supports_wrapping: bool = False  # whether WRAP_SINGLE_VALUE=true is allowed
    supports_unwrapping: bool = True  # whether WRAP_SINGLE_VALUE=false is allowed
    key_only: bool = False
    schema_inference: bool = False  # columns may come from the Schema Registry
    properties: frozenset[str] = frozenset()  # format properties it accepts (ksqlDB's names)
    inheritable: frozenset[str] = frozenset()  # those a CREATE ... AS SELECT sink inherits

    def check_type(self, column: Column) -> None:
        """Raise FormatError if this format cannot hold the column's type."""

    def serde(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> Serde:
        raise NotImplementedError

    def features(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> tuple[str, ...]:
        """Serde features reported by DESCRIBE (UNWRAP_SINGLES / WRAP_SINGLES)."""
        return ()
