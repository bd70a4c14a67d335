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
    """Read from the beginning of every non-empty partition up to the end offsets seen at the start
    (or `limit` records, looking again for the ends when short of it); stops after `timeout_s`
    whatever happens."""
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
        partitions = list(meta.topics[topic].partitions)
        ends = _end_offsets(consumer, topic, partitions, {})
        if not ends:
            return []
        partitions = sorted(ends)
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        out: list[Record] = []
        deadline = time.monotonic() + timeout_s
        pending = dict(ends)
        read_to: dict[int, int] = {}
        while pending and time.monotonic() < deadline and (limit is None or len(out) < limit):
            for msg in consumer.consume(10_000, timeout=0.5):
                if msg.error() is not None:
                    continue
                p = msg.partition()
                ts = msg.timestamp()[1]
                out.append(Record(msg.key(), msg.value(), ts, p, msg.offset(), tuple(msg.headers() or ())))
                read_to[p] = msg.offset() + 1
                if p in pending and msg.offset() + 1 >= pending[p]:
                    del pending[p]
            if not pending and limit is not None and len(out) < limit:
                # Short of `limit` at the ends seen so far: a write acknowledged just before this call
                # may not have been in the first ListOffsets answer, so look once more before stopping.
                pending = _end_offsets(consumer, topic, partitions, read_to)
        return out[:limit] if limit is not None else out
    finally:
        consumer.close()


def _end_offsets(consumer: Consumer, topic: str, partitions: list[int], read_to: dict[int, int]) -> dict[int, int]:
    """High watermarks of the partitions that hold records past `read_to` (the next offset to read)."""
    ends: dict[int, int] = {}
    for p in partitions:
        low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False)
        if high > max(low, read_to.get(p, 0)):
            ends[p] = high
    return ends
