"""KAFKA: one primitive column as Kafka's own serialisers write it (big-endian ints, IEEE doubles, UTF-8)."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any

from ksqlserver.catalog.types import Column
from ksqlserver.formats.base import Format, FormatError, Serde, SerdeError, SerdeOptions

_PACK = {"INTEGER": struct.Struct(">i"), "BIGINT": struct.Struct(">q"), "DOUBLE": struct.Struct(">d")}
SUPPORTED = ("INTEGER", "BIGINT", "DOUBLE", "STRING", "BYTES")
_NAMES = {"INTEGER": "Integer", "BIGINT": "Long", "DOUBLE": "Double"}


class KafkaFormat(Format):
    name = "KAFKA"

    def check_type(self, column: Column) -> None:
        if column.type.base not in SUPPORTED:
            raise FormatError(f"The 'KAFKA' format does not support type '{column.type.base}'")

    def features(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> tuple[str, ...]:
        return ()

    def serde(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> Serde:
        cols = tuple(columns)
        for c in cols:
            self.check_type(c)
        if not cols:
            return Serde(cols, lambda v: None, lambda d: [])
        if len(cols) > 1:
            raise FormatError(
                "The 'KAFKA' format only supports a single field. Got: ["
                + ", ".join(c.describe() for c in cols)
                + "]"
            )
        base = cols[0].type.base
        if base in _PACK:
            packer = _PACK[base]
            size = packer.size
            name = _NAMES[base]

            def de(data: bytes | None) -> list[Any] | None:
                if data is None:
                    return None if not is_key else [None]
                if len(data) != size:
                    raise SerdeError(
                        f"Size of data received by {name}Deserializer is not {size}",
                        data,
                        headline="Error deserializing KAFKA message from topic: {topic}",
                    )
                return [packer.unpack(data)[0]]

            def ser(values: Sequence[Any] | None) -> bytes | None:
                if values is None or values[0] is None:
                    return None
                return packer.pack(values[0])

            return Serde(cols, ser, de)
        if base == "STRING":

            def de_s(data: bytes | None) -> list[Any] | None:
                if data is None:
                    return None if not is_key else [None]
                # Kafka's StringDeserializer is new String(bytes, UTF_8): malformed input becomes U+FFFD
                return [data.decode(errors="replace")]

            # StringSerializer: String.getBytes(UTF_8), a lone surrogate written as '?'
            return Serde(cols, lambda v: None if v is None or v[0] is None else v[0].encode("utf-8", "replace"), de_s)
        return Serde(
            cols,
            lambda v: None if v is None or v[0] is None else bytes(v[0]),
            lambda d: (None if not is_key else [None]) if d is None else [d],
        )
