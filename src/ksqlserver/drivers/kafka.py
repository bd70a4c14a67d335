"""Real Kafka through confluent-kafka: batch consume, batched produce with linger, commit after flush.

At-least-once like ksqlDB's default: a query's consumer commits only after the records it produced for
the batch have been acknowledged by the broker (`produce` flushes and checks every delivery report).
The producer hashes keys with murmur2 like the Java client, so keys land where ksqlDB would put them.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import Consumer as _KConsumer
from confluent_kafka import KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from ksqlserver.drivers.base import Consumer, DriverError, Record, TopicDriver, TopicInfo
from ksqlserver.formats.native import ctext


@dataclass(frozen=True)
class KafkaDriverConfig:
    """librdkafka settings for the engine's clients, built once at the edge."""

    bootstrap_servers: str
    linger_ms: int = 20
    batch_messages: int = 10_000
    batch_bytes: int = 1_000_000
    compression: str = "lz4"  # the broker shares the machine: smaller batches cost it less CPU
    queue_max_messages: int = 1_000_000
    fetch_max_bytes: int = 52_428_800
    admin_timeout_s: float = 15.0
    extra: Mapping[str, Any] = field(default_factory=dict)  # passed to every client as is
    # this server's stable identity (runtime/instance.py): static group membership, transactional ids
    instance_id: str = ""
    session_timeout_ms: int = 10_000  # how long a dead server keeps its partitions (scale-out failover)

    def common(self) -> dict[str, Any]:
        return {"bootstrap.servers": self.bootstrap_servers, **self.extra}

    def producer(self) -> dict[str, Any]:
        return {
            **self.common(),
            "linger.ms": self.linger_ms,
            "batch.num.messages": self.batch_messages,
            "batch.size": self.batch_bytes,
            "compression.type": self.compression,
            "queue.buffering.max.messages": self.queue_max_messages,
            "partitioner": "murmur2_random",
            "enable.idempotence": False,
            "acks": "all",
            "delivery.report.only.error": True,
        }

    def consumer(self, group_id: str, from_beginning: bool) -> dict[str, Any]:
        return {
            **self.common(),
            "group.id": group_id,
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest" if from_beginning else "latest",
            "enable.partition.eof": False,
            "fetch.max.bytes": self.fetch_max_bytes,
            "queued.min.messages": 100_000,
            "session.timeout.ms": self.session_timeout_ms,
            # a restarted server rejoins as the same static member: no wait for the dead one to expire
            **({"group.instance.id": f"{self.instance_id}-{group_id}"} if self.instance_id else {}),
        }


class KafkaDriver(TopicDriver):
    def __init__(self, bootstrap_servers: str | KafkaDriverConfig) -> None:
        self.config = (
            bootstrap_servers
            if isinstance(bootstrap_servers, KafkaDriverConfig)
            else KafkaDriverConfig(bootstrap_servers)
        )
        # a metadata request for one missing topic must not create it with the broker's defaults (1 partition):
        # `topic()` answers "missing" and CREATE STREAM ... PARTITIONS=n creates it
        self._admin = AdminClient({**self.config.common(), "allow.auto.create.topics": False})
        self._errors: list[tuple[str, KafkaError]] = []
        self._errors_lock = threading.Lock()
        self._producer = Producer({**self.config.producer(), "on_delivery": self._on_delivery})
        self._lock = threading.Lock()  # one produce/flush at a time keeps delivery accounting simple

    # --- admin ---------------------------------------------------------------------------------------
    def create_topic(
        self, name: str, partitions: int = 1, replicas: int = 1, config: dict[str, str] | None = None
    ) -> None:
        futures = self._admin.create_topics([NewTopic(name, partitions, replicas, config=config or {})])
        try:
            futures[name].result(self.config.admin_timeout_s)
        except KafkaException as e:
            err = e.args[0]
            if isinstance(err, KafkaError) and err.code() == KafkaError.TOPIC_ALREADY_EXISTS:
                return
            raise DriverError(f"Could not create topic {name}: {err}", name) from None

    def delete_topic(self, name: str) -> None:
        futures = self._admin.delete_topics([name])
        try:
            futures[name].result(self.config.admin_timeout_s)
        except KafkaException as e:
            err = e.args[0]
            if isinstance(err, KafkaError) and err.code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                return
            raise DriverError(f"Could not delete topic {name}: {err}", name) from None

    def topics(self) -> dict[str, TopicInfo]:
        try:
            md = self._admin.list_topics(timeout=self.config.admin_timeout_s)
        except KafkaException as e:
            raise DriverError(f"Could not list topics: {e.args[0]}") from None
        out = {}
        for name, t in md.topics.items():
            if t.error is not None:
                continue
            parts = list(t.partitions.values())
            replicas = len(parts[0].replicas) if parts else 1
            out[name] = TopicInfo(name, len(parts), replicas)
        return out

    def topic(self, name: str) -> TopicInfo | None:
        try:
            md = self._admin.list_topics(topic=name, timeout=self.config.admin_timeout_s)
        except KafkaException as e:
            raise DriverError(f"Could not describe topic {name}: {e.args[0]}", name) from None
        t = md.topics.get(name)
        if t is None or t.error is not None or not t.partitions:
            return None
        parts = list(t.partitions.values())
        return TopicInfo(name, len(parts), len(parts[0].replicas) if parts else 1)

    # --- produce -------------------------------------------------------------------------------------
    def _on_delivery(self, err: KafkaError | None, msg: Any) -> None:
        if err is not None:  # only failures are reported (delivery.report.only.error)
            with self._errors_lock:
                self._errors.append((msg.topic() if msg is not None else "", err))

    def produce(
        self, topic: str, records: Sequence[Record], wait: bool = True, keep_partition: bool = False
    ) -> None:
        produce, poll = self._producer.produce, self._producer.poll
        if _native is not None:
            # the same calls made from C (formats/_ctext.c): no interpreter loop per record
            with self._lock:
                at, n = 0, len(records)
                while (at := _native.produce_records(produce, topic, records, at, keep_partition)) < n:
                    poll(0.05)  # local queue full: let librdkafka send some, then go on from there
                poll(0)
            if wait:
                self.flush()
            return
        with self._lock:
            # positional arguments (topic, value, key, partition, callback, on_delivery, timestamp,
            # headers): keyword parsing costs about a fifth of each call; -1 lets the partitioner choose
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
        if wait:
            self.flush()

    def flush(self) -> None:
        with self._lock:
            remaining = self._producer.flush(60)
        if remaining:
            raise DriverError(f"{remaining} produced records were not acknowledged in time")
        with self._errors_lock:
            errors, self._errors = self._errors, []
        if errors:
            topic, err = errors[0]
            raise DriverError(f"Producing to {topic} failed: {err}", topic)

    # --- consume -------------------------------------------------------------------------------------
    def consumer(self, topics: Sequence[str], group_id: str, from_beginning: bool = True) -> Consumer:
        return KafkaConsumer(self.config, list(topics), group_id, from_beginning)

    def committed(self, group_id: str, topic: str) -> int | None:
        """Sum of the group's committed offsets over the topic's partitions (None if nothing committed)."""
        info = self.topic(topic)
        if info is None:
            return None
        c = _KConsumer(self.config.consumer(group_id, True))
        try:
            parts = c.committed(
                [TopicPartition(topic, p) for p in range(info.partitions)],
                timeout=self.config.admin_timeout_s,
            )
        finally:
            c.close()
        offsets = [tp.offset for tp in parts if tp.offset >= 0]
        return sum(offsets) if offsets else None

    def close(self) -> None:
        self._producer.flush(10)


_new = tuple.__new__
_native = ctext()


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
        if _native is not None and msgs:
            # the same Records, built in C (formats/_ctext.c): no interpreter round trip per message field
            out, errors = _native.records(msgs, Record, self._topic)
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
