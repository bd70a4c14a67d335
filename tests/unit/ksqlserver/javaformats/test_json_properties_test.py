"""ksqlDB's JsonPropertiesTest (io.confluent.ksql.serde.json): JSON supports no format properties, so a
full schema name (or any other property) is refused with FormatProperties' message. A user sets one through
VALUE_SCHEMA_FULL_NAME / VALUE_AVRO_SCHEMA_FULL_NAME / KEY_SCHEMA_FULL_NAME. Not ported:
shouldGetSupportedProperties, shouldGetFullSchemaName and shouldGetDefaultFullSchemaName (the getters that
throw UnsupportedOperationException are not reachable from a statement)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "with_clause",
    ["VALUE_FORMAT='JSON', VALUE_SCHEMA_FULL_NAME='schema'",
     "VALUE_FORMAT='JSON', VALUE_AVRO_SCHEMA_FULL_NAME='schema'",
     "KEY_FORMAT='JSON', VALUE_FORMAT='AVRO', KEY_SCHEMA_FULL_NAME='schema'"],
)  # fmt: skip
def test_should_throw_with_unsupported_property(fmt: Any, with_clause: str) -> None:
    """shouldThrowWithUnsupportedProperty"""
    fmt.topic("t")
    message = fmt.message(f"CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='t', {with_clause});")
    assert message == "JSON does not support the following configs: [fullSchemaName]"
