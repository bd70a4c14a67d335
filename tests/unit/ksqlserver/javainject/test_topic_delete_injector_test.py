"""ksqlDB 0.29's TopicDeleteInjectorTest (ksqldb-engine/src/test/java/io/confluent/ksql/topic/
TopicDeleteInjectorTest.java): DROP STREAM|TABLE ... DELETE TOPIC deletes the topic, then the key and
value subjects of the formats with schema inference (a subject not found is fine, the value subject is
tried even when the key one fails), refuses read-only sources and topics other sources use, and leaves
the statement as DROP without the clause (TopicDeleteInjector.inject, checkTopicRefs, deleteTopic,
deleteKeySubject/deleteValueSubject, checkSchemaError). Runs with TopicCreateInjector's chain
(Injectors.DEFAULT), as the REST server does."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ksqlserver.errors import KsqlError

from .conftest import FailingRegistry, Sr, io_error, rest_error

TOPIC = "something"


@pytest.fixture
def reg() -> FailingRegistry:
    return FailingRegistry()


@pytest.fixture
def srd(make_sr: Callable[..., Sr], reg: FailingRegistry) -> Sr:
    return make_sr(registry=reg, topic_injector=True, topics=(TOPIC, "other"))


def given_source(sr: Sr, key: str = "JSON", value: str = "JSON", name: str = "SOMETHING", topic: str = TOPIC,
                 kind: str = "STREAM") -> None:
    k = "PRIMARY KEY" if kind == "TABLE" else "KEY"
    sr.execute(f"CREATE {kind} {name} (K STRING {k}, V STRING) WITH (KAFKA_TOPIC='{topic}', KEY_FORMAT='{key}', "
               f"VALUE_FORMAT='{value}');")


def test_should_do_nothing_for_non_drop_statements(srd: Sr) -> None:
    """shouldDoNothingForNonDropStatements"""
    assert srd.text("LIST PROPERTIES;") == "LIST PROPERTIES;"


def test_should_do_nothing_if_no_delete_topic(srd: Sr, reg: FailingRegistry) -> None:
    """shouldDoNothingIfNoDeleteTopic: the topic and the subjects stay."""
    given_source(srd, "AVRO", "AVRO")
    reg.calls.clear()
    assert srd.text("DROP STREAM SOMETHING;") == "DROP STREAM SOMETHING;"
    assert TOPIC in srd.driver.topics()
    assert srd.subjects() == ["something-key", "something-value"]
    assert not [c for c in reg.calls if c[0] == "delete"]


def test_should_drop_the_delete_topic_clause(srd: Sr) -> None:
    """shouldDropTheDeleteTopicClause"""
    given_source(srd)
    assert srd.text("DROP STREAM SOMETHING DELETE TOPIC;") == "DROP STREAM SOMETHING;"


def test_should_delete_topic(srd: Sr) -> None:
    """shouldDeleteTopic"""
    given_source(srd)
    srd.execute("DROP STREAM SOMETHING DELETE TOPIC;")
    assert TOPIC not in srd.driver.topics()


def test_should_delete_avro_schema_in_sr(srd: Sr) -> None:
    """shouldDeleteAvroSchemaInSR"""
    given_source(srd, "AVRO", "AVRO")
    srd.execute("DROP STREAM SOMETHING DELETE TOPIC;")
    assert srd.subjects() == []


def test_should_delete_value_avro_schema_in_sr_even_if_key_delete_fails(srd: Sr, reg: FailingRegistry) -> None:
    """shouldDeleteValueAvroSchemaInSrEvenIfKeyDeleteFails: the DROP fails, the value subject is gone."""
    given_source(srd, "AVRO", "AVRO")
    reg.fail["delete"] = io_error("foo")
    reg.only["delete"] = "something-key"
    message = srd.message("DROP STREAM SOMETHING DELETE TOPIC;")
    assert message == "Could not clean up the schema registry for topic: something"
    assert ("delete", "something-value") in reg.calls
    assert srd.subjects() == ["something-key"]


def test_should_delete_proto_schema_in_sr(srd: Sr, reg: FailingRegistry) -> None:
    """shouldDeleteProtoSchemaInSR: only the value subject (the key is JSON)."""
    given_source(srd, "JSON", "PROTOBUF")
    srd.execute("DROP STREAM SOMETHING DELETE TOPIC;")
    assert [c for c in reg.calls if c[0] == "delete"] == [("delete", "something-value")]
    assert srd.subjects() == []


def test_should_not_delete_schema_in_sr_if_not_sr_supported(srd: Sr, reg: FailingRegistry) -> None:
    """shouldNotDeleteSchemaInSRIfNotSRSupported"""
    given_source(srd, "KAFKA", "DELIMITED")
    srd.execute("DROP STREAM SOMETHING DELETE TOPIC;")
    assert not [c for c in reg.calls if c[0] == "delete"]


def test_should_throw_exception_if_source_does_not_exist(srd: Sr) -> None:
    """shouldThrowExceptionIfSourceDoesNotExist"""
    message = srd.message("DROP STREAM SOMETHING_ELSE DELETE TOPIC;")
    assert "Could not find source to delete topic for" in message


def test_should_not_throw_if_statement_has_if_exists_and_source_does_not_exist(srd: Sr) -> None:
    """shouldNotThrowIfStatementHasIfExistsAndSourceDoesNotExist"""
    srd.execute("DROP STREAM IF EXISTS SOMETHING_ELSE DELETE TOPIC;")


def test_should_not_throw_if_no_other_sources_using_topic(srd: Sr) -> None:
    """shouldNotThrowIfNoOtherSourcesUsingTopic"""
    given_source(srd)
    given_source(srd, name="OTHER", topic="other")
    srd.execute("DROP STREAM IF EXISTS SOMETHING DELETE TOPIC;")
    assert TOPIC not in srd.driver.topics() and "other" in srd.driver.topics()


def test_should_throw_exception_if_other_sources_using_topic(srd: Sr) -> None:
    """shouldThrowExceptionIfOtherSourcesUsingTopic"""
    given_source(srd)
    given_source(srd, name="OTHER1")
    given_source(srd, name="OTHER2")
    message = srd.message("DROP STREAM IF EXISTS SOMETHING DELETE TOPIC;")
    assert ("Refusing to delete topic. Found other data sources (OTHER1, OTHER2) using topic something"
            in message)
    assert TOPIC in srd.driver.topics()


def test_should_throw_if_topic_does_not_exist(srd: Sr, monkeypatch: pytest.MonkeyPatch) -> None:
    """shouldThrowIfTopicDoesNotExist: the topic client fails to delete it."""
    srd.driver.create_topic("topicName", partitions=1)
    given_source(srd, name="stream1", topic="topicName")

    def fail(name: str) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(srd.driver, "delete_topic", fail)
    message = srd.message("DROP STREAM IF EXISTS stream1 DELETE TOPIC;")
    assert "Could not delete the corresponding kafka topic: topicName" in message


def test_should_not_throw_if_schema_is_missing(srd: Sr, reg: FailingRegistry) -> None:
    """shouldNotThrowIfSchemaIsMissing: 40401 from both deletes is no error."""
    given_source(srd, "AVRO", "AVRO")
    reg.fail["delete"] = rest_error("Subject not found.", 404, 40401)
    srd.execute("DROP STREAM SOMETHING DELETE TOPIC;")
    assert srd.engine.state.metastore.get("SOMETHING") is None


def test_should_throw_on_delete_topic_if_source_is_read_only(srd: Sr) -> None:
    """shouldThrowOnDeleteTopicIfSourceIsReadOnly"""
    srd.execute(f"CREATE SOURCE STREAM SOMETHING (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='{TOPIC}', "
                "FORMAT='JSON');")
    err = srd.error("DROP STREAM SOMETHING DELETE TOPIC;")
    assert isinstance(err, KsqlError)
    assert "Cannot delete topic for read-only source: SOMETHING" in err.message
    assert TOPIC in srd.driver.topics()
