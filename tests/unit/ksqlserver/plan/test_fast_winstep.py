"""The tumbling-window C step (plan/fast/_winstep.c) against the generated Python lines it replaces and the
generic operator (the oracle): Kafka Streams 3.5 KStreamWindowAggregate (a record whose window end + grace
<= stream time is dropped; a new window starts from the initializer; each update forwards the aggregate with
the larger of the window's and the record's timestamp) behind ksqlDB's windowed key serialization
(WindowedSerdes.timeWindowedSerdeFrom: the inner key bytes, then the window start as 8 big-endian bytes).

Each query runs three times over the same records (random keys, values, nulls, out-of-order, late and
boundary timestamps, INT/BIGINT sums past their Java range): generic operator, fast loop with the C step,
fast loop without it. Outputs, store entries and (with changelog-backed stores) changelog records must be
identical, and the C step must have handled most records.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.plan.fast import aggregate as fastagg
from ksqlserver.runtime.state import codec as state_codec
from ksqlserver.runtime.state.base import StateStores
from ksqlserver.runtime.state.changelog import SEQ_HEADER, DurableKeyValueStore, SeqClock, SnapshotConfig

pytestmark = pytest.mark.skipif(fastagg.winstep is None, reason="the C step did not build")
_REAL = fastagg.winstep

MINUTE = 60_000
PROPS = {"ksql.streams.auto.offset.reset": "earliest"}
SOURCES = [
    "CREATE STREAM TX (K STRING KEY, S STRING, X INT, B BIGINT, D DOUBLE) "
    "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='DELIMITED');",
    "CREATE STREAM TJ (K STRING KEY, S STRING, X INT, B BIGINT, D DOUBLE) "
    "WITH (KAFKA_TOPIC='tj', VALUE_FORMAT='JSON');",
]
# (sink, statement): every one qualifies for the C step
QUERIES = [
    (
        "W_KINDS",
        "CREATE TABLE W_KINDS WITH (VALUE_FORMAT='JSON') AS SELECT K, COUNT(*) AS N, COUNT(D) AS ND, SUM(D) AS SD, "
        "SUM(X) AS SX, SUM(B) AS SB, MIN(X) AS MINX, MAX(X) AS MAXX, MIN(B) AS MINB, MAX(B) AS MAXB FROM TX "
        "WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 2 MINUTES) GROUP BY K EMIT CHANGES;",
    ),
    (
        "W_INT_KEY",
        "CREATE TABLE W_INT_KEY WITH (VALUE_FORMAT='JSON') AS SELECT X, WINDOWEND AS WE, COUNT(*) AS N, "
        "WINDOWSTART AS WS, SUM(D) AS SD FROM TX WINDOW TUMBLING (SIZE 2 MINUTES) GROUP BY X EMIT CHANGES;",
    ),
    (
        "W_WHERE",
        "CREATE TABLE W_WHERE WITH (VALUE_FORMAT='JSON') AS SELECT S, SUM(B) AS SB, COUNT(X) AS NX FROM TX "
        "WINDOW TUMBLING (SIZE 30 SECONDS, GRACE PERIOD 0 SECONDS) WHERE X > 0 OR D IS NULL GROUP BY S "
        "EMIT CHANGES;",
    ),
    (
        "W_JSON",
        "CREATE TABLE W_JSON WITH (VALUE_FORMAT='JSON') AS SELECT K, COUNT(*) AS N, SUM(X) AS SX, MAX(B) AS MB "
        "FROM TJ WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 1 MINUTE) GROUP BY K EMIT CHANGES;",
    ),
]


def delimited_records(n: int, seed: int) -> list[Record]:
    rnd = random.Random(seed)
    ints = ["", "0", "1", "-5", "7", "2147483647", "-2147483648", "3"]
    bigs = ["", "3", "-1", "9223372036854775807", "-9223372036854775808", "12"]
    doubles = ["", "1.5", "-0.0", "0", "1e300", "-1e300", "NaN", "Infinity", "x", "0.1", "2.5e-5"]
    out, ts = [], 10 * MINUTE
    for i in range(n):
        r = rnd.random()
        if r < 0.08:  # out of order; 3 minutes back is exactly a window's end + grace
            t = ts - rnd.choice([1, 5_000, 30_000, MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE])
        elif r < 0.10:
            t = ts - rnd.randint(10, 40) * MINUTE  # late for every window
        else:  # steps of 5 s: records on window bounds and on end + grace
            ts += rnd.choice([0, 5_000, 10_000, 15_000, 30_000, 60_000])
            t = ts
        key = rnd.choice([b"k1", b"k2", b"k3", b"", None, b"\xc3\xa9", b"\xff"])
        if rnd.random() < 0.04:
            value: bytes | None = None
        elif rnd.random() < 0.03:
            value = rnd.choice([b"a,b", b"", b"a,x,1,1", b"a,1,1,x"])
        else:
            d = rnd.choice(doubles) if rnd.random() < 0.5 else repr(round(rnd.uniform(-50, 50), rnd.randint(0, 6)))
            value = ",".join([rnd.choice(["", "a", "b", "é"]), rnd.choice(ints), rnd.choice(bigs), d]).encode()
        out.append(Record(key, value, t, rnd.randint(0, 1), i))
    return out


def json_records(n: int, seed: int) -> list[Record]:
    rnd = random.Random(seed)
    out, ts = [], MINUTE
    for i in range(n):
        ts += rnd.randint(-10_000, 15_000)
        doc = {"X": rnd.choice([None, 1, 2, -3, "4", 2**31 - 1]), "B": rnd.choice([None, 3, -1, 2**62, "12"])}
        value = rnd.choice([json.dumps(doc).encode()] * 8 + [b"{bad", b"null"])
        out.append(Record(rnd.choice([b"k1", b"k2", None]), value, max(ts, 0), 0, i))
    return out


class _NoChangelog:
    def ensure_topic(self, topic: str, partitions: int) -> None:
        return None

    def partitions(self, topic: str) -> int:
        return 2

    def read(self, topic: str, partition: int, start: int) -> tuple[list[Record], int]:
        return [], 0

    def end_offset(self, topic: str, partition: int) -> int:
        return 0


def _durable(query_id: str, name: str) -> DurableKeyValueStore:
    store = DurableKeyValueStore(query_id, name)
    store.attach(_NoChangelog(), f"{query_id}-{name}-changelog", SnapshotConfig(None), SeqClock())
    return store


class _CountingStep:
    """The C step, counting the records it handled (None) and declined (False)."""

    made: list[_CountingStep] = []

    def __init__(self, *args: Any) -> None:
        self.step_ = _REAL.Step(*args)  # type: ignore[union-attr]
        self.done = self.declined = 0
        _CountingStep.made.append(self)

    def step(self, *args: Any) -> Any:
        r = self.step_.step(*args)
        if r is None:
            self.done += 1
        else:
            self.declined += 1
        return r

    def batch(self, *args: Any) -> None:
        self.step_.batch(*args)

    def reset(self) -> None:
        self.step_.reset()


def run(
    mode: str, monkeypatch: pytest.MonkeyPatch, cache: int = 0, durable: bool = False, batch_size: int = 10_000,
    below: bool = False,
) -> dict[str, Any]:
    """mode: generic, python (the fast loop without the C step) or c. `below`: after every batch, what a
    pull query reads (the store below the record cache: CacheBypassStore.flushed_items), before the commit
    flushes the cache."""
    with monkeypatch.context() as m:
        if mode == "python":
            m.setattr(fastagg, "winstep", None)
        elif mode == "c":
            m.setattr(fastagg, "winstep", type("W", (), {"Step": _CountingStep, "KEY_CACHE_MAX": 100_000}))
        d = MemoryDriver()
        d.create_topic("tx", partitions=2)
        d.create_topic("tj")
        props = {**PROPS, "cache.max.bytes.buffering": str(cache)}
        config = EngineConfig(
            service_id="ws_", synchronous=True, properties=props, fast_paths=mode != "generic", batch_size=batch_size
        )
        e = Engine(config, d)
        if durable:
            e.state.stores = StateStores(_durable)
        try:
            for s in SOURCES:
                e.execute(s)
            for _, statement in QUERIES:
                e.execute(statement)
            stores = {qid: e.state.stores.of_query(qid) for qid in e.state.persistent}
            changelogs: dict[str, list[Any]] = {}
            got: dict[str, Any] = {}
            if below:
                for q in e.state.persistent.values():
                    _snapshot_below(q.pipeline, got.setdefault(q.sink.name + "/below", []))
            recs = delimited_records(1000, 5)
            for i in range(0, len(recs), 250):
                for part in (0, 1):  # one partition's run at a time, its number in the stores' context
                    for ss in stores.values():
                        for st in ss:
                            if isinstance(st, DurableKeyValueStore):
                                st.ctx.partition = part
                    d.produce("tx", [r for r in recs[i : i + 250] if r.partition == part])
                    e.drain()
                for qid, ss in stores.items():
                    for st in ss:
                        if isinstance(st, DurableKeyValueStore):
                            changelogs.setdefault(qid, []).extend(
                                (r.key, r.value, r.partition, [h for h in r.headers if h[0] != SEQ_HEADER])
                                for r in st.emit()
                            )
            for ss in stores.values():
                for st in ss:
                    if isinstance(st, DurableKeyValueStore):
                        st.ctx.partition = 0
            d.produce("tj", json_records(300, 6))
            e.drain()
            for qid, q in e.state.persistent.items():
                sink = q.sink.name
                assert q.pipeline.fast_path == (mode != "generic")
                got[sink] = [(r.key, r.value, r.timestamp, r.partition) for r in d.records(q.sink.topic)]
                got[sink + "/state"] = [
                    (st.name, [(state_codec.encode(k), state_codec.encode(v)) for k, v in st.items()])
                    for st in stores[qid]
                ]
                got[sink + "/changelog"] = changelogs.get(qid, [])
            got["log"] = [json.loads(r.value)["message"] for r in d.records("ws_ksql_processing_log")]
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


@pytest.mark.parametrize(("cache", "durable"), [(0, False), (3_000, True)])
def test_c_step_matches_python_lines_and_generic_operator(
    cache: int, durable: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    _CountingStep.made.clear()
    c = run("c", monkeypatch, cache, durable)
    assert len(_CountingStep.made) == len(QUERIES)  # every query got the step
    assert all(s.done > 100 for s in _CountingStep.made)  # and it handled the records
    python, generic = run("python", monkeypatch, cache, durable), run("generic", monkeypatch, cache, durable)
    for name, _ in QUERIES:
        assert c[name] == python[name] == generic[name], name
        assert c[name + "/state"] == python[name + "/state"] == generic[name + "/state"], name
        assert c[name + "/changelog"] == python[name + "/changelog"] == generic[name + "/changelog"], name
        assert len(c[name]) > (20 if cache else 50), name
    assert c["log"] == python["log"] == generic["log"]
    if durable:
        assert len(c["W_KINDS/changelog"]) > 20


def test_sum_past_the_java_range_wraps_as_the_generic_add(monkeypatch: pytest.MonkeyPatch) -> None:
    """SUM of INT / BIGINT wraps like Java's int / long (the generic add, called by the step outside the
    range): the same outputs as the generic operator."""
    outs = []
    for mode in ("c", "generic"):
        with monkeypatch.context() as m:
            if mode == "c":
                m.setattr(fastagg, "winstep", type("W", (), {"Step": _CountingStep, "KEY_CACHE_MAX": 100_000}))
            d = MemoryDriver()
            d.create_topic("tx")
            e = Engine(EngineConfig(service_id="wr_", synchronous=True, properties=PROPS, fast_paths=mode == "c"), d)
            try:
                e.execute(SOURCES[0])
                e.execute(
                    "CREATE TABLE R WITH (VALUE_FORMAT='JSON') AS SELECT K, SUM(X) AS SX, SUM(B) AS SB FROM TX "
                    "WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY K EMIT CHANGES;"
                )
                vals = [b"a,2147483647,9223372036854775807,1", b"a,1,1,1", b"a,-5,-9223372036854775807,1"]
                d.produce("tx", [Record(b"k", v, 1000 + i, 0, i) for i, v in enumerate(vals)])
                e.drain()
                outs.append([json.loads(r.value) for r in d.records("R")])
            finally:
                e.close()
    assert outs[0] == outs[1]
    assert outs[0][1] == {"SX": -2147483648, "SB": -9223372036854775808}


@pytest.mark.parametrize(("batch_size", "cache", "durable"), [(10_000, 10_000_000, True), (97, 2_000, True), (41, 600, False)])
def test_c_step_reads_below_the_cache_as_generic(
    batch_size: int, cache: int, durable: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ksqlDB 0.29's WindowStoreCacheBypass (KsMaterializedWindowTable) reads below Kafka Streams 3.5's
    CachingWindowStore: the C step writes the store's dict inline and keeps each key's value below the
    cache at its first write since a flush, in C (CacheBypassStore.keeping_writes: the flush count read
    from the cache, `rebase` when it moved), as the generic operator's writes through CacheBypassStore.put
    keep it. After every batch, before the commit, what a pull query reads is the same; the small caches
    (2,000 and 600 bytes) flush by eviction inside the batches."""
    _CountingStep.made.clear()
    c = run("c", monkeypatch, cache, durable, batch_size, below=True)
    assert all(s.done > 100 for s in _CountingStep.made)  # the C step handled the records
    generic = run("generic", monkeypatch, cache, durable, batch_size, below=True)
    for name, _ in QUERIES:
        assert c[name] == generic[name], name
        assert c[name + "/state"] == generic[name + "/state"], name
        assert c[name + "/changelog"] == generic[name + "/changelog"], name
        assert c[name + "/below"] == generic[name + "/below"], name
    assert c["log"] == generic["log"]
    # between flushes the view differed from the current store: updates were held back
    assert sum(held for _, held in c["W_KINDS/below"]) > 3
