"""ksqlDB 0.29's CreateSourcePropertiesTest (ksqldb-parser, io.confluent.ksql.parser.properties.with), ported
through CREATE STREAM statements: CreateSourceProperties.from runs while AstBuilder builds the statement, so
DefaultKsqlParser.prepare words its errors "Failed to prepare statement: <message>", which is the REST answer.
getKeyFormatProperties/getValueFormatProperties run later, at execution, without the prefix.

Not ported: the getters of accepted properties (schema ids, schema names, protobuf unwrapping and nullable
representation) that no response shows, and equals/hashCode."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError
from ksqlserver.sql import formatter

PREPARE = "Failed to prepare statement: "
MIN = "kafka_topic='foo', value_format='JSON'"


def _create(props: str) -> str:
    return f"CREATE STREAM S (X INT) WITH ({props});"


def test_set_valid_source_connector_property(engine: Engine) -> None:
    """CreateSourcePropertiesTest.shouldSetValidSourceConnectorProperty: SOURCED_BY_CONNECTOR is one of
    CreateConfigs' properties."""
    [entity] = engine.execute(_create(f"{MIN}, sourced_by_connector='source_connector'"))
    assert "SOURCED_BY_CONNECTOR='source_connector'" in entity["statementText"]


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (  # shouldThrowOnInvalidSourceConnectorPropertyType
            f"{MIN}, sourced_by_connector=1",
            "Invalid value 1 for property SOURCED_BY_CONNECTOR: Expected value to be a string, but it was a "
            "java.lang.Integer",
        ),
        (  # shouldThrowOnConstructionOnUnknownWindowType
            f"{MIN}, window_type='Unknown'",
            "Invalid value Unknown for property WINDOW_TYPE: String must be one of: SESSION, HOPPING, TUMBLING, null",
        ),
        (  # shouldFailIfInvalidWindowConfig
            f"{MIN}, window_type='bar'",
            "Invalid value bar for property WINDOW_TYPE: String must be one of: SESSION, HOPPING, TUMBLING",
        ),
        (  # shouldThrowOnHoppingWindowWithOutSize
            f"{MIN}, window_type='hopping'",
            "HOPPING windows require 'WINDOW_SIZE' to be provided in the WITH clause. "
            "For example: 'WINDOW_SIZE'='10 SECONDS'",
        ),
        (  # shouldThrowOnTumblingWindowWithOutSize
            f"{MIN}, window_type='tumbling'",
            "TUMBLING windows require 'WINDOW_SIZE' to be provided in the WITH clause. "
            "For example: 'WINDOW_SIZE'='10 SECONDS'",
        ),
        (  # shouldThrowOnSessionWindowWithSize
            f"{MIN}, window_type='SESSION', window_size='2 MILLISECONDS'",
            "'WINDOW_SIZE' should not be set for SESSION windows.",
        ),
        (  # shouldFailIfNoKafkaTopicName
            "value_format='JSON'",
            'Missing required property "KAFKA_TOPIC" which has no default value.',
        ),
        (  # shouldFailIfInvalidConfig
            f"{MIN}, foo='bar'",
            "Invalid config variable(s) in the WITH clause: FOO",
        ),
        (  # shouldThrowIfKeyFormatAndFormatProvided
            "kafka_topic='foo', key_format='KAFKA', format='JSON'",
            "Cannot supply both 'KEY_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. "
            "Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
        ),
        (  # shouldThrowIfValueSchemaNameAndAvroSchemaNameProvided
            f"{MIN}, value_schema_full_name='value_schema', value_avro_schema_full_name='value_schema'",
            "Cannot supply both 'VALUE_AVRO_SCHEMA_FULL_NAME' and 'VALUE_SCHEMA_FULL_NAME' properties. "
            "Please only set 'VALUE_SCHEMA_FULL_NAME'.",
        ),
        (  # shouldThrowIfValueFormatAndFormatProvided
            "kafka_topic='foo', value_format='JSON', format='KAFKA'",
            "Cannot supply both 'VALUE_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. "
            "Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
        ),
    ],
)
def test_refused_at_prepare(refused: Callable[[str], KsqlError], props: str, message: str) -> None:
    """CreateSourcePropertiesTest's construction failures (CreateSourceProperties.from)."""
    assert refused(_create(props)).message.startswith(PREPARE + message)


def test_throw_on_construction_on_invalid_duration(refused: Callable[[str], KsqlError]) -> None:
    """CreateSourcePropertiesTest.shouldThrowOnConstructionOnInvalidDuration: with a real DurationParser the
    WINDOW_SIZE validator (ConfigValidators.parses) refuses the value first, as the ConfigDef is parsed."""
    msg = refused(_create(f"{MIN}, window_type='HOPPING', window_size='2 HOURZ'")).message
    assert msg.startswith(PREPARE + "Configuration WINDOW_SIZE is invalid: Invalid duration: '2 HOURZ'. ")


def test_throw_on_construction_invalid_timestamp_format(refused: Callable[[str], KsqlError]) -> None:
    """CreateSourcePropertiesTest.shouldThrowOnConstructionInvalidTimestampFormat
    (PropertiesConfig.validateDateTimeFormat)."""
    msg = refused(_create(f"{MIN}, timestamp_format='invalid'")).message
    assert msg == PREPARE + "Invalid datetime format for config:TIMESTAMP_FORMAT, reason:Unknown pattern letter: i"


@pytest.mark.parametrize("prefix", ["KEY", "VALUE"])
def test_fail_when_protobuf_properties_are_used_on_other_formats(
    refused: Callable[[str], KsqlError], prefix: str
) -> None:
    """CreateSourcePropertiesTest.shouldFailWhenProtobufPropertiesAreUsedOnOther{Key,Value}Formats: checked
    when the formats are built, so without the prepare prefix."""
    msg = refused(_create(f"kafka_topic='foo', format='JSON', {prefix}_PROTOBUF_NULLABLE_REPRESENTATION='OPTIONAL'"))
    assert msg.message == f"Property {prefix}_PROTOBUF_NULLABLE_REPRESENTATION can only be enabled with protobuf format"


def test_include_only_provided_props_in_to_string() -> None:
    """CreateSourcePropertiesTest.shouldIncludeOnlyProvidedPropsInToString / shouldNotQuoteNonStringPropValues:
    a string literal stays quoted (even 'True'), a boolean does not."""
    assert formatter.properties({"KAFKA_TOPIC": "foo", "WRAP_SINGLE_VALUE": "True"}) == (
        "KAFKA_TOPIC='foo', WRAP_SINGLE_VALUE='True'"
    )
    assert "WRAP_SINGLE_VALUE=true" in formatter.properties({"KAFKA_TOPIC": "foo", "WRAP_SINGLE_VALUE": True})


def test_handle_non_upper_case_prop_names(engine: Engine) -> None:
    """CreateSourcePropertiesTest.shouldHandleNonUpperCasePropNames / shouldSetNumericPropertyFromStringLiteral
    / shouldSetBooleanPropertyFromStringLiteral: accepted whatever the case of the names."""
    [entity] = engine.execute(_create("Kafka_Topic='foo', VALUE_format='JSON', Wrap_Single_Value='false'"))
    assert entity["commandStatus"]["status"] == "SUCCESS"
