"""Batched numpy features (and labels) read straight from a topic, bounded or continuous.

Bounded modes stop at the end offsets seen at the start, after `max_records`, or after `timeout_s`
(whichever comes first). Continuous mode joins a consumer group and commits the offsets of each batch
once the caller asks for the next one, i.e. after the batch was used (trained on, predicted).

Two consumers make the same batches: the native batch consumer (`native_batches`, librdkafka filling
numpy buffers in C, the default) and confluent-kafka (below), used when the native one cannot be built
or a setting needs confluent-kafka (a Python callback), or when `StreamSpec.client` asks for it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Literal

import numpy as np
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from fraudlab.kafka import KafkaConfig
from fraudlab.kafka.batch_consumer import (
    UnsupportedSettingError,
    librdkafka_settings,
    native_library,
    unavailable_reason,
)
from fraudlab.scoring.formats import Parser
from fraudlab.tfkafka.errors import TfKafkaError
from fraudlab.tfkafka.native_batches import native_batches
from fraudlab.tfkafka.spec import Client, Mode, StreamSpec, log, log_rejects

__all__ = ["Client", "Mode", "StreamSpec", "kafka_batches", "resolve_client"]

_READ_AHEAD = 20_000


def _settings(spec: StreamSpec, config: KafkaConfig, native: bool) -> dict[str, Any]:
    group = spec.group_id or f"fraudlab-tfkafka-{uuid.uuid4().hex[:8]}"
    return config.as_librdkafka(**{
        "group.id": group, "enable.auto.commit": False, "auto.offset.reset": "earliest",
        # The native consumer ends a bounded read at an end-of-partition event too: the last offsets
        # of a transactional topic are commit markers, never delivered as records.
        "enable.partition.eof": native and spec.mode == "bounded",
        "fetch.max.bytes": 52_428_800, "queued.min.messages": 200_000,
        "isolation.level": "read_committed",
    })


def resolve_client(spec: StreamSpec, config: KafkaConfig) -> tuple[Literal["native", "confluent"], str]:
    """Which consumer `kafka_batches` uses for `spec`, and why not the native one when it does not."""
    if spec.client == "confluent":
        return "confluent", "asked for"
    if native_library() is None:
        return "confluent", f"native consumer unavailable: {unavailable_reason()}"
    try:
        librdkafka_settings(spec.topic, _settings(spec, config, native=True))
    except UnsupportedSettingError as exc:
        return "confluent", str(exc)
    return "native", ""


def kafka_batches(spec: StreamSpec, config: KafkaConfig) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    """(x float32 [n, features], y float32 [n] or None) batches of `spec.batch_size` rows (the last
    one may be smaller). Records that don't parse are skipped (and logged with partition and offset)."""
    if spec.mode == "continuous" and not spec.group_id:
        raise TfKafkaError(spec.topic, "continuous mode needs a group_id")
    client, why = resolve_client(spec, config)
    if spec.schema_registry_url is None and config.schema_registry_url:
        spec = replace(spec, schema_registry_url=config.schema_registry_url)  # avro, json_sr: their schemas
    if client == "native":
        lib = native_library()
        assert lib is not None
        yield from native_batches(spec, _settings(spec, config, native=True), lib)
        return
    if spec.client == "native":
        raise TfKafkaError(spec.topic, f"the native consumer was asked for but cannot run: {why}")
    if spec.client == "auto":
        log.info("%s: reading with confluent-kafka (%s)", spec.topic, why)
    consumer = Consumer(_settings(spec, config, native=False))
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
    msgs: list[Any], parser: Parser, ends: dict[int, int] | None, coords: bool
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
    if parsed.rejects:
        log_rejects(msgs[0].topic(), [(msgs[i].partition(), msgs[i].offset(), err) for i, err in parsed.rejects])
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

