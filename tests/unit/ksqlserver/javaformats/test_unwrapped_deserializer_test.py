"""ksqlDB's UnwrappedDeserializerTest (io.confluent.ksql.serde.unwrapped): the deserializer of an unwrapped
single column reads the record with the inner deserializer and makes it a row of that one value; a null
record is a null row. Ported on the serdes of the formats that unwrap and end to end (a stream over bare
values). Not ported: shouldConfigureInner / shouldCloseInner (mock calls); the "new style" calls with
headers are the same calls."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.formats.connect_format import ConnectDeserializationError
from ksqlserver.formats.sr.client import MemoryRegistryClient

FORMATS = ["JSON", "AVRO", "JSON_SR", "PROTOBUF_NOSR"]


@pytest.mark.parametrize("name", FORMATS)
def test_should_deserialize_nulls(make_serde: Any, name: str) -> None:
    """shouldDeserializeOldStyleNulls, shouldDeserializeNewStyleNulls"""
    assert make_serde(name, "V STRING", wrap=False, registry=MemoryRegistryClient()).deserialize(None) is None


def test_should_deserialize(make_serde: Any) -> None:
    """shouldDeserializeOldStyle, shouldDeserializeNewStyle: a row of the inner deserializer's value"""
    assert make_serde("JSON", "V STRING", wrap=False).deserialize(b'"deserialized"') == ["deserialized"]


def test_protobuf_nosr_cannot_read_its_unwrapped_value(make_serde: Any) -> None:
    """The Java test's inner deserializer is a mock. The real PROTOBUF_NOSR serde writes an unwrapped single
    value as a one-field message but reads the record back as a struct (ProtobufNoSRConverter / ProtobufData,
    observed on ksqlDB 0.29: its queries drop such records), so the unwrapped read fails."""
    with pytest.raises(ConnectDeserializationError, match="Cannot deserialize type struct as type string"):
        make_serde("PROTOBUF_NOSR", "V STRING", wrap=False).deserialize(b"\x0a\x0cdeserialized")


def test_a_stream_reads_bare_values(fmt: Any) -> None:
    """shouldDeserializeOldStyle, end to end; a null record is a null row, which the stream passes on"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (V STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE=false);")
    fmt.sql("CREATE STREAM O AS SELECT * FROM S;")
    fmt.produce("t", b'"deserialized"')
    fmt.produce("t", None)
    assert fmt.values("O") == [b'{"V":"deserialized"}', None]
