"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.AssertTopicExecutorTest` and
`AssertSchemaExecutorTest`, over /ksql: an AssertTopicEntity / AssertSchemaEntity, or a 417
KsqlErrorMessage (AssertExecutor: Errors.assertionFailedError) with the executor's message. A zero timeout
keeps each failing case from waiting. shouldFailWhenSRClientFails needs a failing SR client: not ported."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.formats.sr.client import MemoryRegistryClient, RegisteredSchema


@pytest.fixture()
def app(make_resource: Any) -> Iterator[Any]:
    registry = MemoryRegistryClient()
    res = make_resource({"ksql.schema.registry.url": "http://sr:8081"}, sources=False, registry=registry)
    res.driver.create_topic("topicName", 1, 1)
    # the schemas the Java test's mocked SR client knows: subject "subjectName" (and ids 44, 500 for "abc")
    registry.register("subjectName", RegisteredSchema('{"type": "string"}', "AVRO"))
    registry.register_with_id("abc", RegisteredSchema('{"type": "int"}', "AVRO"), 500)
    registry.register_with_id("other", RegisteredSchema('{"type": "long"}', "AVRO"), 44)
    registry.register_with_id("other2", RegisteredSchema('{"type": "double"}', "AVRO"), 2)
    yield res


def _failed(res: Any, sql: str) -> str:
    error = res.fail(sql, status=417)
    assert error["@type"] == "generic_error" and error["error_code"] == 41700
    message: str = error["message"]
    return message


def test_should_assert_topic(app: Any) -> None:
    """AssertTopicExecutorTest.shouldAssertTopic: replicas 1 here (the fake topic client reports 0)"""
    entity = app.one("ASSERT TOPIC topicName WITH (partitions=1, replicas=1) TIMEOUT 0 SECONDS;")
    assert entity["@type"] == "assert_topic"
    assert (entity["topicName"], entity["exists"]) == ("topicName", True)


def test_should_fail_to_assert_non_existing_topic(app: Any) -> None:
    """AssertTopicExecutorTest.shouldFailToAssertNonExistingTopic"""
    assert _failed(app, "ASSERT TOPIC fakeTopic WITH (partitions=1) TIMEOUT 0 SECONDS;") == "Topic fakeTopic does not exist"


def test_should_fail_to_assert_wrong_configs(app: Any) -> None:
    """AssertTopicExecutorTest.shouldFailToAssertWrongConfigs: every mismatch, one per line"""
    message = _failed(app, "ASSERT TOPIC topicName WITH (partitions=10, replicas=10, abc=23) TIMEOUT 0 SECONDS;")
    assert message == (
        "Mismatched configuration for topic topicName: For config partitions, expected 10 got 1\n"
        "Mismatched configuration for topic topicName: For config replicas, expected 10 got 1\n"
        "Cannot assert unknown topic property: ABC"
    )


def test_should_assert_topic_not_exists(app: Any) -> None:
    """AssertTopicExecutorTest.shouldAssertTopicNotExists"""
    entity = app.one("ASSERT NOT EXISTS TOPIC fakeTopic WITH (partitions=1) TIMEOUT 0 SECONDS;")
    assert (entity["topicName"], entity["exists"]) == ("fakeTopic", False)


def test_should_fail_to_assert_topic_not_exists(app: Any) -> None:
    """AssertTopicExecutorTest.shouldFailToAssertTopicNotExists"""
    assert _failed(app, "ASSERT NOT EXISTS TOPIC topicName TIMEOUT 0 SECONDS;") == "Topic topicName exists"


@pytest.mark.parametrize(
    ("clause", "subject", "schema_id"),
    [("SUBJECT subjectName", "subjectName", None), ("ID 44", None, 44), ("SUBJECT abc ID 500", "abc", 500)],
)
def test_should_assert_schema(app: Any, clause: str, subject: str | None, schema_id: int | None) -> None:
    """AssertSchemaExecutorTest.shouldAssertSchemaBySubject / ById / BySubjectAndId"""
    entity = app.one(f"ASSERT SCHEMA {clause} TIMEOUT 0 SECONDS;")
    assert entity["@type"] == "assert_schema"
    assert (entity["subject"], entity["id"], entity["exists"]) == (subject, schema_id, True)


@pytest.mark.parametrize(
    ("clause", "message"),
    [
        ("SUBJECT abc2", "Schema with subject name abc2 does not exist"),
        ("ID 100", "Schema with id 100 does not exist"),
        ("SUBJECT def ID 500", "Schema with subject name def id 500 does not exist"),
    ],
)
def test_should_fail_to_assert_schema(app: Any, clause: str, message: str) -> None:
    """AssertSchemaExecutorTest.shouldFailToAssertSchemaBySubject / ById / BySubjectAndId"""
    assert _failed(app, f"ASSERT SCHEMA {clause} TIMEOUT 0 SECONDS;") == message


@pytest.mark.parametrize(
    ("clause", "subject", "schema_id"),
    [("SUBJECT abc2", "abc2", None), ("ID 100", None, 100), ("SUBJECT def ID 100", "def", 100)],
)
def test_should_assert_not_exist_schema(app: Any, clause: str, subject: str | None, schema_id: int | None) -> None:
    """AssertSchemaExecutorTest.shouldAssertNotExistSchemaBySubject / ById / BySubjectAndId"""
    entity = app.one(f"ASSERT NOT EXISTS SCHEMA {clause} TIMEOUT 0 SECONDS;")
    assert (entity["subject"], entity["id"], entity["exists"]) == (subject, schema_id, False)


@pytest.mark.parametrize(
    ("clause", "message"),
    [
        ("SUBJECT subjectName", "Schema with subject name subjectName exists"),
        ("ID 2", "Schema with id 2 exists"),
        ("SUBJECT abc ID 500", "Schema with subject name abc id 500 exists"),
    ],
)
def test_should_fail_to_assert_not_exist_schema(app: Any, clause: str, message: str) -> None:
    """AssertSchemaExecutorTest.shouldFailToAssertNotExistSchemaBySubject / ById / BySubjectAndId"""
    assert _failed(app, f"ASSERT NOT EXISTS SCHEMA {clause} TIMEOUT 0 SECONDS;") == message
