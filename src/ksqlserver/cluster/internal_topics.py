"""KsqlInternalTopicUtils.ensureTopic: the server's own topics (the command topic) have one partition,
`ksql.internal.topic.replicas` replicas, `ksql.internal.topic.min.insync.replicas`, infinite retention and the
delete cleanup policy; an existing one with another partition count, or fewer replicas, is refused."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ksqlserver.drivers.base import TopicDriver
from ksqlserver.errors import KsqlError

log = logging.getLogger(__name__)

PARTITIONS = 1
# KsqlInternalTopicUtils.INTERNAL_TOPIC_CONFIG
TOPIC_CONFIG = {"retention.ms": "-1", "cleanup.policy": "delete", "unclean.leader.election.enable": "false"}
REPLICAS = "ksql.internal.topic.replicas"
MIN_INSYNC_REPLICAS = "ksql.internal.topic.min.insync.replicas"


class InternalTopicError(KsqlError):
    """An internal topic that exists with a configuration ksqlDB refuses; names the topic."""

    def __init__(self, message: str, topic: str) -> None:
        super().__init__(message)
        self.topic = topic


def _short(properties: Mapping[str, Any], name: str) -> int:
    return int(str(properties.get(name, "1") or "1").strip())


def ensure_topic(driver: TopicDriver, name: str, properties: Mapping[str, Any]) -> None:
    """Creates `name` as an internal topic, or checks the existing one (validateTopicConfig)."""
    replicas = _short(properties, REPLICAS)
    existing = driver.topic(name)
    if existing is not None:
        if existing.partitions != PARTITIONS:
            raise InternalTopicError(
                f"Invalid partition count on topic '{name}'. Expected: {PARTITIONS}, but was: {existing.partitions}",
                name,
            )
        if existing.replicas < replicas:
            raise InternalTopicError(
                f"Invalid replication factor on topic '{name}'. Expected: {replicas}, but was: {existing.replicas}",
                name,
            )
        return
    if replicas < 2:  # ksqlDB warns; info here, not to print on every first start of a development server
        log.info(
            "Creating topic %s with replication factor of %d which is less than 2. "
            "This is not advisable in a production environment. ",
            name,
            replicas,
        )
    config = {**TOPIC_CONFIG, "min.insync.replicas": str(_short(properties, MIN_INSYNC_REPLICAS))}
    driver.create_topic(name, PARTITIONS, replicas, config)
