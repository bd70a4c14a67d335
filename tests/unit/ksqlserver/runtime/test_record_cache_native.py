"""The C record cache (runtime/_recordcache.c) against the Python one (`PyRecordCache`), which follows
Kafka Streams 3.5's NamedCache.put/flush/evict, ThreadCache.maybeEvict and
CachingKeyValueStore.putAndMaybeForward: on random sink records, push-query rows (unhashable keys too),
takes and flushes, with budgets that evict, the same outputs (the same objects, in the same order), sizes,
LRU order and dirtiness after every step; and a session aggregation's sink and changelog records
(KStreamSessionWindowAggregate through CachingSessionStore) identical with either class."""

from __future__ import annotations

import gc
import random
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import pytest

from ksqlserver.drivers.base import Durability, Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.runtime import record_cache
from ksqlserver.runtime.record_cache import PyRecordCache

C = record_cache.RecordCache
pytestmark = pytest.mark.skipif(C is PyRecordCache, reason="no C compiler: the Python cache serves alone")


def _state(c: Any) -> tuple[Any, ...]:
    return c.size, c.n_dirty, len(c), c.dirty(), list(c._entries), c.max_bytes


@pytest.mark.parametrize("seed", range(80))
def test_c_cache_matches_the_python_cache(seed: int) -> None:
    rnd = random.Random(seed)
    budget = rnd.choice([1, 150, 400, 1000, 5000, 10**9])
    n_keys = rnd.choice([1, 3, 8, 40])
    py, cc = PyRecordCache(budget), C(budget)
    got: list[Any] = []
    want: list[Any] = []
    for step in range(400):
        op = rnd.random()
        if op < 0.75:
            value = None if rnd.random() < 0.35 else b"v" * rnd.randrange(0, 40)
            key = None if rnd.random() < 0.03 else b"" if rnd.random() < 0.03 else b"k%d" % rnd.randrange(n_keys)
            r = Record(key, value, step, 0, 0, (), rnd.choice(["T", "topic_ü"]))
            which = "fresh" if rnd.random() < 0.5 else "append"
            getattr(py, which)(r)
            getattr(cc, which)(r)
        elif op < 0.85:
            g = rnd.randrange(n_keys)
            key: Any = ("g", g) if rnd.random() < 0.7 else ([g], {"m": g})  # lists and maps: by repr
            row = None if rnd.random() < 0.3 else [step] * rnd.randrange(1, 4)
            fresh = rnd.random() < 0.5
            py.keyed(key, row, fresh)
            cc.keyed(key, row, fresh)
        elif op < 0.9:
            args = (b"p%d" % rnd.randrange(n_keys), b"x", rnd.random() < 0.6, rnd.random() < 0.5, rnd.randrange(1, 300))
            py.put(*args)
            cc.put(*args)
        elif op < 0.95:
            got += cc.take()
            want += py.take()
        else:
            got += cc.flush()
            want += py.flush()
        assert _state(cc) == _state(py)
        assert len(got) == len(want) and all(a is b for a, b in zip(got, want, strict=True))
    assert cc.flush() == py.flush()


def test_c_cache_refuses_what_is_not_a_record() -> None:
    c = C(100)
    with pytest.raises(TypeError):
        c.append((b"k", b"v"))
    with pytest.raises(TypeError):
        c.fresh([b"k", b"v", 0, 0, 0, (), "T"])
    assert len(c) == 0 and c.size == 0


class _Changelog:
    """ChangelogIO and ChangelogWriter over lists."""

    def __init__(self) -> None:
        self.logs: list[tuple[Any, ...]] = []

    def ensure_topic(self, topic: str, partitions: int) -> None:
        pass

    def partitions(self, topic: str) -> int:
        return 1

    def read(self, topic: str, partition: int, start: int) -> tuple[list[Record], int]:
        return [], 0

    def end_offset(self, topic: str, partition: int) -> int:
        return 0

    def produce(self, topic: str, records: Sequence[Record]) -> None:
        self.logs += [(r.key, r.value, r.partition) for r in records]

    def flush(self) -> None:
        pass


def _unused(*_: Any) -> Any:
    raise AssertionError("not used")


def _session_run(cache: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """A session aggregation over changelog-backed stores, one commit per drain."""
    io = _Changelog()
    driver = MemoryDriver()
    driver.durability = Durability("", _unused, lambda: io, lambda: io, _unused)
    engine = Engine(EngineConfig(service_id="rcn_", processing_log=False, synchronous=True), driver)
    driver.create_topic("tx", 1)
    rnd = random.Random(11)
    ts = 1_700_000_000_000
    records = []
    for i in range(4000):
        ts += rnd.choice([1_000, 30_000, 400_000, -20_000])  # extends, merges, new and late sessions
        records.append(Record(f"c{rnd.randrange(50)}".encode(), f"{i},{rnd.random() * 100:.2f}".encode(), ts))
    props = {"ksql.streams.auto.offset.reset": "earliest", "cache.max.bytes.buffering": str(cache)}
    engine.execute(
        "CREATE STREAM TX (CARD STRING KEY, I INT, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='DELIMITED');",
        props,
    )
    engine.execute(
        "CREATE TABLE S WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON') AS SELECT CARD, COUNT(*) AS N, SUM(AMOUNT) AS T "
        "FROM TX WINDOW SESSION (5 MINUTES) GROUP BY CARD EMIT CHANGES;",
        props,
    )
    for start in range(0, len(records), 300):
        driver.produce("tx", records[start : start + 300])
        engine.drain()
    sink = [(r.key, r.value, r.timestamp, r.partition) for r in driver._logs["s"]]
    engine.close()
    return sink, io.logs


@pytest.mark.parametrize("cache", [3000, 10_000_000])  # evicting, and ksqlDB's default
def test_session_outputs_and_changelog_are_those_of_the_python_cache(
    cache: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink, changelog = _session_run(cache)
    assert any(r[1] is None for r in sink) and any(r[1] is None for r in changelog)
    monkeypatch.setattr(record_cache, "RecordCache", PyRecordCache)
    assert _session_run(cache) == (sink, changelog)


def test_untrack_only_lists_and_tuples_of_atomic_values() -> None:
    """CPython untracks exact tuples of atomic values itself (gcmodule.c untrack_tuples); the C helper does
    the same for lists and slot-less tuple subclasses (Record), and leaves anything that may hold a cycle."""
    untrack = record_cache.untrack
    state = [[3, 2.5], 10, True]
    assert untrack(state) and not gc.is_tracked(state) and not gc.is_tracked(state[0])
    avg = [[[1.5, 2], "x", None], 10, False]
    assert untrack(avg) and not gc.is_tracked(avg[0][0])
    for held in ([[{}], 1, True], [[[1, SimpleNamespace()]], 1, True], Record(b"k", b"v", 0, 0, 0, ([],), "T")):
        assert not untrack(held) and gc.is_tracked(held)
    out = Record(b"k", b"v", 0, 0, 0, (), "T")
    assert gc.is_tracked(out)
    cache = C(1000)
    cache.fresh(out)  # a cached output is untracked as it enters the cache
    assert not gc.is_tracked(out) and cache.flush() == [out]


def test_fast_session_state_is_untracked_and_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast loop untracks each state entry it writes; outputs and changelog records are those written
    without it."""
    seen: list[bool] = []
    untrack = record_cache.untrack

    def spy(o: Any) -> bool:
        done = untrack(o)
        seen.append(done and not gc.is_tracked(o))
        return done

    monkeypatch.setattr(record_cache, "untrack", spy)
    with_untrack = _session_run(10_000_000)
    assert seen and all(seen)
    monkeypatch.setattr(record_cache, "untrack", None)
    assert _session_run(10_000_000) == with_untrack


def test_without_a_compiler_the_python_cache_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build failure (no compiler or headers) costs only speed: `_load` gives None, and the module then
    binds PyRecordCache and no untrack (as formats/native does for the text formats)."""
    from nativebuild import BuildError

    def fail(spec: Any) -> Any:
        raise BuildError("no compiler", spec)

    monkeypatch.setattr(record_cache, "load_extension", fail)
    assert record_cache._load() is None
