"""ksqlDB's AvroSchemaTranslatorTest and AvroPropertiesTest (io.confluent.ksql.serde.avro): names Avro
refuses (Schema.validateName, through AvroSchemaTranslator.fromConnectSchema's text) and unsupported
properties (FormatProperties.validateProperties)."""

from __future__ import annotations

import pytest

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.errors import FormatError
from ksqlserver.formats import SerdeOptions, get_format
from ksqlserver.formats.sr.client import MemoryRegistryClient


def _serde(fmt: str, spec: list[tuple[str, str]], **extra: str) -> object:
    cols = [Column(n, parse_type(t)) for n, t in spec]
    return get_format(fmt).serde(cols, SerdeOptions(topic="t", registry=MemoryRegistryClient(), extra=extra), False)


def test_should_throw_when_building_avro_schema_if_schema_contains_invalid_avro_names() -> None:
    """shouldThrowWhenBuildingAvroSchemafSchemaContainsInvalidAvroNames."""
    with pytest.raises(FormatError) as e:
        _serde("AVRO", [("2Bad", "INT")])
    assert str(e.value) == "Schema is not compatible with Avro: Illegal initial character: 2Bad"


def test_names_avro_refuses_elsewhere() -> None:
    """Schema.validateName's other texts, on a nested field and on the record a STRUCT column names; a
    source dereference (`S.F`) is renamed `S_F` first and passes."""
    with pytest.raises(FormatError, match=r"^Schema is not compatible with Avro: Illegal character in: a-b$"):
        _serde("AVRO", [("V", "STRUCT<`a-b` INT>")])
    with pytest.raises(FormatError, match=r"Illegal character in: KsqlDataSourceSchema_x-y$"):
        _serde("AVRO", [("x-y", "STRUCT<A INT>")])
    _serde("AVRO", [("S.F", "INT"), ("_ok", "MAP<STRING, STRUCT<`b1` INT>>")])


@pytest.mark.parametrize("fmt", ["AVRO", "PROTOBUF"])
def test_should_throw_with_unsupported_property(fmt: str) -> None:
    """AvroPropertiesTest / ProtobufPropertiesTest#shouldThrowWithUnsupportedProperty."""
    with pytest.raises(FormatError) as e:
        _serde(fmt, [("V", "INT")], some_property="x")
    assert str(e.value) == f"{fmt} does not support the following configs: [some_property]"
