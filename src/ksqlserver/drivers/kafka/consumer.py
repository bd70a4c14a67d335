"""`KafkaConsumer`: one member of a query's consumer group, reading batches of `Record`s."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Collection
from itertools import groupby
from operator import attrgetter
from typing import Any

from confluent_kafka import Consumer as _KConsumer
from confluent_kafka import KafkaError, KafkaException, TopicPartition

from ksqlserver.drivers.base import CommitMetadata, Consumer, DriverError, ProcessorMetadata, Record
from ksqlserver.drivers.kafka import offset_metadata
from ksqlserver.drivers.kafka import records as kafka_records
from ksqlserver.drivers.kafka.bounded import Unfinished, bounded
from ksqlserver.drivers.kafka.config import KafkaDriverConfig
from ksqlserver.drivers.kafka.merge import TimestampMerge, TopicPartitionKey
from ksqlserver.drivers.kafka.native import NativeConsumer

_new = tuple.__new__
_partition_of = attrgetter("topic", "partition")
_timestamp_of = attrgetter("timestamp")
log = logging.getLogger("ksqlserver.drivers.kafka")

# a group coordinator that is away (its broker restarting, the group's state loading): ask again
_COORDINATOR_AWAY = frozenset({
    KafkaError._TRANSPORT, KafkaError._WAIT_COORD, KafkaError._ALL_BROKERS_DOWN, KafkaError._TIMED_OUT,
    KafkaError.REQUEST_TIMED_OUT, KafkaError.NETWORK_EXCEPTION, KafkaError.COORDINATOR_NOT_AVAILABLE,
    KafkaError.NOT_COORDINATOR, KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
})
# the group took the partitions from this member: its positions can no longer be committed
_MEMBERSHIP_LOST = frozenset({
    KafkaError.ILLEGAL_GENERATION, KafkaError.UNKNOWN_MEMBER_ID, KafkaError.REBALANCE_IN_PROGRESS,
    KafkaError.FENCED_INSTANCE_ID, KafkaError._ASSIGNMENT_LOST,
})


class CommitError(DriverError):
    """An offset commit that did not happen; `membership_lost`: the group reassigned the partitions."""

    def __init__(self, message: str, membership_lost: bool) -> None:
        super().__init__(message)
        self.membership_lost = membership_lost


class KafkaConsumer(Consumer):
    """One group member; `commit` commits the positions after the last returned batch.

    Each committed offset carries its partition's time (the largest timestamp returned from it) and the
    processor metadata of its task, as Kafka Streams commits them; on assignment they are read back
    (`restored_metadata`), and the partition time goes on from the committed one.

    Over several topics (a join) records go through a `TimestampMerge`: returned lowest timestamp first
    across partitions, as a Kafka Streams task processes them, and committed up to what was returned."""

    _merge: TimestampMerge | None = None
    _native: NativeConsumer | None = None

    def __init__(
        self,
        config: KafkaDriverConfig,
        topics: list[str],
        group_id: str,
        from_beginning: bool,
        earliest: Collection[str] = (),
        native_io: bool = False,
    ) -> None:
        # the group's reset policy is earliest when any topic starts at its beginning; the others (the
        # "latest" ones) are pinned to their end below
        settings = config.consumer(group_id, from_beginning or bool(set(earliest) & set(topics)))
        # native_io: the same calls on a kafkanative consumer (drivers/kafka/native.py), Records built in C
        self._native = NativeConsumer(settings, config.common()) if native_io else None
        self._c: Any = self._native if self._native is not None else _KConsumer(settings)
        self._group = group_id
        self._commit_timeout_s = config.commit_timeout_s
        self._close_timeout_s = config.close_timeout_s
        # "latest" means the end of the topic when the query is created (as ksqlDB's statement returns
        # after the query started), not when the group join finishes a few seconds later
        self._start: dict[tuple[str, int], int] = {}
        if not from_beginning:
            md = self._c.list_topics(timeout=config.admin_timeout_s)
            for t in (t for t in topics if t not in earliest):
                meta = md.topics.get(t)
                for p in meta.partitions if meta is not None else ():
                    _, high = self._c.get_watermark_offsets(
                        TopicPartition(t, p), timeout=config.admin_timeout_s
                    )
                    self._start[(t, p)] = high
        self._multi = len(set(topics)) > 1
        # a join's inputs: the next offset to fetch per partition (its lag), and partitions paused while
        # their buffer is full
        self._fetched: dict[TopicPartitionKey, int] = {}
        self._paused: set[TopicPartitionKey] = set()
        if self._multi:
            self._merge = TimestampMerge(self._caught_up)
        self._rewind: Callable[[str], None] | None = None
        self._times: dict[TopicPartitionKey, int] = {}  # partition time of every assigned partition
        self._restored: dict[TopicPartitionKey, CommitMetadata] = {}  # not yet handed out
        self._processors: ProcessorMetadata = {}
        self._unread: list[TopicPartition] = []  # assigned, commit metadata not read yet
        self._c.subscribe(topics, on_assign=self._on_assign, on_revoke=self._on_revoke, on_lost=self._on_lost)
        self._topic = None if self._multi else topics[0]
        self._closed = False
        self._interrupted = False
        self._dirty = False

    def _on_assign(self, consumer: _KConsumer, partitions: list[TopicPartition]) -> None:
        if self._start or self._merge is not None:
            committed = consumer.committed(partitions, timeout=30)
            for tp, c in zip(partitions, committed, strict=True):
                key = (tp.topic, tp.partition)
                if c.offset >= 0:
                    self._restore(key, offset_metadata.decode(c.metadata))
                if c.offset < 0 and key in self._start:
                    tp.offset = self._start[key]
                start = c.offset if c.offset >= 0 else self._start.get(key, -1)
                if start >= 0:
                    self._fetched[key] = start
        else:
            # the commit metadata is read after the rebalance, before the first batch is handed out: an
            # offset fetch from inside the callback stalled a group of two static members
            self._unread.extend(partitions)
        if self._merge is not None:
            self._merge.assign((tp.topic, tp.partition) for tp in partitions)
        consumer.assign(partitions)

    def _read_metadata(self) -> None:
        """The commit metadata of the partitions assigned since the last batch (Kafka Streams reads it when
        it initialises a task's time, before processing)."""
        unread, self._unread = self._unread, []
        try:
            committed = self._c.committed(unread, timeout=30)
        except KafkaException as e:
            log.warning("consumer %s: committed offsets unreadable (%s); partition times unknown", self._group, e)
            return
        assigned = set(self.assignment())
        for c in committed:
            key = (c.topic, c.partition)
            if c.offset >= 0 and key in assigned:
                self._restore(key, offset_metadata.decode(c.metadata))

    def _restore(self, key: TopicPartitionKey, meta: CommitMetadata) -> None:
        """Kafka Streams' initializeTaskTimeAndProcessorMetadata: the partition time goes on from the
        committed one, the task's processor metadata is committed again until the query replaces it."""
        self._restored[key] = meta
        if meta.partition_time >= 0:
            self._times[key] = max(self._times.get(key, -1), meta.partition_time)
        if meta.processors:
            self._processors.setdefault(key[1], {}).update(meta.processors)

    def restored_metadata(self) -> dict[TopicPartitionKey, CommitMetadata]:
        out, self._restored = self._restored, {}
        return out

    def set_processor_metadata(self, metadata: ProcessorMetadata) -> None:
        for task, values in metadata.items():
            self._processors.setdefault(task, {}).update(values)

    def _track(self, records: list[Record]) -> None:
        """The partition times after `records` (returned in runs of one partition)."""
        times = self._times
        native = kafka_records.native()
        if native is not None:
            native.partition_times(records, times)  # one C pass, no dict lookup per record
            return
        for tp, run in groupby(records, key=_partition_of):
            ts = max(map(_timestamp_of, run))
            if ts > times.get(tp, -1):
                times[tp] = ts

    def set_event_times(self, extractors: dict[str, Callable[[Record], int]]) -> None:
        """A join's merge orders by the event time its query extracts (Kafka Streams' PartitionGroup)."""
        if self._merge is not None:
            self._merge.set_event_times(extractors)

    def on_rewind(self, callback: Callable[[str], None]) -> None:
        self._rewind = callback

    def _on_lost(self, consumer: _KConsumer, partitions: list[TopicPartition]) -> None:
        self._revoked(consumer, partitions, "lost")

    def _on_revoke(self, consumer: _KConsumer, partitions: list[TopicPartition]) -> None:
        self._revoked(consumer, partitions, "revoked")

    def _revoked(self, consumer: _KConsumer, partitions: list[TopicPartition], how: str) -> None:
        """The group took `partitions` away (a rebalance, or this member's session lost): whoever gets
        them next starts from their committed offsets, this member too when they come back."""
        if partitions and not self._closed:
            log.warning("consumer %s: %d partition(s) %s by the group", self._group, len(partitions), how)
            if self._rewind is not None:
                self._rewind(how)
        keys = [(tp.topic, tp.partition) for tp in partitions]
        for key in keys:
            self._times.pop(key, None)
            self._restored.pop(key, None)
        gone = set(keys)
        self._unread = [tp for tp in self._unread if (tp.topic, tp.partition) not in gone]
        if self._merge is not None:
            self._merge.revoke(keys)
            for key in keys:
                self._fetched.pop(key, None)
                self._paused.discard(key)

    def _caught_up(self, key: TopicPartitionKey) -> bool:
        """Nothing more of this partition on the broker now: its fetch position is at the high watermark
        of the last fetch response (an empty partition that nothing was read from: a high watermark of 0)."""
        _, high = self._c.get_watermark_offsets(TopicPartition(*key), cached=True)
        if high < 0:
            return False
        fetched = self._fetched.get(key)
        return high == 0 if fetched is None else fetched >= high

    @staticmethod
    def _check(m: Any) -> None:
        err = m.error()
        if err.code() != KafkaError._PARTITION_EOF and err.fatal():
            raise DriverError(f"Consumer failed: {err}", m.topic() or "")

    def poll_batch(self, max_records: int, timeout: float) -> list[Record]:
        if self._closed:
            return []
        out = self._consume(max_records, timeout)
        if self._unread:
            self._read_metadata()
        if self._merge is not None:
            return self._merged(out, max_records, timeout)
        if out:
            self._dirty = True
            self._track(out)
        return out

    def _consume(self, max_records: int, timeout: float) -> list[Record]:
        if self._native is not None:
            records, errors = self._native.consume_records(max_records, max(timeout, 0.001), self._topic)
            for err, topic in errors:
                if err.fatal():
                    raise DriverError(f"Consumer failed: {err}", topic)
            return records
        msgs = self._c.consume(num_messages=max_records, timeout=max(timeout, 0.001))
        native = kafka_records.native()
        if native is not None and msgs:
            # the same Records, built in C (drivers/kafka/_records.c): no interpreter round trip per message field
            out, errors = native.records(msgs, Record, self._topic)
            for m in errors:
                self._check(m)
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
                        ts,  # -1: none (the query's timestamp extractor judges it)
                        m.partition(),
                        m.offset(),
                        tuple(headers) if headers else (),
                        topic or m.topic(),
                    ),
                )
            )
        return out

    def _merged(self, records: list[Record], max_records: int, timeout: float) -> list[Record]:
        """A join's batch: what arrived goes into the partitions' buffers; returned is what the timestamp
        order allows now, fetching on (within `timeout`) while a partition that lags holds the rest back."""
        merge = self._merge
        assert merge is not None
        deadline = time.monotonic() + timeout
        if len(records) <= max_records and merge.direct(records):
            last = records[-1]
            self._fetched[(last.topic, last.partition)] = last.offset + 1
            self._dirty = True
            self._track(records)
            return records
        while True:
            if records:
                fetched = self._fetched
                for tp, run in groupby(records, key=_partition_of):
                    fetched[tp] = deque(run, maxlen=1)[0].offset + 1
            merge.add(records)
            out = merge.take(max_records)
            self._pace(merge)
            if out:
                self._dirty = True
                self._track(out)
                return out
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._closed:
                return out
            records = self._consume(max_records, min(remaining, 0.1))

    def _pace(self, merge: TimestampMerge) -> None:
        """Pause a partition whose buffer is full (it is far ahead of another), resume it once drained."""
        full = [tp for tp in merge.full() if tp not in self._paused]
        if full:
            self._c.pause([TopicPartition(*tp) for tp in full])
            self._paused.update(full)
        drained = [tp for tp in self._paused if merge.buffered(tp) < merge.high_water // 2]
        if drained:
            self._c.resume([TopicPartition(*tp) for tp in drained])
            self._paused.difference_update(drained)

    def positions(self) -> list[TopicPartition]:
        """The next offset of every assigned partition (what a commit or a transaction stores for the
        group): after the last record returned, not after what a join's merge still buffers; each with
        its partition time and its task's processor metadata."""
        if self._merge is not None:
            offsets = [TopicPartition(t, p, o) for (t, p), o in self._merge.next_offsets.items()]
        else:
            offsets = [tp for tp in self._c.position(self._c.assignment()) if tp.offset >= 0]
        times = self._times
        processors = self._processors
        return [
            TopicPartition(
                tp.topic, tp.partition, tp.offset,
                metadata=offset_metadata.encode(
                    times.get((tp.topic, tp.partition), -1), processors.get(tp.partition)
                ),
            )
            for tp in offsets
        ]  # fmt: skip

    def group_metadata(self) -> Any:
        return self._c.consumer_group_metadata()

    def assignment(self) -> list[tuple[str, int]]:
        """The (topic, partition)s the group gave this member now (durable stores, scale-out)."""
        if self._closed:
            return []
        return [(tp.topic, tp.partition) for tp in self._c.assignment()]

    def commit(self) -> None:
        """Commit the positions after the last returned batch, synchronously. While the coordinator is
        away (a broker restart) the commit is retried here, so the query does not read on past offsets it
        cannot commit: what a restart replays stays within one commit interval (as Kafka Streams' thread
        blocks in commitSync). A member that lost its partitions, or a coordinator away for longer than
        `commit_timeout_s`, raises CommitError and the query resumes from the committed offsets."""
        if not self._dirty or self._closed:
            return
        deadline = time.monotonic() + self._commit_timeout_s
        delay = 0.1
        while True:
            # each attempt bounded by what is left of the deadline (drivers/kafka/bounded.py)
            left = max(deadline - time.monotonic(), 1.0)
            try:
                offsets = self.positions()
                if offsets:
                    bounded(f"commit-{self._group}", self._c.commit, left, offsets=offsets, asynchronous=False)
                break
            except Unfinished as e:
                raise CommitError(f"Commit failed: {e}", membership_lost=False) from None
            except KafkaException as e:
                err = e.args[0]
                code = err.code()
                if code == KafkaError._NO_OFFSET:
                    break
                lost = code in _MEMBERSHIP_LOST
                away = not lost and (code in _COORDINATOR_AWAY or err.retriable())
                if not away or self._interrupted or time.monotonic() + delay > deadline:
                    raise CommitError(f"Commit failed: {err}", membership_lost=lost) from None
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
        self._dirty = False

    def interrupt(self) -> None:
        self._interrupted = True

    def close(self) -> None:
        """Leave the group; waited for `close_timeout_s` at most (see KafkaDriverConfig and
        drivers/kafka/bounded.py)."""
        if self._closed:
            return
        self._closed = True
        try:
            bounded(f"close-{self._group}", self._c.close, self._close_timeout_s)
        except Unfinished as e:
            log.warning("consumer %s: %s; left behind", self._group, e)
