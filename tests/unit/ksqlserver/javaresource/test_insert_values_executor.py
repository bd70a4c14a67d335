"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.InsertValuesExecutorTest`: the errors a
client of /ksql sees for INSERT VALUES (InsertValuesExecutor, GenericRecordFactory). The serialised
records, producer failures, authorization and Schema Registry cases use mocks with no HTTP-visible
counterpart here, and the accepted-insert paths are covered by the rest/insert-values.json corpus."""

from __future__ import annotations

from typing import Any

import pytest

STREAM = "CREATE STREAM {name} (k0 STRING KEY, col0 STRING, col1 BIGINT) WITH (kafka_topic='{topic}', value_format='json');"


@pytest.fixture()
def empty(make_resource: Any) -> Any:
    res = make_resource(sources=False)
    for topic in ("topic", "_confluent-ksql-default__command-topic", "default_ksql_processing_log"):
        res.driver.create_topic(topic, 1, 1)
    return res


@pytest.mark.parametrize(
    "topic", ["_confluent-ksql-default__command-topic", "default_ksql_processing_log"]
)
def test_should_throw_when_insert_values_on_read_only_topic(empty: Any, topic: str) -> None:
    """InsertValuesExecutorTest.shouldThrowWhenInsertValuesOnReservedInternalTopic /
    shouldThrowWhenInsertValuesOnProcessingLogTopic (ReservedInternalTopics.isReadOnly)"""
    empty.ok(STREAM.format(name="`TOPIC`", topic=topic))
    error = empty.fail("INSERT INTO `TOPIC` (k0, col0, col1) VALUES ('k', 'str', 1);")
    assert f"Cannot insert values into read-only topic: {topic}" in error["message"]


@pytest.mark.parametrize(
    ("create", "kind"),
    [
        ("CREATE SOURCE TABLE `TOPIC` (k0 STRING PRIMARY KEY, col0 STRING, col1 BIGINT) "
         "WITH (kafka_topic='topic', value_format='json');", "table"),
        ("CREATE SOURCE STREAM `TOPIC` (k0 STRING KEY, col0 STRING, col1 BIGINT) "
         "WITH (kafka_topic='topic', value_format='json');", "stream"),
    ],
)  # fmt: skip
def test_should_throw_when_inserting_values_on_source_source(empty: Any, create: str, kind: str) -> None:
    """InsertValuesExecutorTest.shouldThrowWhenInsertingValuesOnSourceTable / ...OnSourceStream"""
    empty.ok(create)
    error = empty.fail("INSERT INTO `TOPIC` (k0, col0, col1) VALUES ('k', 'str', 1);")
    assert f"Cannot insert values into read-only {kind}: TOPIC" in error["message"]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("INSERT INTO `TOPIC` VALUES ('k');", "Expected a value for each column"),
        ("INSERT INTO `TOPIC` (k0, NONEXISTENT) VALUES ('foo', 'bar');", "Column name `NONEXISTENT` does not exist."),
        ("INSERT INTO `TOPIC` (INT) VALUES (12345678900);", "Expected type INTEGER for field"),
    ],
)
def test_should_throw_on_bad_values(empty: Any, sql: str, message: str) -> None:
    """InsertValuesExecutorTest.shouldThrowIfNotEnoughValuesSuppliedWithNoSchema /
    shouldThrowIfColumnDoesNotExistInSchema / shouldFailOnDowncast: "Failed to insert values into ..." with
    the cause's message"""
    empty.ok("CREATE STREAM `TOPIC` (k0 STRING KEY, col0 STRING, col1 BIGINT, INT INT) "
             "WITH (kafka_topic='topic', value_format='json');")  # fmt: skip
    error = empty.fail(sql)
    assert error["message"].startswith("Failed to insert values into 'TOPIC'. ")
    assert message in error["message"]


def test_should_throw_on_tables_with_no_key_value_provided(empty: Any) -> None:
    """InsertValuesExecutorTest.shouldThrowOnTablesWithNoKeyFieldAndNoRowKeyProvided /
    shouldThrowOnTablesWithKeyFieldAndNullKeyFieldValueProvided (GenericRecordFactory: the key column must be
    among the columns; an explicit NULL is accepted)"""
    empty.ok("CREATE TABLE `TOPIC` (k0 STRING PRIMARY KEY, col0 STRING, col1 BIGINT) "
             "WITH (kafka_topic='topic', value_format='json');")  # fmt: skip
    error = empty.fail("INSERT INTO `TOPIC` (col1) VALUES (2);")
    assert "Failed to insert values into 'TOPIC'. Value for primary key column(s) K0 is required for tables" in (
        error["message"]
    )
    assert empty.ok("INSERT INTO `TOPIC` (k0, col1) VALUES (NULL, 1);") == []


@pytest.mark.parametrize(
    ("schema", "sql", "message"),
    [
        ("HEAD0 ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS",
         "INSERT INTO `TOPIC` (k0, col0, col1, HEAD0) VALUES ('key', 'str', 2, NULL);",
         "Cannot insert into HEADER columns: HEAD0"),
        ("HEAD0 BYTES HEADER('k1'), HEAD1 BYTES HEADER('k2')",
         "INSERT INTO `TOPIC` (k0, col0, col1, HEAD0, HEAD1) VALUES ('key', 'str', 2, NULL, NULL);",
         "Cannot insert into HEADER columns: HEAD0, HEAD1"),
        ("HEAD0 ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS",
         "INSERT INTO `TOPIC` VALUES ('key', 'str', 2, NULL);",
         "Cannot insert into HEADER columns: HEAD0"),
    ],
)  # fmt: skip
def test_should_throw_on_insert_headers(empty: Any, schema: str, sql: str, message: str) -> None:
    """InsertValuesExecutorTest.shouldThrowOnInsertHeaders / shouldThrowOnInsertKeyHeaders /
    shouldThrowOnInsertAllWithHeaders; shouldInsertValuesIntoHeaderSchemaValueColumns: the other columns may
    be given"""
    empty.ok(f"CREATE STREAM `TOPIC` (k0 STRING KEY, col0 STRING, col1 BIGINT, {schema}) "
             "WITH (kafka_topic='topic', value_format='json');")  # fmt: skip
    assert empty.fail(sql)["message"] == message
    assert empty.ok("INSERT INTO `TOPIC` (k0, col0, col1) VALUES ('key', 'str', 2);") == []
    [record] = empty.driver.records("topic")
    assert record.key == b"key"
