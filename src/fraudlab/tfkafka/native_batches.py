"""`kafka_batches` on the native batch consumer: librdkafka fills each batch's arrays in place.

Each read asks for exactly the rows the current batch still needs, so no row is read ahead of the
batch it lands in (librdkafka's own prefetch holds the rest, uncommitted). Records the C parser does
not accept come back as bytes and go through the same Python parser as the confluent-kafka path, so
both paths keep and skip the same records and yield the same float32 values.
"""

from __future__ import annotations

import ctypes
import logging
import time
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from fraudlab.kafka.batch_consumer import BatchConsumer, BatchConsumerError, ReadResult, RowBuffers
from fraudlab.scoring.formats import Parser
from fraudlab.scoring.parsing import DelimitedParser, ParsedBatch
from fraudlab.tfkafka.errors import TfKafkaError
from fraudlab.tfkafka.spec import StreamSpec, log_rejects

log = logging.getLogger(__name__)

_OFFSET_BEGINNING = -2
_POLL_S = 0.1
_NO_TOPIC = (3, -188)  # UNKNOWN_TOPIC_OR_PART (broker), _UNKNOWN_TOPIC (librdkafka)
# Errors retrying will not get over: librdkafka's _FATAL and _AUTHENTICATION, topic/group/cluster
# authorization failures, and the C side's own "the consumer queue refused a batch read".
_FATAL = frozenset({-150, -169, 29, 30, 31, -100000})


def native_batches(
    spec: StreamSpec, conf: Mapping[str, Any], lib: ctypes.CDLL
) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    try:
        consumer = BatchConsumer(spec.topic, conf, lib)
    except BatchConsumerError as exc:
        raise TfKafkaError(spec.topic, str(exc)) from exc
    try:
        yield from _read(spec, consumer)
    except BatchConsumerError as exc:  # commit, watermarks, assignment: one error type for the caller
        raise TfKafkaError(spec.topic, str(exc)) from exc
    finally:
        consumer.close()


def _read(spec: StreamSpec, consumer: BatchConsumer) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    try:
        partitions = consumer.partitions(timeout_s=10)
    except BatchConsumerError as exc:
        problem = "topic does not exist" if exc.code in _NO_TOPIC else str(exc)
        raise TfKafkaError(spec.topic, problem) from exc
    if not partitions:
        raise TfKafkaError(spec.topic, "topic does not exist")
    ends: np.ndarray | None = None
    if spec.mode == "bounded":
        bounds = {}
        for p in partitions:
            low, high = consumer.watermarks(p, timeout_s=10)
            if high > low:
                bounds[p] = high
        log.debug("%s: bounded read of %s", spec.topic, bounds)
        if not bounds:
            return
        ends = np.full(max(bounds) + 1, -1, dtype=np.int64)
        ends[list(bounds)] = list(bounds.values())
        consumer.assign(dict.fromkeys(bounds, _OFFSET_BEGINNING))
    else:
        consumer.subscribe()
    parser = spec.parser()
    feat_of = _layout(spec, parser)
    nx = len(spec.features)
    size = spec.batch_size
    deadline = time.monotonic() + spec.timeout_s if spec.timeout_s is not None else None
    errors_seen: set[int] = set()
    buf = RowBuffers.allocate(size, nx, spec.label is not None)
    held = emitted = 0
    while True:
        done = _finished(spec, ends, deadline, emitted + held)
        if not done:
            want = size - held
            if spec.max_records is not None:
                want = min(want, spec.max_records - emitted - held)
            wait = _POLL_S if deadline is None else max(0.0, min(_POLL_S, deadline - time.monotonic()))
            got = consumer.read(buf, held, want, wait, feat_of, ends)
            if got.errors:
                _log_errors(consumer, got, errors_seen)
            rows = got.rows
            if len(got.flagged):
                rows = _settle(spec, parser, buf, held, got)
                if feat_of is None:
                    feat_of = _layout(spec, parser)  # the first records may have revealed the layout
            held += rows
            done = _finished(spec, ends, deadline, emitted + held)
        if held and (held == size or done):
            yield buf.x[:held], (buf.y[:held] if buf.y is not None else None)
            if spec.mode == "continuous":
                # The caller came back for more: the batch was used, so its records may be committed.
                consumer.commit(_next_offsets(buf.partition[:held], buf.offset[:held]))
            emitted += held
            buf = RowBuffers.allocate(size, nx, spec.label is not None)
            held = 0
        if done and not held:
            return


def _layout(spec: StreamSpec, parser: Parser) -> np.ndarray | None:
    """The native parser's field -> slot map, or None while the layout is unknown (or the format is
    not DELIMITED), in which case every record comes back raw for the Python parser."""
    if not isinstance(parser, DelimitedParser) or parser.columns is None:
        return None
    names = (*spec.features, spec.label) if spec.label else spec.features
    if len(set(names)) != len(names):
        return None  # one field feeding two slots: leave it to the Python parser
    feat_of = np.full(len(parser.columns), -1, dtype=np.int32)
    for slot, name in enumerate(names):
        feat_of[parser.columns.index(name)] = slot
    return feat_of


def _settle(
    spec: StreamSpec, parser: Parser, buf: RowBuffers, start: int, got: ReadResult
) -> int:
    """Decide the flagged rows of a read with the Python parser: fill the accepted ones in place,
    drop the rejected ones (closing the gaps); returns the rows left."""
    parsed: ParsedBatch = parser.parse(got.values)
    flagged = got.flagged
    nx = buf.x.shape[1]
    if parsed.index:
        rows = flagged[parsed.index]
        buf.x[rows] = parsed.features[:, :nx]
        if buf.y is not None:
            buf.y[rows] = parsed.features[:, nx]
    if len(parsed.index) == len(flagged):
        return got.rows
    rejected = np.ones(len(flagged), dtype=bool)
    rejected[parsed.index] = False
    if parsed.rejects:
        log_rejects(spec.topic, [(int(buf.partition[flagged[i]]), int(buf.offset[flagged[i]]), err)
                                 for i, err in parsed.rejects])
    keep = np.ones(got.rows, dtype=bool)
    keep[flagged[rejected] - start] = False
    sel = start + np.flatnonzero(keep)
    for arr in (buf.x, buf.y, buf.partition, buf.offset):
        if arr is not None:
            arr[start:start + len(sel)] = arr[sel]
    return len(sel)


def _next_offsets(partitions: np.ndarray, offsets: np.ndarray) -> dict[int, int]:
    """Per partition, the offset after the last record of the batch."""
    return {int(p): int(offsets[partitions == p].max()) + 1 for p in np.unique(partitions)}


def _finished(spec: StreamSpec, ends: np.ndarray | None, deadline: float | None, count: int) -> bool:
    if ends is not None and not (ends >= 0).any():
        return True
    if spec.max_records is not None and count >= spec.max_records:
        return True
    return deadline is not None and time.monotonic() >= deadline


def _log_errors(consumer: BatchConsumer, got: ReadResult, seen: set[int]) -> None:
    if got.last_error in _FATAL:
        raise TfKafkaError(consumer.topic, f"consumer error: {consumer.error_text(got.last_error)}")
    # Other consumer errors are transient (a broker restarting); librdkafka retries. Say so once per kind.
    level = logging.DEBUG if got.last_error in seen else logging.WARNING
    seen.add(got.last_error)
    log.log(level, "%s: %d consumer error event(s), last: %s", consumer.topic, got.errors,
            consumer.error_text(got.last_error))
