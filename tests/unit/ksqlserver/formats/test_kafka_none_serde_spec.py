"""KAFKA and NONE serdes against ksqlDB's own serde unit tests (KafkaSerdeFactoryTest, KsqlVoidSerdeTest,
NoneFormatTest): Kafka's primitive serializers, their size errors, and what they refuse."""

from __future__ import annotations

import struct
from typing import Any

import pytest

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.errors import FormatError, SerdeError
from ksqlserver.formats import SerdeOptions, get_format


def _serde(fmt: str, spec: list[tuple[str, str]], is_key: bool = False) -> Any:
    cols = [Column(n, parse_type(t)) for n, t in spec]
    return get_format(fmt).serde(cols, SerdeOptions(), is_key)


def test_kafka_takes_one_field_only() -> None:
    with pytest.raises(FormatError) as e:
        _serde("KAFKA", [("f0", "INT"), ("f1", "BIGINT")])
    assert "The 'KAFKA' format only supports a single field. Got: [`f0` INTEGER, `f1` BIGINT]" in str(e.value)


@pytest.mark.parametrize(
    ("t", "base"),
    [("BOOLEAN", "BOOLEAN"), ("DECIMAL(4, 2)", "DECIMAL"), ("ARRAY<STRING>", "ARRAY"), ("MAP<STRING, INT>", "MAP"),
     ("STRUCT<F INT>", "STRUCT"), ("TIMESTAMP", "TIMESTAMP"), ("DATE", "DATE"), ("TIME", "TIME")],
)  # fmt: skip
def test_kafka_refuses_types_without_a_kafka_serializer(t: str, base: str) -> None:
    with pytest.raises(FormatError, match=f"The 'KAFKA' format does not support type '{base}'"):
        _serde("KAFKA", [("f0", t)])


def test_kafka_nulls() -> None:
    serde = _serde("KAFKA", [("f0", "INT")])
    assert serde.serialize(None) is None
    assert serde.deserialize(None) is None
    assert serde.serialize([None]) is None
    key = _serde("KAFKA", [("f0", "INT")], is_key=True)
    assert key.serialize([None]) is None


@pytest.mark.parametrize(
    ("t", "value", "data"),
    [
        ("INT", 1, struct.pack(">i", 1)),
        ("INT", -(2**31), struct.pack(">i", -(2**31))),
        ("INT", 2**31 - 1, struct.pack(">i", 2**31 - 1)),
        ("BIGINT", -(2**63), struct.pack(">q", -(2**63))),
        ("BIGINT", 2**63 - 1, struct.pack(">q", 2**63 - 1)),
        ("DOUBLE", 1.1, struct.pack(">d", 1.1)),
        ("DOUBLE", 5e-324, struct.pack(">d", 5e-324)),
        ("DOUBLE", 1.7976931348623157e308, struct.pack(">d", 1.7976931348623157e308)),
        ("DOUBLE", 2.2250738585072014e-308, struct.pack(">d", 2.2250738585072014e-308)),
        ("STRING", "Yo!", b"Yo!"),
        ("STRING", "", b""),
        ("BYTES", b"\x00\x01", b"\x00\x01"),
        ("BYTES", b"", b""),
    ],
)
def test_kafka_round_trips(t: str, value: Any, data: bytes) -> None:
    serde = _serde("KAFKA", [("f0", t)])
    assert serde.serialize([value]) == data
    assert serde.deserialize(data) == [value]


@pytest.mark.parametrize(
    ("t", "data", "message"),
    [
        ("INT", b"\x00\x00\x01", "Size of data received by IntegerDeserializer is not 4"),
        ("INT", b"", "Size of data received by IntegerDeserializer is not 4"),
        ("BIGINT", b"\x00\x00\x00\x01", "Size of data received by LongDeserializer is not 8"),
        ("DOUBLE", b"\x00" * 9, "Size of data received by DoubleDeserializer is not 8"),
    ],
)
def test_kafka_size_errors(t: str, data: bytes, message: str) -> None:
    with pytest.raises(SerdeError, match=message):
        _serde("KAFKA", [("f0", t)]).deserialize(data)


def test_kafka_strings_decode_as_java_strings() -> None:
    # StringDeserializer is new String(bytes, UTF_8): malformed input is replaced, never an error
    assert _serde("KAFKA", [("f0", "STRING")]).deserialize(b"a\xffb") == ["a\ufffdb"]


def test_none_writes_and_reads_nothing() -> None:
    serde = _serde("NONE", [])
    assert serde.serialize([]) is None
    assert serde.serialize(None) is None
