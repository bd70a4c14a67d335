"""ksqlDB's SchemaTranslationPolicyTest (io.confluent.ksql.serde.connect): UPPERCASE_FIELD_NAME and
ORIGINAL_FIELD_NAME are incompatible with each other. Seen by a user as one naming or the other, never a
mix, for the nested fields of one inferred schema too."""

from __future__ import annotations

from typing import Any


def test_should_return_incompatible_set(fmt: Any) -> None:
    """shouldReturnIncompatibleSet: the top-level and nested names follow the same policy"""
    fmt.topic("t")
    fmt.register("t-value", {"type": "record", "name": "R", "fields": [
        {"name": "outer", "type": {"type": "record", "name": "I", "fields": [{"name": "inner", "type": "int"}]}}
    ]}, schema_id=1)  # fmt: skip
    fmt.sql("CREATE STREAM UP WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO');")
    fmt.sql("CREATE STREAM ORIG WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID=1);")
    assert fmt.schema("UP") == "`OUTER` STRUCT<`INNER` INTEGER>"
    assert fmt.schema("ORIG") == "`outer` STRUCT<`inner` INTEGER>"
