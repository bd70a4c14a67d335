"""ksqlDB's KafkaSerdeFactoryTest (io.confluent.ksql.serde.kafka), the cases not already in
tests/unit/ksqlserver/formats/test_kafka_none_serde_spec.py: a key without columns, and the extreme
INT, BIGINT and DOUBLE values round-tripping through Kafka's own serializers."""

from __future__ import annotations

import struct
import sys
from typing import Any

import pytest

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.formats import SerdeOptions, get_format


def test_should_handle_empty_key() -> None:
    """shouldHandleEmptyKey / shouldHandleNullKeyColumn: no key columns, nothing written."""
    s = get_format("KAFKA").serde([], SerdeOptions(), True)
    assert s.serialize([]) is None and s.serialize(None) is None


@pytest.mark.parametrize(("spec", "value", "packed"), [
    ("INT", 1, struct.pack(">i", 1)),
    ("INT", -(2**31), struct.pack(">i", -(2**31))),
    ("INT", 2**31 - 1, struct.pack(">i", 2**31 - 1)),
    ("BIGINT", 1, struct.pack(">q", 1)),
    ("BIGINT", -(2**63), struct.pack(">q", -(2**63))),
    ("BIGINT", 2**63 - 1, struct.pack(">q", 2**63 - 1)),
    ("DOUBLE", 1.1, struct.pack(">d", 1.1)),
    ("DOUBLE", 5e-324, struct.pack(">d", 5e-324)),  # Double.MIN_VALUE
    ("DOUBLE", sys.float_info.max, struct.pack(">d", sys.float_info.max)),
    ("DOUBLE", sys.float_info.min, struct.pack(">d", sys.float_info.min)),  # Double.MIN_NORMAL
    ("STRING", "Yo!", b"Yo!"),
])
def test_should_handle(spec: str, value: Any, packed: bytes) -> None:
    """shouldHandleInt, shouldHandleBigInt, shouldHandleDouble, shouldHandleString."""
    s = get_format("KAFKA").serde([Column("f0", parse_type(spec))], SerdeOptions(), False)
    data = s.serialize([value])
    assert data == packed
    assert s.deserialize(data) == [value]
