"""`KafkaConsumer`: one member of a query's consumer group, reading batches of `Record`s."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from itertools import groupby
from operator import attrgetter
from typing import Any

from confluent_kafka import Consumer as _KConsumer
from confluent_kafka import KafkaError, KafkaException, TopicPartition

from ksqlserver.drivers.base import Consumer, DriverError, Record
from ksqlserver.drivers.kafka import records as kafka_records
from ksqlserver.drivers.kafka.bounded import Unfinished, bounded
from ksqlserver.drivers.kafka.config import KafkaDriverConfig
from ksqlserver.drivers.kafka.merge import TimestampMerge, TopicPartitionKey

_new = tuple.__new__
_partition_of = attrgetter("topic", "partition")
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

    Over several topics (a join) records go through a `TimestampMerge`: returned lowest timestamp first
    across partitions, as a Kafka Streams task processes them, and committed up to what was returned."""

    _merge: TimestampMerge | None = None

    def __init__(
        self, config: KafkaDriverConfig, topics: list[str], group_id: str, from_beginning: bool
    ) -> None:
        self._c = _KConsumer(config.consumer(group_id, from_beginning))
        self._group = group_id
        self._commit_timeout_s = config.commit_timeout_s
        self._close_timeout_s = config.close_timeout_s
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
        self._multi = len(set(topics)) > 1
        # a join's inputs: the next offset to fetch per partition (its lag), and partitions paused while
        # their buffer is full
        self._fetched: dict[TopicPartitionKey, int] = {}
        self._paused: set[TopicPartitionKey] = set()
        if self._multi:
            self._merge = TimestampMerge(self._caught_up)
        self._rewind: Callable[[str], None] | None = None
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
                if c.offset < 0 and key in self._start:
                    tp.offset = self._start[key]
                start = c.offset if c.offset >= 0 else self._start.get(key, -1)
                if start >= 0:
                    self._fetched[key] = start
        if self._merge is not None:
            self._merge.assign((tp.topic, tp.partition) for tp in partitions)
        consumer.assign(partitions)

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
        if self._merge is not None:
            keys = [(tp.topic, tp.partition) for tp in partitions]
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
        if self._merge is not None:
            return self._merged(out, max_records, timeout)
        if out:
            self._dirty = True
        return out

    def _consume(self, max_records: int, timeout: float) -> list[Record]:
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
                        ts if ts >= 0 else 0,
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
        """The next offset of every assigned partition (what a transaction commits for the group): after
        the last record returned, not after what a join's merge still buffers."""
        if self._merge is not None:
            return [TopicPartition(t, p, o) for (t, p), o in self._merge.next_offsets.items()]
        return [tp for tp in self._c.position(self._c.assignment()) if tp.offset >= 0]

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
                if self._merge is not None:
                    offsets = self.positions()
                    if offsets:
                        bounded(f"commit-{self._group}", self._c.commit, left, offsets=offsets, asynchronous=False)
                else:
                    bounded(f"commit-{self._group}", self._c.commit, left, asynchronous=False)
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
