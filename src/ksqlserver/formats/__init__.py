"""Serialisation formats by ksqlDB name; Schema Registry formats are recognised but not supported."""

from __future__ import annotations

from ksqlserver.formats.base import Format, FormatError, Serde, SerdeError, SerdeOptions
from ksqlserver.formats.delimited import DelimitedFormat, parse_delimiter
from ksqlserver.formats.json_format import JsonFormat
from ksqlserver.formats.kafka import KafkaFormat
from ksqlserver.formats.none import NoneFormat

FORMATS: dict[str, Format] = {
    f.name: f for f in (JsonFormat(), DelimitedFormat(), KafkaFormat(), NoneFormat())
}
SCHEMA_REGISTRY_FORMATS = ("AVRO", "PROTOBUF", "JSON_SR", "PROTOBUF_NOSR")


def get_format(name: str) -> Format:
    """The format named `name` (case-insensitive); FormatError names unknown or unsupported ones."""
    upper = name.upper()
    if upper in FORMATS:
        return FORMATS[upper]
    if upper in SCHEMA_REGISTRY_FORMATS:
        raise FormatError(f"Format {upper} needs a Schema Registry, which this server does not support")
    raise FormatError(f"Unknown format: {upper}")


__all__ = [
    "FORMATS",
    "Format",
    "FormatError",
    "Serde",
    "SerdeError",
    "SerdeOptions",
    "get_format",
    "parse_delimiter",
]
