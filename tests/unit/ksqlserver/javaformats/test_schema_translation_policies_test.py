"""ksqlDB's SchemaTranslationPoliciesTest (io.confluent.ksql.serde.connect): the policies of one translation
are exclusive (ORIGINAL_FIELD_NAME with UPPERCASE_FIELD_NAME is an IllegalArgumentException) and a policy
set says which one is enabled. A user gets exactly one: UPPERCASE_FIELD_NAME when the columns are inferred
from the subject's latest schema, ORIGINAL_FIELD_NAME when the CREATE names a schema id
(SchemaRegistryTopicSchemaSupplier.fromParsedSchema); never both."""

from __future__ import annotations

from typing import Any


def test_should_return_correct_enabled(fmt: Any) -> None:
    """shouldReturnCorrectEnabled: the uppercase policy alone, by default"""
    fmt.topic("t")
    fmt.register("t-value", {"type": "record", "name": "R", "fields": [{"name": "lower", "type": "int"}]},
                 schema_id=1)  # fmt: skip
    fmt.sql("CREATE STREAM UP WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO');")
    fmt.sql("CREATE STREAM ORIG WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID=1);")
    assert (fmt.schema("UP"), fmt.schema("ORIG")) == ("`LOWER` INTEGER", "`lower` INTEGER")
