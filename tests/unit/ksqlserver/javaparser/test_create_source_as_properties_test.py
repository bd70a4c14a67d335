"""ksqlDB 0.29's CreateSourceAsPropertiesTest (ksqldb-parser, io.confluent.ksql.parser.properties.with),
ported through CREATE STREAM ... AS SELECT statements: CreateSourceAsProperties.from runs while AstBuilder
builds the statement, before any injector or the planner, and DefaultKsqlParser.prepare words its errors
"Failed to prepare statement: <message>".

Not ported: the getters of accepted properties that no response shows, and equals/hashCode."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError

PREPARE = "Failed to prepare statement: "


def _csas(props: str) -> str:
    return f"CREATE STREAM S WITH ({props}) AS SELECT * FROM ORDERS;"


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (  # shouldThrowOnInvalidTimestampFormat
            "timestamp_format='invalid'",
            "Invalid datetime format for config:TIMESTAMP_FORMAT, reason:Unknown pattern letter: i",
        ),
        ("foo='bar'", "Invalid config variable(s) in the WITH clause: FOO"),  # shouldFailIfInvalidConfig
        (  # shouldThrowIfSourceConnectorPropertyProvided
            "sourced_by_connector='whatever'",
            "Invalid config variable(s) in the WITH clause: SOURCED_BY_CONNECTOR",
        ),
        (  # shouldThrowIfValueSchemaNameAndAvroSchemaNameProvided
            "value_schema_full_name='value_schema', value_avro_schema_full_name='value_schema'",
            "Cannot supply both 'VALUE_AVRO_SCHEMA_FULL_NAME' and 'VALUE_SCHEMA_FULL_NAME' properties. "
            "Please only set 'VALUE_SCHEMA_FULL_NAME'.",
        ),
        (  # shouldThrowIfKeyFormatAndFormatProvided
            "key_format='KAFKA', format='JSON'",
            "Cannot supply both 'KEY_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. "
            "Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
        ),
        (  # shouldThrowIfValueFormatAndFormatProvided
            "value_format='JSON', format='KAFKA'",
            "Cannot supply both 'VALUE_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. "
            "Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
        ),
    ],
)
def test_refused_at_prepare(refused: Callable[[str], KsqlError], props: str, message: str) -> None:
    """CreateSourceAsPropertiesTest's construction failures (CreateSourceAsProperties.from)."""
    assert refused(_csas(props)).message == PREPARE + message


def test_with_clause_checked_before_the_query(refused: Callable[[str], KsqlError]) -> None:
    """The WITH clause is refused before the query is planned (a CTAS over a stream names the property, not
    the result type), as AstBuilder builds the properties while preparing the statement."""
    msg = refused("CREATE TABLE T WITH (foo='bar') AS SELECT * FROM ORDERS;").message
    assert msg == PREPARE + "Invalid config variable(s) in the WITH clause: FOO"


@pytest.mark.parametrize("prefix", ["KEY", "VALUE"])
def test_fail_when_protobuf_properties_are_used_on_other_formats(
    refused: Callable[[str], KsqlError], prefix: str
) -> None:
    """CreateSourceAsPropertiesTest.shouldFailWhenProtobufPropertiesAreUsedOnOther{Key,Value}Formats
    (getKeyFormatProperties / getValueFormatProperties, which the Analyzer calls while the query is planned:
    no prepare prefix, the planning's)."""
    msg = refused(_csas(f"format='JSON', {prefix}_PROTOBUF_NULLABLE_REPRESENTATION='OPTIONAL'")).message
    assert msg == "Could not determine output schema for query due to error: " f"Property {prefix}_PROTOBUF_NULLABLE_REPRESENTATION can only be enabled with protobuf format"


def test_handle_non_upper_case_prop_names(engine: Engine) -> None:
    """CreateSourceAsPropertiesTest.shouldHandleNonUpperCasePropNames / shouldSetPartitions /
    shouldSetWrapSingleValues: accepted, and the re-formatted statement names them upper-cased."""
    [entity] = engine.execute(_csas("Kafka_Topic='s', Partitions=1"))
    assert entity["statementText"].startswith("CREATE STREAM S WITH (")
    assert "KAFKA_TOPIC='s'" in entity["statementText"] and "PARTITIONS=1" in entity["statementText"]
