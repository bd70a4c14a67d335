"""ksqlDB's ValueFormatTest (io.confluent.ksql.serde): a source's ValueFormat carries its format (name and
properties) and its serde features. A user sees them in DESCRIBE EXTENDED (valueFormat), in the value schema
registered (its full name; the bare type when WRAP_SINGLE_VALUE=false sets UNWRAP_SINGLES) and in the
statement text (WRAP_SINGLE_VALUE).

Not ported: shouldThrowNPEs, shouldImplementEquals and shouldImplementToString (Java object contracts)."""

from __future__ import annotations

import json
from typing import Any


def test_should_get_format_name(fmt: Any) -> None:
    """shouldGetFormatName"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO');")
    assert fmt.describe("S")["valueFormat"] == "AVRO"


def test_should_get_format_info(fmt: Any) -> None:
    """shouldGetFormatInfo: the value's full schema name names the record registered"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (A INT, B STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO', "
            "VALUE_AVRO_SCHEMA_FULL_NAME='something');")  # fmt: skip
    assert fmt.source("S").value_options.extra == {"fullSchemaName": "something"}
    fmt.sql("INSERT INTO S (A, B) VALUES (1, 'x');")
    assert json.loads(fmt.registered("t-value").schema)["name"] == "something"


def test_should_get_serde_features(fmt: Any) -> None:
    """shouldGetSereFeatures: WRAP_SINGLE_VALUE=false is UNWRAP_SINGLES, and the single value is written and
    registered bare"""
    fmt.topic("t")
    [result] = fmt.sql("CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO', WRAP_SINGLE_VALUE=false);")
    assert "WRAP_SINGLE_VALUE=false" in result["statementText"]
    assert fmt.source("S").value_options.wrap_single_value is False
    fmt.sql("INSERT INTO S (V) VALUES (1);")
    assert json.loads(fmt.registered("t-value").schema) == "int"  # KsqlAvroSerializerTest.INT_AVRO_SCHEMA
