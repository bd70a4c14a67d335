"""The scoring service's at-least-once checkpoint without a broker: outputs first, then a synchronous
offset commit that waits for a group coordinator that is away (so nothing more is read meanwhile), and a
rewind to the committed offsets when the group refuses the commit."""

from __future__ import annotations

from typing import Any

import pytest
from confluent_kafka import KafkaError, KafkaException, TopicPartition

from fraudlab.scoring import service as service_module
from fraudlab.scoring.errors import ScoringError
from fraudlab.scoring.service import ScoringService


class FakeConsumer:
    def __init__(self, outcomes: list[int | None]) -> None:
        self.outcomes = list(outcomes)
        self.commits: list[list[tuple[str, int, int]]] = []
        self.seeks: list[tuple[str, int, int]] = []

    def commit(self, offsets: list[TopicPartition], asynchronous: bool = True) -> None:
        assert asynchronous is False  # at-least-once waits for the answer
        code = self.outcomes.pop(0) if self.outcomes else None
        self.commits.append([(tp.topic, tp.partition, tp.offset) for tp in offsets])
        if code is not None:
            raise KafkaException(KafkaError(code))

    def assignment(self) -> list[TopicPartition]:
        return [TopicPartition("in", 0), TopicPartition("in", 1)]

    def committed(self, partitions: list[TopicPartition], timeout: float) -> list[TopicPartition]:
        return [TopicPartition(tp.topic, tp.partition, 100 + tp.partition) for tp in partitions]

    def seek(self, tp: TopicPartition) -> None:
        self.seeks.append((tp.topic, tp.partition, tp.offset))


class FakeProducer:
    def __init__(self, in_flight: list[int] | None = None) -> None:
        self.in_flight = list(in_flight or [])
        self.flushes = 0

    def flush(self, timeout: float) -> int:
        self.flushes += 1
        return self.in_flight.pop(0) if self.in_flight else 0


def service(consumer: FakeConsumer, producer: FakeProducer) -> ScoringService:
    svc = ScoringService.__new__(ScoringService)
    svc._eos = False
    svc._consumer = consumer  # type: ignore[assignment]
    svc._producer = producer  # type: ignore[assignment]
    svc._pending = {("in", 0): 250, ("in", 1): 300}
    svc._failures = []
    svc._assigned = {0, 1}
    return svc


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(service_module.time, "sleep", slept.append)
    return slept


def test_the_commit_waits_for_a_coordinator_that_is_away(no_sleep: list[float]) -> None:
    consumer = FakeConsumer([KafkaError._TRANSPORT, KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
                             KafkaError.NOT_COORDINATOR, None])
    producer = FakeProducer([1200, 0])  # outputs still in flight at first: waited for
    svc = service(consumer, producer)
    svc.checkpoint()
    assert producer.flushes == 2
    assert len(consumer.commits) == 4 and consumer.commits[-1] == [("in", 0, 250), ("in", 1, 300)]
    assert not svc._pending and not consumer.seeks and len(no_sleep) == 3


@pytest.mark.parametrize("code", [KafkaError.ILLEGAL_GENERATION, KafkaError.UNKNOWN_MEMBER_ID,
                                  KafkaError.FENCED_INSTANCE_ID, KafkaError._ASSIGNMENT_LOST])
def test_a_refused_commit_rewinds_to_the_committed_offsets(code: int) -> None:
    consumer = FakeConsumer([code])
    svc = service(consumer, FakeProducer())
    svc.checkpoint()
    assert len(consumer.commits) == 1  # not retried: the partitions are no longer this member's
    assert consumer.seeks == [("in", 0, 100), ("in", 1, 101)] and not svc._pending


def test_a_revoked_partition_is_let_go_without_a_rewind() -> None:
    consumer = FakeConsumer([KafkaError.REBALANCE_IN_PROGRESS])
    svc = service(consumer, FakeProducer())
    svc.checkpoint(rewind_on_failure=False)
    assert not consumer.seeks and not svc._pending


def test_the_wait_for_the_coordinator_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service_module, "COMMIT_WAIT_S", 0.0)
    consumer = FakeConsumer([KafkaError._TRANSPORT] * 5)
    svc = service(consumer, FakeProducer())
    svc.checkpoint()
    assert len(consumer.commits) == 1 and consumer.seeks == [("in", 0, 100), ("in", 1, 101)]


def test_outputs_that_failed_keep_the_offsets_uncommitted() -> None:
    consumer = FakeConsumer([])
    svc = service(consumer, FakeProducer())
    svc._failures.append("out: Local: Message timed out")
    with pytest.raises(ScoringError, match="offsets not committed"):
        svc.checkpoint()
    assert not consumer.commits


def test_exactly_once_is_untouched_by_the_at_least_once_path() -> None:
    svc: Any = service(FakeConsumer([]), FakeProducer())
    svc._eos, svc._in_txn = True, False
    svc.checkpoint()  # no transaction open: nothing to do
    assert svc._pending
