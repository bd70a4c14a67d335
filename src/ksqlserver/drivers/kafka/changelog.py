"""Changelog topics of durable state stores on Kafka: create, read one partition back, write to a partition.

Reads are read_committed (a changelog written inside an aborted transaction is never restored) and
group-less (assign, never subscribe). The writer puts each record in the partition the store chose (its
input partition), which the engine's sink producer, partitioning by key, would not.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Sequence
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Producer, TopicPartition

from ksqlserver.drivers.base import DriverError, Record, TopicDriver, TopicTail
from ksqlserver.drivers.kafka import native
from ksqlserver.drivers.kafka.config import KafkaDriverConfig
from ksqlserver.drivers.kafka.native import NativeProducer
from ksqlserver.drivers.kafka.records import produce_all

log = logging.getLogger("ksqlserver.drivers.kafka")

COMPACTED = {"cleanup.policy": "compact"}
# a topic created a moment ago: its partitions may not have a leader (in the metadata) yet
# a changelog created a moment ago: the broker has no leader for it yet, or this client's metadata does not
# list it yet (librdkafka's local "Unknown partition" / "Unknown topic")
RETRY = (
    KafkaError.NOT_LEADER_FOR_PARTITION,
    KafkaError.LEADER_NOT_AVAILABLE,
    KafkaError.UNKNOWN_TOPIC_OR_PART,
    KafkaError._UNKNOWN_PARTITION,
    KafkaError._UNKNOWN_TOPIC,
)


class KafkaChangelogIO:
    def __init__(self, driver: TopicDriver, config: KafkaDriverConfig, read_timeout_s: float = 60.0) -> None:
        self._driver = driver
        self._config = config
        self._read_timeout = read_timeout_s
        self._partitions: dict[str, int] = {}
        self._consumer: Consumer | None = None
        self._lock = threading.Lock()

    def _reader(self) -> Consumer:
        if self._consumer is None:
            self._consumer = Consumer(
                {
                    **self._config.common(),
                    "group.id": f"_ksqlserver-restore-{uuid.uuid4().hex}",
                    "enable.auto.commit": False,
                    "enable.auto.offset.store": False,
                    "enable.partition.eof": True,
                    "isolation.level": "read_committed",
                    "auto.offset.reset": "earliest",
                }
            )
        return self._consumer

    def ensure_topic(self, topic: str, partitions: int) -> None:
        if self._driver.topic(topic) is None:
            self._driver.create_topic(topic, partitions, 1, dict(COMPACTED))
        self._partitions.pop(topic, None)

    def partitions(self, topic: str) -> int:
        n = self._partitions.get(topic)
        if n is None:
            info = self._driver.topic(topic)
            n = self._partitions[topic] = info.partitions if info is not None else 0
        return n

    def _watermarks(self, topic: str, partition: int) -> tuple[int, int]:
        """(low, high); retried while a just-created changelog has no leader yet."""
        deadline = time.monotonic() + self._config.admin_timeout_s
        while True:
            try:
                low, high = self._reader().get_watermark_offsets(
                    TopicPartition(topic, partition), timeout=self._config.admin_timeout_s, cached=False
                )
                return int(low), int(high)
            except KafkaException as e:
                err = e.args[0]
                if (not err.retriable() and err.code() not in RETRY) or time.monotonic() > deadline:
                    raise DriverError(f"Reading the end of {topic}[{partition}] failed: {err}", topic) from None
                time.sleep(0.2)

    def end_offset(self, topic: str, partition: int) -> int:
        with self._lock:
            return self._watermarks(topic, partition)[1]

    def read(self, topic: str, partition: int, start: int) -> tuple[list[Record], int]:
        with self._lock:
            c = self._reader()
            low, high = self._watermarks(topic, partition)
            start = max(start, low)
            if start >= high:
                return [], start
            c.assign([TopicPartition(topic, partition, start)])
            out: list[Record] = []
            nxt = start
            deadline = time.monotonic() + self._read_timeout
            try:
                while time.monotonic() < deadline:
                    done = False
                    for m in c.consume(1000, timeout=0.5):
                        err = m.error()
                        if err is not None:
                            if err.code() == KafkaError._PARTITION_EOF:
                                done = True
                                continue
                            raise DriverError(f"Restoring from {topic} failed: {err}", topic)
                        out.append(
                            Record(m.key(), m.value(), 0, partition, m.offset(), tuple(m.headers() or ()), topic)
                        )
                        nxt = m.offset() + 1
                    # positions, not offsets: transaction markers take offsets no record has
                    pos = c.position([TopicPartition(topic, partition)])[0].offset
                    if done or pos >= high or nxt >= high:
                        break
                else:
                    log.warning("restoring %s[%d]: end %d not reached in %.0fs", topic, partition, high, self._read_timeout)
                pos = c.position([TopicPartition(topic, partition)])[0].offset
                return out, max(nxt, pos if pos >= 0 else nxt)
            finally:
                c.unassign()

    def close(self) -> None:
        with self._lock:
            if self._consumer is not None:
                self._consumer.close()
                self._consumer = None


class ChangelogProducer:
    """At-least-once changelog writes: `produce` now, `flush` before the query commits its input."""

    def __init__(self, config: KafkaDriverConfig) -> None:
        self._errors: list[Any] = []
        settings: dict[str, Any] = {**config.producer(), "enable.idempotence": True}
        self._native = NativeProducer(settings) if config.native_io and native.available() else None
        self._p: Any = self._native or Producer({**settings, "on_delivery": self._on_delivery})

    def _on_delivery(self, err: KafkaError | None, msg: Any) -> None:
        if err is not None:
            self._errors.append((msg.topic() if msg is not None else "", err))

    def produce(self, topic: str, records: Sequence[Record]) -> None:
        produce_all(self._p, topic, records, keep_partition=True)  # each change in its input's partition

    def flush(self) -> None:
        remaining = self._p.flush(60)
        if remaining:
            raise DriverError(f"{remaining} changelog records were not acknowledged in time")
        errors, self._errors = self._errors, []
        if self._native is not None:
            errors += self._native.take_failures()
        if errors:
            topic, err = errors[0]
            raise DriverError(f"Writing changelog {topic} failed: {err}", topic)


class HeartbeatTail(TopicTail):
    """A non-blocking follower of the one-partition heartbeat topic: whatever arrived since the last call."""

    def __init__(self, config: KafkaDriverConfig, topic: str) -> None:
        self._topic = topic
        self._c = Consumer(
            {
                **config.common(),
                "group.id": f"_ksqlserver-heartbeats-{uuid.uuid4().hex}",
                "enable.auto.commit": False,
                "enable.auto.offset.store": False,
                "enable.partition.eof": False,
            }
        )
        self._c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
        self._closed = False

    def read(self, timeout: float = 0.0) -> list[Record]:
        if self._closed:
            return []
        out = []
        while True:
            msgs = self._c.consume(500, timeout=max(timeout, 0.05))
            out += [
                Record(m.key(), m.value(), 0, m.partition(), m.offset(), (), self._topic)
                for m in msgs
                if m.error() is None
            ]
            if len(msgs) < 500:
                return out

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._c.close()
