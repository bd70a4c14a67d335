"""Headless mode's config topic, as ksqlDB's StandaloneExecutorFactory and KafkaConfigStore keep it:
`_confluent-ksql-<service id>_configs` (an internal topic) holds, under the key
`{"string":{"value":"ksql-standalone-configs"}}` (ConfigTopicKey.StringKey), the first start's properties
`{"ksqlProperties": {...}}`; later starts read them back instead of writing (KafkaWriteOnceStore), so the
properties whose change would break running queries keep their original values."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from ksqlserver.cluster.internal_topics import ensure_topic
from ksqlserver.drivers.base import Record, TopicDriver

log = logging.getLogger(__name__)

CONFIG_MSG_KEY = "ksql-standalone-configs"  # KafkaConfigStore.CONFIG_MSG_KEY


def configs_topic(service_id: str) -> str:
    """ReservedInternalTopics.configsTopic."""
    return f"_confluent-ksql-{service_id}_configs"


def string_key(value: str) -> bytes:
    """ConfigTopicKey.StringKey as InternalTopicSerdes writes it."""
    return json.dumps({"string": {"value": value}}, separators=(",", ":")).encode()


def _matches(key: bytes | None) -> bool:
    try:
        parsed = json.loads(key or b"")
    except ValueError:
        return False
    return isinstance(parsed, dict) and parsed.get("string") == {"value": CONFIG_MSG_KEY}


def read_maybe_write(
    driver: TopicDriver, service_id: str, properties: Mapping[str, Any], topic_properties: Mapping[str, Any]
) -> dict[str, str]:
    """The saved properties, or `properties` written as the saved ones when the topic has none."""
    topic = configs_topic(service_id)
    ensure_topic(driver, topic, topic_properties)
    tail = driver.tail(topic)
    try:
        records = tail.read()
    finally:
        tail.close()
    for rec in records:
        if not _matches(rec.key):
            continue
        saved = json.loads(rec.value or b"{}").get("ksqlProperties") or {}
        log.debug("Found existing value in topic %s", topic)
        return {str(k): str(v) for k, v in saved.items() if v is not None}
    current = {str(k): str(v) for k, v in properties.items() if v is not None}
    value = json.dumps({"ksqlProperties": current}, separators=(",", ":")).encode()
    driver.produce(topic, [Record(string_key(CONFIG_MSG_KEY), value)])
    return current
