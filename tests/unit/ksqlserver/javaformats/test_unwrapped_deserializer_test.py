"""ksqlDB's UnwrappedDeserializerTest (io.confluent.ksql.serde.unwrapped): the deserializer of an unwrapped
single column reads the record with the inner deserializer and makes it a row of that one value; a null
record is a null row. Ported on the serdes of the formats that unwrap and end to end (a stream over bare
values). Not ported: shouldConfigureInner / shouldCloseInner (mock calls); the "new style" calls with
headers are the same calls."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.formats.sr.client import MemoryRegistryClient

FORMATS = ["JSON", "AVRO", "JSON_SR", "PROTOBUF_NOSR"]


@pytest.mark.parametrize("name", FORMATS)
def test_should_deserialize_nulls(make_serde: Any, name: str) -> None:
    """shouldDeserializeOldStyleNulls, shouldDeserializeNewStyleNulls"""
    assert make_serde(name, "V STRING", wrap=False, registry=MemoryRegistryClient()).deserialize(None) is None


@pytest.mark.parametrize(
    ("name", "data"),
    [("JSON", b'"deserialized"'), ("PROTOBUF_NOSR", b"\x0a\x0cdeserialized")],
)  # fmt: skip
def test_should_deserialize(make_serde: Any, name: str, data: bytes) -> None:
    """shouldDeserializeOldStyle, shouldDeserializeNewStyle: a row of the inner deserializer's value"""
    assert make_serde(name, "V STRING", wrap=False).deserialize(data) == ["deserialized"]


def test_a_stream_reads_bare_values(fmt: Any) -> None:
    """shouldDeserializeOldStyle, end to end; a null record is a null row, which the stream passes on"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (V STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE=false);")
    fmt.sql("CREATE STREAM O AS SELECT * FROM S;")
    fmt.produce("t", b'"deserialized"')
    fmt.produce("t", None)
    assert fmt.values("O") == [b'{"V":"deserialized"}', None]
