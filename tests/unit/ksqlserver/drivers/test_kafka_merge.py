"""A join's inputs are read in timestamp order across partitions (Kafka Streams' PartitionGroup with
`max.task.idle.ms` = 0): a partition with an empty buffer holds the others back only while the broker has
more of it, and the commit covers what was returned, never what is only buffered."""

from __future__ import annotations

import random
from typing import Any

from confluent_kafka import TopicPartition

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.kafka import records as kafka_records
from ksqlserver.drivers.kafka.consumer import KafkaConsumer
from ksqlserver.drivers.kafka.merge import TimestampMerge
from ksqlserver.runtime.operators.joins import StreamStreamJoin

HOUR = 3_600_000


def rec(topic: str, offset: int, ts: int, partition: int = 0) -> Record:
    return Record(None, b"v", ts, partition, offset, (), topic)


def test_heads_are_merged_by_timestamp() -> None:
    m = TimestampMerge(lambda tp: True)
    m.add([rec("a", 0, 10), rec("a", 1, 30), rec("b", 0, 20), rec("b", 1, 40)])
    assert [(r.topic, r.timestamp) for r in m.take(10)] == [("a", 10), ("b", 20), ("a", 30), ("b", 40)]
    assert m.next_offsets == {("a", 0): 2, ("b", 0): 2}


def test_a_lagging_partition_with_an_empty_buffer_holds_the_others_back() -> None:
    lagging = {("b", 0)}
    m = TimestampMerge(lambda tp: tp not in lagging, max_wait_s=60)
    m.assign([("a", 0), ("b", 0)])
    m.add([rec("a", 0, 50)])
    assert m.take(10) == []  # b has records on the broker that may be older
    m.add([rec("b", 0, 5)])
    assert [r.timestamp for r in m.take(10)] == [5]  # b's buffer emptied and b still lags: stop there
    lagging.clear()
    assert [r.timestamp for r in m.take(10)] == [50]  # b caught up: a goes on alone
    assert m.take(10) == []


def test_a_partition_that_never_delivers_holds_the_others_back_only_for_max_wait() -> None:
    m = TimestampMerge(lambda tp: False, max_wait_s=0.0)
    m.assign([("a", 0), ("b", 0)])
    m.add([rec("a", 0, 50)])
    assert [r.timestamp for r in m.take(10)] == [50]


def test_revoked_partitions_drop_their_buffers_and_positions() -> None:
    m = TimestampMerge(lambda tp: True)
    m.add([rec("a", 0, 1), rec("b", 0, 2), rec("b", 1, 3)])
    m.take(1)
    m.revoke([("a", 0), ("b", 0)])
    assert m.buffered(("b", 0)) == 0 and m.next_offsets == {}
    assert m.take(10) == []


class FetchQueue:
    """A librdkafka consumer's queue as the application sees it: messages in the order their fetch
    responses arrived, and the high watermarks of the last responses."""

    def __init__(self, order: list[Record], high: dict[tuple[str, int], int]) -> None:
        self.queue = list(order)
        self.high = high
        self.committed_offsets: list[TopicPartition] | None = None
        self.paused: list[Any] = []

    def consume(self, num_messages: int, timeout: float) -> list[Any]:
        batch, self.queue = self.queue[:num_messages], self.queue[num_messages:]
        return [Message(r) for r in batch]

    def get_watermark_offsets(self, tp: TopicPartition, cached: bool = False) -> tuple[int, int]:
        return 0, self.high[(tp.topic, tp.partition)]

    def commit(self, offsets: list[TopicPartition] | None = None, asynchronous: bool = True) -> None:
        self.committed_offsets = offsets

    def pause(self, tps: list[TopicPartition]) -> None:
        self.paused += tps

    def resume(self, tps: list[TopicPartition]) -> None:
        pass


class Message:
    def __init__(self, r: Record) -> None:
        self.r = r

    def error(self) -> None:
        return None

    def key(self) -> bytes | None:
        return self.r.key

    def value(self) -> bytes | None:
        return self.r.value

    def timestamp(self) -> tuple[int, int]:
        return 1, self.r.timestamp

    def partition(self) -> int:
        return self.r.partition

    def offset(self) -> int:
        return self.r.offset

    def headers(self) -> None:
        return None

    def topic(self) -> str:
        return self.r.topic


def merged_consumer(client: FetchQueue) -> KafkaConsumer:
    c = KafkaConsumer.__new__(KafkaConsumer)
    c._c = client  # type: ignore[assignment]
    c._closed = c._interrupted = c._dirty = False
    c._commit_timeout_s, c._close_timeout_s, c._group = 5.0, 30.0, "q"
    c._multi, c._topic = True, None
    c._start, c._fetched, c._paused = {}, {}, set()
    c._times, c._restored, c._processors, c._unread = {}, {}, {}, []
    c._merge = TimestampMerge(c._caught_up)
    c._merge.assign([("scores", 0), ("labels", 0)])
    return c


def test_a_join_fed_in_fetch_order_loses_matches_and_in_merged_order_none(monkeypatch: Any) -> None:
    """Scores over two days, labels up to 12 h later; the labels' topic arrives whole in the first fetch
    response while the scores trickle in: fed in that order the labels' window store runs ahead and
    expires labels before their scores are read; through the consumer's merge every label joins."""
    monkeypatch.setattr(kafka_records, "native", lambda: None)
    rng = random.Random(7)
    n = 4000
    scores = [rec("scores", i, i * 48 * HOUR // n) for i in range(n)]
    arrivals = sorted((s.timestamp + rng.randrange(HOUR // 6, 12 * HOUR), i) for i, s in enumerate(scores))
    labels = [Record(None, str(i).encode(), at, 0, off, (), "labels") for off, (at, i) in enumerate(arrivals)]
    fetch_order = scores[:100] + labels + scores[100:]

    def joined(records: list[Record]) -> int:
        join = StreamStreamJoin("INNER", 24 * HOUR, 24 * HOUR, None, (1, 1), lambda name: Store())
        out = 0
        for r in records:
            key = r.offset if r.topic == "scores" else int(r.value)
            out += len(join.process(0 if r.topic == "scores" else 1, key, [key], r.timestamp))
        return out

    assert joined(fetch_order) < n  # what processing in fetch order does

    client = FetchQueue(fetch_order, {("scores", 0): n, ("labels", 0): n})
    c = merged_consumer(client)
    got: list[Record] = []
    while len(got) < 2 * n:
        batch = c.poll_batch(500, 0.01)
        assert batch or client.queue, "the merge stalled"
        got += batch
    assert [r.timestamp for r in got] == sorted(r.timestamp for r in got)
    assert joined(got) == n
    c.commit()
    assert client.committed_offsets is not None
    assert sorted((tp.topic, tp.offset) for tp in client.committed_offsets) == [("labels", n), ("scores", n)]


def test_the_commit_covers_only_what_was_returned(monkeypatch: Any) -> None:
    monkeypatch.setattr(kafka_records, "native", lambda: None)
    client = FetchQueue([rec("scores", 0, 10), rec("labels", 0, 5), rec("labels", 1, 50)],
                        {("scores", 0): 5, ("labels", 0): 2})  # scores: 4 more on the broker
    c = merged_consumer(client)
    assert [r.timestamp for r in c.poll_batch(10, 0.0)] == [5, 10]  # 50 waits for the scores still to come
    c.commit()
    assert sorted((tp.topic, tp.offset) for tp in client.committed_offsets or []) == [("labels", 1), ("scores", 1)]


class Store(dict):  # type: ignore[type-arg]
    def put(self, k: Any, v: Any) -> None:
        self[k] = v

    def evict(self, k: Any) -> None:
        self.pop(k, None)

    def delete(self, k: Any) -> None:
        self.pop(k, None)


def test_one_partitions_batch_skips_the_buffers_only_while_the_others_are_caught_up() -> None:
    lagging: set[tuple[str, int]] = set()
    m = TimestampMerge(lambda tp: tp not in lagging, max_wait_s=60)
    m.assign([("a", 0), ("b", 0)])
    batch = [rec("a", 0, 10), rec("a", 1, 20)]
    assert m.direct(batch) and m.next_offsets == {("a", 0): 2}
    lagging.add(("b", 0))
    assert not m.direct([rec("a", 2, 30)])  # b may still deliver older records
    lagging.clear()
    assert not m.direct([rec("a", 2, 30), rec("b", 0, 5)])  # two partitions: merged
    m.add([rec("a", 2, 30)])
    assert not m.direct([rec("a", 3, 40)])  # records buffered already go first


def test_a_batch_of_two_partitions_of_one_topic_is_merged_not_direct() -> None:
    """`direct` looks at every record's topic and partition (by index since perfjoin), not only the first."""
    m = TimestampMerge(lambda tp: True, max_wait_s=60)
    m.assign([("a", 0), ("a", 1), ("b", 0)])
    assert not m.direct([rec("a", 0, 10), rec("a", 0, 20, partition=1)])
    assert not m.direct([rec("a", 0, 10), rec("a", 1, 20), rec("b", 0, 30)])
    assert m.direct([rec("a", 0, 10), rec("a", 1, 20)]) and m.next_offsets == {("a", 0): 2}


def test_heads_are_merged_by_the_extracted_event_time_where_the_query_sets_one() -> None:
    """Kafka Streams' RecordQueue keeps each record's timestamp as the task's TimestampExtractor gives it
    (a ksqlDB source with a TIMESTAMP column: the column's value), and PartitionGroup.nextRecord picks the
    smallest of those, not the producer's record timestamp."""
    m2 = TimestampMerge(lambda tp: True)
    m2.set_event_times({"t": lambda r: {0: 30, 1: 40}[r.offset]})
    m2.add([rec("s", 0, 50), rec("s", 1, 60), rec("t", 0, 1_000), rec("t", 1, 2_000)])
    assert [(r.topic, r.offset) for r in m2.take(10)] == [("t", 0), ("t", 1), ("s", 0), ("s", 1)]
    m3 = TimestampMerge(lambda tp: True)  # no extractor: the records' own timestamps
    m3.add([rec("s", 0, 50), rec("s", 1, 60), rec("t", 0, 1_000), rec("t", 1, 2_000)])
    assert [(r.topic, r.offset) for r in m3.take(10)] == [("s", 0), ("s", 1), ("t", 0), ("t", 1)]
