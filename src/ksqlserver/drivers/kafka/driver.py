"""Real Kafka through confluent-kafka: batch consume, batched produce with linger, commit after flush.

At-least-once like ksqlDB's default: a query's consumer commits only after the records it produced for
the batch have been acknowledged by the broker (`produce` flushes and checks every delivery report).
The producer hashes keys with murmur2 like the Java client, so keys land where ksqlDB would put them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Collection, Sequence
from typing import Any

from confluent_kafka import Consumer as _KConsumer
from confluent_kafka import KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic

from ksqlserver.drivers.base import (
    Consumer,
    DriverError,
    Durability,
    Record,
    Scan,
    TopicDriver,
    TopicInfo,
    TopicTail,
)
from ksqlserver.drivers.kafka import native
from ksqlserver.drivers.kafka.changelog import ChangelogProducer, HeartbeatTail, KafkaChangelogIO
from ksqlserver.drivers.kafka.config import KafkaDriverConfig
from ksqlserver.drivers.kafka.consumer import KafkaConsumer
from ksqlserver.drivers.kafka.native import NativeProducer
from ksqlserver.drivers.kafka.records import produce_all
from ksqlserver.drivers.kafka.scan import KafkaScan
from ksqlserver.drivers.kafka.tail import KafkaTail
from ksqlserver.drivers.kafka.txn import TransactionalProducer

log = logging.getLogger("ksqlserver.drivers.kafka")


class KafkaDriver(TopicDriver):
    _native = False  # records through kafkanative (KafkaDriverConfig.native_io, when it loads)

    def __init__(self, bootstrap_servers: str | KafkaDriverConfig) -> None:
        self.config = (
            bootstrap_servers
            if isinstance(bootstrap_servers, KafkaDriverConfig)
            else KafkaDriverConfig(bootstrap_servers)
        )
        # a metadata request for one missing topic must not create it with the broker's defaults (1 partition):
        # `topic()` answers "missing" and CREATE STREAM ... PARTITIONS=n creates it
        self._admin = AdminClient({**self.config.common(), "allow.auto.create.topics": False})
        self._errors: list[tuple[str, KafkaError]] = []
        self._errors_lock = threading.Lock()
        self._native = self.config.native_io and native.available()
        self._producer: Any = (
            NativeProducer(self.config.producer()) if self._native
            else Producer({**self.config.producer(), "on_delivery": self._on_delivery})
        )
        self._lock = threading.Lock()  # one produce/flush at a time keeps delivery accounting simple
        config = self.config
        self.durability = Durability(
            instance_id=config.instance_id,
            transactional_producer=lambda transactional_id: TransactionalProducer(config, transactional_id),
            changelog_io=lambda: KafkaChangelogIO(self, config),
            changelog_producer=lambda: ChangelogProducer(config),
            follower=lambda topic: HeartbeatTail(config, topic),
        )

    # --- admin ---------------------------------------------------------------------------------------
    def create_topic(
        self, name: str, partitions: int = 1, replicas: int = 1, config: dict[str, str] | None = None
    ) -> None:
        futures = self._admin.create_topics([NewTopic(name, partitions, replicas, config=config or {})])
        try:
            futures[name].result(self.config.admin_timeout_s)
        except KafkaException as e:
            err = e.args[0]
            if isinstance(err, KafkaError) and err.code() == KafkaError.TOPIC_ALREADY_EXISTS:
                return
            raise DriverError(f"Could not create topic {name}: {err}", name) from None
        self._await_leaders(name, partitions)

    def _await_leaders(self, name: str, partitions: int) -> None:
        """Until the broker's metadata lists every partition of a topic just created with a leader (as Kafka
        Streams' InternalTopicManager waits for its topics): a consumer that subscribes before that is told
        the topic does not exist and looks again only at its next metadata refresh, minutes later."""
        deadline = time.monotonic() + self.config.admin_timeout_s
        while time.monotonic() < deadline:
            try:
                # all topics, not `topic=name`: a metadata request naming a topic may auto-create it
                t = self._admin.list_topics(timeout=self.config.admin_timeout_s).topics.get(name)
            except KafkaException:
                t = None
            if t is not None and t.error is None and len(t.partitions) >= partitions and all(
                p.leader >= 0 for p in t.partitions.values()
            ):
                return
            time.sleep(0.05)
        log.warning("topic %s: created, but its partitions have no leader after %.0f s", name,
                    self.config.admin_timeout_s)

    def delete_topic(self, name: str) -> None:
        futures = self._admin.delete_topics([name])
        try:
            futures[name].result(self.config.admin_timeout_s)
        except KafkaException as e:
            err = e.args[0]
            if isinstance(err, KafkaError) and err.code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                return
            raise DriverError(f"Could not delete topic {name}: {err}", name) from None

    def topics(self) -> dict[str, TopicInfo]:
        try:
            md = self._admin.list_topics(timeout=self.config.admin_timeout_s)
        except KafkaException as e:
            raise DriverError(f"Could not list topics: {e.args[0]}") from None
        out = {}
        for name, t in md.topics.items():
            if t.error is not None:
                continue
            parts = list(t.partitions.values())
            replicas = len(parts[0].replicas) if parts else 1
            out[name] = TopicInfo(name, len(parts), replicas)
        return out

    def topic(self, name: str) -> TopicInfo | None:
        try:
            md = self._admin.list_topics(topic=name, timeout=self.config.admin_timeout_s)
        except KafkaException as e:
            raise DriverError(f"Could not describe topic {name}: {e.args[0]}", name) from None
        t = md.topics.get(name)
        if t is None or t.error is not None or not t.partitions:
            return None
        parts = list(t.partitions.values())
        return TopicInfo(name, len(parts), len(parts[0].replicas) if parts else 1)

    def topic_config(self, name: str) -> dict[str, str]:
        """The topic's configs, the broker's defaults included (KafkaTopicClientImpl.getTopicConfig)."""
        resource = ConfigResource("topic", name)
        try:
            entries = self._admin.describe_configs([resource])[resource].result(self.config.admin_timeout_s)
        except KafkaException as e:
            err = e.args[0]
            if isinstance(err, KafkaError) and err.code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                return {}
            raise DriverError(f"Could not describe the configs of topic {name}: {err}", name) from None
        return {k: entry.value for k, entry in entries.items() if entry.value is not None}

    # --- produce -------------------------------------------------------------------------------------
    def _on_delivery(self, err: KafkaError | None, msg: Any) -> None:
        if err is not None:  # only failures are reported (delivery.report.only.error)
            with self._errors_lock:
                self._errors.append((msg.topic() if msg is not None else "", err))

    def produce(
        self, topic: str, records: Sequence[Record], wait: bool = True, keep_partition: bool = False
    ) -> None:
        with self._lock:
            produce_all(self._producer, topic, records, keep_partition)
        if wait:
            self.flush()

    def flush(self) -> None:
        """Wait until every produced record is acknowledged or has failed. librdkafka retries a record
        until `delivery_timeout_s` (a broker restarting), so this waits as long: giving up earlier would
        let a query restart and produce the same records again while the first copies still go out."""
        deadline = time.monotonic() + self.config.delivery_timeout_s + 30.0
        while True:
            with self._lock:  # released between waits: other queries' produce calls are not held up
                remaining = self._producer.flush(min(10.0, max(0.0, deadline - time.monotonic())))
            if not remaining or time.monotonic() >= deadline:
                break
        if remaining:
            raise DriverError(f"{remaining} produced records were not acknowledged in time")
        with self._errors_lock:
            errors, self._errors = self._errors, []
        if self._native:
            errors += self._producer.take_failures()
        if errors:
            topic, err = errors[0]
            raise DriverError(f"Producing to {topic} failed: {err}", topic)

    # --- consume -------------------------------------------------------------------------------------
    def consumer(
        self, topics: Sequence[str], group_id: str, from_beginning: bool = True, earliest: Collection[str] = ()
    ) -> Consumer:
        return KafkaConsumer(self.config, list(topics), group_id, from_beginning, earliest, native_io=self._native)

    def tail(self, topic: str) -> TopicTail:
        return KafkaTail(self.config, topic)

    def scan(self, topics: Sequence[str]) -> Scan:
        return KafkaScan(self.config, list(topics))

    def committed(self, group_id: str, topic: str) -> int | None:
        """Sum of the group's committed offsets over the topic's partitions (None if nothing committed)."""
        info = self.topic(topic)
        if info is None:
            return None
        c = _KConsumer(self.config.consumer(group_id, True))
        try:
            parts = c.committed(
                [TopicPartition(topic, p) for p in range(info.partitions)],
                timeout=self.config.admin_timeout_s,
            )
        finally:
            c.close()
        offsets = [tp.offset for tp in parts if tp.offset >= 0]
        return sum(offsets) if offsets else None

    def close(self) -> None:
        self._producer.flush(10)
