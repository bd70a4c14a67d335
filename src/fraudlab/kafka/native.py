"""fraudlab's clients on `kafkanative` (librdkafka without a Python object per record), for the scoring
service's at-least-once path.

`NativeProducer` and `NativeConsumer` answer the confluent-kafka calls the service makes (TopicPartition in
and out, KafkaException carrying the librdkafka error code), so the service keeps one checkpoint and
rebalance logic; only the per-record work differs: `consume_records` returns `KafkaRecord` tuples built in C,
`produce_many` hands a batch to `rd_kafka_producev` with the GIL released, and delivery failures are counted
in C (no Python callback per record). librdkafka's log lines are emitted on Python logging after each
consume, flush and close (`kafkanative.drain_logs`). Not covered (confluent-kafka stays): transactional producers and any
configuration with a Python callback (`NativeUnavailable`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from confluent_kafka import KafkaError, KafkaException, TopicPartition

import kafkanative
from kafkanative import NativeUnavailable

__all__ = ["KafkaRecord", "NativeConsumer", "NativeProducer", "NativeUnavailable", "native_reason"]

_Rebalance = Callable[[Any, list[TopicPartition]], None]


class KafkaRecord(NamedTuple):
    """One consumed record (the tuple layout `_rdkio` fills and produces from)."""

    key: bytes | None
    value: bytes | None
    timestamp: int = 0
    partition: int = 0
    offset: int = 0
    headers: tuple[tuple[str, bytes | None], ...] | list[tuple[str, bytes]] | None = ()
    topic: str = ""


def native_reason() -> str | None:
    """None when the native clients can be used here, else why not."""
    return None if kafkanative.native() is not None else kafkanative.unavailable_reason()


def _module() -> Any:
    mod = kafkanative.native()
    if mod is None:
        raise NativeUnavailable(kafkanative.unavailable_reason())
    return mod


def _kafka_exception(exc: kafkanative.KafkaNativeError) -> KafkaException:
    return KafkaException(KafkaError(exc.code, exc.reason, fatal=exc.code == KafkaError._FATAL))


def _call(fn: Callable[..., Any], *args: Any) -> Any:
    try:
        return fn(*args)
    except kafkanative.KafkaNativeError as exc:
        raise _kafka_exception(exc) from None


class NativeProducer:
    """A librdkafka producer; failed deliveries are kept (topic and error) until `take_failures`."""

    def __init__(self, conf: Mapping[str, Any]) -> None:
        self._p = _module().Producer(kafkanative.conf_pairs(conf))

    def produce_many(self, topic: str, values: Sequence[bytes], keys: Sequence[bytes | str | None]) -> None:
        """Every value with its key (a str key is written as its UTF-8 bytes), in order (a full local queue
        is waited out in C); the two lists go to C as they are (no record tuple per value)."""
        if len(values) != len(keys):
            raise ValueError(f"produce_many to {topic}: {len(values)} values but {len(keys)} keys")
        values = values if type(values) is list else list(values)
        keys = keys if type(keys) is list else list(keys)
        _call(self._p.produce_values, topic, values, keys)

    def produce(self, topic: str, value: bytes | None, key: bytes | None = None,
                headers: Sequence[tuple[str, bytes]] | None = None) -> None:
        _call(self._p.produce, topic, [(key, value, 0, 0, 0, headers)], False)

    def poll(self, timeout: float = 0.0) -> int:
        return int(self._p.poll(timeout))

    def flush(self, timeout: float = -1.0) -> int:
        left = int(self._p.flush(timeout))
        kafkanative.drain_logs()
        return left

    def __len__(self) -> int:
        return int(self._p.outq_len())

    def take_failures(self) -> list[str]:
        """'topic: reason' of the deliveries that failed since the last call (the first few)."""
        _, failures = self._p.take_failures()
        return [f"{topic}: {reason}" for topic, _, reason in failures]

    def close(self) -> None:
        self._p.close()
        kafkanative.drain_logs()


class NativeConsumer:
    """A librdkafka group consumer with the confluent-kafka `Consumer` calls the scoring service makes."""

    def __init__(self, conf: Mapping[str, Any]) -> None:
        self._callbacks: dict[str, _Rebalance | None] = {}
        self._c = _module().Consumer(kafkanative.conf_pairs(conf), self._on_rebalance)

    def subscribe(self, topics: list[str], on_assign: _Rebalance | None = None,
                  on_revoke: _Rebalance | None = None, on_lost: _Rebalance | None = None) -> None:
        self._callbacks = {"assign": on_assign, "revoke": on_revoke, "lost": on_lost or on_revoke}
        _call(self._c.subscribe, list(topics))

    def _on_rebalance(self, kind: str, partitions: list[tuple[str, int]]) -> None:
        """From the C rebalance callback (the group's assignment is applied there as is)."""
        callback = self._callbacks.get(kind)
        if callback is not None:
            callback(self, [TopicPartition(t, p) for t, p in partitions])

    def consume_records(self, max_records: int, timeout: float) -> tuple[list[KafkaRecord], list[KafkaError]]:
        """Up to `max_records` records and the error events, as KafkaError."""
        records, errors = _call(self._c.consume, max_records, timeout, KafkaRecord, None)
        kafkanative.drain_logs()
        return records, [KafkaError(code, reason, fatal=code == KafkaError._FATAL) for code, reason, _, _ in errors]

    def assignment(self) -> list[TopicPartition]:
        return [TopicPartition(t, p) for t, p in _call(self._c.assignment)]

    def committed(self, partitions: list[TopicPartition], timeout: float = 30.0) -> list[TopicPartition]:
        items = [(tp.topic, tp.partition) for tp in partitions]
        return [TopicPartition(t, p, o) for t, p, o, _, _ in _call(self._c.committed, items, timeout)]

    def position(self, partitions: list[TopicPartition]) -> list[TopicPartition]:
        items = [(tp.topic, tp.partition) for tp in partitions]
        return [TopicPartition(t, p, o) for t, p, o in _call(self._c.position, items)]

    def commit(self, offsets: list[TopicPartition], asynchronous: bool = True) -> None:
        _call(self._c.commit, [(tp.topic, tp.partition, tp.offset, None) for tp in offsets], asynchronous)

    def rewind(self, offsets: list[TopicPartition]) -> None:
        """Read the assigned partitions again from `offsets` (the assignment re-applied at those offsets:
        `_rdkio` has no seek)."""
        _call(self._c.assign, [(tp.topic, tp.partition, tp.offset) for tp in offsets])

    def get_watermark_offsets(self, partition: TopicPartition, timeout: float = 10.0,
                              cached: bool = False) -> tuple[int, int]:
        low, high = _call(self._c.watermarks, partition.topic, partition.partition, cached, timeout)
        return int(low), int(high)

    def close(self) -> None:
        _call(self._c.close)
        kafkanative.drain_logs()
