"""The driver interface without a broker: the one produce loop of the Kafka clients (over a scripted
producer whose local queue fills up), the in-memory driver's tail, and what each driver declares."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.kafka import records as kafka_records
from ksqlserver.drivers.memory import MemoryDriver


class QueueProducer:
    """confluent-kafka's produce/poll contract: `produce` raises BufferError while `capacity` messages are
    queued; `poll` sends them."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.queued: list[tuple[Any, ...]] = []
        self.sent: list[tuple[Any, ...]] = []
        self.full = 0

    def produce(
        self,
        topic: str,
        value: bytes | None = None,
        key: bytes | None = None,
        partition: int = -1,
        callback: Any = None,
        on_delivery: Any = None,
        timestamp: int = 0,
        headers: list[tuple[str, bytes | None]] | None = None,
    ) -> None:
        if len(self.queued) >= self.capacity:
            self.full += 1
            raise BufferError("Local: Queue full")
        self.queued.append((topic, key, value, partition, timestamp, headers))

    def poll(self, timeout: float) -> int:
        self.sent += self.queued
        n, self.queued = len(self.queued), []
        return n


RECORDS = [
    Record(
        f"k{i}".encode(),
        None if i % 5 == 0 else f"v{i}".encode(),
        1_000 + i,
        i % 3,
        headers=(("h", b"x"),) if i % 4 == 0 else (),
    )
    for i in range(23)
]


@pytest.mark.parametrize("native", [True, False], ids=["c", "python"])
@pytest.mark.parametrize("keep_partition", [True, False])
def test_produce_all_waits_out_a_full_queue_and_keeps_every_record_in_order(
    native: bool, keep_partition: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if native and kafka_records.native() is None:
        pytest.fail("the C helpers did not build")
    if not native:
        monkeypatch.setattr(kafka_records, "_native", None)
    producer = QueueProducer(capacity=4)
    kafka_records.produce_all(producer, "t", RECORDS, keep_partition)
    assert producer.full > 0  # the queue did fill up
    assert producer.queued == []  # a last poll hands over what is queued
    assert producer.sent == [
        ("t", r.key, r.value, r.partition if keep_partition else -1, r.timestamp, list(r.headers) or None)
        for r in RECORDS
    ]


def test_produce_all_lets_other_errors_through(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(QueueProducer):
        def produce(self, *args: Any, **kwargs: Any) -> None:
            raise ValueError("bad record")

    for native in (kafka_records.native(), None):
        monkeypatch.setattr(kafka_records, "_native", native)
        with pytest.raises(ValueError, match="bad record"):
            kafka_records.produce_all(Broken(10), "t", RECORDS, False)


def test_memory_tail_read_waits_for_a_record_up_to_its_timeout() -> None:
    """The command follower polls the tail in a loop with a timeout: an empty read must wait for it (it
    returned at once, and the follower spun a core for the server's life), and end early on a record."""
    import threading
    import time

    driver = MemoryDriver()
    driver.create_topic("log", 1)
    tail = driver.tail("log")
    started = time.monotonic()
    assert tail.read(0.3) == []
    assert time.monotonic() - started >= 0.25
    timer = threading.Timer(0.1, lambda: driver.produce("log", [Record(b"k", b"v", 1)]))
    timer.start()
    started = time.monotonic()
    assert [r.key for r in tail.read(5.0)] == [b"k"]
    assert time.monotonic() - started < 4.0
    timer.join()
    tail.close()


def test_memory_tail_hands_out_each_record_once() -> None:
    driver = MemoryDriver()
    driver.create_topic("log")
    driver.produce("log", [Record(b"a", b"1"), Record(b"b", b"2")])
    tail = driver.tail("log")
    assert [r.key for r in tail.read()] == [b"a", b"b"]
    assert tail.read() == []
    driver.produce("log", [Record(b"c", b"3")])
    assert [(r.key, r.offset) for r in tail.read()] == [(b"c", 2)]
    tail.close()


def test_the_memory_driver_declares_no_durability_and_no_assignment() -> None:
    driver = MemoryDriver()
    driver.create_topic("t")
    assert driver.durability is None
    assert driver.consumer(["t"], "g").assignment() is None


def test_the_kafka_driver_declares_its_durability() -> None:
    from ksqlserver.drivers.kafka import KafkaDriver, KafkaDriverConfig

    driver = KafkaDriver(KafkaDriverConfig("127.0.0.1:1", instance_id="server-7"))  # no broker is contacted
    try:
        assert driver.durability is not None
        assert driver.durability.instance_id == "server-7"
        assert all(
            callable(f)
            for f in (
                driver.durability.transactional_producer,
                driver.durability.changelog_io,
                driver.durability.changelog_producer,
                driver.durability.follower,
            )
        )
    finally:
        driver.close()


class FakeAdmin:
    """AdminClient's create_topics / describe_configs / list_topics answered from memory."""

    def __init__(self) -> None:
        self.created: list[Any] = []

    def create_topics(self, new_topics: list[Any]) -> dict[str, Any]:
        from concurrent.futures import Future

        self.created.extend(new_topics)
        done: Future[None] = Future()
        done.set_result(None)
        return {t.topic: done for t in new_topics}

    def list_topics(self, timeout: float = 0, topic: str | None = None) -> Any:
        from types import SimpleNamespace

        part = SimpleNamespace(leader=1, replicas=[1])
        topics = {t.topic: SimpleNamespace(error=None, partitions=dict.fromkeys(range(t.num_partitions), part))
                  for t in self.created}
        return SimpleNamespace(topics=topics)

    def describe_configs(self, resources: list[Any]) -> dict[Any, Any]:
        from concurrent.futures import Future
        from types import SimpleNamespace

        out = {}
        for r in resources:
            f: Future[dict[str, Any]] = Future()
            f.set_result({"retention.ms": SimpleNamespace(value="604800000"), "x": SimpleNamespace(value=None)})
            out[r] = f
        return out


def test_the_kafka_driver_creates_a_topic_with_its_configs_and_describes_them() -> None:
    """KafkaTopicClientImpl.createTopic hands TopicCreateInjector's configs to AdminClient.createTopics
    (NewTopic.configs); getTopicConfig reads them back with describeConfigs."""
    from ksqlserver.drivers.kafka.config import KafkaDriverConfig
    from ksqlserver.drivers.kafka.driver import KafkaDriver

    d = KafkaDriver.__new__(KafkaDriver)
    d.config = KafkaDriverConfig("127.0.0.1:1")
    d._admin = admin = FakeAdmin()
    d.create_topic("T", 3, -1, {"cleanup.policy": "compact,delete", "retention.ms": "5000"})
    [made] = admin.created
    assert (made.topic, made.num_partitions, made.replication_factor) == ("T", 3, -1)
    assert made.config == {"cleanup.policy": "compact,delete", "retention.ms": "5000"}
    assert d.topic_config("T") == {"retention.ms": "604800000"}


class _Message:
    """What confluent-kafka's Message answers (the calls `_records.c` makes by name)."""

    def __init__(self, timestamp: tuple[int, int]) -> None:
        self._ts = timestamp

    def error(self) -> None:
        return None

    def key(self) -> bytes:
        return b"k"

    def value(self) -> bytes:
        return b"v"

    def timestamp(self) -> tuple[int, int]:
        return self._ts

    def partition(self) -> int:
        return 0

    def offset(self) -> int:
        return 7

    def headers(self) -> None:
        return None

    def topic(self) -> str:
        return "t"


def test_a_record_without_a_timestamp_keeps_minus_one() -> None:
    """confluent-kafka's Message.timestamp() is (TIMESTAMP_NOT_AVAILABLE, -1) for a record without one
    (ConsumerRecord.NO_TIMESTAMP): the record keeps -1, so the query's timestamp extractor judges it as Kafka
    Streams' does (ksqlDB's default FailOnInvalidTimestamp under LoggingTimestampExtractor: a processing-log
    entry and the record skipped; javamat/test_metadata_timestamp_extractor_test) and PRINT shows its
    rowtime as N/A (RecordFormatter), instead of reading it as 0."""
    native = kafka_records.native()
    assert native is not None, "the C record helpers did not build (tests/unit/nativebuild says why)"
    out, errors = native.records([_Message((0, -1)), _Message((1, 5))], Record, "t")
    assert errors == [] and [r.timestamp for r in out] == [-1, 5]
    assert out[0] == Record(b"k", b"v", -1, 0, 7, (), "t")
