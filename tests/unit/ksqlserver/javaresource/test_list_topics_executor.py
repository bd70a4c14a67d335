"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.ListTopicsExecutorTest`, over /ksql:
ReservedInternalTopics hides ksqlDB's own topics and ksql.hidden.topics unless ALL is given."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture()
def empty(make_resource: Any) -> Any:
    return make_resource(sources=False)


def _topics(entity: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in entity["topics"] if not t["name"].startswith("_confluent-ksql-default_")]


def test_should_list_kafka_topics_without_internal_topics(empty: Any) -> None:
    """ListTopicsExecutorTest.shouldListKafkaTopicsWithoutInternalTopics: KafkaTopicInfo(name, replicas per
    partition)"""
    for name in ("topic1", "topic2", "_confluent_any_topic"):
        empty.driver.create_topic(name, 1, 1)
    entity = empty.one("LIST TOPICS;")
    assert entity["@type"] == "kafka_topics"
    assert entity["topics"] == [{"name": "topic1", "replicaInfo": [1]}, {"name": "topic2", "replicaInfo": [1]}]


def test_should_list_kafka_topics_including_internal_topics(empty: Any) -> None:
    """ListTopicsExecutorTest.shouldListKafkaTopicsIncludingInternalTopics"""
    for name in ("topic1", "topic2", "_confluent_any_topic"):
        empty.driver.create_topic(name, 1, 1)
    names = [t["name"] for t in _topics(empty.one("LIST ALL TOPICS;"))]
    assert names == ["_confluent_any_topic", "topic1", "topic2"]


def test_should_list_kafka_topics_that_differ_by_case(empty: Any) -> None:
    """ListTopicsExecutorTest.shouldListKafkaTopicsThatDifferByCase"""
    empty.driver.create_topic("topic1", 1, 1)
    empty.driver.create_topic("toPIc1", 1, 1)
    assert sorted(t["name"] for t in empty.one("LIST TOPICS;")["topics"]) == ["toPIc1", "topic1"]


def test_should_list_kafka_topics_extended(empty: Any) -> None:
    """ListTopicsExecutorTest.shouldListKafkaTopicsExtended: KafkaTopicInfoExtended(name, replicas, 0, 0)"""
    empty.driver.create_topic("topic1", 1, 1)
    empty.driver.create_topic("topic2", 1, 1)
    entity = empty.one("LIST TOPICS EXTENDED;")
    assert entity["@type"] == "kafka_topics_extended"
    assert entity["topics"] == [
        {"name": n, "replicaInfo": [1], "consumerCount": 0, "consumerGroupCount": 0} for n in ("topic1", "topic2")
    ]


def test_processing_log_is_listed(make_resource: Any) -> None:
    """ReservedInternalTopics: the processing log is read-only, not hidden (show-topics.md's example lists
    default_ksql_processing_log)"""
    res = make_resource(sources=False)
    res.driver.create_topic("default_ksql_processing_log", 1, 1)
    res.driver.create_topic("connect-configs", 1, 1)
    assert [t["name"] for t in res.one("SHOW TOPICS;")["topics"]] == ["default_ksql_processing_log"]
