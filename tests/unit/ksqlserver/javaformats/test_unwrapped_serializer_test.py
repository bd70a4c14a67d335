"""ksqlDB's UnwrappedSerializerTest (io.confluent.ksql.serde.unwrapped): the serializer of an unwrapped single
column (WRAP_SINGLE_VALUE=false, or a single key) takes a row of exactly one value, writes that value alone,
and writes nothing for a null row. Ported on the serdes of the formats that unwrap (JSON, AVRO, JSON_SR,
PROTOBUF_NOSR), and end to end: an unwrapped value is the bare value on the topic.

Not ported: shouldThrowIfWrongType (the engine hands the serializer values of the column's type only),
shouldConfigureInner / shouldCloseInner (mock calls); the "new style" calls with headers are the same calls."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.formats.sr.client import MemoryRegistryClient

FORMATS = ["JSON", "AVRO", "JSON_SR", "PROTOBUF_NOSR"]


def _serde(make_serde: Any, name: str) -> Any:
    return make_serde(name, "V STRING", wrap=False, registry=MemoryRegistryClient())


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("row", [[], ["too", "many"]])
def test_should_throw_if_not_one_value(make_serde: Any, name: str, row: list[Any]) -> None:
    """shouldThrowIfLessThanOneValue, shouldThrowIfMoreThanOneValue"""
    with pytest.raises(Exception) as err:
        _serde(make_serde, name).serialize(row)
    assert str(err.value) == f"Column count mismatch on serialization. topic: t, expected: 1, got: {len(row)}"


@pytest.mark.parametrize("name", FORMATS)
def test_should_serialize_nulls(make_serde: Any, name: str) -> None:
    """shouldSerializeOldStyleNulls, shouldSerializeNewStyleNulls"""
    assert _serde(make_serde, name).serialize(None) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [("JSON", b'"data"'), ("PROTOBUF_NOSR", b"\x0a\x04data")],
)  # fmt: skip
def test_should_serialize(make_serde: Any, name: str, expected: bytes) -> None:
    """shouldSerializeOldStyle, shouldSerializeNewStyle: the inner serializer's bytes for the only value"""
    assert _serde(make_serde, name).serialize(["data"]) == expected


def test_an_unwrapped_value_is_written_bare(fmt: Any) -> None:
    """shouldSerializeOldStyle, end to end"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (V STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE=false);")
    fmt.sql("INSERT INTO S (V) VALUES ('data');")
    assert fmt.values("t") == [b'"data"']
