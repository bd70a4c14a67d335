"""A null element of an ARRAY fails a Protobuf serialization: ProtobufData hands the list on to
DynamicMessage.Builder.setField, whose FieldSet.verifyType throws a NullPointerException. Observed on ksqlDB
0.29 (the oracle built from source): a CREATE STREAM ... AS SELECT writing `[1, null]` as PROTOBUF or
PROTOBUF_NOSR fails the query ("Unable to serialize record"), where it used to be written as `[1, 0]`."""

from __future__ import annotations

import pytest

from ksqlserver.catalog.types import parse_schema
from ksqlserver.errors import KsqlError
from ksqlserver.formats import SerdeOptions, get_format


@pytest.mark.parametrize("element", ["INT", "STRING", "STRUCT<X INT>"])
def test_a_null_array_element_does_not_serialize(element: str) -> None:
    cols = parse_schema(f"V ARRAY<{element}>").value_only
    serde = get_format("PROTOBUF_NOSR").serde(cols, SerdeOptions(), False)
    one = {"X": 1} if element.startswith("STRUCT") else ("a" if element == "STRING" else 1)
    assert serde.deserialize(serde.serialize([[one, one]])) == [[one, one]]
    with pytest.raises(KsqlError, match="Failed to serialize Protobuf data"):
        serde.serialize([[one, None]])
