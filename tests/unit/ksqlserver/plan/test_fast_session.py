"""The generated loop's session windows (plan/fast/aggregate.py) against the generic operator, on randomized
input: out-of-order records that merge sessions (one, two or more at a time, tombstones for the merged-away
ones), late records (the merged session closed, exactly at and past the close time), NULL keys, NULL values
and NULL columns, partitions that join late with a lagging stream time, and windows leaving the store past
their retention (the loop calls `expire` only when stream time reaches the next segment boundary; time
windows take that shortcut too).

Each case runs the same queries twice, fast loop on and off, over changelog-backed stores; outputs (key,
value, timestamp, partition), store entries in order, the changelog records the stores emit and the
processing log must be identical.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.runtime.state.base import KeyValueStore, StateStores
from ksqlserver.runtime.state.changelog import SEQ_HEADER, DurableKeyValueStore, SeqClock, SnapshotConfig

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
SECOND = 1000
SOURCE = (
    "CREATE STREAM TX (K STRING KEY, S STRING, X INT, D DOUBLE) "
    "WITH (KAFKA_TOPIC='tx', PARTITIONS=3, VALUE_FORMAT='DELIMITED');"
)
# (sink, statement); each must take the fast loop
QUERIES = [
    (  # the benchmark's shape: retention = gap + grace, one key column cached for tombstones
        "S_PLAIN",
        "CREATE TABLE S_PLAIN WITH (VALUE_FORMAT='JSON') AS SELECT K, COUNT(*) AS N, SUM(D) AS T FROM TX "
        "WINDOW SESSION (20 SECONDS, GRACE PERIOD 10 SECONDS) GROUP BY K EMIT CHANGES;",
    ),
    (  # a retention beyond gap + grace: windows stay (and merge) after they closed
        "S_RETAINED",
        "CREATE TABLE S_RETAINED WITH (VALUE_FORMAT='JSON') AS SELECT K, COUNT(X) AS NX, SUM(X) AS SX, SUM(D) AS SD, "
        "MIN(S) AS MINS, MAX(D) AS MAXD, MAX(ROWTIME) AS MT, MIN(ROWOFFSET) AS MO, SUM(ROWPARTITION) AS SP, "
        "WINDOWSTART AS WS, WINDOWEND AS WE FROM TX "
        "WINDOW SESSION (15 SECONDS, RETENTION 3 MINUTES, GRACE PERIOD 5 SECONDS) GROUP BY K EMIT CHANGES;",
    ),
    (  # two grouping columns (tombstones through the generic emit), a JSON key
        "S_TWO_KEYS",
        "CREATE TABLE S_TWO_KEYS WITH (KEY_FORMAT='JSON', VALUE_FORMAT='JSON') AS SELECT K, S, COUNT(*) AS N "
        "FROM TX WINDOW SESSION (30 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY K, S EMIT CHANGES;",
    ),
    (  # time windows take the same shortcut to expiry
        "T_TUMBLING",
        "CREATE TABLE T_TUMBLING WITH (VALUE_FORMAT='JSON') AS SELECT K, COUNT(*) AS N, SUM(D) AS T FROM TX "
        "WINDOW TUMBLING (SIZE 30 SECONDS, GRACE PERIOD 10 SECONDS) GROUP BY K EMIT CHANGES;",
    ),
    (
        "T_HOPPING",
        "CREATE TABLE T_HOPPING WITH (VALUE_FORMAT='JSON') AS SELECT K, COUNT(X) AS N, MAX(ROWTIME) AS MT FROM TX "
        "WINDOW HOPPING (SIZE 1 MINUTE, ADVANCE BY 20 SECONDS, RETENTION 4 MINUTES, GRACE PERIOD 0 SECONDS) "
        "GROUP BY K EMIT CHANGES;",
    ),
    (  # grouped by a value column that is often NULL, WHERE, the key projected after the aggregates
        "S_BY_VALUE",
        "CREATE TABLE S_BY_VALUE WITH (VALUE_FORMAT='DELIMITED') AS SELECT COUNT(*) AS N, S, SUM(D) AS T FROM TX "
        "WINDOW SESSION (10 SECONDS) WHERE X IS NULL OR X <> 3 GROUP BY S EMIT CHANGES;",
    ),
]


def records(n: int, seed: int) -> list[Record]:
    """Per partition its own clock. Partition 2 joins at 40 %, hours behind the others, and is
    alone until 60 %: its stream time, the slowest, then decides alone what leaves the store."""
    rnd = random.Random(seed)
    clocks = {0: 100 * SECOND, 1: 100 * SECOND, 2: 0}
    out = []
    for i in range(n):
        part = rnd.choice([0, 1] if i < n * 2 // 5 else [2] if i < n * 3 // 5 else [0, 1, 2, 2])
        if part == 2 and clocks[2] == 0:
            clocks[2] = max(clocks[0], clocks[1]) - 4 * 3600 * SECOND
        r = rnd.random()
        if r < 0.10:  # out of order, often within a gap (merges), sometimes exactly at a boundary
            ts = clocks[part] - rnd.choice([1, 5 * SECOND, 10 * SECOND, 15 * SECOND, 15 * SECOND, 20 * SECOND,
                                            30 * SECOND, 45 * SECOND])  # fmt: skip
        elif r < 0.13:
            ts = clocks[part] - rnd.randint(1, 10) * 60 * SECOND  # far behind: late (or merging a retained one)
        else:
            clocks[part] += rnd.choice([0, 1, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 20 * SECOND,
                                        30 * SECOND, 90 * SECOND])  # fmt: skip
            ts = clocks[part]
        key = rnd.choice([b"k1", b"k2", b"k3", b"k4", b"", None])
        if rnd.random() < 0.04:
            value: bytes | None = None
        else:
            s = rnd.choice(["", "a", "b", "c"])
            x = rnd.choice(["", "1", "3", "-7", "2147483647"])
            d = rnd.choice(["", "1.5", "-0.0", "0.0", "2.25", "1e300", "NaN"])
            value = f"{s},{x},{d}".encode()
        out.append(Record(key, value, max(ts, 0), part, i))
    return out


class _NoChangelog:
    def ensure_topic(self, topic: str, partitions: int) -> None:
        return None

    def partitions(self, topic: str) -> int:
        return 3

    def read(self, topic: str, partition: int, start: int) -> tuple[list[Record], int]:
        return [], 0

    def end_offset(self, topic: str, partition: int) -> int:
        return 0


def _durable(query_id: str, name: str) -> KeyValueStore:
    store = DurableKeyValueStore(query_id, name)
    store.attach(_NoChangelog(), f"{query_id}-{name}-changelog", SnapshotConfig(None), SeqClock())
    return store


def run(
    fast: bool, recs: list[Record], batch_size: int, drop_every: int = 0, cache: int = 0, below: bool = False
) -> dict[str, Any]:
    """Outputs, stores and changelogs of every query. `drop_every` > 0: after each chunk, every such
    session entry (in key order) leaves the stores behind the session index's back, as a changelog record
    from another server can take it (the index is then ahead of the store). `below`: after every batch, what
    a pull query reads (the store below the record cache: CacheBypassStore.flushed_items), before the
    commit flushes the cache."""
    d = MemoryDriver()
    d.create_topic("tx", partitions=3)
    props = {**EARLIEST, "cache.max.bytes.buffering": str(cache)}
    e = Engine(
        EngineConfig(service_id="fs_", synchronous=True, properties=props, fast_paths=fast, batch_size=batch_size),
        d,
    )
    e.state.stores = StateStores(_durable)
    try:
        e.execute(SOURCE)
        for _, statement in QUERIES:
            e.execute(statement)
        got: dict[str, Any] = {"flags": {}}
        changelogs: dict[str, list[Any]] = {}
        stores = {qid: e.state.stores.of_query(qid) for qid in e.state.persistent}
        if below:  # the session queries
            for q in e.state.persistent.values():
                if q.sink.name.startswith("S_"):
                    _snapshot_below(q.pipeline, got.setdefault(q.sink.name + "/below", []))
        for i in range(0, len(recs), 250):  # the changelog is emitted between chunks, as commits would
            d.produce("tx", recs[i : i + 250])
            e.drain()
            for qid, ss in stores.items():
                for s in ss:
                    assert isinstance(s, DurableKeyValueStore)
                    changelogs.setdefault(qid, []).extend(
                        (r.key, r.value, r.partition, [h for h in r.headers if h[0] != SEQ_HEADER])
                        for r in s.emit()
                    )
                    if drop_every:
                        for key, _ in sorted(s.items(), key=repr)[::drop_every]:
                            s.evict(key)
        for qid, q in e.state.persistent.items():
            sink = q.sink.name
            got["flags"][sink] = q.pipeline.fast_path
            got[sink] = [(r.key, r.value, r.timestamp, r.partition) for r in d.records(q.sink.topic)]
            got[sink + "/store"] = [(s.name, repr(list(s.items()))) for s in stores[qid]]  # repr: NaN sums
            got[sink + "/changelog"] = changelogs.get(qid, [])
        log = []
        for r in d.records("fs_ksql_processing_log"):
            msg = json.loads(r.value)
            msg.pop("time")
            log.append(msg)
        got["processing_log"] = log
        return got
    finally:
        e.close()


def _snapshot_below(pipeline: Any, snaps: list[Any]) -> None:
    """Record the materialization's below-cache view after each batch the pipeline processes."""
    process, store = pipeline.process, pipeline.materialization.store

    def process_and_snapshot(records: Any) -> Any:
        out = process(records)
        seen = repr(list(store.flushed_items()))  # (repr: NaN sums)
        snaps.append((seen, seen != repr(list(store.items()))))  # (the view, held back?)
        return out

    pipeline.process = process_and_snapshot


@pytest.mark.parametrize(("seed", "batch_size"), [(1, 10_000), (2, 97), (3, 1), (4, 500)])
def test_fast_sessions_match_generic(seed: int, batch_size: int) -> None:
    recs = records(2500, seed)
    fast = run(True, recs, batch_size)
    generic = run(False, recs, batch_size)
    assert fast["flags"] == {name: True for name, _ in QUERIES}
    assert not any(generic["flags"].values())
    for name, _ in QUERIES:
        assert fast[name] == generic[name], name
        assert fast[name + "/store"] == generic[name + "/store"], name
        assert fast[name + "/changelog"] == generic[name + "/changelog"], name
    assert fast["processing_log"] == generic["processing_log"]
    # the input exercised merges (tombstones), NULL values, and expiry (the store holds far fewer sessions
    # than were ever written)
    outputs = fast["S_PLAIN"]
    tombstones = sum(1 for _, v, _, _ in outputs if v is None)
    assert tombstones > 100 and len(outputs) - tombstones > 1000
    (_, entries), = fast["S_PLAIN/store"]
    assert entries.count("True]") < (len(outputs) - tombstones) / 3
    assert any(v is None for _, v, _, _ in fast["S_BY_VALUE"])


@pytest.mark.parametrize(("seed", "batch_size", "cache"), [(5, 10_000, 10_000_000), (6, 97, 2_000), (7, 1, 600)])
def test_fast_sessions_match_generic_with_record_cache(seed: int, batch_size: int, cache: int) -> None:
    """With the record cache (runtime/record_cache.py: CachingSessionStore over Kafka Streams' NamedCache)
    the loop and the generic operator forward the same outputs, flushed at each drain of 250 records or
    evicted by size (2,000 and 600 bytes: a few entries), with the same stores and changelogs as without it;
    a session created and merged away between two flushes leaves no tombstone, so there are fewer."""
    recs = records(2500, seed)
    fast = run(True, recs, batch_size, cache=cache)
    generic = run(False, recs, batch_size, cache=cache)
    uncached = run(True, recs, batch_size)
    assert fast["flags"] == {name: True for name, _ in QUERIES}
    for name, _ in QUERIES:
        assert fast[name] == generic[name], name
        assert fast[name + "/store"] == generic[name + "/store"] == uncached[name + "/store"], name
        assert fast[name + "/changelog"] == generic[name + "/changelog"] == uncached[name + "/changelog"], name
    assert fast["processing_log"] == generic["processing_log"]
    tombstones = sum(1 for _, v, _, _ in fast["S_PLAIN"] if v is None)
    uncached_tombstones = sum(1 for _, v, _, _ in uncached["S_PLAIN"] if v is None)
    assert 0 < tombstones < uncached_tombstones
    assert len(fast["S_PLAIN"]) < len(uncached["S_PLAIN"])


def test_input_holds_late_merging_and_exactly_closing_records() -> None:
    """What the parity input exercises for S_PLAIN (gap 20 s, grace 10 s), replayed per partition: records
    that merge two or more sessions, records dropped as late, and records exactly at the close time (sessions
    by key, stream time by partition, as the aggregation keeps them)."""
    gap, late = 20 * SECOND, 30 * SECOND
    sessions: dict[bytes, list[tuple[int, int]]] = {}
    stream: dict[int, int] = {}
    bridging = dropped = at_close = 0
    for r in records(2500, 1):
        if r.key is None or r.value is None:
            continue
        st = stream[r.partition] = max(stream.get(r.partition, -1), r.timestamp)
        mine = sessions.setdefault(r.key, [])
        found = [(s, e) for s, e in mine if e >= r.timestamp - gap and s <= r.timestamp + gap]
        start = min([r.timestamp, *(s for s, _ in found)])
        end = max([r.timestamp, *(e for _, e in found)])
        if end < st - late:
            dropped += 1
            continue
        at_close += end == st - late
        bridging += len(found) > 1
        for f in found:
            mine.remove(f)
        mine.append((start, end))
    assert bridging > 5 and dropped > 20 and at_close > 0, (bridging, dropped, at_close)


def test_fast_sessions_match_generic_when_the_index_is_ahead_of_the_store() -> None:
    """Sessions the index still lists but the store no longer holds: the loop's inline index updates (the
    key's latest session, or none, within the gap) and the generic add_session skip and forget them alike."""
    recs = records(1500, 5)
    fast = run(True, recs, 200, drop_every=3)
    generic = run(False, recs, 200, drop_every=3)
    for name, _ in QUERIES:
        assert fast[name] == generic[name], name
        assert fast[name + "/store"] == generic[name + "/store"], name
        assert fast[name + "/changelog"] == generic[name + "/changelog"], name
    assert fast["processing_log"] == generic["processing_log"]
    # the dropped sessions changed the outcome: a run without drops gives other outputs
    assert fast["S_PLAIN"] != run(True, recs, 200)["S_PLAIN"]


def test_loop_takes_unlogged_deleted_keys_out_of_the_changes() -> None:
    """DurableKeyValueStore.emit drops a pending key that left the store and has no changelog record (a
    session put and merged away between two commits). The loop does that at the delete
    (KeyValueStore.logged_keys), so emit has nothing to look for: after each drain every pending key is in
    the store or has a changelog record, and no delete marked the store (nothing expires here: four keys
    in turn, a second apart, each extending its one session; every seventh record falls inside its
    session, which is then removed and put again under the same key). The changelog records are those of
    the generic operator (test_fast_sessions_match_generic covers the general case)."""

    def recs(n: int) -> list[Record]:
        out = []
        for i in range(n):
            ts = 1000 * SECOND + i * SECOND - (6 * SECOND if i % 7 == 6 else 0)  # inside: 4 s since its last
            out.append(Record(f"k{i % 4}".encode(), b"a,1,1.5", ts, 0, i))
        return out

    results = []
    for fast in (True, False):
        d = MemoryDriver()
        d.create_topic("tx", partitions=3)
        props = {**EARLIEST, "cache.max.bytes.buffering": "0"}
        e = Engine(EngineConfig(service_id="fs_", synchronous=True, properties=props, fast_paths=fast), d)
        e.state.stores = StateStores(_durable)
        try:
            e.execute(SOURCE)
            e.execute(QUERIES[0][1])
            (qid,) = e.state.persistent
            (store,) = e.state.stores.of_query(qid)
            assert isinstance(store, DurableKeyValueStore)
            assert e.state.persistent[qid].pipeline.fast_path is fast
            all_recs = recs(1000)
            changelog = []
            for i in range(0, len(all_recs), 90):
                d.produce("tx", all_recs[i : i + 90])
                e.drain()
                if fast:
                    pending = dict(store._pending or {})
                    assert all(k in store._data or k in store._meta for k in pending)
                    assert not store._dropped
                changelog += [(r.key, r.value, r.partition) for r in store.emit()]
            results.append(changelog)
        finally:
            e.close()
    assert results[0] == results[1]
    assert sum(v is None for _, v, _ in results[0]) > 10  # tombstones of sessions logged, then merged away


@pytest.mark.parametrize(("seed", "batch_size", "cache"), [(8, 10_000, 10_000_000), (9, 97, 2_000), (10, 41, 600)])
def test_fast_sessions_read_below_the_cache_as_generic(seed: int, batch_size: int, cache: int) -> None:
    """ksqlDB 0.29's SessionStoreCacheBypass (KsMaterializedSessionTable) reads below Kafka Streams 3.5's
    CachingSessionStore: the loop writes the store inline and keeps each key's value below the cache at its
    first write since a flush (CacheBypassStore.keeping_writes), as the generic operator's writes through
    CacheBypassStore.put / delete keep it. After every batch, before the commit, what a pull query reads
    is the same; the small caches (2,000 and 600 bytes) flush by eviction inside the batches."""
    recs = records(1500, seed)
    fast = run(True, recs, batch_size, cache=cache, below=True)
    generic = run(False, recs, batch_size, cache=cache, below=True)
    assert fast["flags"] == {name: True for name, _ in QUERIES}
    for name, _ in QUERIES:
        assert fast[name] == generic[name], name
        assert fast[name + "/store"] == generic[name + "/store"], name
        assert fast[name + "/changelog"] == generic[name + "/changelog"], name
        assert fast.get(name + "/below") == generic.get(name + "/below"), name
    assert fast["processing_log"] == generic["processing_log"]
    # between flushes the view differed from the current store: updates were held back
    assert sum(held for _, held in fast["S_PLAIN/below"]) > 5
