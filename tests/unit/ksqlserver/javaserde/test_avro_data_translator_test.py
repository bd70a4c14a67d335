"""ksqlDB's AvroDataTranslatorTest (io.confluent.ksql.serde.avro), through our AVRO serde: source
dereferences renamed for Avro and back, a writer's DECIMAL fitted to the column's (or refused with
DecimalUtil's exact texts), BYTES kept."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import fastavro
import pytest

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.errors import SerdeError
from ksqlserver.formats import SerdeOptions, get_format
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import AVRO, MemoryRegistryClient, RegisteredSchema

TOPIC = "t"


def _serde(registry: MemoryRegistryClient, name: str, spec: str, wrap: bool | None = None) -> Any:
    options = SerdeOptions(topic=TOPIC, registry=registry, wrap_single_value=wrap)
    return get_format("AVRO").serde([Column(name, parse_type(spec))], options, False)


def _decimal_bytes(registry: MemoryRegistryClient, value: Decimal, precision: int, scale: int) -> bytes:
    """A producer's unwrapped DECIMAL(precision, scale) value (the `topicSchema` of the Java test)."""
    schema = {"type": "bytes", "logicalType": "decimal", "precision": precision, "scale": scale}
    schema_id = registry.register(f"{TOPIC}-value", RegisteredSchema(AVRO, json.dumps(schema)))
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema), value)
    return wire.frame(schema_id, out.getvalue())


def test_shoud_rename_source_dereference() -> None:
    """shoudRenameSourceDereference: `STREAM_NAME.COLUMN_NAME` is written as `STREAM_NAME_COLUMN_NAME`
    and read back under its SQL name."""
    registry = MemoryRegistryClient()
    s = _serde(registry, "STREAM_NAME.COLUMN_NAME", "INT")
    data = s.serialize([123])
    schema = json.loads(registry.latest(f"{TOPIC}-value").schema.schema)
    assert [f["name"] for f in schema["fields"]] == ["STREAM_NAME_COLUMN_NAME"]
    assert s.deserialize(data) == [123]


def test_should_reject_unmatching_decimal_schema() -> None:
    """shouldRejectUnmatchingDecimalSchema."""
    registry = MemoryRegistryClient()
    data = _decimal_bytes(registry, Decimal("123.456"), 6, 3)
    with pytest.raises(SerdeError, match=r"Numeric field overflow: A field with precision 4 and scale 2 must "
                                         r"round to an absolute value less than 10\^2"):
        _serde(registry, "V", "DECIMAL(4, 2)", wrap=False).deserialize(data)


def test_should_force_unmatching_decimal_schema_if_possible() -> None:
    """shouldForceUnmatchingDecimalSchemaIfPossible: 12.1 of a narrower DECIMAL is 12.10 in DECIMAL(4, 2) (the
    Java test labels it DECIMAL(2, 1), which cannot hold 12.1; an Avro writer refuses that, so (3, 1) here)."""
    registry = MemoryRegistryClient()
    data = _decimal_bytes(registry, Decimal("12.1"), 3, 1)
    got = _serde(registry, "V", "DECIMAL(4, 2)", wrap=False).deserialize(data)
    assert got == [Decimal("12.10")] and str(got[0]) == "12.10"


def test_should_reject_conversions_requiring_rounding() -> None:
    """shouldRejectConversionsRequiringRounding."""
    registry = MemoryRegistryClient()
    data = _decimal_bytes(registry, Decimal("123.4"), 4, 1)
    with pytest.raises(SerdeError, match=r"Cannot fit decimal '123\.4' into DECIMAL\(3, 0\) without rounding\. "
                                         r"\(Requires 4,1\)"):
        _serde(registry, "V", "DECIMAL(3, 0)", wrap=False).deserialize(data)


def test_should_return_bytes() -> None:
    """shouldReturnBytes."""
    s = _serde(MemoryRegistryClient(), "V", "BYTES", wrap=False)
    assert s.deserialize(s.serialize([b"\x7b"])) == [b"\x7b"]
