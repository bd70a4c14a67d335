"""ksqlDB's ProtobufFormatTest (io.confluent.ksql.serde.protobuf): schemaFullNames lists every message of a
schema with several, package-qualified when there is a package. A user sees the list when a CREATE infers
from such a schema without naming one (DefaultSchemaInjector.throwOnMultiSchemaDefinitions), and picks one
with VALUE_SCHEMA_FULL_NAME."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.formats.sr.client import PROTOBUF

WITH_PACKAGE = ('syntax = "proto3"; package examples.proto; message ProtobufKey1 {uint32 k1 = 1;} '
                "message ProtobufKey2 {string k1 = 1;}")  # fmt: skip
WITHOUT_PACKAGE = 'syntax = "proto3"; message ProtobufKey1 {uint32 k1 = 1;} message ProtobufKey2 {string k1 = 1;}'


@pytest.mark.parametrize(
    ("schema", "names"),
    [(WITH_PACKAGE, ["examples.proto.ProtobufKey1", "examples.proto.ProtobufKey2"]),  # ...WithPackageName
     (WITHOUT_PACKAGE, ["ProtobufKey1", "ProtobufKey2"])],  # ...WithoutPackageName
)  # fmt: skip
def test_should_return_schema_names_from_multiple_schema_definitions(fmt: Any, schema: str, names: list[str]) -> None:
    fmt.topic("t")
    fmt.register("t-value", schema, PROTOBUF, schema_id=1)
    message = fmt.message("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF');")
    listed = "\n".join(f"- {n}" for n in names)
    assert message == (
        f"Value schema has multiple schema definitions. \n\n{listed}\n\n"
        "Please specify a schema full name in the WITH clause using VALUE_SCHEMA_FULL_NAME"
    )


def test_a_full_schema_name_picks_one_definition(fmt: Any) -> None:
    fmt.topic("t")
    fmt.register("t-value", WITH_PACKAGE, PROTOBUF, schema_id=1)
    fmt.sql("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF', "
            "VALUE_SCHEMA_FULL_NAME='examples.proto.ProtobufKey2');")  # fmt: skip
    assert fmt.schema("S") == "`K1` STRING"
