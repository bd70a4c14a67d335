"""The generated aggregation loop (plan/fast/aggregate.py) against the generic operator on adversarial input.

Every query runs twice over the same records, with the fast loop and with it disabled; outputs (key,
value, timestamp, partition), state stores (entries, in order, as changelog bytes) and processing-log
messages must be identical.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.runtime.state import codec as state_codec
from ksqlserver.runtime.state.base import InMemoryKeyValueStore, KeyValueStore, StateStores
from ksqlserver.runtime.state.changelog import SEQ_HEADER, DurableKeyValueStore, SeqClock, SnapshotConfig

EARLIEST = {
    "ksql.streams.auto.offset.reset": "earliest",
    # EMIT FINAL looks for closed windows at every record (Kafka Streams' wall-clock pacing off)
    "ksql.streams.__emit.interval.ms.kstreams.windowed.aggregation__": "0",
}
MINUTE = 60_000
SOURCES = [
    "CREATE STREAM TX (K STRING KEY, S STRING, X INT, B BIGINT, D DOUBLE) "
    "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='DELIMITED');",
    "CREATE STREAM TJ (K STRING KEY, S STRING, X INT, B BIGINT, D DOUBLE) "
    "WITH (KAFKA_TOPIC='tj', VALUE_FORMAT='JSON');",
    "CREATE TABLE TT (K STRING PRIMARY KEY, S STRING, X INT, B BIGINT, D DOUBLE) "
    "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='DELIMITED');",
]
# (sink, statement, covered by the fast loop)
QUERIES: list[tuple[str, str, bool]] = [
    (
        "Q_TUMBLING",
        "CREATE TABLE Q_TUMBLING WITH (VALUE_FORMAT='JSON') AS SELECT K, COUNT(*) AS N, COUNT(D) AS ND, "
        "SUM(D) AS SD, SUM(X) AS SX, SUM(B) AS SB, MIN(D) AS MIND, "
        "MAX(X) AS MAXX, MIN(B) AS MINB, MIN(S) AS MINS, MAX(S) AS MAXS FROM TX "
        "WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 2 MINUTES) GROUP BY K EMIT CHANGES;",
        True,
    ),
    (
        "Q_HOPPING",
        "CREATE TABLE Q_HOPPING WITH (VALUE_FORMAT='JSON') AS SELECT S, COUNT(*) AS N, SUM(D) AS SD, "
        "MAX(D) AS MD FROM TX WINDOW HOPPING (SIZE 3 MINUTES, ADVANCE BY 1 MINUTE, GRACE PERIOD 1 MINUTE) "
        "WHERE X > 0 OR D IS NULL GROUP BY S EMIT CHANGES;",
        True,
    ),
    (
        "Q_WINDOW_COLUMNS",
        "CREATE TABLE Q_WINDOW_COLUMNS WITH (VALUE_FORMAT='JSON') AS SELECT K, WINDOWEND AS WE, COUNT(*) AS N, "
        "WINDOWSTART AS WS, SUM(D) AS SD FROM TX WINDOW TUMBLING (SIZE 2 MINUTES) GROUP BY K EMIT CHANGES;",
        True,
    ),
    (
        "Q_PLAIN",
        "CREATE TABLE Q_PLAIN WITH (VALUE_FORMAT='JSON') AS SELECT K, SUM(X) AS SX, COUNT(S) AS NS, "
        "MAX(B) AS MB FROM TX GROUP BY K EMIT CHANGES;",
        True,
    ),
    (
        "Q_COMPUTED",
        "CREATE TABLE Q_COMPUTED WITH (VALUE_FORMAT='JSON') AS SELECT K, COUNT(*) * 2 AS N2, "
        "SUM(D) / COUNT(*) AS M, WINDOWSTART + 1 AS WS1 FROM TX WINDOW TUMBLING (SIZE 1 MINUTE) "
        "GROUP BY K EMIT CHANGES;",
        True,
    ),
    (
        "Q_ERRORS",
        "CREATE TABLE Q_ERRORS WITH (VALUE_FORMAT='JSON') AS SELECT UCASE(K) AS UK, SUM(100 / X) AS R, "
        "COUNT(*) AS N FROM TX WINDOW TUMBLING (SIZE 1 MINUTE) WHERE 3 / (LEN(S) - 1) <> 3 GROUP BY UCASE(K) "
        "EMIT CHANGES;",
        True,
    ),
    (
        "Q_MULTI_KEY",
        "CREATE TABLE Q_MULTI_KEY WITH (KEY_FORMAT='JSON', VALUE_FORMAT='JSON') AS SELECT K, S, COUNT(*) AS N, "
        "SUM(X) AS SX FROM TX WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY K, S EMIT CHANGES;",
        True,
    ),
    (
        "Q_DOUBLE_KEY",
        "CREATE TABLE Q_DOUBLE_KEY WITH (VALUE_FORMAT='JSON') AS SELECT D, COUNT(*) AS N FROM TX "
        "WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY D EMIT CHANGES;",
        True,
    ),
    (
        "Q_INT_KEY",
        "CREATE TABLE Q_INT_KEY WITH (VALUE_FORMAT='JSON') AS SELECT X, COUNT(*) AS N, MIN(S) AS MS FROM TX "
        "WINDOW HOPPING (SIZE 2 MINUTES, ADVANCE BY 30 SECONDS) GROUP BY X EMIT CHANGES;",
        True,
    ),
    (
        "Q_DELIMITED_SINK",
        "CREATE TABLE Q_DELIMITED_SINK WITH (VALUE_FORMAT='DELIMITED') AS SELECT K, COUNT(*) AS N, SUM(D) AS SD, "
        "MAX(S) AS MS FROM TX WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY K EMIT CHANGES;",
        True,
    ),
    (
        "Q_SINGLE_UNWRAPPED",
        "CREATE TABLE Q_SINGLE_UNWRAPPED WITH (VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE=false) AS SELECT K, "
        "SUM(D) AS SD FROM TX WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY K EMIT CHANGES;",
        True,
    ),
    (
        "Q_JSON_SOURCE",
        "CREATE TABLE Q_JSON_SOURCE WITH (VALUE_FORMAT='JSON') AS SELECT K, COUNT(*) AS N, AVG(D) AS AD, "
        "SUM(X) AS SX FROM TJ WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 1 MINUTE) GROUP BY K EMIT CHANGES;",
        True,
    ),
    (
        # AVG's state is a struct: ksqlDB keeps aggregation state in the source's value format, so AVG needs
        # a source format that holds structs (JSON), whatever the sink's
        "Q_AVG",
        "CREATE TABLE Q_AVG WITH (VALUE_FORMAT='DELIMITED') AS SELECT K, AVG(D) AS AD, AVG(X) AS AX, "
        "AVG(B) AS AB, COUNT(*) AS N FROM TJ WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 2 MINUTES) "
        "GROUP BY K EMIT CHANGES;",
        True,
    ),
    (
        "Q_AVG_SESSION",
        "CREATE TABLE Q_AVG_SESSION WITH (VALUE_FORMAT='JSON') AS SELECT K, AVG(X) AS AX, COUNT(*) AS N FROM TJ "
        "WINDOW SESSION (1 MINUTE, GRACE PERIOD 2 MINUTES) GROUP BY K EMIT CHANGES;",
        True,
    ),
    # shapes the loop declines: the generic operator runs alone (parity is then trivial, the flag is not)
    (
        "Q_FINAL",
        "CREATE TABLE Q_FINAL WITH (VALUE_FORMAT='JSON') AS SELECT K, COUNT(*) AS N FROM TX "
        "WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 1 MINUTE) GROUP BY K EMIT FINAL;",
        False,
    ),
    (
        "Q_HAVING",
        "CREATE TABLE Q_HAVING WITH (VALUE_FORMAT='JSON') AS SELECT K, COUNT(*) AS N FROM TX "
        "WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY K HAVING COUNT(*) > 1 EMIT CHANGES;",
        False,
    ),
    (
        "Q_SESSION",
        "CREATE TABLE Q_SESSION WITH (VALUE_FORMAT='JSON') AS SELECT K, COUNT(*) AS N FROM TJ "
        "WINDOW SESSION (30 SECONDS) GROUP BY K EMIT CHANGES;",
        True,
    ),
    (
        # out-of-order and late records merge sessions (tombstones for the merged-away ones) or are dropped
        "Q_SESSION_MERGE",
        "CREATE TABLE Q_SESSION_MERGE WITH (VALUE_FORMAT='JSON') AS SELECT K, COUNT(*) AS N, SUM(D) AS SD, "
        "SUM(X) AS SX, SUM(B) AS SB, MIN(S) AS MINS, MAX(D) AS MAXD, COUNT(S) AS NS, WINDOWSTART AS WS, "
        "WINDOWEND AS WE FROM TX WINDOW SESSION (1 MINUTE, GRACE PERIOD 2 MINUTES) WHERE X IS NULL OR X <> 7 "
        "GROUP BY K EMIT CHANGES;",
        True,
    ),
    (
        "Q_SESSION_DELIMITED",
        "CREATE TABLE Q_SESSION_DELIMITED WITH (VALUE_FORMAT='DELIMITED') AS SELECT S, COUNT(*) AS N, "
        "MAX(X) AS MX FROM TX WINDOW SESSION (20 SECONDS) GROUP BY S EMIT CHANGES;",
        True,
    ),
    (
        "Q_SESSION_COMPUTED",
        "CREATE TABLE Q_SESSION_COMPUTED WITH (KEY_FORMAT='JSON', VALUE_FORMAT='JSON') AS SELECT K, S, "
        "COUNT(*) * 2 AS N2, SUM(100 / X) AS R FROM TX WINDOW SESSION (2 MINUTES) GROUP BY K, S EMIT CHANGES;",
        True,
    ),
    (
        "Q_TABLE",
        "CREATE TABLE Q_TABLE WITH (VALUE_FORMAT='JSON') AS SELECT S, COUNT(*) AS N, SUM(D) AS SD FROM TT "
        "GROUP BY S EMIT CHANGES;",
        False,
    ),
    (
        "Q_OTHER_UDAF",
        "CREATE TABLE Q_OTHER_UDAF WITH (VALUE_FORMAT='JSON') AS SELECT K, COLLECT_LIST(X) AS XS FROM TJ "
        "WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY K EMIT CHANGES;",
        False,
    ),
]


def _field(rnd: random.Random, choices: list[str]) -> str:
    return rnd.choice(choices)


def delimited_records(n: int, seed: int) -> list[Record]:
    rnd = random.Random(seed)
    strings = ["", "a", "b", "3", "5", '"q,uoted"', '"x"', "abc", "é"]
    ints = ["", "0", "1", "-5", "7", "2147483647", "-2147483648", "1", "2", "3", "4"]
    bigs = ["", "3", "-1", "9223372036854775807", "-9223372036854775808", "12"]
    doubles = ["", "1.5", "-0.0", "0", "0.0", "1e300", "-1e300", "NaN", "Infinity", "x", "12345678.5",
               "0.0001", "2.5e-5", "100"]  # fmt: skip
    out = []
    ts = 10 * MINUTE
    for i in range(n):
        r = rnd.random()
        if r < 0.08:
            # out of order; 3 minutes back is exactly the end + grace of a tumbling window
            t = ts - rnd.choice([1, 5_000, 30_000, MINUTE, 2 * MINUTE, 3 * MINUTE, 3 * MINUTE, 4 * MINUTE])
        elif r < 0.10:
            t = ts - rnd.randint(10, 40) * MINUTE  # far behind: late for every window
        else:
            # steps of 5 s: records land exactly on window bounds and on end + grace
            ts += rnd.choice([0, 5_000, 10_000, 15_000, 20_000, 30_000, 60_000])
            t = ts
        key = rnd.choice([b"k1", b"k2", b"k3", b"", None, b"K1", b"\xc3\xa9", b"\xff"])
        if rnd.random() < 0.04:
            value: bytes | None = None
        elif rnd.random() < 0.03:
            # (invalid UTF-8 is left out: the generic DELIMITED reader raises on it, query-fatal, today)
            value = rnd.choice([b"a,b", b"a,1,2,3,4", b"", b"a,x,1,1", b"a,1.5,1,1", b"a,1,1,x"])
        else:
            extra = [
                _field(rnd, strings),
                _field(rnd, ints),
                _field(rnd, bigs),
                _field(rnd, doubles)
                if rnd.random() < 0.5
                else repr(round(rnd.uniform(-50, 50), rnd.randint(0, 6))),
            ]
            value = ",".join(extra).encode()
        out.append(Record(key, value, t, rnd.randint(0, 1), i))
    return out


def json_records(n: int, seed: int) -> list[Record]:
    rnd = random.Random(seed)
    out = []
    ts = MINUTE
    for i in range(n):
        ts += rnd.randint(-10_000, 15_000)
        doc: Any = {
            "S": rnd.choice([None, "a", "b"]),
            "X": rnd.choice([None, 1, 2, -3, "4", 2**40]),
            "D": rnd.choice([None, 1.5, -0.0, 3, 1e20, "x", 7.25]),
            "B": rnd.choice([None, 3, -1, 2**62, 9223372036854775807, "12"]),
        }
        if rnd.random() < 0.3:
            doc.pop(rnd.choice(["S", "X", "D"]))
        value = rnd.choice([json.dumps(doc).encode()] * 8 + [b"{bad", b"null", b"[1,2]"])
        out.append(Record(rnd.choice([b"k1", b"k2", None]), value, max(ts, 0), 0, i))
    return out


def _encode(v: Any) -> bytes | str:
    """Changelog bytes; repr for a value they cannot hold (AVG's sum of BIGINTs beyond 64 bits)."""
    try:
        return state_codec.encode(v)
    except TypeError:
        return repr(v)


def run(fast: bool, cache: int = 0, chunk: int = 3000) -> dict[str, Any]:
    """`cache`: cache.max.bytes.buffering; the record cache flushes at the end of each drain of `chunk`
    records."""
    d = MemoryDriver()
    d.create_topic("tx", partitions=2)
    d.create_topic("tj")
    props = {**EARLIEST, "cache.max.bytes.buffering": str(cache)}
    e = Engine(EngineConfig(service_id="fa_", synchronous=True, properties=props, fast_paths=fast), d)
    try:
        for s in SOURCES:
            e.execute(s)
        for _, statement, _ in QUERIES:
            e.execute(statement)
        recs = delimited_records(3000, 11)
        for i in range(0, len(recs), chunk):
            d.produce("tx", recs[i : i + chunk])
            e.drain()
        d.produce("tj", json_records(600, 12))
        e.drain()
        got: dict[str, Any] = {}
        flags = {}
        for qid, q in e.state.persistent.items():
            sink = q.sink.name
            flags[sink] = q.pipeline.fast_path
            got[sink] = [(r.key, r.value, r.timestamp, r.partition) for r in d.records(q.sink.topic)]
            got[sink + "/state"] = [
                (s.name, [(_encode(k), _encode(v)) for k, v in s.items()])
                for s in e.state.stores.of_query(qid)
            ]
        log = []
        for r in d.records("fa_ksql_processing_log"):
            msg = json.loads(r.value)
            msg.pop("time")
            log.append(msg)
        got["processing_log"] = log
        got["flags"] = flags
        return got
    finally:
        e.close()


@pytest.fixture(scope="module")
def uncached_fast() -> dict[str, Any]:
    """The fast loop without the record cache: one run serves the parity test and each cache test."""
    return run(True)


def test_fast_aggregate_matches_generic(uncached_fast: dict[str, Any]) -> None:
    fast = uncached_fast
    generic = run(False)
    assert fast["flags"] == {name: covered for name, _, covered in QUERIES}
    assert not any(generic["flags"].values())
    for name, _, _ in QUERIES:
        assert fast[name] == generic[name], name
        assert fast[name + "/state"] == generic[name + "/state"], name
        assert len(fast[name]) > 20, name  # the input exercised the query
    assert fast["processing_log"] == generic["processing_log"]
    messages = {m["message"]["recordProcessingError"]["errorMessage"].split(":")[0]
                for m in fast["processing_log"] if m["message"]["recordProcessingError"]}  # fmt: skip
    # SqlPredicate's message names the predicate ("Error evaluating predicate <expression>")
    assert any(m.startswith("Error evaluating predicate (") for m in messages)
    # the Prepare step's SelectValueMapper: the argument is internal column 4 (after K, X, ROWTIME, S)
    assert "Error computing expression (100 / X) for column KSQL_INTERNAL_COL_4 with index 4" in messages


@pytest.mark.parametrize(("cache", "chunk"), [(10_000_000, 3000), (10_000_000, 250), (3_000, 500)])
def test_fast_aggregate_matches_generic_with_record_cache(
    cache: int, chunk: int, uncached_fast: dict[str, Any]
) -> None:
    """With the record cache (runtime/record_cache.py, Kafka Streams' NamedCache) the loop and the generic
    operator put the same outputs into it, so what its flushes (each drain) and evictions (3,000 bytes: a
    few dozen entries) forward is the same, and the store the same as without it."""
    fast, generic = run(True, cache, chunk), run(False, cache, chunk)
    uncached = uncached_fast
    assert fast["flags"] == {name: covered for name, _, covered in QUERIES}
    for name, _, _ in QUERIES:
        assert fast[name] == generic[name], name
        assert fast[name + "/state"] == generic[name + "/state"] == uncached[name + "/state"], name
        assert 0 < len(fast[name]) <= len(uncached[name]), name
    assert fast["processing_log"] == generic["processing_log"]
    assert sum(map(len, (fast[n] for n, _, _ in QUERIES))) < sum(
        map(len, (uncached[n] for n, _, _ in QUERIES))
    )


def test_input_holds_late_boundary_and_out_of_order_records() -> None:
    """The parity input exercises Q_TUMBLING's grace rule: records past end + grace, exactly at it (the
    window is closed), and out of order but still in an open window."""
    stream_time, late, boundary, reordered = -1, 0, 0, 0
    for r in delimited_records(3000, 11):
        end = r.timestamp - r.timestamp % MINUTE + MINUTE
        stream_time = max(stream_time, r.timestamp)
        if end + 2 * MINUTE < stream_time:
            late += 1
        elif end + 2 * MINUTE == stream_time:
            boundary += 1
        elif r.timestamp < stream_time:
            reordered += 1
    assert late > 20 and boundary > 2 and reordered > 50, (late, boundary, reordered)


# --- changelog bytes: the one-call encoders against state_codec.encode --------------------------------
PLAIN_VALUES: list[Any] = [
    [[1, [12.5, 1]], 1700000000000, True],
    [[0, [0, 0], None, "x"], -1, False],
    [[3, [float("nan"), 2]], 5, True],
    [[3, [float("inf"), 2], float("-inf")], 5, True],
    [["null", "{}", 'q"uote', "é\u2028", "\ud800"], 1, True],
    [[2**63 - 1, -(2**63), 1e308, -0.0, 5e-324]],
    [[Decimal("1.50"), b"\x00"], 1, True],
    [[{"A": 1}, {"B": [1, 2]}], 2, False],
    [[{1: "x"}], 3, True],
    [],
]
KEYS: list[Any] = [
    ("card-1", 60000, 120000),
    ("", -1, 0),
    (1, True, None),
    ("x", 1.5, 2),
    ("x", float("nan")),
    (("nested",), 1),
    ((1, 2), 3),
    ("a", [1, 2]),
    ({"A": 1}, 2),
    (Decimal("1.0"),),
    (b"raw",),
    ("\ud800",),
    (),
]


def _outcome(fn: Any, v: Any) -> bytes | str:
    try:
        result: bytes = fn(v)
        return result
    except Exception as e:  # the same error, whichever encoder
        return type(e).__name__


@pytest.mark.parametrize("value", PLAIN_VALUES)
def test_encode_plain_gives_encode_bytes(value: Any) -> None:
    assert _outcome(state_codec.encode_plain, value) == _outcome(state_codec.encode, value)


@pytest.mark.parametrize("key", KEYS)
def test_encode_key_gives_encode_bytes(key: Any) -> None:
    assert _outcome(state_codec.encode_key, key) == _outcome(state_codec.encode, key)


def test_big_ints_fail_alike() -> None:
    for v in ([[2**64, [1, 1]], 1, True], [2**70]):
        assert _outcome(state_codec.encode_plain, v) == _outcome(state_codec.encode, v) == "TypeError"
    assert _outcome(state_codec.encode_key, ("k", 2**64)) == _outcome(state_codec.encode, ("k", 2**64))


def test_durable_emit_bytes_do_not_depend_on_plain_values() -> None:
    """A store flagged `plain_values` writes the same changelog keys and values as one that is not."""
    emitted = []
    for plain in (False, True):
        s = DurableKeyValueStore("CTAS_T_1", "Aggregate-Aggregate-Materialize")
        s.attach(_NoChangelog(), "cl", SnapshotConfig(None), SeqClock())
        s.plain_values = plain
        writable = [v for v in PLAIN_VALUES if isinstance(_outcome(state_codec.encode, v), bytes)]
        s.put(("gone",), [1])
        s.emit()  # "gone" reaches the changelog: its deletion below takes a tombstone in the mixed batch
        for i, v in enumerate(writable):
            s.ctx.partition = i % 2
            s.put(("k", i, i + 1), v)
        s.delete(("gone",))
        recs = s.emit()
        emitted.append([(r.key, r.value, r.partition) for r in recs])
        seqs = [int(dict(r.headers)["ksqlserver.seq"]) for r in recs]
        assert seqs == sorted(set(seqs))  # one increasing sequence number per record
        for r, seq in zip(recs, seqs, strict=True):
            key = state_codec.decode(r.key)
            assert s._meta[key] == (seq, r.partition) and s.partition_of(key) == r.partition
            assert (r.offset, r.topic) == (0, "") and r.value == (None if key == ("gone",) else r.value)
    assert emitted[0] == emitted[1]
    assert len(emitted[0]) == len(PLAIN_VALUES)  # every writable value (all but the lone surrogate) + "gone"


def _durable(query_id: str, name: str) -> KeyValueStore:
    store = DurableKeyValueStore(query_id, name)
    store.attach(_NoChangelog(), f"{query_id}-{name}-changelog", SnapshotConfig(None), SeqClock())
    return store


def run_durable(fast: bool, chunk: int) -> dict[str, Any]:
    """The queries over changelog-backed stores, the changelog taken between chunks of input (as commits
    take it): outputs, store entries and changelog records (without their sequence header)."""
    d = MemoryDriver()
    d.create_topic("tx", partitions=2)
    d.create_topic("tj")
    e = Engine(EngineConfig(service_id="fd_", synchronous=True, properties=EARLIEST, fast_paths=fast), d)
    e.state.stores = StateStores(_durable)
    try:
        for s in SOURCES:
            e.execute(s)
        for _, statement, _ in QUERIES:
            e.execute(statement)
        stores = {qid: e.state.stores.of_query(qid) for qid in e.state.persistent}
        changelogs: dict[str, list[Any]] = {}
        recs = delimited_records(3000, 11)
        for i in range(0, len(recs), chunk):
            for part in (0, 1):  # one partition's run at a time, its number in the stores' context
                for ss in stores.values():
                    for st in ss:
                        assert isinstance(st, DurableKeyValueStore)
                        st.ctx.partition = part
                d.produce("tx", [r for r in recs[i : i + chunk] if r.partition == part])
                e.drain()
            for qid, ss in stores.items():
                for st in ss:
                    assert isinstance(st, DurableKeyValueStore)
                    changelogs.setdefault(qid, []).extend(
                        (r.key, r.value, r.partition, [h for h in r.headers if h[0] != SEQ_HEADER])
                        for r in st.emit()
                    )
        got: dict[str, Any] = {"flags": {}}
        for qid, q in e.state.persistent.items():
            sink = q.sink.name
            got["flags"][sink] = q.pipeline.fast_path
            got[sink] = [(r.key, r.value, r.timestamp, r.partition) for r in d.records(q.sink.topic)]
            got[sink + "/state"] = [
                (st.name, [(_encode(k), _encode(v)) for k, v in st.items()]) for st in stores[qid]
            ]
            got[sink + "/changelog"] = changelogs.get(qid, [])
        return got
    finally:
        e.close()


@pytest.mark.parametrize("chunk", [1000, 37])
def test_fast_aggregate_matches_generic_on_durable_stores(chunk: int) -> None:
    """The loop's inline store writes (`put_target`) note every change in its input partition, as `put` does:
    the changelog records are the generic path's."""
    fast, generic = run_durable(True, chunk), run_durable(False, chunk)
    assert fast["flags"] == {name: covered for name, _, covered in QUERIES}
    for name, _, _ in QUERIES:
        assert fast[name] == generic[name], name
        assert fast[name + "/state"] == generic[name + "/state"], name
        assert fast[name + "/changelog"] == generic[name + "/changelog"], name
    partitions = {p for _, _, p, _ in fast["Q_TUMBLING/changelog"]}
    assert partitions == {0, 1} and len(fast["Q_TUMBLING/changelog"]) > 20


def test_put_target_writes_as_put_does() -> None:
    """Writing through `put_target` leaves a store (and its next changelog) as `put` would; a store whose
    `put` is overridden has no target."""
    results = []
    for inline in (False, True):
        s = _durable("CTAS_T_1", "Aggregate-Aggregate-Materialize")
        assert isinstance(s, DurableKeyValueStore)
        for i in range(6):
            s.ctx.partition = i % 2
            target = s.put_target()
            assert target is not None
            if inline:
                data, pending, part = target
                data[("k", i % 3)] = [i]
                assert pending is not None
                pending[("k", i % 3)] = part
            else:
                s.put(("k", i % 3), [i])
        results.append((list(s.items()), [(r.key, r.value, r.partition) for r in s.emit()]))
    assert results[0] == results[1] and len(results[0][1]) == 3

    class Counting(InMemoryKeyValueStore):
        def put(self, key: Any, value: Any) -> None:
            super().put(key, value)

    assert Counting("q", "s").put_target() is None
    assert InMemoryKeyValueStore("q", "s").put_target() is not None


def test_a_key_put_then_evicted_between_emits_logs_its_last_value() -> None:
    """A window created and expired within one commit interval: Kafka Streams 3.5's change-logging window
    store logged its put (at once, or when the caching store flushed it at the commit) and the segmented
    store drops it without a changelog record, so its last value is logged, before the pending keys, and no
    tombstone (changed behaviour: this engine used to write nothing for it)."""
    s = _durable("CTAS_T_1", "Aggregate-Aggregate-Materialize")
    assert isinstance(s, DurableKeyValueStore)
    s.put(("old", 0, 1000), [[1], 10, True])
    s.put(("live", 0, 1000), [[2], 10, True])
    s.evict(("old", 0, 1000))
    recs = s.emit()
    assert [state_codec.decode(r.key) for r in recs] == [("old", 0, 1000), ("live", 0, 1000)]
    assert state_codec.decode(recs[0].value) == [[1], 10, True]
    s.put(("later", 0, 1000), [[3], 10, True])  # no delete since: the emit looks for none
    assert [state_codec.decode(r.key) for r in s.emit()] == [("later", 0, 1000)]


class _NoChangelog:
    def ensure_topic(self, topic: str, partitions: int) -> None:
        return None

    def partitions(self, topic: str) -> int:
        return 2

    def read(self, topic: str, partition: int, start: int) -> tuple[list[Record], int]:
        return [], 0

    def end_offset(self, topic: str, partition: int) -> int:
        return 0


def test_batch_encoders_match_one_by_one() -> None:
    """`encode_keys` / `encode_plain_values` (one scan per batch) give `encode`'s bytes for every element
    of clean batches, of batches with one odd element, and fail alike where `encode` fails."""
    clean_keys = [("card-1", 60000, 120000), ("x", 1, 2), ("", -5, 0)]
    clean_values = [PLAIN_VALUES[0], [[7, [1.25, 3]], 9, True], [[0, [0.0, 0], "abc"], 1, False]]
    for keys in [clean_keys, *([*clean_keys, k] for k in KEYS)]:
        want = [_outcome(state_codec.encode, k) for k in keys]
        if all(isinstance(w, bytes) for w in want):
            assert state_codec.encode_keys(keys) == want
        else:
            assert _outcome(state_codec.encode_keys, keys) in want
    for values in [clean_values, *([*clean_values, v] for v in PLAIN_VALUES)]:
        want = [_outcome(state_codec.encode, v) for v in values]
        if all(isinstance(w, bytes) for w in want):
            assert state_codec.encode_plain_values(values) == want
        else:
            assert _outcome(state_codec.encode_plain_values, values) in want


def _to_json_item_by_item(v: Any) -> Any:
    """`state_codec.to_json` without its whole-list shortcut: every item through `to_json`."""
    if isinstance(v, list):
        return [_to_json_item_by_item(x) for x in v]
    if isinstance(v, tuple):
        return {"#t": [_to_json_item_by_item(x) for x in v]}
    return state_codec.to_json(v)


ROW_VALUES: list[Any] = [
    ("tx-1", ["tx-1", "user-1", 0.0, -1.5, 1e308, 2, 1700000000000, 0, 5], 1700000000000, "user-1"),
    [1e308, 1e308],  # finite items whose sum overflows
    [float("nan"), 1.0],
    [1.0, float("-inf")],
    [None, "null", True, False, -0.0],
    [Decimal("1.5"), 1.0],
    [b"x", 1],
    [[1.0, 2.0], (1, 2), {"A": 1.5}],
    [2**64, 1.0],
    ["\ud800"],
    [],
]


@pytest.mark.parametrize("value", ROW_VALUES)
def test_encode_of_plain_lists_gives_item_by_item_bytes(value: Any) -> None:
    import orjson

    got = _outcome(state_codec.encode, value)
    assert got == _outcome(lambda v: orjson.dumps(_to_json_item_by_item(v)), value)
    if isinstance(got, bytes) and "nan" not in repr(value):
        assert state_codec.decode(got) == value
