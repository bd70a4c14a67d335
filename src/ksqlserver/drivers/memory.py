"""In-memory topics for engine semantics tests and the conformance runner (no broker, no threads needed)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence

from ksqlserver.drivers.base import (
    CommitMetadata,
    Consumer,
    DriverError,
    ProcessorMetadata,
    Record,
    Scan,
    TopicDriver,
    TopicInfo,
    TopicTail,
)
from ksqlserver.drivers.partitioner import partition_of

_new = tuple.__new__


class MemoryDriver(TopicDriver):
    """Each topic is one ordered log (records keep their partition number); groups keep offsets, and beside
    them each partition's commit metadata (its time and its task's processor metadata), so a new consumer
    of a group resumes as a restarted Kafka query does."""

    def __init__(
        self, *, key_partitioning: bool = False, timestamp_order: bool = False, one_partition: bool = False
    ) -> None:
        """Two options make it behave as a broker that already holds the data a query starts on (the
        tutorials runner): `key_partitioning` places each keyed record that does not keep its partition
        as Kafka's producer does (murmur2 of the key); `timestamp_order` hands a reader of several topics
        the next record with the smallest timestamp (as a Kafka Streams task picks among its buffered
        partitions; the event time its query extracts where it set one, `Consumer.set_event_times`) rather
        than in produce order (as ksqlDB's test driver pipes records in). `one_partition` puts every
        record in partition 0 whatever its producer chose, as Kafka Streams' TopologyTestDriver reads every
        topic, internal repartition topics included, as partition 0 of one task (the QTT runner): one
        stream time per aggregation, not one per partition of its repartition topic."""
        self.key_partitioning = key_partitioning
        self.one_partition = one_partition
        self.timestamp_order = timestamp_order
        self._lock = threading.Condition()
        self._logs: dict[str, list[Record]] = {}
        self._info: dict[str, TopicInfo] = {}
        self._offsets: dict[tuple[str, str], int] = {}
        self._metadata: dict[tuple[str, str, int], CommitMetadata] = {}  # (group, topic, partition)
        self._seq: dict[str, list[int]] = {}  # global produce order per record: multi-topic reads merge on it
        # each partition numbers its records from 0, as Kafka does (ROWOFFSET); a record's place in its
        # topic's log is its position for consumers, which need not equal that offset
        self._next_offset: dict[str, list[int]] = {}
        self._next_seq = 0

    def create_topic(
        self, name: str, partitions: int = 1, replicas: int = 1, config: dict[str, str] | None = None
    ) -> None:
        with self._lock:
            if name not in self._info:
                # replicas -1: the cluster's default (TopicProperties.DEFAULT_REPLICAS), one here
                self._info[name] = TopicInfo(name, partitions, replicas if replicas > 0 else 1, dict(config or {}))
                self._logs[name] = []
                self._seq[name] = []
                self._next_offset[name] = [0] * max(partitions, 1)

    def delete_topic(self, name: str) -> None:
        with self._lock:
            self._info.pop(name, None)
            self._logs.pop(name, None)
            self._seq.pop(name, None)
            self._next_offset.pop(name, None)

    def topics(self) -> dict[str, TopicInfo]:
        with self._lock:
            return dict(self._info)

    def produce(
        self, topic: str, records: Sequence[Record], wait: bool = True, keep_partition: bool = False
    ) -> None:  # records keep their partition here either way
        with self._lock:
            if topic not in self._logs:
                raise DriverError(f"Topic '{topic}' does not exist", topic)
            log = self._logs[topic]
            parts = self._info[topic].partitions
            next_offset = self._next_offset[topic]
            hashed = self.key_partitioning and not keep_partition and parts > 1
            if self.one_partition:
                parts = 1  # every record lands in partition 0 (the topic keeps its partition count)
            seq = self._seq[topic]
            for r in records:
                if hashed and r[0] is not None:
                    partition = partition_of(r[0], parts)
                else:
                    partition = r[3] if 0 <= r[3] < parts else 0
                offset = next_offset[partition]
                if r.__class__ is Record:  # r._replace(topic=, partition=, offset=) without its Python _make
                    log.append(_new(Record, (r[0], r[1], r[2], partition, offset, r[5], topic)))
                else:
                    log.append(r._replace(topic=topic, partition=partition, offset=offset))
                next_offset[partition] += 1
                seq.append(self._next_seq)
                self._next_seq += 1
            self._lock.notify_all()

    def records(self, topic: str) -> list[Record]:
        """Everything written to `topic` so far (tests and the conformance runner read outputs here)."""
        with self._lock:
            return list(self._logs.get(topic, []))

    def consumer(
        self, topics: Sequence[str], group_id: str, from_beginning: bool = True, earliest: Collection[str] = ()
    ) -> Consumer:
        with self._lock:
            for t in topics:
                if t not in self._logs:
                    raise DriverError(f"Topic '{t}' does not exist", t)
                key = (group_id, t)
                if key not in self._offsets:
                    self._offsets[key] = 0 if from_beginning or t in earliest else len(self._logs[t])
        return MemoryConsumer(self, list(topics), group_id)

    def tail(self, topic: str) -> TopicTail:
        return MemoryTail(self, topic)

    def scan(self, topics: Sequence[str]) -> Scan:
        with self._lock:
            for t in topics:
                if t not in self._logs:
                    raise DriverError(f"Topic '{t}' does not exist", t)
            ends = {t: len(self._logs[t]) for t in topics}
        return MemoryScan(self, ends)

    def committed(self, group_id: str, topic: str) -> int | None:
        return self._offsets.get((group_id, topic))

    def committed_metadata(self, group_id: str, topic: str) -> dict[int, CommitMetadata]:
        """Partition -> the metadata committed with the group's offset of `topic`."""
        with self._lock:
            return {p: m for (g, t, p), m in self._metadata.items() if g == group_id and t == topic}


class MemoryConsumer(Consumer):
    def __init__(self, driver: MemoryDriver, topics: list[str], group_id: str) -> None:
        self._d = driver
        self._topics = topics
        self._group = group_id
        self._pos = {t: driver._offsets[(group_id, t)] for t in topics}
        self._closed = False
        with driver._lock:
            self._restored = {
                (t, p): m for (g, t, p), m in driver._metadata.items() if g == group_id and t in topics
            }
        self._times = {k: m.partition_time for k, m in self._restored.items()}
        self._event_times: dict[str, Callable[[Record], int]] = {}
        self._processors: ProcessorMetadata = {}
        for (_, p), m in self._restored.items():
            self._processors.setdefault(p, {}).update(m.processors)

    def _take(self, max_records: int) -> list[Record]:
        if len(self._topics) == 1:
            t = self._topics[0]
            start = self._pos[t]
            chunk = self._d._logs.get(t, [])[start : start + max_records]
            self._pos[t] = start + len(chunk)
            return chunk
        # several topics: hand records out in the order they were produced (a join sees both sides in order)
        out: list[Record] = []
        by_time = self._d.timestamp_order
        while len(out) < max_records:
            best, best_seq = None, (-1, -1)
            for t in self._topics:
                pos = self._pos[t]
                seqs = self._d._seq.get(t, [])
                if pos < len(seqs):
                    order = (self._time_of(t, self._d._logs[t][pos]) if by_time else 0, seqs[pos])
                    if best is None or order < best_seq:
                        best, best_seq = t, order
            if best is None:
                break
            out.append(self._d._logs[best][self._pos[best]])
            self._pos[best] += 1
        return out

    def _time_of(self, topic: str, record: Record) -> int:
        """The record's time as the task's RecordQueue sees it: the extracted event time, if any."""
        extract = self._event_times.get(topic)
        return record.timestamp if extract is None else extract(record)

    def set_event_times(self, extractors: dict[str, Callable[[Record], int]]) -> None:
        self._event_times = dict(extractors)

    def pending(self) -> int:
        with self._d._lock:
            return sum(len(self._d._logs.get(t, [])) - pos for t, pos in self._pos.items())

    def poll_batch(self, max_records: int, timeout: float) -> list[Record]:
        with self._d._lock:
            if self._closed:
                return []
            out = self._take(max_records)
            if not out and timeout > 0:
                self._d._lock.wait(timeout)
                out = self._take(max_records)
            times = self._times
            for r in out:
                key = (r.topic, r.partition)
                if r.timestamp > times.get(key, -1):
                    times[key] = r.timestamp
            return out

    def restored_metadata(self) -> dict[tuple[str, int], CommitMetadata]:
        out, self._restored = self._restored, {}
        return out

    def set_processor_metadata(self, metadata: ProcessorMetadata) -> None:
        for task, values in metadata.items():
            self._processors.setdefault(task, {}).update(values)

    def commit(self) -> None:
        with self._d._lock:
            for t, pos in self._pos.items():
                self._d._offsets[(self._group, t)] = pos
            for (t, p), ts in self._times.items():
                self._d._metadata[(self._group, t, p)] = CommitMetadata(ts, dict(self._processors.get(p, {})))

    def close(self) -> None:
        self._closed = True


class MemoryScan(Scan):
    """Each topic's log up to its length at creation, topic after topic."""

    def __init__(self, driver: MemoryDriver, ends: dict[str, int]) -> None:
        self._d = driver
        self._ends = ends
        self._pos = dict.fromkeys(ends, 0)
        self.exhausted = not any(ends.values())

    def poll_batch(self, max_records: int, timeout: float) -> list[Record]:
        with self._d._lock:
            for t, end in self._ends.items():
                pos = self._pos[t]
                if pos < end:
                    chunk = self._d._logs.get(t, [])[pos : min(end, pos + max_records)]
                    self._pos[t] = pos + len(chunk) if chunk else end
                    break
            else:
                chunk = []
            self.exhausted = all(self._pos[t] >= e for t, e in self._ends.items())
            return chunk

    def close(self) -> None:
        self.exhausted = True


class MemoryTail(TopicTail):
    """Over `MemoryDriver.records` (the in-memory driver keeps every record)."""

    def __init__(self, driver: MemoryDriver, topic: str) -> None:
        self._driver = driver
        self._topic = topic
        self._pos = 0

    def read(self, timeout: float = 0.0) -> list[Record]:
        # waits up to `timeout` for a record, as the Kafka tail's poll does: the command follower calls this
        # in a loop, which without the wait spun a core for the server's whole life
        with self._driver._lock:
            if timeout > 0 and len(self._driver._logs.get(self._topic, [])) <= self._pos:
                self._driver._lock.wait(timeout)
            records = self._driver._logs.get(self._topic, [])
            new = records[self._pos :]
            self._pos = len(records)
            return new
