"""`KafkaConsumer`: one member of a query's consumer group, reading batches of `Record`s."""

from __future__ import annotations

from typing import Any

from confluent_kafka import Consumer as _KConsumer
from confluent_kafka import KafkaError, KafkaException, TopicPartition

from ksqlserver.drivers.base import Consumer, DriverError, Record
from ksqlserver.drivers.kafka import records as kafka_records
from ksqlserver.drivers.kafka.config import KafkaDriverConfig

_new = tuple.__new__


class KafkaConsumer(Consumer):
    """One group member; `commit` commits the positions after the last returned batch."""

    def __init__(
        self, config: KafkaDriverConfig, topics: list[str], group_id: str, from_beginning: bool
    ) -> None:
        self._c = _KConsumer(config.consumer(group_id, from_beginning))
        # "latest" means the end of the topic when the query is created (as ksqlDB's statement returns
        # after the query started), not when the group join finishes a few seconds later
        self._start: dict[tuple[str, int], int] = {}
        if not from_beginning:
            md = self._c.list_topics(timeout=config.admin_timeout_s)
            for t in topics:
                meta = md.topics.get(t)
                for p in meta.partitions if meta is not None else ():
                    _, high = self._c.get_watermark_offsets(
                        TopicPartition(t, p), timeout=config.admin_timeout_s
                    )
                    self._start[(t, p)] = high
        self._c.subscribe(topics, on_assign=self._on_assign)
        self._multi = len(set(topics)) > 1
        self._topic = None if self._multi else topics[0]
        self._closed = False
        self._dirty = False

    def _on_assign(self, consumer: _KConsumer, partitions: list[TopicPartition]) -> None:
        if self._start:
            committed = consumer.committed(partitions, timeout=30)
            for tp, c in zip(partitions, committed, strict=True):
                if c.offset < 0 and (tp.topic, tp.partition) in self._start:
                    tp.offset = self._start[(tp.topic, tp.partition)]
        consumer.assign(partitions)

    @staticmethod
    def _check(m: Any) -> None:
        err = m.error()
        if err.code() != KafkaError._PARTITION_EOF and err.fatal():
            raise DriverError(f"Consumer failed: {err}", m.topic() or "")

    def poll_batch(self, max_records: int, timeout: float) -> list[Record]:
        if self._closed:
            return []
        msgs = self._c.consume(num_messages=max_records, timeout=max(timeout, 0.001))
        native = kafka_records.native()
        if native is not None and msgs:
            # the same Records, built in C (drivers/kafka/_records.c): no interpreter round trip per message field
            out, errors = native.records(msgs, Record, self._topic)
            for m in errors:
                self._check(m)
            if out:
                self._dirty = True
                if self._multi:  # several topics (a join): process in timestamp order, as Kafka Streams does
                    out.sort(key=lambda r: r.timestamp)
            return out  # type: ignore[no-any-return]
        out = []
        append = out.append
        topic = self._topic  # one topic: no per-message topic() call
        for m in msgs:
            if m.error() is not None:
                self._check(m)
                continue
            ts = m.timestamp()[1]
            headers = m.headers()
            # tuple.__new__ skips NamedTuple's Python-level constructor
            append(
                _new(
                    Record,
                    (
                        m.key(),
                        m.value(),
                        ts if ts >= 0 else 0,
                        m.partition(),
                        m.offset(),
                        tuple(headers) if headers else (),
                        topic or m.topic(),
                    ),
                )
            )
        if out:
            self._dirty = True
            if self._multi:  # several topics (a join): process in timestamp order, as Kafka Streams does
                out.sort(key=lambda r: r.timestamp)
        return out

    def positions(self) -> list[TopicPartition]:
        """The next offset of every assigned partition (what a transaction commits for the group)."""
        return [tp for tp in self._c.position(self._c.assignment()) if tp.offset >= 0]

    def group_metadata(self) -> Any:
        return self._c.consumer_group_metadata()

    def assignment(self) -> list[tuple[str, int]]:
        """The (topic, partition)s the group gave this member now (durable stores, scale-out)."""
        if self._closed:
            return []
        return [(tp.topic, tp.partition) for tp in self._c.assignment()]

    def commit(self) -> None:
        if self._dirty and not self._closed:
            try:
                self._c.commit(asynchronous=False)
            except KafkaException as e:
                if e.args[0].code() != KafkaError._NO_OFFSET:
                    raise DriverError(f"Commit failed: {e.args[0]}") from None
            self._dirty = False

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._c.close()
