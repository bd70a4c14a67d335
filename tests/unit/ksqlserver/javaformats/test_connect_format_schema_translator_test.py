"""ksqlDB's ConnectFormatSchemaTranslatorTest (io.confluent.ksql.serde.connect): a registered schema becomes
the columns of a CREATE without columns (toColumns): a struct's fields are the columns; a bare (anonymous)
schema is refused unless the single value is unwrapped (WRAP_SINGLE_VALUE=false), when it is the ROWVAL
column (ROWKEY for a key); and the schema ksqlDB registers for an unwrapped column is the bare type
(toParsedSchema). Not ported: shouldGetTranslatorWithCorrectProps and
shouldPassConnectSchemaReturnedBySubclassToTranslator (mock calls), shouldThrowOnUnsupportedFeatureWhen
BuildingParsedSchema (a format without UNWRAP_SINGLES given it: PROTOBUF refuses WRAP_SINGLE_VALUE=false
before)."""

from __future__ import annotations

import json
from typing import Any

ANONYMOUS = (
    "Schema returned from schema registry is anonymous type. To use this schema with ksqlDB, set "
    "'WRAP_SINGLE_VALUE=false' in the WITH clause properties."
)


def test_should_convert_transformed_connect_schema_to_columns(fmt: Any) -> None:
    """shouldConvertTransformedConnectSchemaToColumns"""
    fmt.topic("t")
    fmt.register("t-value", {"type": "record", "name": "R", "fields": [{"name": "bob", "type": "int"},
                                                                       {"name": "bert", "type": "long"}]})
    fmt.sql("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO');")
    assert fmt.schema("S") == "`BOB` INTEGER, `BERT` BIGINT"


def test_should_throw_on_unwrapped_schema_if_unwrap_single_is_false(fmt: Any) -> None:
    """shouldThrowOnUnwrappedSchemaIfUnwrapSingleIsFalse"""
    fmt.topic("t")
    fmt.register("t-value", '"int"')
    message = fmt.message("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO');")
    assert f"\nReason: {ANONYMOUS}\n" in message


def test_should_support_building_columns_from_primitive_value_schema(fmt: Any) -> None:
    """shouldSupportBuildingColumnsFromPrimitiveValueSchema: ROWVAL"""
    fmt.topic("t")
    fmt.register("t-value", '"int"')
    fmt.sql("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO', WRAP_SINGLE_VALUE=false);")
    assert fmt.schema("S") == "`ROWVAL` INTEGER"


def test_should_support_building_columns_from_primitive_key_schema(fmt: Any) -> None:
    """shouldSupportBuildingColumnsFromPrimitiveKeySchema: ROWKEY (a single key is always unwrapped)"""
    fmt.topic("t")
    fmt.register("t-key", '"string"')
    fmt.register("t-value", {"type": "record", "name": "R", "fields": [{"name": "v", "type": "int"}]})
    fmt.sql("CREATE STREAM S WITH (KAFKA_TOPIC='t', FORMAT='AVRO');")
    assert fmt.schema("S") == "`ROWKEY` STRING KEY, `V` INTEGER"


def test_should_support_building_primitive_schemas(fmt: Any) -> None:
    """shouldSupportBuildingPrimitiveSchemas: an unwrapped INTEGER column registers the optional int32's
    schema, Avro's bare "int" """
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (BOB INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO', WRAP_SINGLE_VALUE=false);")
    fmt.sql("INSERT INTO S (BOB) VALUES (1);")
    assert json.loads(fmt.registered("t-value").schema) == "int"
