"""A persistent query's restart after a failed step: exactly-once queries go on with a new transactional
producer (the failed one is discarded, never aborted and reused), and a restart that fails is tried again
before the query polls on."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

import pytest

from ksqlserver.drivers.base import Consumer, DriverError, Durability, Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.runtime.guarantee import TransactionalQuery

EOS = {"processing.guarantee": "exactly_once_v2", "auto.offset.reset": "earliest"}


class FakeTransactions:
    """Transactional producers over the memory driver: a transaction's records reach their topic, and the
    consumer's positions are committed, only when `commit` succeeds."""

    def __init__(self, driver: MemoryDriver) -> None:
        self.driver = driver
        self.fail_commits = False
        self.aborted = False
        self.discarded = False
        self.pending: list[tuple[str, Record]] = []

    def produce(self, topic: str, records: Sequence[Record], keep_partition: bool = False) -> None:
        if self.discarded:
            raise AssertionError("a discarded producer was used again")
        self.pending += [(topic, r) for r in records]

    def commit(self, consumer: Consumer) -> None:
        if self.fail_commits:
            raise DriverError("send_offsets_to_transaction failed: Local: Timed out")
        for topic, r in self.pending:
            self.driver.produce(topic, [r])
        self.pending.clear()
        consumer.commit()

    def abort(self) -> None:
        self.aborted = True
        self.pending.clear()

    def close(self) -> None:
        pass

    def discard(self) -> None:
        self.discarded = True
        self.pending.clear()


def _unused(*_: Any) -> Any:
    raise AssertionError("not used by a stateless query")


def _engine_with_transactions() -> tuple[Engine, MemoryDriver, list[FakeTransactions]]:
    driver = MemoryDriver()
    driver.create_topic("tx")
    e = Engine(EngineConfig(service_id="t_", synchronous=True), driver)
    producers: list[FakeTransactions] = []

    def new_producer(transactional_id: str) -> FakeTransactions:
        producers.append(FakeTransactions(driver))
        return producers[-1]

    # only the queries see it (the engine's stores were chosen when it was built): they run transactions
    driver.durability = Durability("i1", new_producer, _unused, _unused, _unused)
    return e, driver, producers


def _values(driver: MemoryDriver, topic: str) -> list[int]:
    return [json.loads(r.value or b"null")["V"] for r in driver.records(topic)]


def _feed(driver: MemoryDriver, n: int) -> None:
    driver.produce("tx", [Record(None, json.dumps({"V": i}).encode()) for i in range(n)])


def test_a_failed_transaction_restarts_on_a_new_producer_and_writes_each_record_once() -> None:
    e, driver, producers = _engine_with_transactions()
    e.execute("CREATE STREAM TX (V INT) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');")
    e.execute("CREATE STREAM OUT AS SELECT * FROM TX;", EOS)
    [q] = e.state.persistent.values()
    assert isinstance(q, TransactionalQuery)
    _feed(driver, 5)
    producers[0].fail_commits = True  # the broker went away mid-commit
    with pytest.raises(DriverError, match="send_offsets_to_transaction"):
        q.drain()
    q._restart()
    # the failed producer is not aborted and reused (its next transaction can hang in librdkafka): a new
    # one with the same transactional id fences it and has the coordinator abort its transaction
    assert len(producers) == 2
    assert q.producer is producers[1]
    assert producers[0].discarded
    assert not producers[0].aborted
    q.drain()
    assert _values(driver, "OUT") == [0, 1, 2, 3, 4]
    e.close()


def test_a_restart_that_fails_is_tried_again_before_the_query_polls_on() -> None:
    driver = MemoryDriver()
    driver.create_topic("tx")
    e = Engine(EngineConfig(service_id="r_", synchronous=True), driver)
    e.execute("CREATE STREAM TX (V INT) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');")
    e.execute("CREATE STREAM OUT AS SELECT * FROM TX;", {"auto.offset.reset": "earliest"})
    [q] = e.state.persistent.values()
    real_step, real_reconnect = q.step, q.reconnect
    assert real_reconnect is not None
    calls = {"step": 0, "reconnect": 0}

    def step(timeout: float = 0.0) -> int:
        calls["step"] += 1
        if calls["step"] == 1:
            raise DriverError("Commit failed: Local: Broker transport failure")
        return real_step(timeout)

    def reconnect() -> Consumer:
        calls["reconnect"] += 1
        if calls["reconnect"] == 1:  # the broker is still away when the query restarts
            raise DriverError("Failed to get metadata: Local: Broker transport failure")
        return real_reconnect()

    q.step = step  # type: ignore[method-assign]
    q.reconnect = reconnect
    _feed(driver, 5)
    q.start()
    deadline = time.monotonic() + 15
    while len(driver.records("OUT")) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    q.stop()
    e.close()
    assert calls["reconnect"] == 2
    assert _values(driver, "OUT") == [0, 1, 2, 3, 4]
    assert q.state == "TERMINATED"


def test_a_rewind_reports_what_it_replays_and_at_least_once_repeats_no_more(
    caplog: pytest.LogCaptureFixture,
) -> None:
    driver = MemoryDriver()
    driver.create_topic("tx")
    e = Engine(EngineConfig(service_id="w_", synchronous=True), driver)
    e.execute("CREATE STREAM TX (V INT) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');")
    e.execute("CREATE STREAM OUT AS SELECT * FROM TX;", {"auto.offset.reset": "earliest"})
    [q] = e.state.persistent.values()
    _feed(driver, 5)
    q.drain()  # the idle poll at the end commits the five
    assert q.commit_stats()["largest_commit"] == 5
    assert q.since_commit == 0
    driver.produce("tx", [Record(None, json.dumps({"V": i}).encode()) for i in range(5, 8)])
    q.commit_interval = 3600.0  # processed, not yet committed
    assert q.step(0.0) == 3
    assert q.since_commit == 3
    with caplog.at_level("WARNING", logger="ksqlserver.runtime"):
        assert q._restart()  # back to the committed offsets, as after a failed commit
    assert q.rewinds == [3]
    assert "3 records processed since the last commit" in caplog.text
    q.drain()
    values = _values(driver, "OUT")
    # the replay repeats exactly the records the rewind reported, nothing else is lost or repeated
    assert sorted(values) == [0, 1, 2, 3, 4, 5, 5, 6, 6, 7, 7]
    assert len(values) - 8 == sum(q.rewinds)
    e.close()
