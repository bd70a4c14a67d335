"""Timestamp-ordered reading of several partitions, as a Kafka Streams task reads its inputs.

A join reads two topics. librdkafka hands records over per fetch response, so a small topic arrives whole
while a big one is still being fetched: processed in that order, a join sees one side hours of event time
ahead of the other, its window stores expire what the other side still needs, and matches are lost. Kafka
Streams' `PartitionGroup` instead buffers each partition and always processes the record with the lowest
timestamp among the partitions' heads; with `max.task.idle.ms` = 0 (its default) it goes on without a
partition whose buffer is empty only when that partition is caught up (no lag on the broker, KIP-695).

`TimestampMerge` is that rule: `add` buffers records, `take` returns them in timestamp order while every
partition has a buffered record or is caught up, and remembers the next offset of each partition for the
commit (only what was returned is committed, never what is merely buffered).
"""

from __future__ import annotations

import heapq
import time
from collections import deque
from collections.abc import Callable, Iterable
from itertools import groupby
from operator import attrgetter, itemgetter

from ksqlserver.drivers.base import Record

TopicPartitionKey = tuple[str, int]
_partition_of = attrgetter("topic", "partition")
_partition_at, _topic_at = itemgetter(3), itemgetter(6)  # Record.partition, Record.topic


class TimestampMerge:
    """Per-partition buffers merged by record timestamp.

    `caught_up(tp)`: the partition has nothing more on the broker right now (its lag is known to be 0).
    `max_wait_s`: how long a partition with an empty buffer and unknown or positive lag may hold the others
    back before they go on without it (a fetch that never comes must not stall the query)."""

    def __init__(
        self, caught_up: Callable[[TopicPartitionKey], bool], max_wait_s: float = 2.0, high_water: int = 10_000
    ) -> None:
        self._caught_up = caught_up
        self._max_wait_s = max_wait_s
        self.high_water = high_water  # above this many buffered records a partition should be paused
        self._buffers: dict[TopicPartitionKey, deque[Record]] = {}
        self._waiting_since: dict[TopicPartitionKey, float] = {}
        self.next_offsets: dict[TopicPartitionKey, int] = {}  # processed positions, for the commit
        # topic -> the event time the query extracts (a TIMESTAMP column): a task's RecordQueue orders by
        # the extracted timestamp, not the record's own
        self._event_times: dict[str, Callable[[Record], int]] = {}

    def set_event_times(self, extractors: dict[str, Callable[[Record], int]]) -> None:
        self._event_times = dict(extractors)

    def _time_of(self, rec: Record) -> int:
        extract = self._event_times.get(rec.topic)
        return rec.timestamp if extract is None else extract(rec)

    def assign(self, partitions: Iterable[TopicPartitionKey]) -> None:
        for tp in partitions:
            self._buffers.setdefault(tp, deque())

    def revoke(self, partitions: Iterable[TopicPartitionKey]) -> None:
        """Partitions the group took away: their buffered records are another member's to process."""
        for tp in partitions:
            self._buffers.pop(tp, None)
            self._waiting_since.pop(tp, None)
            self.next_offsets.pop(tp, None)

    def add(self, records: Iterable[Record]) -> None:
        buffers = self._buffers
        # a fetch hands over runs of one partition's records: extend by run, not record by record
        for tp, run in groupby(records, key=_partition_of):
            buf = buffers.get(tp)
            if buf is None:
                buf = buffers[tp] = deque()
            buf.extend(run)

    def direct(self, records: list[Record]) -> bool:
        """A batch that may skip the buffers: nothing is buffered, it holds one partition's records only,
        and every other partition is caught up (the steady state of a stream-table join: the table read,
        the stream flowing). Then it is returned as it is; its position is recorded here."""
        if not records or any(self._buffers.values()):
            return False
        # one partition and topic: checked by index, in C (a generator over the Records' NamedTuple
        # fields cost about 0.17 us a record, a tenth of a CSAS's whole record)
        parts, topics = list(map(_partition_at, records)), list(map(_topic_at, records))
        topic, partition = topics[0], parts[0]
        if parts.count(partition) != len(parts) or topics.count(topic) != len(topics):
            return False
        tp = (topic, partition)
        now = time.monotonic()
        if not all(self._may_go_on_without(other, now) for other in self._buffers if other != tp):
            return False
        self.next_offsets[tp] = records[-1].offset + 1
        return True

    def buffered(self, tp: TopicPartitionKey) -> int:
        buf = self._buffers.get(tp)
        return len(buf) if buf is not None else 0

    def full(self) -> list[TopicPartitionKey]:
        return [tp for tp, buf in self._buffers.items() if len(buf) >= self.high_water]

    def _may_go_on_without(self, tp: TopicPartitionKey, now: float) -> bool:
        if self._caught_up(tp):
            self._waiting_since.pop(tp, None)
            return True
        since = self._waiting_since.setdefault(tp, now)
        return now - since >= self._max_wait_s

    def take(self, limit: int) -> list[Record]:
        """Up to `limit` records, lowest (extracted) timestamp first across partitions (ties: the order
        they arrived in); stops where a partition with an empty buffer is still expected to deliver older records."""
        now = time.monotonic()
        buffers = self._buffers
        for tp, buf in buffers.items():
            if not buf and not self._may_go_on_without(tp, now):
                return []
        time_of = self._time_of
        heads = [(time_of(buf[0]), i, tp) for i, (tp, buf) in enumerate(buffers.items()) if buf]
        if len(heads) == 1:  # the others are caught up: this partition's records in their order, in bulk
            tp = heads[0][2]
            buf = buffers[tp]
            n = min(limit, len(buf))
            out = [buf.popleft() for _ in range(n)]
            if out:
                self.next_offsets[tp] = out[-1].offset + 1
            if buf:
                self._waiting_since.pop(tp, None)
            return out
        heapq.heapify(heads)
        out = []
        seq = len(heads)
        while heads and len(out) < limit:
            _, _, tp = heapq.heappop(heads)
            buf = buffers[tp]
            rec = buf.popleft()
            out.append(rec)
            self.next_offsets[tp] = rec.offset + 1
            if buf:
                seq += 1
                heapq.heappush(heads, (time_of(buf[0]), seq, tp))
            elif not self._may_go_on_without(tp, now):
                break
            else:
                continue
        for tp, buf in buffers.items():
            if buf:
                self._waiting_since.pop(tp, None)
        return out
