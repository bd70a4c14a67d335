"""The Kafka consumer's at-least-once commit: it waits for a coordinator that is away (a broker restart)
instead of letting the query read on, gives up at once when the group took the partitions, and a stopping
query cuts the wait short; the driver's flush waits for records librdkafka is still retrying."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from confluent_kafka import KafkaError, KafkaException, TopicPartition

from ksqlserver.drivers.base import DriverError
from ksqlserver.drivers.kafka.consumer import CommitError, KafkaConsumer
from ksqlserver.drivers.kafka.driver import KafkaDriver


class ScriptedClient:
    """Answers commit() from a list of error codes (None: success)."""

    def __init__(self, outcomes: list[int | None]) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0

    def assignment(self) -> list[TopicPartition]:
        return [TopicPartition("t", 0)]

    def position(self, partitions: list[TopicPartition]) -> list[TopicPartition]:
        return [TopicPartition(tp.topic, tp.partition, 7) for tp in partitions]

    def commit(self, offsets: list[TopicPartition] | None = None, asynchronous: bool = True) -> None:
        assert asynchronous is False
        self.committed = offsets
        self.calls += 1
        code = self.outcomes.pop(0) if self.outcomes else None
        if code is not None:
            raise KafkaException(KafkaError(code))


def consumer(outcomes: list[int | None], timeout_s: float = 30.0) -> tuple[KafkaConsumer, ScriptedClient]:
    c = KafkaConsumer.__new__(KafkaConsumer)
    client = ScriptedClient(outcomes)
    c._c = client  # type: ignore[assignment]
    c._commit_timeout_s, c._close_timeout_s, c._group = timeout_s, 30.0, "q"
    c._closed = c._interrupted = False
    c._dirty = True
    c._times, c._restored, c._processors, c._unread = {}, {}, {}, []
    return c, client


def test_commit_waits_for_a_coordinator_that_is_away() -> None:
    c, client = consumer([KafkaError._TRANSPORT, KafkaError.COORDINATOR_NOT_AVAILABLE,
                          KafkaError.COORDINATOR_LOAD_IN_PROGRESS, KafkaError.NOT_COORDINATOR, None])
    c.commit()
    assert client.calls == 5 and not c._dirty
    c.commit()  # nothing new consumed: no request
    assert client.calls == 5


@pytest.mark.parametrize("code", [KafkaError.ILLEGAL_GENERATION, KafkaError.UNKNOWN_MEMBER_ID,
                                  KafkaError.FENCED_INSTANCE_ID, KafkaError.REBALANCE_IN_PROGRESS])
def test_a_member_that_lost_its_partitions_fails_at_once(code: int) -> None:
    c, client = consumer([code, None])
    with pytest.raises(CommitError) as caught:
        c.commit()
    assert caught.value.membership_lost and client.calls == 1 and c._dirty


def test_no_offset_is_not_an_error() -> None:
    c, client = consumer([KafkaError._NO_OFFSET])
    c.commit()
    assert client.calls == 1 and not c._dirty


def test_the_wait_is_bounded() -> None:
    c, client = consumer([KafkaError._TRANSPORT] * 1000, timeout_s=0.5)
    started = time.monotonic()
    with pytest.raises(CommitError) as caught:
        c.commit()
    assert not caught.value.membership_lost
    assert 0.3 < time.monotonic() - started < 3.0 and client.calls >= 2


def test_interrupt_ends_the_wait() -> None:
    c, client = consumer([KafkaError._TRANSPORT] * 1000, timeout_s=60.0)
    threading.Timer(0.3, c.interrupt).start()
    started = time.monotonic()
    with pytest.raises(CommitError):
        c.commit()
    assert time.monotonic() - started < 5.0 and client.calls >= 2


class SlowProducer:
    """flush() leaves records in flight a few times (a broker restarting), then none."""

    def __init__(self, in_flight: list[int]) -> None:
        self.in_flight = list(in_flight)
        self.calls: list[float] = []

    def flush(self, timeout: float) -> int:
        self.calls.append(timeout)
        return self.in_flight.pop(0) if self.in_flight else 0


def driver(producer: Any, delivery_timeout_s: float = 300.0) -> KafkaDriver:
    from ksqlserver.drivers.kafka.config import KafkaDriverConfig

    d = KafkaDriver.__new__(KafkaDriver)
    d.config = KafkaDriverConfig("127.0.0.1:1", delivery_timeout_s=delivery_timeout_s)
    d._producer = producer
    d._lock = threading.Lock()
    d._errors_lock = threading.Lock()
    d._errors = []
    return d


def test_flush_waits_while_records_are_still_retried() -> None:
    producer = SlowProducer([500, 500, 20])
    driver(producer).flush()
    assert len(producer.calls) == 4  # did not give up while librdkafka still had records in flight


def test_flush_gives_up_after_the_delivery_timeout() -> None:
    producer = SlowProducer([7] * 10_000)
    producer.flush = lambda timeout: (time.sleep(min(timeout, 0.01)), 7)[1]  # type: ignore[method-assign]
    d = driver(producer, delivery_timeout_s=-29.9)  # deadline 0.1 s from now
    with pytest.raises(DriverError, match="7 produced records were not acknowledged"):
        d.flush()


def test_the_transactional_producer_accepts_its_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The at-least-once producers' message.timeout.ms (300 s) must not reach the transactional producer:
    librdkafka refuses one above transaction.timeout.ms, and every exactly-once query would fail to start."""
    from ksqlserver.drivers.kafka import txn
    from ksqlserver.drivers.kafka.config import KafkaDriverConfig

    monkeypatch.setattr(txn.TransactionalProducer, "_call", lambda self, what, fn, *args: None)  # no broker
    producer = txn.TransactionalProducer(KafkaDriverConfig("127.0.0.1:1"), "query-1", timeout_ms=10_000)
    assert producer.transactional_id == "query-1"


class HangingProducer:
    """librdkafka's transactional calls as a wedged client makes them: send_offsets_to_transaction never
    returns (whatever its timeout), the others answer at once."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls: list[str] = []

    def begin_transaction(self) -> None:
        self.calls.append("begin")

    def send_offsets_to_transaction(self, offsets: Any, metadata: Any, timeout: float) -> None:
        self.calls.append("send_offsets")
        self.release.wait()

    def commit_transaction(self, timeout: float) -> None:
        self.calls.append("commit")

    def abort_transaction(self, timeout: float) -> None:
        self.calls.append("abort")

    def flush(self, timeout: float) -> int:
        self.calls.append("flush")
        return 0


class OneOffset:
    def positions(self) -> list[Any]:
        from confluent_kafka import TopicPartition

        return [TopicPartition("t", 0, 5)]

    def group_metadata(self) -> Any:
        return object()


def test_a_transaction_call_that_never_returns_fails_the_commit_as_fatal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wedged send_offsets_to_transaction must not hang the query's thread (its output would stop for
    good): the commit fails as fatal within the call's timeout plus the grace, and the producer refuses
    every later call (the query replaces it)."""
    from ksqlserver.drivers.kafka import txn

    monkeypatch.setattr(txn, "WEDGE_GRACE_S", 0.3)
    p = txn.TransactionalProducer.__new__(txn.TransactionalProducer)
    hanging = HangingProducer()
    p._p, p._timeout, p.transactional_id = hanging, 0.2, "query-1"  # type: ignore[assignment]
    p.in_transaction, p.wedged = True, False
    started = time.monotonic()
    with pytest.raises(txn.TransactionError, match="did not return within") as failed:
        p.commit(OneOffset())  # type: ignore[arg-type]
    assert failed.value.fatal
    assert time.monotonic() - started < 3.0
    assert p.wedged and hanging.calls == ["send_offsets"]
    with pytest.raises(txn.TransactionError, match="wedged"):
        p.abort()
    p.close()  # no flush of a wedged client (it could hang as well)
    assert hanging.calls == ["send_offsets"]
    hanging.release.set()


def test_transaction_calls_that_return_in_time_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    from ksqlserver.drivers.kafka import txn

    p = txn.TransactionalProducer.__new__(txn.TransactionalProducer)
    hanging = HangingProducer()
    hanging.release.set()
    p._p, p._timeout, p.transactional_id = hanging, 0.2, "query-1"  # type: ignore[assignment]
    p.in_transaction, p.wedged = True, False
    p.commit(OneOffset())  # type: ignore[arg-type]
    assert hanging.calls == ["send_offsets", "commit"] and not p.in_transaction and not p.wedged


def test_a_transaction_error_keeps_its_fatal_flag() -> None:
    from ksqlserver.drivers.kafka import txn

    class Refusing(HangingProducer):
        def commit_transaction(self, timeout: float) -> None:
            raise KafkaException(KafkaError(KafkaError._FENCED, fatal=True))

    p = txn.TransactionalProducer.__new__(txn.TransactionalProducer)
    refusing = Refusing()
    refusing.release.set()
    p._p, p._timeout, p.transactional_id = refusing, 0.2, "query-1"  # type: ignore[assignment]
    p.in_transaction, p.wedged = True, False
    with pytest.raises(txn.TransactionError, match="commit_transaction failed") as failed:
        p.commit(OneOffset())  # type: ignore[arg-type]
    assert failed.value.fatal and not p.wedged


def test_a_close_stuck_in_librdkafka_is_left_behind() -> None:
    """librdkafka's consumer close can wait forever for a coordinator that does not answer: a query that
    restarts after a broker restart closes its consumer first, and must not hang there."""
    c, _ = consumer([])
    release = threading.Event()

    class StuckClose:
        def close(self) -> None:
            release.wait()

    c._c = StuckClose()  # type: ignore[assignment]
    c._group, c._close_timeout_s = "q", 0.3
    started = time.monotonic()
    c.close()
    assert time.monotonic() - started < 3.0
    assert c._closed and c.poll_batch(10, 0.0) == []
    c.close()  # once only
    release.set()


def test_a_commit_stuck_in_librdkafka_fails_once_its_time_is_up() -> None:
    """A synchronous commit that never returns (a coordinator lookup retried forever) ends in CommitError
    when the commit's time is up, and the query restarts from its committed offsets instead of hanging."""
    c, _ = consumer([], timeout_s=0.5)
    release = threading.Event()

    class StuckCommit(ScriptedClient):
        def commit(self, offsets: list[TopicPartition] | None = None, asynchronous: bool = True) -> None:
            release.wait()

    c._c = StuckCommit([])  # type: ignore[assignment]
    started = time.monotonic()
    with pytest.raises(CommitError, match="did not return") as caught:
        c.commit()
    assert not caught.value.membership_lost
    assert time.monotonic() - started < 5.0
    release.set()


def test_each_committed_offset_carries_its_partition_time_and_task_metadata() -> None:
    from ksqlserver.drivers.base import CommitMetadata, Record
    from ksqlserver.drivers.kafka import offset_metadata

    c, client = consumer([None, None])
    c._restore(("t", 0), CommitMetadata(5_000, {"S": 1_000}))  # as the group committed it last time
    assert c.restored_metadata() == {("t", 0): CommitMetadata(5_000, {"S": 1_000})}
    assert c.restored_metadata() == {}  # handed out once
    c._track([Record(None, None, 3_000, 0, 0, (), "t"), Record(None, None, 4_000, 0, 1, (), "t")])
    c.commit()
    (tp,) = client.committed or []
    # older records do not take the partition time back; the restored processor metadata is kept
    assert (tp.offset, offset_metadata.decode(tp.metadata)) == (7, CommitMetadata(5_000, {"S": 1_000}))
    c._track([Record(None, None, 9_000, 0, 2, (), "t")])
    c.set_processor_metadata({0: {"S": 2_000}})
    c._dirty = True
    c.commit()
    (tp,) = client.committed or []
    assert offset_metadata.decode(tp.metadata) == CommitMetadata(9_000, {"S": 2_000})


@pytest.mark.parametrize("use_native", [True, False])
def test_partition_times_are_the_largest_timestamp_of_each_partition(
    use_native: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The C pass over runs of one partition and the Python loop agree with a per-record reference, on
    batches whose partitions interleave and whose timestamps go back and forth."""
    import random

    from ksqlserver.drivers.base import Record
    from ksqlserver.drivers.kafka import records as kafka_records

    if use_native:
        assert kafka_records.native() is not None, "the C helpers did not build"
    else:
        monkeypatch.setattr(kafka_records, "native", lambda: None)
    rng = random.Random(3)
    for _ in range(200):
        batch = [Record(None, None, rng.randrange(10**12), rng.randrange(3), i, (), rng.choice(["a", "b"]))
                 for i in range(rng.randrange(40))]  # fmt: skip
        start = {("a", 0): rng.randrange(10**12)} if rng.random() < 0.5 else {}
        expected = dict(start)
        for r in batch:
            if r.timestamp > expected.get((r.topic, r.partition), -1):
                expected[(r.topic, r.partition)] = r.timestamp
        c, _ = consumer([])
        c._times = dict(start)
        c._track(batch)
        assert c._times == expected
