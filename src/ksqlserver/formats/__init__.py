"""Serialisation formats by ksqlDB name."""

from __future__ import annotations

from ksqlserver.formats.base import Format, FormatError, Serde, SerdeError, SerdeOptions
from ksqlserver.formats.connect_format import ConnectFormat
from ksqlserver.formats.delimited import DelimitedFormat, parse_delimiter
from ksqlserver.formats.json_format import JsonFormat
from ksqlserver.formats.kafka import KafkaFormat
from ksqlserver.formats.none import NoneFormat

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        JsonFormat(),
        DelimitedFormat(),
        KafkaFormat(),
        NoneFormat(),
    )
}
SCHEMA_REGISTRY_FORMATS = ("AVRO", "PROTOBUF", "PROTOBUF_NOSR", "JSON_SR")


def _load_schema_registry_formats() -> None:
    """The Schema Registry formats, imported on first use (fastavro and protobuf are not free to load)."""
    from ksqlserver.formats.avro import AvroFormat
    from ksqlserver.formats.json_sr import JsonSchemaFormat
    from ksqlserver.formats.protobuf import ProtobufFormat, ProtobufNoSRFormat

    for f in (AvroFormat(), ProtobufFormat(), ProtobufNoSRFormat(), JsonSchemaFormat()):
        FORMATS.setdefault(f.name, f)


def get_format(name: str) -> Format:
    """The format named `name` (case-insensitive); FormatError names unknown or unsupported ones."""
    upper = name.upper()
    if upper in FORMATS:
        return FORMATS[upper]
    if upper in SCHEMA_REGISTRY_FORMATS:
        _load_schema_registry_formats()
        return FORMATS[upper]
    raise FormatError(f"Unknown format: {upper}")


__all__ = [
    "FORMATS",
    "ConnectFormat",
    "Format",
    "FormatError",
    "Serde",
    "SerdeError",
    "SerdeOptions",
    "get_format",
    "parse_delimiter",
]
