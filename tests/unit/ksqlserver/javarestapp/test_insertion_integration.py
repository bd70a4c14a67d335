"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.InsertionIntegrationTest` (ksqldb-rest-app): INSERT VALUES
into AVRO sources uses the schemas their CREATE registered (no new subject versions), inserts into a stream
made from a VALUE_SCHEMA_ID, and a CREATE OR REPLACE that adds a column registers version 2. The in-memory
registry stands for the test harness' schema registry. The Java test sends `MAP<"foo", 10>` and
`STRUCT<10, "foo", true>`, which do not parse, and checks the versions only; each case here also inserts
with the valid syntax."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.formats.sr.client import MemoryRegistryClient


class App:
    def __init__(self, rest: Any) -> None:
        self.rest = rest
        self.registry = MemoryRegistryClient()
        _, self.driver, self.server = rest.start(
            {"ksql.headers.columns.enabled": "true", "ksql.schema.registry.url": "http://foo:8080"},
            registry=self.registry,
        )
        for sql in (
            "CREATE STREAM SIMPLE_STREAM (K0 INT KEY, K1 STRING KEY, V0 BOOLEAN, V1 INT) WITH (KAFKA_TOPIC = "
            "'SIMPLE_TOPIC', VALUE_FORMAT = 'AVRO', KEY_FORMAT = 'AVRO', PARTITIONS = 1);",
            "CREATE STREAM DECIMAL_STREAM (K0 INT KEY, V0 DECIMAL(21,19)) WITH (KAFKA_TOPIC = 'DECIMAL_STREAM', "
            "VALUE_FORMAT = 'AVRO', KEY_FORMAT = 'AVRO', PARTITIONS = 1);",
            "CREATE STREAM MAP_STREAM (K0 INT KEY, V0 MAP<STRING, INT>) WITH (KAFKA_TOPIC = 'MAP_STREAM', "
            "VALUE_FORMAT = 'AVRO', KEY_FORMAT = 'AVRO', PARTITIONS = 1);",
            "CREATE STREAM ARRAY_STREAM (K0 INT KEY, V0 ARRAY<INT>) WITH (KAFKA_TOPIC = 'ARRAY_STREAM', "
            "VALUE_FORMAT = 'AVRO', KEY_FORMAT = 'AVRO', PARTITIONS = 1);",
            "CREATE STREAM STRUCT_STREAM (K0 INT KEY, V0 STRUCT<A INT, B STRING, C BOOLEAN>) WITH (KAFKA_TOPIC = "
            "'STRUCT_STREAM', VALUE_FORMAT = 'AVRO', KEY_FORMAT = 'AVRO', PARTITIONS = 1);",
            "CREATE STREAM EVOLVING_STREAM (K0 INT KEY, V0 BOOLEAN) WITH (KAFKA_TOPIC = 'EVOLVING_TOPIC', "
            "VALUE_FORMAT = 'AVRO', PARTITIONS = 1);",
            "CREATE STREAM STRUCT_BASE_STREAM (K0 INT KEY, V0 STRUCT<A INT, B STRING, C BOOLEAN>, V1 ARRAY<INT>, "
            "V2 STRING) WITH (KAFKA_TOPIC = 'BASE_TOPIC', VALUE_FORMAT = 'AVRO',  PARTITIONS = 1);",
        ):
            rest.ok(self.server, sql)

    def versions(self, topic: str) -> tuple[int, int]:
        return self.registry.latest(f"{topic}-key").version, self.registry.latest(f"{topic}-value").version

    def insert(self, sql: str) -> None:
        r = self.rest.ksql(self.server, sql)
        assert r.status_code == 200, r.text


@pytest.fixture()
def app(rest: Any) -> Iterator[App]:
    yield App(rest)


@pytest.mark.parametrize(
    ("topic", "java_sql", "valid_sql"),
    [
        ("SIMPLE_TOPIC", "INSERT INTO SIMPLE_STREAM (K0, K1, V0, V1) VALUES (1,'foo', true, 3);", None),
        ("DECIMAL_STREAM", "INSERT INTO DECIMAL_STREAM (K0, V0) VALUES (1, 14.75);", None),
        ("MAP_STREAM", 'INSERT INTO MAP_STREAM (K0, V0) VALUES (1, MAP<"foo", 10>);',
         "INSERT INTO MAP_STREAM (K0, V0) VALUES (1, MAP('foo' := 10));"),
        ("ARRAY_STREAM", "INSERT INTO ARRAY_STREAM (K0, V0) VALUES (1, Array[10, 20, 30]);", None),
        ("STRUCT_STREAM", 'INSERT INTO STRUCT_STREAM (K0, V0) VALUES (1, STRUCT<10, "foo", true>);',
         "INSERT INTO STRUCT_STREAM (K0, V0) VALUES (1, STRUCT(A := 10, B := 'foo', C := true));"),
    ],
)  # fmt: skip
def test_should_avoid_new_schema_registration_with_insert_values(
    app: App, topic: str, java_sql: str, valid_sql: str | None
) -> None:
    """InsertionIntegrationTest.shouldAvoidNewSchemaRegistrationFor{CompoundKey,Decimal,Map,Array,Struct}
    WithInsertValues: the key and value subjects stay at version 1"""
    app.rest.ksql(app.server, java_sql)
    if valid_sql is not None:
        app.insert(valid_sql)
    assert app.versions(topic) == (1, 1)
    assert len(app.driver.records(topic)) == 1


def test_should_insert_values_to_streams_created_with_schema_id(app: App) -> None:
    """InsertionIntegrationTest.shouldInsertValuesToStreamsCreatedWithSchemaID"""
    schema_id = app.registry.latest("BASE_TOPIC-value").schema_id
    app.rest.ok(
        app.server,
        "CREATE STREAM FOLLOWER_STREAM WITH (KAFKA_TOPIC = 'BASE_TOPIC', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO',"
        f" VALUE_SCHEMA_ID = {schema_id}, PARTITIONS = 1);",
    )
    app.insert(
        "INSERT INTO FOLLOWER_STREAM (V0, V1, V2) VALUES (STRUCT(A := 10, B := 'foo', C := true), ARRAY[1,2,3], 'bar');"
    )
    assert len(app.driver.records("BASE_TOPIC")) == 1


def test_should_support_evolving_schemas_on_insert(app: App) -> None:
    """InsertionIntegrationTest.shouldSupportEvolvingSchemasOnInsert: CREATE OR REPLACE adds a column, the
    insert's value subject is at version 2"""
    app.rest.ok(
        app.server,
        "CREATE OR REPLACE STREAM EVOLVING_STREAM (K0 INT KEY, V0 BOOLEAN, V1 STRING) WITH (KAFKA_TOPIC = "
        "'EVOLVING_TOPIC', VALUE_FORMAT = 'AVRO', PARTITIONS = 1);",
    )
    app.insert("INSERT INTO EVOLVING_STREAM (K0, V0, V1) VALUES (1, true, 'foo');")
    assert app.registry.latest("EVOLVING_TOPIC-value").version == 2
