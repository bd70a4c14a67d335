"""Bounded reads from a topic, for inspection in notebooks and tests (never an endless loop)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from fraudlab.kafka.config import KafkaConfig
from fraudlab.kafka.errors import TopicError


@dataclass(frozen=True)
class Record:
    key: bytes | None
    value: bytes | None
    timestamp_ms: int
    partition: int
    offset: int
    headers: tuple[tuple[str, bytes], ...] = ()


def read_records(
    config: KafkaConfig, topic: str, limit: int | None = None, timeout_s: float = 30.0
) -> list[Record]:
    """Read from the beginning of every partition up to the end offsets seen at the start (or
    `limit` records); stops after `timeout_s` whatever happens."""
    consumer = Consumer(
        config.as_librdkafka(
            **{
                "group.id": f"fraudlab-reader-{uuid.uuid4().hex[:8]}",
                "enable.auto.commit": False,
                "auto.offset.reset": "earliest",
                "fetch.max.bytes": 52428800,
            }
        )
    )
    try:
        meta = consumer.list_topics(topic, timeout=10)
        if topic not in meta.topics or not meta.topics[topic].partitions:
            raise TopicError(topic, "does not exist")
        ends: dict[int, int] = {}
        for p in meta.topics[topic].partitions:
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False)
            if high > low:
                ends[p] = high
        if not ends:
            return []
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in ends])
        out: list[Record] = []
        deadline = time.monotonic() + timeout_s
        pending = dict(ends)
        while pending and time.monotonic() < deadline and (limit is None or len(out) < limit):
            for msg in consumer.consume(10_000, timeout=0.5):
                if msg.error() is not None:
                    continue
                p = msg.partition()
                if p not in pending:
                    continue
                ts = msg.timestamp()[1]
                out.append(Record(msg.key(), msg.value(), ts, p, msg.offset(), tuple(msg.headers() or ())))
                if msg.offset() + 1 >= pending[p]:
                    del pending[p]
        return out[:limit] if limit is not None else out
    finally:
        consumer.close()
