"""ksqlDB's AbstractProtobufSerdeFactoryTest (io.confluent.ksql.serde.protobuf), with its subclasses
ProtobufSerdeFactoryTest and ProtobufNoSRSerdeFactoryTest (this module ports all three): a serde is made for
a STRUCT holding an ARRAY of DECIMALs, or of STRINGs, without error. A user makes it with a CREATE in
PROTOBUF or PROTOBUF_NOSR and sees the values written and read back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.formats.sr.client import MemoryRegistryClient


@pytest.mark.parametrize("name", ["PROTOBUF", "PROTOBUF_NOSR"])
@pytest.mark.parametrize(
    ("column", "value"),
    [("ARRAY<DECIMAL(10, 2)>", [Decimal("1.50"), Decimal("-2.25")]),  # shouldNotThrowOnDecimal
     ("ARRAY<STRING>", ["a", "b"])],  # shouldNotThrowOnNonDecimal
)  # fmt: skip
def test_should_not_throw(make_serde: Any, name: str, column: str, value: Any) -> None:
    s = make_serde(name, f"f0 {column}", registry=MemoryRegistryClient())
    assert s.deserialize(s.serialize([value])) == [value]


@pytest.mark.parametrize("name", ["PROTOBUF", "PROTOBUF_NOSR"])
def test_a_create_makes_the_serde(fmt: Any, name: str) -> None:
    fmt.topic("t")
    fmt.sql(f"CREATE STREAM S (F0 ARRAY<DECIMAL(10, 2)>) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='{name}');")
    fmt.sql("INSERT INTO S VALUES (ARRAY[1.50, -2.25]);")
    fmt.sql("CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT * FROM S;")
    assert fmt.values("O") == [b'{"F0":[1.50,-2.25]}']
