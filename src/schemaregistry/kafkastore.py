"""Where the registry's records live: a compacted single-partition Kafka topic (Confluent's `_schemas`)
read from the beginning by a background thread, or a list in memory for tests.

A write returns once the reader has applied it, so a registration is visible to the next request
and a restarted registry replays exactly what was acknowledged.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from schemaregistry.config import RegistryConfig
from schemaregistry.errors import StoreError, StoreTimeoutError
from schemaregistry.state import NOOP_KEY, encode

log = logging.getLogger("schemaregistry.store")
Apply = Callable[[dict[str, Any], dict[str, Any] | None], None]


class Store:
    def start(self, apply: Apply) -> None:
        raise NotImplementedError

    def write(self, key: dict[str, Any], value: dict[str, Any] | None) -> None:
        raise NotImplementedError

    def healthy(self) -> bool:
        return True

    def close(self) -> None:
        pass


class MemoryStore(Store):
    """Records kept in a list (what a topic would hold), for tests and the in-process registry."""

    def __init__(self) -> None:
        self.log: list[tuple[bytes, bytes | None]] = []
        self._apply: Apply | None = None

    def start(self, apply: Apply) -> None:
        self._apply = apply
        for key, value in self.log:
            apply(json.loads(key), json.loads(value) if value is not None else None)

    def write(self, key: dict[str, Any], value: dict[str, Any] | None) -> None:
        assert self._apply is not None, "start() first"
        encoded = encode(key)
        assert encoded is not None
        self.log.append((encoded, encode(value)))
        self._apply(key, value)


class KafkaStore(Store):
    def __init__(self, config: RegistryConfig) -> None:
        self.config = config
        self._cond = threading.Condition()
        self._applied = -1  # offset of the last record applied
        self._error: Exception | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._producer: Any = None
        self._consumer: Any = None
        self._quiet = logging.getLogger("schemaregistry.kafka")

    # -- start-up --------------------------------------------------------------------------------
    def start(self, apply: Apply) -> None:
        from confluent_kafka import Consumer, Producer, TopicPartition

        self._ensure_topic()
        common = {**self.config.kafka_settings, "bootstrap.servers": self.config.bootstrap_servers,
                  "logger": self._quiet}
        self._producer = Producer({**common, "acks": "all", "enable.idempotence": True, "linger.ms": 0})
        self._consumer = Consumer({
            **common,
            "group.id": self.config.group_id,
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            "enable.partition.eof": False,
        })
        tp = TopicPartition(self.config.topic, 0, -2)  # OFFSET_BEGINNING
        self._consumer.assign([tp])
        high = self._end_offset(TopicPartition(self.config.topic, 0))
        self._thread = threading.Thread(target=self._read, args=(apply,), name="schemas-reader", daemon=True)
        self._thread.start()
        if high > 0:
            self._wait_applied(high - 1, self.config.init_timeout_s, "reading the existing schemas")
        log.info("store ready: %s holds %d records up to offset %d", self.config.topic, high, high - 1)

    def _end_offset(self, tp: Any) -> int:
        """The partition's end offset, retried while a new topic's leader is still being elected."""
        from confluent_kafka import KafkaException

        deadline = time.monotonic() + self.config.init_timeout_s
        while True:
            try:
                _low, high = self._consumer.get_watermark_offsets(tp, timeout=5)
                return int(high)
            except KafkaException as exc:
                if time.monotonic() > deadline:
                    raise StoreError(f"cannot read the end of {self.config.topic}: {exc}") from exc
                time.sleep(0.3)

    def _ensure_topic(self) -> None:
        from confluent_kafka import KafkaException
        from confluent_kafka.admin import AdminClient, NewTopic

        admin = AdminClient({**self.config.kafka_settings, "bootstrap.servers": self.config.bootstrap_servers,
                             "logger": self._quiet})
        deadline = time.monotonic() + self.config.init_timeout_s
        while True:
            try:
                meta = admin.list_topics(timeout=5)
                break
            except KafkaException as exc:
                if time.monotonic() > deadline:
                    raise StoreError(f"Kafka at {self.config.bootstrap_servers} does not answer: {exc}") from exc
                time.sleep(1)
        topic = meta.topics.get(self.config.topic)
        if topic is not None and topic.error is None:
            if len(topic.partitions) != 1:
                raise StoreError(
                    f"The schema topic {self.config.topic} should have only 1 partition but has "
                    f"{len(topic.partitions)}"
                )
            return
        replication = min(3, max(1, len(meta.brokers)))
        new = NewTopic(self.config.topic, num_partitions=1, replication_factor=replication,
                       config={"cleanup.policy": "compact"})
        for future in admin.create_topics([new]).values():
            try:
                future.result(timeout=30)
            except KafkaException as exc:
                if "TOPIC_ALREADY_EXISTS" not in str(exc):
                    raise StoreError(f"creating the schema topic {self.config.topic} failed: {exc}") from exc
        log.info("created the compacted topic %s", self.config.topic)

    # -- the reader ------------------------------------------------------------------------------
    def _read(self, apply: Apply) -> None:
        while not self._stop.is_set():
            try:
                msg = self._consumer.poll(0.2)
            except Exception as exc:  # consumer closed under us at shutdown
                if not self._stop.is_set():
                    log.error("schemas reader stopped: %s", exc)
                    self._fail(exc)
                return
            if msg is None:
                continue
            if msg.error():
                log.warning("schemas reader: %s", msg.error())
                continue
            try:
                key = json.loads(msg.key()) if msg.key() else None
                value = json.loads(msg.value()) if msg.value() is not None else None
                if isinstance(key, dict):
                    apply(key, value)
            except (ValueError, KeyError, TypeError) as exc:
                # a record this registry cannot read must not stop the others from loading
                log.error("skipping unreadable record at offset %d: %s", msg.offset(), exc)
            with self._cond:
                self._applied = msg.offset()
                self._cond.notify_all()

    def _fail(self, exc: Exception) -> None:
        with self._cond:
            self._error = exc
            self._cond.notify_all()

    def _wait_applied(self, offset: int, timeout_s: float, what: str) -> None:
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while self._applied < offset:
                if self._error is not None:
                    raise StoreError(f"the schemas reader failed: {self._error}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise StoreTimeoutError(
                        f"Write to the Kafka store timed out while {what} (offset {offset} not read back)"
                    )
                self._cond.wait(left)

    # -- writes ----------------------------------------------------------------------------------
    def write(self, key: dict[str, Any], value: dict[str, Any] | None) -> None:
        result: dict[str, Any] = {}
        done = threading.Event()

        def delivered(err: Any, msg: Any) -> None:
            result["err"], result["offset"] = err, (msg.offset() if msg is not None else None)
            done.set()

        try:
            self._producer.produce(self.config.topic, key=encode(key), value=encode(value),
                                   partition=0, on_delivery=delivered)
        except (BufferError, Exception) as exc:
            raise StoreError(f"Error while writing to the Kafka store: {exc}") from exc
        deadline = time.monotonic() + self.config.write_timeout_s
        while not done.is_set() and time.monotonic() < deadline:
            self._producer.poll(0.05)
        if not done.is_set():
            raise StoreTimeoutError(
                f"Write to the Kafka store timed out after {self.config.write_timeout_s} s "
                f"(is the broker at {self.config.bootstrap_servers} up?)"
            )
        if result["err"] is not None:
            raise StoreError(f"Error while writing to the Kafka store: {result['err']}")
        self._wait_applied(result["offset"], self.config.write_timeout_s, "reading back a write")

    def sync(self) -> None:
        """Catch up with records other writers added (a NOOP marks how far to read)."""
        self.write(NOOP_KEY, None)

    def healthy(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive() and self._error is None

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._producer is not None:
            self._producer.flush(5)
        if self._consumer is not None:
            self._consumer.close()


def store_for(config: RegistryConfig) -> Store:
    return MemoryStore() if config.in_memory else KafkaStore(config)
