"""ksqlDB's KeyFormatTest (io.confluent.ksql.serde): a source's KeyFormat carries its format (name and
properties), its serde features and, for windowed sources, the window type and size. A user sees them in
DESCRIBE EXTENDED (keyFormat, windowType), in the key schema registered for an AVRO key (its full name, and a
bare primitive when the single key column is unwrapped) and in the windowed keys written.

Not ported: shouldThrowNPEs, shouldImplementEquals and shouldImplementToString (Java object contracts)."""

from __future__ import annotations

import json
from typing import Any


def test_should_get_format_name(fmt: Any) -> None:
    """shouldGetFormatName"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='t', KEY_FORMAT='DELIMITED', VALUE_FORMAT='JSON');")
    assert fmt.describe("S")["keyFormat"] == "DELIMITED"


def test_should_get_format_info(fmt: Any) -> None:
    """shouldGetFormatInfo: the AVRO key keeps its full schema name, the name of the record registered for a
    key of two columns"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (K1 STRING KEY, K2 INT KEY, V INT) WITH (KAFKA_TOPIC='t', KEY_FORMAT='AVRO', "
            "VALUE_FORMAT='JSON', KEY_SCHEMA_FULL_NAME='something');")  # fmt: skip
    assert fmt.source("S").key_options.extra["fullSchemaName"] == "something"
    fmt.sql("INSERT INTO S (K1, K2, V) VALUES ('a', 1, 2);")
    assert json.loads(fmt.registered("t-key").schema)["name"] == "something"


def test_should_get_serde_features(fmt: Any) -> None:
    """shouldGetSereFeatures: a single key column is UNWRAP_SINGLES, its registered schema the bare type"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='t', KEY_FORMAT='AVRO', VALUE_FORMAT='JSON');")
    fmt.sql("INSERT INTO S (K, V) VALUES ('a', 2);")
    assert json.loads(fmt.registered("t-key").schema) == "string"


def test_should_handle_non_windowed_functions_for_non_windowed(fmt: Any) -> None:
    """shouldHandleNonWindowedFunctionsForNonWindowed"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='t', FORMAT='JSON');")
    assert fmt.describe("S")["windowType"] is None
    assert fmt.source("S").window is None


def test_should_handle_windowed_functions_for_windowed(fmt: Any) -> None:
    """shouldHandleWindowedFunctionsForWindowed: HOPPING, of four minutes"""
    fmt.topic("t")
    fmt.sql("CREATE TABLE W (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', FORMAT='JSON', "
            "WINDOW_TYPE='Hopping', WINDOW_SIZE='4 MINUTES');")  # fmt: skip
    assert fmt.describe("W")["windowType"] == "HOPPING"
    window = fmt.source("W").window
    assert (window.kind, window.size_ms) == ("HOPPING", 240000)


def test_should_handle_windowed_with_avro_schema_name(fmt: Any) -> None:
    """shouldHandleWindowedWithAvroSchemaName: a windowed AVRO key keeps its full schema name"""
    fmt.topic("t")
    fmt.sql("CREATE TABLE W (K1 STRING PRIMARY KEY, K2 INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', "
            "KEY_FORMAT='AVRO', VALUE_FORMAT='JSON', WINDOW_TYPE='HOPPING', WINDOW_SIZE='4 MINUTES', "
            "KEY_SCHEMA_FULL_NAME='something');")  # fmt: skip
    assert fmt.source("W").key_options.extra == {"fullSchemaName": "something"}
    assert fmt.describe("W")["keyFormat"] == "AVRO"


def test_should_handle_windowed_without_size(fmt: Any) -> None:
    """shouldHandleWindowedWithOutSize: a SESSION window has no size"""
    fmt.topic("t")
    fmt.sql("CREATE TABLE W (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', FORMAT='DELIMITED', "
            "WINDOW_TYPE='SESSION');")  # fmt: skip
    window = fmt.source("W").window
    assert (window.kind, window.size_ms) == ("SESSION", None)
    assert fmt.describe("W")["windowType"] == "SESSION"
