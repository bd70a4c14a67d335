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
from typing import Any, Literal

import numpy as np
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from fraudlab.kafka import KafkaConfig
from fraudlab.scoring.parsing import DelimitedParser, JsonParser
from fraudlab.tfkafka.errors import TfKafkaError

Mode = Literal["bounded", "continuous"]
_READ_AHEAD = 20_000


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
    continuous = spec.mode == "continuous"
    rows: list[np.ndarray] = []
    where: list[np.ndarray] = []  # continuous mode: per held row, (partition, offset) for commits
    held = 0
    emitted = 0
    while True:
        if deadline is not None and time.monotonic() >= deadline:
            break
        if spec.max_records is not None and emitted + held >= spec.max_records:
            break
        if spec.mode == "bounded" and not ends:
            break
        # Read ahead in large chunks: the per-call cost is fixed, the per-record work is vectorised.
        msgs = consumer.consume(max(want - held, _READ_AHEAD), 0.1)
        got = _parse(msgs, parser, ends if spec.mode == "bounded" else None, continuous) if msgs else None
        if got is not None:
            rows.append(got[0])
            if got[1] is not None:
                where.append(got[1])
            held += len(got[0])
        while held >= want or (held and _finished(spec, ends, deadline, emitted + held)):
            block = np.concatenate(rows) if len(rows) > 1 else rows[0]
            take = min(want, held)
            if spec.max_records is not None:
                take = min(take, spec.max_records - emitted)
            out, rest = block[:take], block[take:]
            rows, held = ([rest] if len(rest) else []), len(rest)
            emitted += take
            yield out[:, :n_feat], (out[:, n_feat] if spec.label else None)
            if continuous:
                coord = np.concatenate(where) if len(where) > 1 else where[0]
                where = [coord[take:]] if len(rest) else []
                # The caller came back for more: the batch was used, so its records may be committed
                # (only those: rows read ahead stay uncommitted).
                done = coord[:take]
                last = {int(p): int(done[done[:, 0] == p, 1].max()) + 1 for p in np.unique(done[:, 0])}
                consumer.commit(offsets=[TopicPartition(spec.topic, p, o) for p, o in last.items()],
                                asynchronous=False)
            if spec.max_records is not None and emitted >= spec.max_records:
                return


def _parse(
    msgs: list[Any], parser: DelimitedParser | JsonParser, ends: dict[int, int] | None, coords: bool
) -> tuple[np.ndarray, np.ndarray | None] | None:
    """Rows of the records that parse (and lie before `ends`, in bounded mode), with their
    (partition, offset) pairs when `coords`; None when no row came out."""
    if any([m.error() is not None for m in msgs]):
        msgs = [m for m in msgs if m.error() is None]
    parts = np.fromiter([m.partition() for m in msgs], dtype=np.int64, count=len(msgs))
    offs = np.fromiter([m.offset() for m in msgs], dtype=np.int64, count=len(msgs))
    if ends is not None:
        keep = _below_ends(parts, offs, ends)
        if not keep.all():
            msgs = [m for m, k in zip(msgs, keep.tolist(), strict=True) if k]
            parts, offs = parts[keep], offs[keep]
    if not msgs:
        return None
    parsed = parser.parse([m.value() for m in msgs])
    if not len(parsed.index):
        return None
    if not coords:
        return parsed.features, None
    index = np.asarray(parsed.index, dtype=np.int64)
    return parsed.features, np.stack([parts[index], offs[index]], axis=1)


def _below_ends(parts: np.ndarray, offs: np.ndarray, ends: dict[int, int]) -> np.ndarray:
    """Which records lie before their partition's end offset; partitions read to the end are
    removed from `ends`."""
    keep = np.zeros(len(parts), dtype=bool)
    for p in np.unique(parts).tolist():
        if p not in ends:
            continue
        here = parts == p
        end = ends[p]
        keep |= here & (offs < end)
        if int(offs[here].max()) + 1 >= end:
            del ends[p]
    return keep


def _finished(spec: StreamSpec, ends: dict[int, int], deadline: float | None, count: int) -> bool:
    if spec.mode == "bounded" and not ends:
        return True
    if spec.max_records is not None and count >= spec.max_records:
        return True
    return deadline is not None and time.monotonic() >= deadline

