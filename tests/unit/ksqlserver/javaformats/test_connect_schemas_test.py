"""ksqlDB's ConnectSchemasTest (io.confluent.ksql.serde.connect): columnsToConnectSchema makes the value
columns one STRUCT with a field per column, in column order, names as written, every type optional; and
withCompatibleSchema rebuilds a struct with another (compatible) schema. A user sees the first as the
schema registered for a source's value: here AVRO's record of optional fields. withCompatibleSchema serves
the schema-id path (ported with AvroSRSchemaDataTranslatorTest)."""

from __future__ import annotations

import json
from typing import Any


def test_should_convert_columns_to_struct_schema(fmt: Any) -> None:
    """shouldConvertColumnsToStructSchema"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (`Vic` DOUBLE, `Bob` BIGINT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO');")
    fmt.sql("INSERT INTO S (`Vic`, `Bob`) VALUES (1.5, 2);")
    schema = json.loads(fmt.registered("t-value").schema)
    assert schema["type"] == "record"
    assert [(f["name"], f["type"]) for f in schema["fields"]] == [
        ("Vic", ["null", "double"]), ("Bob", ["null", "long"])]  # fmt: skip
