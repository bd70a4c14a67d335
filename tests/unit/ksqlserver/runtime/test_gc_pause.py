"""`gc_policy.paused` around a commit's changelog emit: the collector is off inside, restored after (also
with overlapping blocks of several queries, and left off when someone else turned it off), and the
changelog and sink records of a session aggregation (KStreamSessionWindowAggregate's merges, tombstones
and timestamps, through Kafka Streams' CachingSessionStore flushes) are those written without the pause."""

from __future__ import annotations

import contextlib
import gc
import random
import threading
from collections.abc import Sequence
from typing import Any

import pytest

from ksqlserver.drivers.base import Durability, Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.runtime import gc_policy
from ksqlserver.runtime.state import durable


def test_paused_disables_and_restores() -> None:
    assert gc.isenabled()
    with gc_policy.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_blocks_enable_after_the_last() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with gc_policy.paused():
            inside.set()
            release.wait(5)

    t = threading.Thread(target=other)
    t.start()
    inside.wait(5)
    with gc_policy.paused():
        pass
    assert not gc.isenabled()  # the other block still runs
    release.set()
    t.join(5)
    assert gc.isenabled()


def test_a_collector_disabled_elsewhere_stays_disabled() -> None:
    gc.disable()
    try:
        with gc_policy.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


class _Changelog:
    """ChangelogIO and ChangelogWriter over lists; records whether the collector was on while producing."""

    def __init__(self) -> None:
        self.logs: dict[tuple[str, int], list[Record]] = {}
        self.collector_on: list[bool] = []

    def ensure_topic(self, topic: str, partitions: int) -> None:
        pass

    def partitions(self, topic: str) -> int:
        return 1

    def read(self, topic: str, partition: int, start: int) -> tuple[list[Record], int]:
        log = self.logs.get((topic, partition), [])
        return log[start:], len(log)

    def end_offset(self, topic: str, partition: int) -> int:
        return len(self.logs.get((topic, partition), []))

    def produce(self, topic: str, records: Sequence[Record]) -> None:
        self.collector_on.append(gc.isenabled())
        self.logs.setdefault((topic, records[0].partition if records else 0), []).extend(records)

    def flush(self) -> None:
        pass


def _unused(*_: Any) -> Any:
    raise AssertionError("not used")


def _session_run() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[bool]]:
    """A threaded session aggregation with changelog-backed stores, committing after every batch."""
    io = _Changelog()
    driver = MemoryDriver()
    driver.durability = Durability("", _unused, lambda: io, lambda: io, _unused)
    engine = Engine(EngineConfig(service_id="gcp_", processing_log=False, synchronous=True), driver)
    driver.create_topic("tx", 1)
    rnd = random.Random(3)
    ts = 1_700_000_000_000
    records = []
    for i in range(3000):
        ts += rnd.choice([1_000, 30_000, 400_000])  # extends, merges and new sessions
        records.append(Record(f"c{rnd.randrange(40)}".encode(), f"{i},{rnd.random() * 100:.2f}".encode(), ts))
    props = {"ksql.streams.auto.offset.reset": "earliest", "cache.max.bytes.buffering": "2000"}
    engine.execute(
        "CREATE STREAM TX (CARD STRING KEY, I INT, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='DELIMITED');",
        props,
    )
    engine.execute(
        "CREATE TABLE S WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON') AS SELECT CARD, COUNT(*) AS N, SUM(AMOUNT) AS T "
        "FROM TX WINDOW SESSION (5 MINUTES) GROUP BY CARD EMIT CHANGES;",
        props,
    )
    for start in range(0, len(records), 250):  # a commit (and a changelog emit) per drain
        driver.produce("tx", records[start : start + 250])
        engine.drain()
    sink = [(r.key, r.value, r.timestamp) for r in driver._logs["s"]]
    changelog = [(r.key, r.value, r.partition) for log in io.logs.values() for r in log]
    engine.close()
    return sink, changelog, io.collector_on


def test_session_changelog_and_outputs_are_those_without_the_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    sink, changelog, collector_on = _session_run()
    assert changelog and not any(collector_on)  # produced with the collector off
    assert any(r[1] is None for r in sink)  # merged-away sessions' tombstones are in the comparison
    assert any(r[1] is None for r in changelog)
    monkeypatch.setattr(durable.gc_policy, "paused", contextlib.nullcontext)
    sink2, changelog2, collector_on2 = _session_run()
    assert all(collector_on2)
    assert (sink2, changelog2) == (sink, changelog)
