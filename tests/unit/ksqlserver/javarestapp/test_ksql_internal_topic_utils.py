"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.util.KsqlInternalTopicUtilsTest` (ksqldb-rest-app): how the
server's internal topics (the command topic) are created and which existing ones it refuses
(cluster/internal_topics.py ensure_topic), and, as a user meets it, a server that will not start on a command
topic with two partitions. shouldEnsureInternalTopicHasInfiniteRetentionAndDeleteCleanUpPolicy's repair of an
existing topic's configuration (addTopicConfig) has no counterpart: the topic drivers cannot alter configs."""

from __future__ import annotations

import pytest

from ksqlserver.cluster.command_log import command_topic
from ksqlserver.cluster.internal_topics import InternalTopicError, ensure_topic
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

TOPIC = "topic"


def test_should_create_internal_topic_if_it_does_not_exist() -> None:
    """KsqlInternalTopicUtilsTest.shouldCreateInternalTopicIfItDoesNotExist: one partition, the configs"""
    driver = MemoryDriver()
    ensure_topic(driver, TOPIC, {})
    info = driver.topic(TOPIC)
    assert info is not None
    assert (info.partitions, info.replicas) == (1, 1)
    assert info.config == {
        "retention.ms": "-1",
        "cleanup.policy": "delete",
        "unclean.leader.election.enable": "false",
        "min.insync.replicas": "1",
    }


def test_should_create_internal_topic_with_num_replicas_from_config() -> None:
    """KsqlInternalTopicUtilsTest.shouldCreateInternalTopicWithNumReplicasFromConfig (and min.insync.replicas)"""
    driver = MemoryDriver()
    ensure_topic(
        driver, TOPIC, {"ksql.internal.topic.replicas": "3", "ksql.internal.topic.min.insync.replicas": "2"}
    )
    info = driver.topic(TOPIC)
    assert info is not None
    assert info.replicas == 3 and info.config["min.insync.replicas"] == "2"


def test_should_not_attempt_to_create_internal_topic_if_it_exists() -> None:
    """KsqlInternalTopicUtilsTest.shouldNotAttemptToCreateInternalTopicIfItExists /
    shouldNotFailIfTopicIsOverreplicated"""
    driver = MemoryDriver()
    driver.create_topic(TOPIC, 1, 3, {"retention.ms": "-1"})
    ensure_topic(driver, TOPIC, {"ksql.internal.topic.replicas": "2"})
    info = driver.topic(TOPIC)
    assert info is not None and info.replicas == 3 and info.config == {"retention.ms": "-1"}


def test_should_fail_if_topic_exists_with_invalid_n_partitions() -> None:
    """KsqlInternalTopicUtilsTest.shouldFailIfTopicExistsWithInvalidNPartitions"""
    driver = MemoryDriver()
    driver.create_topic(TOPIC, 2, 1)
    with pytest.raises(InternalTopicError) as e:
        ensure_topic(driver, TOPIC, {})
    assert e.value.message == "Invalid partition count on topic 'topic'. Expected: 1, but was: 2"


def test_should_fail_if_topic_exists_with_invalid_n_replicas() -> None:
    """KsqlInternalTopicUtilsTest.shouldFailIfTopicExistsWithInvalidNReplicas"""
    driver = MemoryDriver()
    driver.create_topic(TOPIC, 1, 1)
    with pytest.raises(InternalTopicError) as e:
        ensure_topic(driver, TOPIC, {"ksql.internal.topic.replicas": "2"})
    assert e.value.message == "Invalid replication factor on topic 'topic'. Expected: 2, but was: 1"


def test_server_creates_its_command_topic_as_an_internal_topic() -> None:
    """KsqlRestApplication: the command topic with ksql.internal.topic.* and a server that refuses to start
    on one with two partitions"""
    driver = MemoryDriver()
    engine = Engine(EngineConfig(properties={"ksql.internal.topic.min.insync.replicas": "1"}), driver)
    info = driver.topic(command_topic("default_"))
    engine.close()
    assert info is not None and info.partitions == 1 and info.config["cleanup.policy"] == "delete"
    bad = MemoryDriver()
    bad.create_topic(command_topic("default_"), 2, 1)
    with pytest.raises(
        InternalTopicError, match="Invalid partition count on topic '_confluent-ksql-default__command_topic'"
    ):
        Engine(EngineConfig(), bad)
