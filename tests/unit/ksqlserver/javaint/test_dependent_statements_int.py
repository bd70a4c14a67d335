"""ksqlDB 0.29 io.confluent.ksql.integration.DependentStatementsIntegrationTest on our engine.

KsqlContext.sql validates a request's statements in a sandbox before running them, so the Java tests check
that a statement depending on an earlier one of the same request (its topic, its registered schemas) passes
that validation. Our engine runs the statements of a request one after the other; the tests check that each
request succeeds and, beyond the Java assertions, what the dependent statement ends up with (the inferred
schema of the last CREATE STREAM, the registered subjects).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def h(harness_factory: Callable[..., Any]) -> Any:
    return harness_factory({"ksql.schema.registry.url": "http://foo:8080"})


def columns(h: Any, name: str) -> str:
    return h.source(name).schema.describe()


def test_should_create_dependent_topic_with_default_replication_in_sandbox(h: Any) -> None:
    """DependentStatementsIntegrationTest.shouldCreateDependentTopicWithDefaultReplicationInSandbox."""
    h.sql(
        "CREATE STREAM createNewTopic (a INT, b INT) WITH (KAFKA_TOPIC='foo', PARTITIONS=1, FORMAT='JSON');"
        "CREATE STREAM pickupDefaultReplicationFactor AS SELECT * FROM createNewTopic;"
    )
    assert {"foo", "PICKUPDEFAULTREPLICATIONFACTOR"} <= h.topics()


def test_should_use_topic_from_dependent_statement_in_sandbox(h: Any) -> None:
    """DependentStatementsIntegrationTest.shouldUseTopicFromDependentStatementInSandbox."""
    h.sql(
        "CREATE STREAM createNewTopic (a INT, b INT) WITH (KAFKA_TOPIC='bar', PARTITIONS=1, FORMAT='JSON');"
        "CREATE STREAM reuseTopic WITH (KAFKA_TOPIC='bar') AS SELECT * FROM createNewTopic;"
    )
    assert h.source("REUSETOPIC").topic == "bar"


def test_should_register_avro_schema_in_sandbox_via_cs(h: Any) -> None:
    """DependentStatementsIntegrationTest.shouldRegisterAvroSchemaInSandboxViaCS: the CREATE STREAM
    registers its key and value schemas, which the next statement infers from (a two-column key is one
    record, inferred as one STRUCT key column ROWKEY: ksqlDB assumes an unwrapped key schema)."""
    h.sql(
        "CREATE STREAM avro_input (a INT KEY, b INT KEY, c VARCHAR, d VARCHAR)"
        " WITH (KAFKA_TOPIC='t2', PARTITIONS=1, FORMAT='AVRO');"
        "CREATE STREAM should_infer_schema WITH (KAFKA_TOPIC='t2', FORMAT='AVRO');"
    )
    assert {"t2-key", "t2-value"} <= set(h.registry.subjects())
    assert (
        columns(h, "SHOULD_INFER_SCHEMA")
        == "`ROWKEY` STRUCT<`A` INTEGER, `B` INTEGER> KEY, `C` STRING, `D` STRING"
    )


def test_should_register_avro_schema_in_sandbox_via_csas(h: Any) -> None:
    """DependentStatementsIntegrationTest.shouldRegisterAvroSchemaInSandboxViaCSAS."""
    h.sql(
        "CREATE STREAM avro_input (a INT KEY, b INT KEY, c VARCHAR, d VARCHAR)"
        " WITH (KAFKA_TOPIC='t5', PARTITIONS=1, FORMAT='AVRO');"
    )
    h.sql(
        "CREATE STREAM should_register_schema WITH (KAFKA_TOPIC='t6', FORMAT='AVRO') AS"
        " SELECT * FROM avro_input;"
        "CREATE STREAM should_infer_schema WITH (KAFKA_TOPIC='t6', FORMAT='AVRO');"
    )
    assert {"t6-key", "t6-value"} <= set(h.registry.subjects())
    assert (
        columns(h, "SHOULD_INFER_SCHEMA")
        == "`ROWKEY` STRUCT<`A` INTEGER, `B` INTEGER> KEY, `C` STRING, `D` STRING"
    )


def test_should_register_avro_schema_in_sandbox_via_cs_and_schema_id(h: Any) -> None:
    """DependentStatementsIntegrationTest.shouldRegisterAvroSchemaInSandboxViaCSandSchemaId: a CSAS with
    KEY_SCHEMA_ID and VALUE_SCHEMA_ID of the schemas the first CREATE STREAM registered, whose STRUCT key
    ROWKEY matches the registered (unwrapped) key record."""
    h.sql(
        "CREATE STREAM avro_input (a INT KEY, b INT KEY, c VARCHAR, d VARCHAR)"
        " WITH (KAFKA_TOPIC='t9', PARTITIONS=1, FORMAT='AVRO');"
    )
    key_id = h.registry.latest("t9-key").schema_id
    value_id = h.registry.latest("t9-value").schema_id
    h.sql(
        "CREATE STREAM should_register_schema WITH ("
        "KAFKA_TOPIC='t10',"
        "FORMAT='AVRO',"
        f"KEY_SCHEMA_ID={key_id},"
        f"VALUE_SCHEMA_ID={value_id}"
        ") AS "
        "SELECT Struct(a := a, b := b) AS rowkey, c, d FROM avro_input PARTITION BY Struct(a := a, b := b);"
        "CREATE STREAM should_infer_schema WITH (KAFKA_TOPIC='t10', FORMAT='AVRO');"
    )
    assert (
        columns(h, "SHOULD_INFER_SCHEMA")
        == "`ROWKEY` STRUCT<`A` INTEGER, `B` INTEGER> KEY, `C` STRING, `D` STRING"
    )
