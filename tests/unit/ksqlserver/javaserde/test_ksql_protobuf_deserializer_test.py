"""ksqlDB's AbstractKsqlProtobufDeserializerTest with its two subclasses KsqlProtobufDeserializerTest
(PROTOBUF) and KsqlProtobufNoSRDeserializerTest (PROTOBUF_NOSR): DECIMAL, TIME, DATE, TIMESTAMP and
BYTES fields written by the Connect converter read back to the same values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.formats import SerdeOptions, get_format
from ksqlserver.formats.sr.client import MemoryRegistryClient


@pytest.mark.parametrize("fmt", ["PROTOBUF", "PROTOBUF_NOSR"])
@pytest.mark.parametrize(("spec", "value"), [
    ("DECIMAL(10, 2)", Decimal("12.34")),  # shouldDeserializeDecimalField
    ("TIME", 2000),  # shouldDeserializeTimeField
    ("DATE", 10),  # shouldDeserializeDateField: java.sql.Date(864000000L)
    ("TIMESTAMP", 2000),  # shouldDeserializeTimestampField
    ("BYTES", b"\x7b"),  # shouldDeserializeBytesField
])
def test_should_deserialize_field(fmt: str, spec: str, value: Any) -> None:
    options = SerdeOptions(topic="t", registry=MemoryRegistryClient())
    s = get_format(fmt).serde([Column("f0", parse_type(spec))], options, False)
    assert s.deserialize(s.serialize([value])) == [value]
