"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.util.ClusterTerminatorTest` (ksqldb-rest-app): what
`POST /ksql/terminate {"deleteTopicList": [...]}` (TERMINATE CLUSTER) removes. The Java test mocks the topic
client, the metastore and the schema registry; here CREATE ... AS SELECT sinks and plain sources are made on
a server with the in-memory topic driver and registry, and the test looks at which topics and subjects are
left. Mock-only cases (call order, retries of a failing deletion, TopicDeletionDisabledException) have no
observable counterpart beyond the termination succeeding."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.formats.sr.client import MemoryRegistryClient, RegisteredSchema

PROCESSING_LOG = "default_ksql_processing_log"
COMMAND_TOPIC = "_confluent-ksql-default__command_topic"


class Cluster:
    def __init__(self, rest: Any, properties: dict[str, str] | None = None) -> None:
        self.registry = MemoryRegistryClient()
        self.engine, self.driver, self.server = rest.start(
            {"ksql.schema.registry.url": "http://unused:8081", **(properties or {})},
            registry=self.registry,
            command_topic=True,
        )
        self.driver.create_topic("source", 1, 1)
        self.rest = rest
        self.ok("CREATE STREAM SRC (K STRING KEY, V INT) WITH (kafka_topic='source', value_format='json');")

    def ok(self, sql: str) -> None:
        self.rest.ok(self.server, sql)

    def sink(self, topic: str, fmt: str = "JSON", name: str | None = None) -> None:
        """givenSinkTopicsExistInMetastore: a CSAS writing `topic` with `fmt` keys and values"""
        name = name or topic.upper().replace("-", "_") + "_S"
        self.ok(f"CREATE STREAM {name} WITH (kafka_topic='{topic}', format='{fmt}') AS SELECT * FROM SRC;")

    def terminate(self, patterns: list[str]) -> None:
        r = httpx.post(self.server.url + "/ksql/terminate", json={"deleteTopicList": patterns}, timeout=30)
        assert r.status_code == 200, r.text
        [entity] = r.json()
        assert entity["commandStatus"]["status"] == "QUEUED"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and COMMAND_TOPIC in self.driver.topics():
            time.sleep(0.05)

    def topics(self) -> set[str]:
        return set(self.driver.topics())


def test_should_delete_topic_list_with_explicit_topic_name(rest: Any) -> None:
    """ClusterTerminatorTest.shouldDeleteTopicListWithExplicitTopicName / shouldClosePersistentQueries"""
    c = Cluster(rest)
    c.sink("K_Foo", "DELIMITED")
    c.terminate(["K_Foo"])
    assert "K_Foo" not in c.topics()
    assert c.engine.state.persistent == {}


@pytest.mark.parametrize("fmt", ["AVRO", "PROTOBUF", "JSON_SR"])
def test_should_clean_up_schemas_for_explicit_topic_list(rest: Any, fmt: str) -> None:
    """ClusterTerminatorTest.shouldCleanUpSchemasForExplicitTopicListAvro / ...Protobuf: the key and value
    subjects of a matching sink with a SCHEMA_INFERENCE format go"""
    c = Cluster(rest)
    c.sink("K_Foo", fmt)
    assert {"K_Foo-key", "K_Foo-value"} <= set(c.registry.subjects())
    c.terminate(["K_Foo"])
    assert not {"K_Foo-key", "K_Foo-value"} & set(c.registry.subjects())


def test_should_only_delete_existing_topics_and_clean_up_schema_even_if_topic_does_not_exist(
    rest: Any,
) -> None:
    """ClusterTerminatorTest.shouldOnlyDeleteExistingTopics / shouldCleanUpSchemaEvenIfTopicDoesNotExist"""
    c = Cluster(rest)
    c.sink("K_Foo", "AVRO")
    c.sink("K_Bar", "AVRO")
    c.ok("TERMINATE ALL;")
    c.driver.delete_topic("K_Bar")
    c.terminate(["K_Foo", "K_Bar"])
    assert not {"K_Foo", "K_Bar"} & c.topics()
    assert not {"K_Foo-value", "K_Bar-value"} & set(c.registry.subjects())


def test_should_not_clean_up_schema_if_schema_does_not_exist(rest: Any) -> None:
    """ClusterTerminatorTest.shouldNotCleanUpSchemaIfSchemaDoesNotExist: a subject already gone is skipped and
    the rest of the termination still happens"""
    c = Cluster(rest)
    c.sink("K_Foo", "AVRO")
    c.registry.delete_subject("K_Foo-key")
    c.terminate(["K_Foo"])
    assert "K_Foo" not in c.topics()
    assert "K_Foo-value" not in c.registry.subjects()


def test_should_not_delete_non_sink_topic(rest: Any) -> None:
    """ClusterTerminatorTest.shouldNotDeleteNonSinkTopic / shouldNotCleanUpSchemaForNonSinkTopic: a source
    that no CREATE ... AS SELECT made keeps its topic and subjects"""
    c = Cluster(rest)
    c.driver.create_topic("bar", 1, 1)
    c.registry.register("bar-value", RegisteredSchema("AVRO", '{"type":"record","name":"r","fields":[]}'))
    c.ok("CREATE STREAM BAR (K STRING KEY, V INT) WITH (kafka_topic='bar', value_format='json');")
    c.terminate(["bar"])
    assert "bar" in c.topics()
    assert "bar-value" in c.registry.subjects()


def test_should_not_delete_non_matching_case_sensitive_topics(rest: Any) -> None:
    """ClusterTerminatorTest.shouldNotDeleteNonMatchingCaseSensitiveTopics"""
    c = Cluster(rest)
    c.sink("K_FOO", "AVRO")
    c.terminate(["K_Foo"])
    assert "K_FOO" in c.topics()
    assert "K_FOO-value" in c.registry.subjects()


def test_should_delete_topic_list_with_pattern(rest: Any) -> None:
    """ClusterTerminatorTest.shouldDeleteTopicListWithPattern / shouldCleanUpSchemasForTopicListWithPattern:
    a pattern matches whole topic names (Matcher.matches)"""
    c = Cluster(rest)
    for topic in ("K_Fo", "K_Foo", "K_Fooo", "NotMatched", "XK_Foo"):
        c.sink(topic, "AVRO")
    c.terminate(["K_Fo.*"])
    assert not {"K_Fo", "K_Foo", "K_Fooo"} & c.topics()
    assert {"NotMatched", "XK_Foo"} <= c.topics()
    assert set(c.registry.subjects()) == {"NotMatched-key", "NotMatched-value", "XK_Foo-key", "XK_Foo-value"}


def test_should_delete_managed_topics(rest: Any) -> None:
    """ClusterTerminatorTest.shouldDeleteManagedTopics: the command topic goes even with an empty
    deleteTopicList; the source topics stay"""
    c = Cluster(rest)
    assert COMMAND_TOPIC in c.topics()
    c.terminate([])
    assert COMMAND_TOPIC not in c.topics()
    assert "source" in c.topics()


@pytest.mark.parametrize(("auto_create", "deleted"), [("true", True), ("false", False)])
def test_processing_log_topic_is_managed_only_when_auto_created(auto_create: str, deleted: bool) -> None:
    """KsqlRestApplication: the processing log topic is among ClusterTerminator's managedTopics only with
    ksql.logging.processing.topic.auto.create"""
    driver = MemoryDriver()
    driver.create_topic(PROCESSING_LOG, 1, 1)
    props = {"ksql.logging.processing.topic.auto.create": auto_create}
    engine = Engine(EngineConfig(service_id="default_", properties=props), driver)
    engine.terminate_cluster([])
    assert (PROCESSING_LOG not in driver.topics()) is deleted


def test_should_not_clean_up_schema_for_non_schema_inference_supported_topic(rest: Any) -> None:
    """ClusterTerminatorTest.shouldNotCleanUpSchemaForNonSchemaInferenceSupportedTopic: a JSON sink's topic
    goes, a subject of the same name (registered by someone else) stays"""
    c = Cluster(rest)
    c.sink("K_Foo", "JSON")
    c.registry.register("K_Foo-value", RegisteredSchema("AVRO", '{"type":"record","name":"r","fields":[]}'))
    c.terminate(["K_Foo"])
    assert "K_Foo" not in c.topics()
    assert "K_Foo-value" in c.registry.subjects()
