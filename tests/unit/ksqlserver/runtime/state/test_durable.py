"""Durable state stores over a dict-backed changelog: codec, emit, restore, snapshot, partition routing."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.catalog.properties import Properties
from ksqlserver.cluster.membership import Cluster, ClusterConfig, Member, owned_partitions
from ksqlserver.cluster.pull_routing import is_internal, plan_routes, requested_partitions, restricted
from ksqlserver.drivers.base import Record
from ksqlserver.runtime.state import codec as state_codec
from ksqlserver.runtime.state.base import InMemoryKeyValueStore
from ksqlserver.runtime.state.changelog import DurableKeyValueStore, SeqClock, SnapshotConfig
from ksqlserver.runtime.state.durable import changelog_topic


class DictChangelog:
    """The ChangelogIO contract over lists: one log per (topic, partition)."""

    def __init__(self, partitions: int = 2) -> None:
        self.n = partitions
        self.logs: dict[tuple[str, int], list[Record]] = {}

    def ensure_topic(self, topic: str, partitions: int) -> None:
        self.n = partitions

    def partitions(self, topic: str) -> int:
        return self.n

    def write(self, topic: str, records: list[Record]) -> None:
        for r in records:
            log = self.logs.setdefault((topic, r.partition), [])
            log.append(r._replace(offset=len(log)))

    def read(self, topic: str, partition: int, start: int) -> tuple[list[Record], int]:
        log = self.logs.get((topic, partition), [])
        return log[start:], len(log)

    def end_offset(self, topic: str, partition: int) -> int:
        return len(self.logs.get((topic, partition), []))


def _store(io: DictChangelog, snapshot_dir: Path | None = None, clock: SeqClock | None = None) -> DurableKeyValueStore:
    s = DurableKeyValueStore("CTAS_T_1", "Aggregate-Aggregate-Materialize")
    s.attach(io, "cl", SnapshotConfig(snapshot_dir, interval_s=0.0), clock or SeqClock())
    return s


def test_codec_round_trips_every_state_type() -> None:
    value = [[Decimal("1.50"), {("a", 1): {1, 2}}, b"\x00\xff", None, 2.5, float("inf")], 17, True, (1, "x")]
    back = state_codec.decode(state_codec.encode(value))
    assert back == value
    assert isinstance(back[3], tuple) and str(back[0][0]) == "1.50"
    with pytest.raises(state_codec.StateCodecError):
        state_codec.encode(object())


def test_emit_writes_latest_value_per_key_in_its_input_partition_and_restore_rebuilds() -> None:
    io = DictChangelog()
    s = _store(io)
    s.ctx.partition = 0
    s.put(("gone",), [[1], 1, True])
    io.write("cl", s.emit())  # "gone" is in the changelog now: deleting it takes a tombstone
    s.ctx.partition = 1
    s.put(("k1",), [[1], 10, True])
    s.put(("k1",), [[2], 11, True])  # coalesced: one record with the latest value
    s.ctx.partition = 0
    s.put(("k0",), [[5], 12, True])
    s.delete(("gone",))
    s.put(("brief",), [[1], 1, True])  # put and deleted between two emits: never in the changelog,
    s.delete(("brief",))  # so no tombstone either (a session window extended several times)
    recs = s.emit()
    assert sorted((state_codec.decode(r.key), r.partition) for r in recs) == [(("gone",), 0), (("k0",), 0), (("k1",), 1)]
    assert next(r for r in recs if state_codec.decode(r.key) == ("gone",)).value is None
    assert s.emit() == []
    io.write("cl", recs)
    fresh = _store(io)
    assert fresh.restore() == 4  # "gone", then "k1", "k0" and "gone"'s tombstone
    assert dict(fresh.items()) == {("k1",): [[2], 11, True], ("k0",): [[5], 12, True]}
    assert fresh.partition_of(("k1",)) == 1 and fresh.partition_of(("k0",)) == 0


def test_evicting_a_key_changed_since_the_last_commit_logs_its_last_value() -> None:
    """Kafka Streams 3.5: ChangeLoggingWindowBytesStore.put logs every put (its value) when it reaches the
    store, and AbstractRocksDBSegmentedBytesStore drops an expired segment (getOrCreateSegmentIfLive /
    cleanupEarlierThan) without any changelog record. So an entry changed, then evicted before the commit,
    leaves its last value in the changelog, never a tombstone (changed behaviour: this engine used to write a
    tombstone); one unchanged since the commit writes nothing. The value carries the window's emitted flag, so
    a restore does not emit it again."""
    io = DictChangelog()
    s = _store(io)
    s.ctx.partition = 1
    s.put(("w", 0, 1000), [[3], 10, False])
    s.put(("old", 0, 1000), [[1], 10, True])
    io.write("cl", s.emit())
    s.put(("w", 0, 1000), [[5], 12, True])  # updated (e.g. emitted), then expired before the commit
    s.put(("new", 0, 1000), [[7], 13, True])  # first put and expired within the same commit interval
    s.evict(("w", 0, 1000))
    s.evict(("new", 0, 1000))
    s.evict(("old", 0, 1000))  # unchanged since the commit: dropped locally, nothing written
    recs = s.emit()
    assert [(state_codec.decode(r.key), state_codec.decode(r.value), r.partition) for r in recs] == [
        (("w", 0, 1000), [[5], 12, True], 1),
        (("new", 0, 1000), [[7], 13, True], 1),
    ]
    assert s.get(("w", 0, 1000)) is None and s.emit() == []
    io.write("cl", recs)
    fresh = _store(io)
    fresh.restore()
    assert fresh.get(("w", 0, 1000)) == [[5], 12, True] and fresh.get(("old", 0, 1000)) == [[1], 10, True]


def test_a_deleted_then_evicted_key_stays_a_deletion() -> None:
    """A window store's delete is put(key, null): ChangeLoggingWindowBytesStore logs the tombstone."""
    io = DictChangelog()
    s = _store(io)
    s.put(("d", 0, 1000), [[1], 10, True])
    io.write("cl", s.emit())
    s.delete(("d", 0, 1000))
    s.evict(("d", 0, 1000))
    assert [(state_codec.decode(r.key), r.value) for r in s.emit()] == [(("d", 0, 1000), None)]


def test_restore_keeps_the_newest_value_of_a_key_that_moved_partitions() -> None:
    io = DictChangelog()
    s = _store(io)
    s.ctx.partition = 1
    s.put(("k",), "new-in-p1-first")
    io.write("cl", s.emit())
    s.ctx.partition = 0
    s.put(("k",), "newest-in-p0")
    io.write("cl", s.emit())
    fresh = _store(io)
    fresh.restore()  # reads p0 before p1: the older p1 record must not win
    assert fresh.get(("k",)) == "newest-in-p0"


def test_snapshot_plus_changelog_tail(tmp_path: Path) -> None:
    io = DictChangelog(1)
    s = _store(io, tmp_path)
    s.ctx.partition = 0
    for i in range(5):
        s.put((f"k{i}",), i)
    io.write("cl", s.emit())
    assert s.maybe_snapshot({0}, force=True)
    s.put(("k0",), 100)  # after the snapshot: only in the changelog
    io.write("cl", s.emit())
    io.logs[("cl", 0)][:5] = [r._replace(value=b'"corrupt-if-read"') for r in io.logs[("cl", 0)][:5]]
    fresh = _store(io, tmp_path)
    assert fresh.restore() == 1  # the snapshot covered the first five records
    assert fresh.get(("k0",)) == 100 and fresh.get(("k4",)) == 4


def test_torn_snapshot_falls_back_to_the_changelog(tmp_path: Path) -> None:
    io = DictChangelog(1)
    s = _store(io, tmp_path)
    s.ctx.partition = 0
    s.put(("a",), 1)
    io.write("cl", s.emit())
    s.maybe_snapshot({0}, force=True)
    path = tmp_path / "CTAS_T_1" / "Aggregate-Aggregate-Materialize.json"
    path.write_text('{"topic": "cl", "entr', encoding="utf-8")
    fresh = _store(io, tmp_path)
    assert fresh.restore() == 1 and fresh.get(("a",)) == 1


def test_catch_up_reads_what_another_server_wrote_after_our_restore() -> None:
    io = DictChangelog()
    mine, theirs = _store(io), _store(io)
    mine.restore()
    theirs.ctx.partition = 1
    theirs.put(("x",), 7)
    io.write("cl", theirs.emit())
    assert mine.get(("x",)) is None
    assert mine.catch_up(1) == 1 and mine.get(("x",)) == 7
    assert list(mine.owned_items({0})) == [] and list(mine.owned_items({1})) == [(("x",), 7)]


def test_changelog_topic_name_is_ksqldbs() -> None:
    assert (
        changelog_topic("default_", "CTAS_T_3", "Aggregate-Aggregate-Materialize")
        == "_confluent-ksql-default_query_CTAS_T_3-Aggregate-Aggregate-Materialize-changelog"
    )


class _FakeCluster(Cluster):
    def __init__(self, members: list[Member]) -> None:  # no Kafka: only the routing logic
        self.config = ClusterConfig("s_", "me", "http://me")
        self._members = {m.instance_id: m for m in members}
        import threading

        self._lock = threading.Lock()


class _Query:
    query_id = "CTAS_T_1"
    owned_partitions = {0}


def test_pull_routes_partitions_to_their_live_owners() -> None:
    now = int(time.time() * 1000)
    other = Member("b", "http://b", now, {"CTAS_T_1": (1, 2)})
    stale = Member("c", "http://c", now - 60_000, {"CTAS_T_1": (3,)})
    local, routes = plan_routes(_Query(), _FakeCluster([other, stale]), 4)
    assert routes == {"http://b": [1, 2]}
    assert local == {0, 3}  # the dead server's partition is answered from local state
    assert plan_routes(_Query(), None, 4) == (None, {})
    assert plan_routes(_Query(), _FakeCluster([]), 4) == (None, {})


def test_internal_request_marker_and_partition_view() -> None:
    props = Properties().with_overrides(
        {"request.internal.request": True, "request.query.pull.partitions": "1,3"}
    )
    assert is_internal(props) and requested_partitions(props) == {1, 3}
    assert not is_internal(Properties()) and requested_partitions(Properties()) is None
    io = DictChangelog(4)
    s = _store(io)
    for p in range(4):
        s.ctx.partition = p
        s.put((p,), p)

    class Mat:
        store: Any = s

    view = restricted(Mat(), {1, 3})
    assert sorted(k for k, _ in view.store.items()) == [(1,), (3,)]
    assert restricted(Mat(), None).store is s


def test_heartbeat_owned_partitions_skip_queries_without_state() -> None:
    class Q:
        def __init__(self, owned: set[int] | None) -> None:
            if owned is not None:
                self.owned_partitions = owned

    assert owned_partitions({"A": Q({1, 0}), "B": Q(None), "C": Q(set())}) == {"A": [0, 1]}


def _inline_delete(s: DurableKeyValueStore, key: tuple[Any, ...]) -> None:
    """What a per-batch loop does for `delete(key)` when the store `deletes_inline` (plan/fast/aggregate.py)."""
    target = s.put_target()
    assert target is not None
    entries, changes, partition = target
    entries.pop(key, None)
    if changes is not None:
        changes[key] = partition


def test_inline_deletes_with_one_mark_emit_what_deletes_emit() -> None:
    """ChangeLoggingSessionBytesStore.remove (Kafka Streams 3.5) logs a tombstone per removed session; here
    a session loop deletes inline and marks the store once per batch (before it runs): the changelog records
    are delete()'s, including no tombstone for a key put and deleted between two commits, and a mark without
    any delete changes nothing."""
    runs = []
    for inline in (False, True):
        s = _store(DictChangelog(1), clock=SeqClock())
        assert s.deletes_inline()
        s.put(("a", 1, 1), [1])
        s.put(("b", 1, 1), [2])
        emitted = [s.emit()]
        if inline:
            s.mark_deleted()  # before the batch
        for k in (("a", 1, 1), ("c", 2, 2)):  # a committed key, and one put and deleted in this interval
            if k[0] == "c":
                s.put(k, [3])
            if inline:
                _inline_delete(s, k)
            else:
                s.delete(k)
        s.put(("a", 1, 5), [4])
        emitted.append(s.emit())
        if inline:
            s.mark_deleted()  # a batch without deletes
        s.put(("b", 1, 1), [5])
        emitted.append(s.emit())
        runs.append([[(r.key, r.value, r.partition) for r in batch] for batch in emitted] + [list(s.items())])
    assert runs[0] == runs[1]


def test_stores_that_override_delete_are_not_deleted_inline() -> None:
    """A subclass whose delete does more than the dict pop and the noted change keeps its delete calls."""

    class Logged(DurableKeyValueStore):
        def delete(self, key: tuple[Any, ...]) -> None:
            super().delete(key)

    assert not Logged("q", "s").deletes_inline()
    assert InMemoryKeyValueStore("q", "s").deletes_inline()


def test_emit_drops_the_keys_it_always_dropped_in_the_same_order() -> None:
    """DurableKeyValueStore.emit against the rule it implements (Kafka Streams' CachingSessionStore
    .putAndMaybeForward: a key absent from the underlying store and deleted since needs no record): the
    records are those of the pending keys in first-change order, less the deleted ones never written."""
    import random

    rnd = random.Random(11)
    io = DictChangelog(partitions=1)
    s = _store(io)
    s.ctx.partition = 0
    for _round in range(20):
        expected: list[tuple[Any, bool]] = []
        order: dict[Any, None] = {}
        for _ in range(200):
            key = (f"c{rnd.randrange(60)}", rnd.randrange(4))
            order.setdefault(key, None)
            if rnd.random() < 0.4:
                s.delete(key)
            else:
                s.put(key, [[rnd.randrange(9)], 1, True])
        written = {state_codec.decode(r.key) for log in io.logs.values() for r in log}
        for key in order:
            live = key in s._data
            if live or key in written:
                expected.append((key, live))
        recs = s.emit()
        io.write("cl", recs)
        assert [(state_codec.decode(r.key), r.value is not None) for r in recs] == expected


def test_a_routed_pull_query_orders_local_rows_by_the_topic_partition_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pull query whose other partitions are owned elsewhere answers its own rows and the owners' rows;
    the local rows are ordered with the topic's partition count (the loop over the owners once shadowed it
    with a list of partitions: a TypeError on every scan a scale-out forwarded)."""
    import json as _json

    from ksqlserver.cluster import pull_routing
    from ksqlserver.drivers.memory import MemoryDriver
    from ksqlserver.engine import Engine, EngineConfig

    driver = MemoryDriver(key_partitioning=True)
    driver.create_topic("ins", partitions=2)
    driver.produce("ins", [Record(k.encode(), b'{"V": 1}', 1) for k in ("a", "b", "c", "d")])
    engine = Engine(EngineConfig(service_id="route_", synchronous=True), driver)
    engine.execute("CREATE STREAM INS (K STRING KEY, V INT) WITH (KAFKA_TOPIC='ins', VALUE_FORMAT='JSON');")
    engine.execute(
        "CREATE TABLE T AS SELECT K, COUNT(*) AS N FROM INS GROUP BY K;", {"ksql.streams.auto.offset.reset": "earliest"}
    )
    engine.drain()
    asked: list[list[int]] = []

    def forward(url: str, sql: str, partitions: list[int]) -> list[list[Any]]:
        asked.append(list(partitions))
        return [["remote", 7]]

    monkeypatch.setattr(pull_routing, "plan_routes", lambda pq, cluster, count: ({0}, {"http://other": [1]}))
    monkeypatch.setattr(pull_routing, "forward", forward)
    q = engine.start_query("SELECT * FROM T;")
    rows: list[Any] = []
    deadline = time.monotonic() + 5
    while not q.done and time.monotonic() < deadline:
        rows += q.poll(0.1)
    assert asked == [[1]]
    assert rows[-1] == ["remote", 7] and len(rows) >= 2
    assert all(isinstance(_json.dumps(r), str) for r in rows)
    engine.close()


def test_an_evicted_key_leaves_the_pending_keys_in_eviction_order() -> None:
    """Evicted pending keys are logged in the order they were evicted, before the pending keys (every
    aggregation path evicts through `expire` alike, while their pending orders may differ), and a key put
    again after its eviction is logged twice, its new value last. Kafka Streams 3.5: each put the
    change-logging store sees is logged."""
    s = _store(DictChangelog())
    for k in ("a", "b", "c"):
        s.put((k, 0, 1000), [k])
    s.evict(("b", 0, 1000))
    s.evict(("a", 0, 1000))
    s.put(("a", 0, 1000), ["a2"])
    recs = s.emit()
    assert [(state_codec.decode(r.key)[0], state_codec.decode(r.value)) for r in recs] == [
        ("b", ["b"]), ("a", ["a"]), ("c", ["c"]), ("a", ["a2"]),
    ]  # fmt: skip
    assert s.partition_of(("a", 0, 1000)) >= 0 and s.partition_of(("b", 0, 1000)) == -1 and s.emit() == []
