"""`KafkaTail`: a group-less consumer assigned to every partition of a topic from offset 0."""

from __future__ import annotations

import time
import uuid

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition

from ksqlserver.drivers.base import DriverError, Record, TopicTail
from ksqlserver.drivers.kafka.config import KafkaDriverConfig


class KafkaTail(TopicTail):
    def __init__(self, config: KafkaDriverConfig, topic: str, catch_up_s: float = 30.0) -> None:
        self._topic = topic
        self._catch_up_s = catch_up_s
        self._timeout = config.admin_timeout_s
        # assign(), never subscribe(): the group id is required by librdkafka but no group is joined
        settings = {
            **config.common(),
            "group.id": f"_ksqlserver-tail-{uuid.uuid4().hex}",
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            "enable.partition.eof": False,
            "isolation.level": "read_committed",
        }
        self._c = Consumer(settings)
        # End offsets come from a second client that fetches nothing: the broker answers one connection's
        # requests in order, so on the reading client an offsets request waits behind its idle long-poll
        # fetch (fetch.wait.max.ms, 500 ms), which every pull query on the table would pay.
        self._offsets = Consumer(settings)
        # a topic created a moment ago (the command topic at start-up) may not be in the metadata yet
        deadline = time.monotonic() + min(self._timeout, 5.0)
        while True:
            meta = self._c.list_topics(topic, timeout=self._timeout).topics.get(topic)
            if (meta is not None and meta.error is None) or time.monotonic() >= deadline:
                break
            time.sleep(0.1)
        if meta is None or meta.error is not None:
            self._c.close()
            self._offsets.close()
            raise DriverError(f"Cannot read topic {topic}: it does not exist", topic)
        self._parts = [TopicPartition(topic, p, OFFSET_BEGINNING) for p in sorted(meta.partitions)]
        self._c.assign(self._parts)
        self._next = {p.partition: 0 for p in self._parts}
        self._closed = False

    def _end(self) -> dict[int, int]:
        return {
            p.partition: self._offsets.get_watermark_offsets(
                TopicPartition(self._topic, p.partition), timeout=self._timeout, cached=False
            )[1]
            for p in self._parts
        }

    def _caught_up(self, end: dict[int, int]) -> bool:
        # positions, not last offsets: a transaction marker occupies an offset no record has
        positions = self._c.position([TopicPartition(self._topic, p) for p in end])
        return all(
            self._next[tp.partition] >= end[tp.partition] or tp.offset >= end[tp.partition]
            for tp in positions
        )

    def read(self, timeout: float = 0.0) -> list[Record]:
        """Up to the end seen at the call; gives up on reaching it after `catch_up_s` (then returns what
        it has: the rest comes with the next call)."""
        if self._closed:
            return []
        end = self._end()
        out: list[Record] = []
        deadline = time.monotonic() + max(timeout, 0.0) + self._catch_up_s
        while not self._caught_up(end) and time.monotonic() < deadline:
            msgs = self._c.consume(500, timeout=0.2)
            for m in msgs:
                err = m.error()
                if err is not None:
                    if err.code() != KafkaError._PARTITION_EOF and err.fatal():
                        raise DriverError(f"Reading {self._topic} failed: {err}", self._topic)
                    continue
                ts = m.timestamp()[1]
                out.append(Record(m.key(), m.value(), ts, m.partition(), m.offset(), (), self._topic))
                self._next[m.partition()] = m.offset() + 1
        if not out and timeout > 0:
            time.sleep(min(timeout, 0.2))
        return out

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._c.close()
            self._offsets.close()
