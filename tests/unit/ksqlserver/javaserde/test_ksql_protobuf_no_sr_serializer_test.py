"""ksqlDB's KsqlProtobufNoSRSerializerTest (io.confluent.ksql.serde.protobuf): PROTOBUF_NOSR writes the
bare message of the schema ProtobufData derives from the columns (no magic byte, schema id or message
index), the same field bytes as PROTOBUF; FULL_SCHEMA_NAME is not one of its properties
(ProtobufNoSRProperties.SUPPORTED_PROPERTIES)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.errors import FormatError
from ksqlserver.formats import SerdeOptions, get_format


def _serde(spec: list[tuple[str, str]], **extra: str) -> Any:
    cols = [Column(n, parse_type(t)) for n, t in spec]
    return get_format("PROTOBUF_NOSR").serde(cols, SerdeOptions(topic="bob", extra=extra), False)


def test_should_use_nested_struct_names() -> None:
    """shouldUseNestedStructNames: struct, repeated struct and map entries, as the expected text format
    `field0 {...} field1 {...} field1 {...} field2 { key: "key1" value {...} }` encodes."""
    inner = "STRUCT<`field0_1` STRING>"
    s = _serde([("field0", inner), ("field1", f"ARRAY<{inner}>"), ("field2", f"MAP<STRING, {inner}>")])
    row = [{"field0_1": "foobar"}, [{"field0_1": "arrValue1"}, {"field0_1": "arrValue2"}],
           {"key1": {"field0_1": "mapValue1"}}]
    data = s.serialize(row)

    def msg(tag: int, body: bytes) -> bytes:
        return bytes([tag << 3 | 2, len(body)]) + body

    def struct(text: bytes) -> bytes:
        return msg(1, text)

    assert data == (msg(1, struct(b"foobar")) + msg(2, struct(b"arrValue1")) + msg(2, struct(b"arrValue2"))
                    + msg(3, msg(1, b"key1") + msg(2, struct(b"mapValue1"))))
    assert s.deserialize(data) == row


def test_should_use_schema_name_from_property_if_exists() -> None:
    """shouldUseSchemaNameFromPropertyIfExists: `field0: "foobar"`; the NOSR factory is given no
    properties there, and FULL_SCHEMA_NAME is refused by FormatProperties.validateProperties."""
    assert _serde([("field0", "STRING")]).serialize(["foobar"]) == b"\x0a\x06foobar"
    with pytest.raises(FormatError, match=r"PROTOBUF_NOSR does not support the following configs: "
                                          r"\[fullSchemaName\]"):
        _serde([("field0", "STRING")], fullSchemaName="com.test.namespace.TestSchemaName1")


@pytest.mark.parametrize(("spec", "value", "message"), [
    ("DECIMAL(4, 2)", Decimal("12.34"), "0a0204d210041802"),  # shouldSerializeDecimalField
    ("TIME", 2000, "1802"),  # shouldSerializeTimeField: TimeOfDay{seconds: 2}
    ("DATE", 10, "08b20f1001180b"),  # shouldSerializeDateField: Date{1970, 1, 11}
    ("TIMESTAMP", 2000, "0802"),  # shouldSerializeTimestampField: Timestamp{seconds: 2}
    ("BYTES", b"abc", "616263"),  # shouldSerializeBytesField
])
def test_should_serialize_field(spec: str, value: Any, message: str) -> None:
    s = _serde([("field0", spec)])
    inner = bytes.fromhex(message)
    data = s.serialize([value])
    assert data == b"\x0a" + bytes([len(inner)]) + inner
    assert s.deserialize(data) == [value]
