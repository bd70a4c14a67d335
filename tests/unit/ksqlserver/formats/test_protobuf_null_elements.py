"""A null element of an ARRAY fails a Protobuf serialization: ProtobufData hands the list on to
DynamicMessage.Builder.setField, whose FieldSet.verifyType throws a NullPointerException. Observed on ksqlDB
0.29 (the oracle built from source): a CREATE STREAM ... AS SELECT writing `[1, null]` as PROTOBUF or
PROTOBUF_NOSR fails the query ("Unable to serialize record"), where it used to be written as `[1, 0]`."""

from __future__ import annotations

import pytest

from ksqlserver.catalog.types import parse_schema
from ksqlserver.formats import SerdeOptions, get_format
from ksqlserver.formats.connect_format import ConnectSerializationError


@pytest.mark.parametrize("element", ["INT", "STRING", "STRUCT<X INT>"])
def test_a_null_array_element_does_not_serialize(element: str) -> None:
    cols = parse_schema(f"V ARRAY<{element}>").value_only
    serde = get_format("PROTOBUF_NOSR").serde(cols, SerdeOptions(), False)
    one = {"X": 1} if element.startswith("STRUCT") else ("a" if element == "STRING" else 1)
    assert serde.deserialize(serde.serialize([[one, one]])) == [[one, one]]
    # the NullPointerException passes ProtobufNoSRConverter (it only wraps SerializationException), so
    # KsqlConnectSerializer's message carries its null message: INSERT VALUES reports "Could not serialize
    # valueError serializing message to topic: t. null\nHint: ..." (oracle case keysins/insvalues)
    with pytest.raises(ConnectSerializationError, match=r"^null\nHint: You probably forgot to add VALUE_SCHEMA_ID"):
        serde.serialize([[one, None]])
