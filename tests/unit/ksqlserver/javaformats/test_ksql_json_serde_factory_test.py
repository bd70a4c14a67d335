"""ksqlDB's KsqlJsonSerdeFactoryTest (io.confluent.ksql.serde.json): JSON and JSON_SR refuse MAP types whose
keys are not STRING, at any depth; the refusal reaches the user wrapped by GenericSerdeFactory.
createFormatSerde ("Value format does not support schema." + format, schema, reason).

shouldUseNewJsonSchemaDeserializerOnJsonSrWhenJsonSchemaConverterIsEnabled /
shouldUseOldJsonDeserializerOnJsonSrWhenJsonSchemaConverterIsDisabled: JSON_SR values are read with the
Schema Registry converter (KsqlConnectDeserializer, the default of ksql.json_sr.converter.deserializer.enabled)
or, with the flag false, by KsqlJsonDeserializer: the JSON after the five-byte prefix, with JSON's coercions
and messages, whatever schema id it names."""

from __future__ import annotations

from typing import Any

import pytest

CONVERTER_OFF = {"ksql.json_sr.converter.deserializer.enabled": "false"}


@pytest.mark.parametrize("name", ["JSON", "JSON_SR"])
def test_should_throw_on_map_with_none_string_keys(fmt: Any, name: str) -> None:
    """shouldThrowOnMapWithNoneStringKeys"""
    fmt.topic("t")
    message = fmt.message(f"CREATE STREAM S (F0 MAP<BOOLEAN, STRING>) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='{name}');")
    assert message == (
        f"Value format does not support schema.\nformat: {name}\nschema: Persistence{{columns=[`F0` MAP<BOOLEAN, "
        f"STRING>], features=[]}}\nreason: JSON only supports MAP types with STRING keys"
    )


@pytest.mark.parametrize("name", ["JSON", "JSON_SR"])
def test_should_throw_on_nested_map_with_none_string_keys(fmt: Any, name: str) -> None:
    """shouldThrowOnNestedMapWithNoneStringKeys"""
    fmt.topic("t")
    message = fmt.message(
        f"CREATE STREAM S (S STRUCT<F0 MAP<BOOLEAN, STRING>>) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='{name}');"
    )
    assert message.endswith("\nreason: JSON only supports MAP types with STRING keys")


def test_an_unwrapped_single_value_prints_its_features(fmt: Any) -> None:
    """GenericSerdeFactory's message prints the PersistenceSchema with its SerdeFeatures"""
    fmt.topic("t")
    message = fmt.message("CREATE STREAM S (F0 MAP<INT, STRING>) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', "
                          "WRAP_SINGLE_VALUE=false);")  # fmt: skip
    assert "schema: Persistence{columns=[`F0` MAP<INTEGER, STRING>], features=[UNWRAP_SINGLES]}\n" in message


def test_a_query_writing_a_map_with_none_string_keys_is_refused(fmt: Any) -> None:
    """shouldThrowOnMapWithNoneStringKeys, for the sink of a CREATE ... AS SELECT"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (K INT, V DOUBLE) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    message = fmt.message("CREATE STREAM O AS SELECT MAP(K := V) M FROM S;")
    assert message.startswith("Value format does not support schema.\nformat: JSON\nschema: Persistence{columns="
                              "[`M` MAP<INTEGER, DOUBLE>], features=[]}\nreason: JSON only supports MAP types "
                              "with STRING keys")  # fmt: skip


def test_json_sr_values_are_read_with_the_schema_registry_converter(fmt: Any) -> None:
    """shouldUseNewJsonSchemaDeserializerOnJsonSrWhenJsonSchemaConverterIsEnabled: an unwrapped JSON_SR
    value is read after its Schema Registry prefix, by the writer's schema"""
    fmt.topic("t")
    fmt.register("t-value", '{"type": "string"}', "JSON", schema_id=1)
    fmt.sql("CREATE STREAM S (V STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON_SR', WRAP_SINGLE_VALUE=false);")
    fmt.sql("CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT * FROM S;")
    fmt.produce("t", b'\x00\x00\x00\x00\x01"abc"')
    assert fmt.values("O") == [b'{"V":"abc"}']


def test_json_sr_values_are_read_as_json_when_the_converter_is_disabled(fmt: Any) -> None:
    """shouldUseOldJsonDeserializerOnJsonSrWhenJsonSchemaConverterIsDisabled: the schema id is not looked
    up (9 is not registered) and a numeric string is coerced as JSON's reader does"""
    fmt.topic("t")
    fmt.register("t-value", '{"type": "object", "properties": {"V": {"type": "integer"}}}', "JSON", schema_id=1)
    fmt.sql("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON_SR');", CONVERTER_OFF)
    fmt.sql("CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT * FROM S;", CONVERTER_OFF)
    fmt.produce("t", b'\x00\x00\x00\x00\x09{"V": "6"}')
    assert fmt.values("O") == [b'{"V":6}']
