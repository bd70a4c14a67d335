"""Batched numpy features (and labels) read straight from a topic, bounded or continuous.

Bounded modes stop at the end offsets seen at the start, after `max_records`, or after `timeout_s`
(whichever comes first). Continuous mode joins a consumer group and commits the offsets of each batch
once the caller asks for the next one, i.e. after the batch was used (trained on, predicted).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from fraudlab.kafka import KafkaConfig
from fraudlab.scoring.parsing import DelimitedParser, JsonParser
from fraudlab.tfkafka.errors import TfKafkaError

Mode = Literal["bounded", "continuous"]


@dataclass(frozen=True)
class StreamSpec:
    """What to read from a topic and how to turn records into rows."""

    topic: str
    features: tuple[str, ...]
    label: str | None = None
    value_format: Literal["delimited", "json"] = "delimited"
    columns: tuple[str, ...] | None = None  # DELIMITED layout; None detects Kaggle/demo lines
    batch_size: int = 1024
    mode: Mode = "bounded"
    max_records: int | None = None
    timeout_s: float | None = None
    group_id: str | None = None  # continuous mode (required there); bounded mode reads without a group

    def parser(self) -> DelimitedParser | JsonParser:
        names = (*self.features, self.label) if self.label else self.features
        return DelimitedParser(names, self.columns) if self.value_format == "delimited" else JsonParser(names)


def kafka_batches(spec: StreamSpec, config: KafkaConfig) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    """(x float32 [n, features], y float32 [n] or None) batches of `spec.batch_size` rows (the last
    one may be smaller). Records that don't parse are skipped."""
    if spec.mode == "continuous" and not spec.group_id:
        raise TfKafkaError(spec.topic, "continuous mode needs a group_id")
    group = spec.group_id or f"fraudlab-tfkafka-{uuid.uuid4().hex[:8]}"
    consumer = Consumer(config.as_librdkafka(**{
        "group.id": group, "enable.auto.commit": False, "auto.offset.reset": "earliest",
        "enable.partition.eof": False, "fetch.max.bytes": 52_428_800, "queued.min.messages": 200_000,
        "isolation.level": "read_committed",
    }))
    try:
        yield from _read(spec, consumer)
    finally:
        consumer.close()


def _read(spec: StreamSpec, consumer: Consumer) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    meta = consumer.list_topics(spec.topic, timeout=10).topics.get(spec.topic)
    if meta is None or meta.error is not None or not meta.partitions:
        raise TfKafkaError(spec.topic, "topic does not exist")
    ends: dict[int, int] = {}
    if spec.mode == "bounded":
        for p in meta.partitions:
            low, high = consumer.get_watermark_offsets(TopicPartition(spec.topic, p), timeout=10, cached=False)
            if high > low:
                ends[p] = high
        if not ends:
            return
        consumer.assign([TopicPartition(spec.topic, p, OFFSET_BEGINNING) for p in ends])
    else:
        consumer.subscribe([spec.topic])
    parser = spec.parser()
    n_feat = len(spec.features)
    deadline = time.monotonic() + spec.timeout_s if spec.timeout_s is not None else None
    want = spec.batch_size
    rows: list[np.ndarray] = []
    where: list[np.ndarray] = []  # per held row: (partition, offset) of its record, for commits
    held = 0
    emitted = 0
    while True:
        if deadline is not None and time.monotonic() >= deadline:
            break
        if spec.max_records is not None and emitted + held >= spec.max_records:
            break
        if spec.mode == "bounded" and not ends:
            break
        msgs = consumer.consume(max(want - held, 1000), 0.1)
        values = []
        coords = []
        for m in msgs:
            if m.error() is not None:
                continue
            p, off = m.partition(), m.offset()
            if spec.mode == "bounded":
                if p not in ends or off >= ends[p]:
                    continue
                if off + 1 >= ends[p]:
                    del ends[p]
            coords.append((p, off))
            values.append(m.value())
        if values:
            parsed = parser.parse(values)
            if len(parsed.index):
                rows.append(parsed.features)
                where.append(np.asarray(coords, dtype=np.int64)[parsed.index])
                held += len(parsed.features)
        while held >= want or (held and _finished(spec, ends, deadline, emitted + held)):
            block = np.concatenate(rows) if len(rows) > 1 else rows[0]
            coord = np.concatenate(where) if len(where) > 1 else where[0]
            take = min(want, held)
            if spec.max_records is not None:
                take = min(take, spec.max_records - emitted)
            out, rest = block[:take], block[take:]
            rows, held = ([rest] if len(rest) else []), len(rest)
            where = [coord[take:]] if len(rest) else []
            emitted += take
            yield out[:, :n_feat], (out[:, n_feat] if spec.label else None)
            if spec.mode == "continuous":
                # The caller came back for more: the batch was used, so its records may be committed
                # (only those: rows read ahead stay uncommitted).
                done = coord[:take]
                last = {int(p): int(done[done[:, 0] == p, 1].max()) + 1 for p in np.unique(done[:, 0])}
                consumer.commit(offsets=[TopicPartition(spec.topic, p, o) for p, o in last.items()],
                                asynchronous=False)
            if spec.max_records is not None and emitted >= spec.max_records:
                return


def _finished(spec: StreamSpec, ends: dict[int, int], deadline: float | None, count: int) -> bool:
    if spec.mode == "bounded" and not ends:
        return True
    if spec.max_records is not None and count >= spec.max_records:
        return True
    return deadline is not None and time.monotonic() >= deadline

