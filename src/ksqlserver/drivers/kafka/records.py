"""Records to and from confluent-kafka, with the C helpers of `_records.c` (beside this file) when they build.

`produce_all` is the one produce loop of the engine's producers (the driver's, the changelog writer's and
the transactional one): every record is handed to librdkafka in order, and a full local queue
(`BufferError`) is waited out by polling, never dropped. The C `produce_records` makes the same calls
without an interpreter round trip per record; `native()` is None when the helpers could not be built (the
Python loops then serve).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from ksqlserver.drivers.base import Record
from nativebuild import BuildError, NativeSpec, load_extension

log = logging.getLogger("ksqlserver.native")
SPEC = NativeSpec(namespace="ksqlserver", sources=(Path(__file__).with_name("_records.c"),), python=True)


def _load() -> ModuleType | None:
    try:
        return load_extension(SPEC)
    except BuildError as exc:
        log.warning("C Kafka record helpers unavailable (%s); using the Python loops", exc)
        return None


_native = _load()


def native() -> ModuleType | None:
    """The C helpers (`records`, `produce_records`), or None."""
    return _native


def produce_all(producer: Any, topic: str, records: Sequence[Record], keep_partition: bool) -> None:
    """Queue `records` on `producer` in order (delivery is not awaited: flush for that). `keep_partition`:
    into each record's own partition, else where its key hashes. A `NativeProducer` (drivers/kafka/native.py)
    takes the whole list in C, waiting out a full queue there."""
    native_produce = getattr(producer, "produce_records", None)
    if native_produce is not None:
        native_produce(topic, records, keep_partition)
        return
    produce, poll = producer.produce, producer.poll
    if _native is not None:
        at, n = 0, len(records)
        while (at := _native.produce_records(produce, topic, records, at, keep_partition)) < n:
            poll(0.05)  # local queue full: let librdkafka send some, then go on from there
        poll(0)
        return
    # positional arguments (topic, value, key, partition, callback, on_delivery, timestamp, headers):
    # keyword parsing costs about a fifth of each call; -1 lets the partitioner choose
    for key, value, ts, part, _, headers, _ in records:
        p = part if keep_partition else -1
        try:
            if headers:
                produce(topic, value, key, p, None, None, ts, list(headers))
            else:
                produce(topic, value, key, p, None, None, ts)
        except BufferError:  # local queue full: let librdkafka send some, then retry once more
            while True:
                poll(0.05)
                try:
                    produce(topic, value, key, p, None, None, ts, list(headers) or None)
                    break
                except BufferError:
                    continue
    poll(0)
