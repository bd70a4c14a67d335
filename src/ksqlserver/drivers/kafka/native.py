"""The driver's clients on `kafkanative` (librdkafka without a Python object per record), when enabled.

`NativeProducer` and `NativeConsumer` answer the confluent-kafka calls the driver makes (TopicPartition in
and out, KafkaException with the same KafkaError codes), so `KafkaDriver`, `KafkaConsumer` and the changelog
writer keep one code path; only the per-record work differs: `produce_records` hands a list of records to
librdkafka in C with the GIL released, `consume_records` returns `Record`s built in C. Delivery reports are
counted in C and failures collected for `flush` to raise.

Not covered (confluent-kafka stays): transactional producers (`txn.py`: init/begin/commit_transaction),
scans and tails (short-lived readers), and any configuration with a Python callback. A native consumer
does serve exactly-once queries: its group metadata is the same serialized bytes confluent-kafka's
`consumer_group_metadata()` returns, which the transactional producer's `send_offsets_to_transaction`
accepts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from confluent_kafka import KafkaError, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient

import kafkanative
from ksqlserver.drivers.base import Record

log = logging.getLogger("ksqlserver.drivers.kafka")

_Rebalance = Callable[[Any, list[TopicPartition]], None]


def available() -> bool:
    """Whether the native clients can be built and loaded here (else the driver keeps confluent-kafka)."""
    if kafkanative.native() is None:
        log.warning("native Kafka I/O unavailable (%s); using confluent-kafka", kafkanative.unavailable_reason())
        return False
    return True


def _kafka_exception(exc: kafkanative.KafkaNativeError) -> KafkaException:
    return KafkaException(KafkaError(exc.code, exc.reason, fatal=exc.code == KafkaError._FATAL))


def _tp_list(partitions: Sequence[TopicPartition]) -> list[tuple[str, int]]:
    return [(tp.topic, tp.partition) for tp in partitions]


class NativeProducer:
    """A librdkafka producer; failed deliveries are kept until `take_failures`."""

    def __init__(self, conf: Mapping[str, Any]) -> None:
        mod = kafkanative.native()
        assert mod is not None, "check available() first"
        self._p = mod.Producer(kafkanative.conf_pairs(conf))

    def produce_records(self, topic: str, records: Sequence[Record], keep_partition: bool) -> None:
        try:
            self._p.produce(topic, records, keep_partition)
        except kafkanative.KafkaNativeError as exc:
            raise _kafka_exception(exc) from None

    def poll(self, timeout: float = 0.0) -> int:
        return int(self._p.poll(timeout))

    def flush(self, timeout: float = -1.0) -> int:
        left = int(self._p.flush(timeout))
        kafkanative.drain_logs()  # librdkafka's log lines, on Python logging from this thread
        return left

    def take_failures(self) -> list[tuple[str, KafkaError]]:
        """The deliveries that failed since the last call, as (topic, error) (the first few of them)."""
        _, failures = self._p.take_failures()
        return [(topic, KafkaError(code, reason)) for topic, code, reason in failures]

    def close(self) -> None:
        self._p.close()


class NativeConsumer:
    """A librdkafka group consumer with confluent-kafka's `Consumer` calls that `KafkaConsumer` makes."""

    def __init__(self, conf: Mapping[str, Any], common: Mapping[str, Any]) -> None:
        mod = kafkanative.native()
        assert mod is not None, "check available() first"
        self._common = dict(common)
        self._callbacks: dict[str, _Rebalance | None] = {}
        self._in_rebalance = False
        self._chosen: list[tuple[str, int, int]] | None = None
        self._c = mod.Consumer(kafkanative.conf_pairs(conf), self._on_rebalance)

    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except kafkanative.KafkaNativeError as exc:
            raise _kafka_exception(exc) from None

    # --- group ---------------------------------------------------------------------------------------
    def subscribe(self, topics: list[str], on_assign: _Rebalance | None = None,
                  on_revoke: _Rebalance | None = None, on_lost: _Rebalance | None = None) -> None:
        self._callbacks = {"assign": on_assign, "revoke": on_revoke, "lost": on_lost or on_revoke}
        self._call(self._c.subscribe, list(topics))

    def _on_rebalance(self, kind: str, partitions: list[tuple[str, int]]) -> list[tuple[str, int, int]] | None:
        """From the C rebalance callback: run the application's callback as confluent-kafka would; an
        `assign` it makes is returned for the C side to apply (else the group's assignment as is)."""
        callback = self._callbacks.get(kind)
        if callback is None:
            return None
        self._in_rebalance, self._chosen = True, None
        try:
            callback(self, [TopicPartition(t, p) for t, p in partitions])
        finally:
            self._in_rebalance = False
        return self._chosen

    def assign(self, partitions: list[TopicPartition]) -> None:
        items = [(tp.topic, tp.partition, tp.offset) for tp in partitions]
        if self._in_rebalance:
            self._chosen = items  # applied by the rebalance callback when the application's returns
            return
        self._call(self._c.assign, items)

    def assignment(self) -> list[TopicPartition]:
        return [TopicPartition(t, p) for t, p in self._call(self._c.assignment)]

    def committed(self, partitions: list[TopicPartition], timeout: float = 30.0) -> list[TopicPartition]:
        out = []
        for t, p, offset, meta, _ in self._call(self._c.committed, _tp_list(partitions), timeout):
            if meta is None:
                out.append(TopicPartition(t, p, offset))
            else:  # a C string, as confluent-kafka reads it (its commits store the terminating NUL)
                text = meta.split(b"\0", 1)[0].decode("utf-8", "replace")
                out.append(TopicPartition(t, p, offset, metadata=text))
        return out

    def position(self, partitions: list[TopicPartition]) -> list[TopicPartition]:
        return [TopicPartition(t, p, o) for t, p, o in self._call(self._c.position, _tp_list(partitions))]

    def commit(self, offsets: list[TopicPartition], asynchronous: bool = True) -> None:
        # the metadata as confluent-kafka's commit stores it: UTF-8 with its terminating NUL (the same bytes
        # on the broker whichever client committed)
        items = [(tp.topic, tp.partition, tp.offset,
                  tp.metadata.encode() + b"\0" if isinstance(tp.metadata, str) else tp.metadata) for tp in offsets]
        self._call(self._c.commit, items, asynchronous)

    def pause(self, partitions: list[TopicPartition]) -> None:
        self._call(self._c.pause, _tp_list(partitions))

    def resume(self, partitions: list[TopicPartition]) -> None:
        self._call(self._c.resume, _tp_list(partitions))

    def consumer_group_metadata(self) -> bytes:
        return bytes(self._call(self._c.group_metadata))

    # --- data ----------------------------------------------------------------------------------------
    def consume_records(
        self, max_records: int, timeout: float, topic: str | None
    ) -> tuple[list[Record], list[tuple[KafkaError, str]]]:
        """Up to `max_records` Records (`topic` set on each, else the message's) and the error events, in
        order, as (KafkaError, topic)."""
        records, errors = self._call(self._c.consume, max_records, timeout, Record, topic)
        kafkanative.drain_logs()
        return records, [
            (KafkaError(code, reason, fatal=code == KafkaError._FATAL), t) for code, reason, t, _ in errors
        ]

    def get_watermark_offsets(self, partition: TopicPartition, timeout: float = 10.0,
                              cached: bool = False) -> tuple[int, int]:
        low, high = self._call(self._c.watermarks, partition.topic, partition.partition, cached, timeout)
        return int(low), int(high)

    def list_topics(self, topic: str | None = None, timeout: float = -1) -> Any:
        """Cluster metadata (a one-off at a query's start: through an admin client of the same settings)."""
        return AdminClient(self._common).list_topics(topic=topic, timeout=timeout)

    def close(self) -> None:
        self._call(self._c.close)
