"""ksqlDB's JsonSchemaPropertiesTest (io.confluent.ksql.serde.json): JSON_SR supports fullSchemaName and
schemaId, its full schema name defaults to none (JsonSchemaProperties.getDefaultFullSchemaName: null, for
backward compatibility), and other properties are refused. A user sets them through VALUE_SCHEMA_FULL_NAME
and VALUE_SCHEMA_ID. JSON_SR has no inheritable property: a CREATE ... AS SELECT does not take its
source's full schema name (INHERITABLE_PROPERTIES is empty). shouldThrowWithUnsupportedProperty has no
statement that sets an arbitrary property; the DELIMITED one stands for it."""

from __future__ import annotations

import json
from typing import Any


def test_should_get_full_schema_name(fmt: Any) -> None:
    """shouldGetFullSchemaName: the property is accepted and kept"""
    fmt.topic("t")
    [result] = fmt.sql("CREATE STREAM S (A INT, B STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON_SR', "
                       "VALUE_SCHEMA_FULL_NAME='schema');")  # fmt: skip
    assert "VALUE_SCHEMA_FULL_NAME='schema'" in result["statementText"]
    assert fmt.source("S").value_options.extra == {"fullSchemaName": "schema"}


def test_should_get_default_full_schema_name(fmt: Any) -> None:
    """shouldGetDefaultFullSchemaName: none, so the registered JSON schema has no title"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (A INT, B STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON_SR');")
    assert fmt.source("S").value_options.extra == {}
    fmt.sql("INSERT INTO S (A, B) VALUES (1, 'x');")
    assert "title" not in json.loads(fmt.registered("t-value").schema)


def test_full_schema_name_is_not_inherited(fmt: Any) -> None:
    """JsonSchemaProperties.INHERITABLE_PROPERTIES is empty"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (A INT, B STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON_SR', "
            "VALUE_SCHEMA_FULL_NAME='schema');")  # fmt: skip
    fmt.sql("CREATE STREAM S2 AS SELECT * FROM S;")
    assert fmt.source("S2").value_options.extra == {}


def test_should_throw_with_unsupported_property(fmt: Any) -> None:
    """shouldThrowWithUnsupportedProperty: a delimiter on JSON_SR"""
    fmt.topic("t")
    message = fmt.message("CREATE STREAM S (A INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON_SR', VALUE_DELIMITER='|');")
    assert message == "JSON_SR does not support the following configs: [delimiter]"
