"""The topic a CREATE statement writes to, sized and configured as ksqlDB's TopicCreateInjector does
(TopicProperties.Builder), and KafkaTopicClientImpl.createTopic's check of a topic that already exists
(TopicValidationUtil.validateTopicProperties)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ksqlserver.drivers.base import TopicDriver
from ksqlserver.errors import KsqlInternalError, TopicExistsError, error_chain_message
from ksqlserver.sql import ast

DEFAULT_RETENTION_MS = 604_800_000  # TopicProperties.DEFAULT_RETENTION_IN_MS (7 days)
DEFAULT_REPLICAS = -1  # TopicProperties.DEFAULT_REPLICAS: the cluster's default replication factor
# the InvalidPartitionsException of a CreateTopics request for 0 (or fewer than -1) partitions
INVALID_PARTITIONS = "Number of partitions was set to an invalid non-positive value."

CLEANUP_POLICY = "cleanup.policy"
RETENTION_MS = "retention.ms"


@dataclass(frozen=True)
class TopicSpec:
    """What TopicCreateInjector asks KafkaTopicClient.createTopic for."""

    name: str
    partitions: int
    replicas: int
    config: dict[str, str] = field(default_factory=dict)
    # the WITH properties the injector gives a CREATE ... AS SELECT's statement (CreateSourceAsProperties
    # .withTopic + withCleanupPolicy); empty for a CREATE STREAM/TABLE
    injected: dict[str, Any] = field(default_factory=dict)

    @property
    def retention_ms(self) -> int | None:
        """KafkaTopicClient.getRetentionMs: only when the config names it (a compacted topic's does not)."""
        value = self.config.get(RETENTION_MS)
        return int(value) if value is not None else None


def _int(w: Mapping[str, Any], name: str) -> int | None:
    """A numeric WITH property; None when absent or not a number (the source's properties refuse that)."""
    value = w.get(name)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _config(policy: str, retention_ms: int) -> dict[str, str]:
    """TopicCreateInjector.createTopic: the cleanup policy, and retention.ms unless the topic is only
    compacted (where it has no effect)."""
    config = {CLEANUP_POLICY: policy}
    if policy != "compact":
        config[RETENTION_MS] = str(retention_ms)
    return config


def sink_topic(
    driver: TopicDriver, topic: str, kind: str, w: Mapping[str, Any], window: ast.WindowClause | None,
    source_topic: str,
) -> TopicSpec:
    """injectForCreateAsSelect: the sink's partitions, replicas and retention come from the WITH clause, else
    from the primary source's topic (its retention.ms, 7 days when it has none); a stream's topic is
    deleted by age, a table's compacted, a windowed table's both, keeping at least the window's RETENTION."""
    source: tuple[int, int, int] | None = None

    def from_source() -> tuple[int, int, int]:  # Suppliers.memoize over describeTopic + getTopicConfig
        nonlocal source
        if source is None:
            info = driver.topic(source_topic)
            retention = driver.topic_config(source_topic).get(RETENTION_MS)
            source = (
                info.partitions if info is not None else 1,
                info.replicas if info is not None else DEFAULT_REPLICAS,
                int(retention) if retention is not None else DEFAULT_RETENTION_MS,
            )
        return source

    partitions = _int(w, "PARTITIONS")
    replicas = _int(w, "REPLICAS")
    retention = _int(w, "RETENTION_MS")
    partitions = partitions if partitions is not None else from_source()[0]
    replicas = replicas if replicas is not None else from_source()[1]
    retention = retention if retention is not None else from_source()[2]
    stated = retention  # the statement names the window's RETENTION itself, the topic the larger of the two
    if kind == "STREAM":
        policy = "delete"
    elif window is not None:
        policy = "compact,delete"
        if window.retention is not None:  # max(RETENTION_MS, the window's RETENTION)
            stated = window.retention.millis
            retention = max(retention, window.retention.millis)
    else:
        policy = "compact"
    injected = {
        "KAFKA_TOPIC": topic,
        "PARTITIONS": partitions,
        "REPLICAS": replicas,
        "RETENTION_MS": stated,
        "CLEANUP_POLICY": policy,
    }
    return TopicSpec(topic, partitions, replicas, _config(policy, retention), injected)


def source_topic(driver: TopicDriver, topic: str, kind: str, w: Mapping[str, Any]) -> TopicSpec:
    """injectForCreateSource: PARTITIONS, REPLICAS and RETENTION_MS from the WITH clause, else from the
    topic itself when it exists (a new topic's replicas are the cluster's default, its retention 7 days); a
    table's topic is compacted, a stream's deleted by age."""
    info = driver.topic(topic)
    retention = _int(w, "RETENTION_MS")
    if retention is None:
        existing = driver.topic_config(topic).get(RETENTION_MS) if info is not None else None
        retention = int(existing) if existing is not None else DEFAULT_RETENTION_MS
    partitions = _int(w, "PARTITIONS")
    replicas = _int(w, "REPLICAS")
    if partitions is None:
        partitions = info.partitions if info is not None else 1
    if replicas is None:
        replicas = info.replicas if info is not None else DEFAULT_REPLICAS
    return TopicSpec(topic, partitions, replicas, _config("compact" if kind == "TABLE" else "delete", retention))


def check_existing(driver: TopicDriver, spec: TopicSpec) -> bool:
    """TopicValidationUtil.validateTopicProperties over a topic that exists: the same partition count, at
    least the replicas asked for (unless the cluster's default), and the same retention when both the
    request and the topic name one. True if the topic exists (and fits)."""
    info = driver.topic(spec.name)
    if info is None:
        if spec.partitions == 0 or spec.partitions < -1:
            # the broker refuses to create it (ReplicationControlManager.createTopic; -1 asks for its default),
            # the sandbox's validate-only CreateTopics already: KafkaTopicClientImpl.createTopic wraps that in a
            # KafkaResponseGetFailedException; the real server answers a 50000 statement error naming the
            # statement, the message with its cause (observed on ksqlDB 0.29 built from source)
            raise KsqlInternalError(
                error_chain_message([f"Failed to guarantee existence of topic {spec.name}", INVALID_PARTITIONS])
            )
        return False
    required_retention = spec.retention_ms
    existing = driver.topic_config(spec.name).get(RETENTION_MS) if required_retention is not None else None
    actual_retention = int(existing) if existing is not None else None
    if (
        info.partitions != spec.partitions
        or (spec.replicas != DEFAULT_REPLICAS and info.replicas < spec.replicas)
        or (required_retention is not None and actual_retention is not None
            and actual_retention != required_retention)
    ):
        message = (
            f"A Kafka topic with the name '{spec.name}' already exists, with different partition/replica "
            f"configuration than required. KSQL expects {spec.partitions} partitions (topic has "
            f"{info.partitions}), {spec.replicas} replication factor (topic has {info.replicas})"
        )
        if required_retention is not None and actual_retention is not None:
            message = message.replace("partition/replica", "partition/replica/retention")
            message += f", and {required_retention} retention (topic has {actual_retention})."
        else:
            message += "."
        raise TopicExistsError(message, spec.name)
    return True


def ensure_topic(driver: TopicDriver, spec: TopicSpec, injector: bool = True) -> None:
    """KafkaTopicClientImpl.createTopic: check a topic that exists, else create it with the spec's configs.
    Without the `injector` (ksqlDB's test harness runs none) a missing topic is made bare, an existing one
    left as it is."""
    if not injector:
        if driver.topic(spec.name) is None:
            driver.create_topic(spec.name, spec.partitions, spec.replicas)
    elif not check_existing(driver, spec):
        driver.create_topic(spec.name, spec.partitions, spec.replicas, dict(spec.config))


# KsqlConfig.KSQL_READONLY_TOPICS_DEFAULT
READ_ONLY_DEFAULT = (
    "_confluent.*,__confluent.*,_schemas,__consumer_offsets,__transaction_state,connect-configs,"
    "connect-offsets,connect-status,connect-statuses"
)


def is_read_only(topic: str, processing_log_topic: str, configured: str) -> bool:
    """ReservedInternalTopics.isReadOnly: the processing log, ksqlDB's internal topics (`_confluent-ksql-`)
    and ksql.readonly.topics (`configured`, comma-separated regexes matched against the whole name)."""
    patterns = [processing_log_topic, "_confluent-ksql-.*", *configured.split(",")]  # joined as regexes, unescaped
    return any(re.fullmatch(p.strip(), topic) for p in patterns if p.strip())
