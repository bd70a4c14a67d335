"""The generated stream-table join loop (plan/fast/join.py) against the generic join plan on adversarial
input.

Every query runs twice over the same records, with the fast loop and with it disabled; outputs (key,
value, timestamp, partition) and processing-log messages must be identical, and the loop must be in use
exactly for the shapes it claims.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
SOURCES = [
    "CREATE STREAM TX (USERID STRING KEY, S STRING, X INT, B BIGINT, D DOUBLE) "
    "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='DELIMITED');",
    "CREATE STREAM TJ (USERID STRING KEY, S STRING, X INT, D DOUBLE) WITH (KAFKA_TOPIC='tj', VALUE_FORMAT='JSON');",
    "CREATE TABLE USERS (USERID STRING PRIMARY KEY, REGION STRING, LIM DOUBLE) "
    "WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON');",
    "CREATE TABLE BY_X (ID INT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='byx', VALUE_FORMAT='JSON');",
    # event time from a STRING column, as the pipeline's source stream (ksql/01_source_streams.sql)
    "CREATE STREAM TT (USERID STRING KEY, S STRING, X INT, TS STRING) WITH (KAFKA_TOPIC='tt', "
    "VALUE_FORMAT='DELIMITED', TIMESTAMP='TS', TIMESTAMP_FORMAT='yyyy-MM-dd''T''HH:mm:ssX');",
]
# (sink, statement, covered by the fast loop)
QUERIES: list[tuple[str, str, bool]] = [
    (
        "J_LEFT",
        "CREATE STREAM J_LEFT WITH (VALUE_FORMAT='JSON') AS SELECT t.USERID, t.D, t.X, u.REGION, u.LIM "
        "FROM TX t LEFT JOIN USERS u ON t.USERID = u.USERID;",
        True,
    ),
    (
        "J_INNER_WHERE",
        "CREATE STREAM J_INNER_WHERE WITH (VALUE_FORMAT='JSON') AS SELECT t.USERID, t.S, u.REGION, "
        "t.D * u.LIM AS SCALED, 100 / t.X AS R FROM TX t JOIN USERS u ON t.USERID = u.USERID "
        "WHERE u.LIM > 1 OR t.S = 'a';",
        True,
    ),
    (
        "J_DELIMITED",
        "CREATE STREAM J_DELIMITED WITH (VALUE_FORMAT='DELIMITED') AS SELECT t.USERID, t.B, u.REGION "
        "FROM TX t LEFT JOIN USERS u ON t.USERID = u.USERID;",
        True,
    ),
    (
        "J_JSON_SOURCE",
        "CREATE STREAM J_JSON_SOURCE WITH (VALUE_FORMAT='JSON') AS SELECT t.USERID, t.X, t.D, u.REGION "
        "FROM TJ t LEFT JOIN USERS u ON t.USERID = u.USERID;",
        True,
    ),
    (
        "J_ALIASED_KEY",  # the key column renamed, after value columns
        "CREATE STREAM J_ALIASED_KEY WITH (VALUE_FORMAT='JSON') AS SELECT t.D, u.REGION, u.USERID AS UID "
        "FROM TX t LEFT JOIN USERS u ON t.USERID = u.USERID;",
        True,
    ),
    (
        "J_STAR",
        "CREATE STREAM J_STAR WITH (VALUE_FORMAT='JSON') AS SELECT * FROM TX t LEFT JOIN USERS u "
        "ON t.USERID = u.USERID;",
        True,
    ),
    (
        # on a value column: in memory no repartition topic, the key is computed per record
        "J_VALUE_COLUMN",
        "CREATE STREAM J_VALUE_COLUMN WITH (VALUE_FORMAT='JSON') AS SELECT t.X, t.S, b.NAME "
        "FROM TX t LEFT JOIN BY_X b ON t.X = b.ID;",
        True,
    ),
    (
        # the pipeline's users join (ksql/03_users.sql): its records' time is the stream's TS, and a record
        # whose TS is missing, unparseable or before 1970 is the generic path's to log or drop
        "J_EVENT_TIME",
        "CREATE STREAM J_EVENT_TIME WITH (VALUE_FORMAT='JSON') AS SELECT t.USERID AS UID, t.X, "
        "MASK(u.REGION) AS R, t.ROWTIME AS RT FROM TT t LEFT JOIN USERS u ON t.USERID = u.USERID;",
        True,
    ),
    (
        "J_STREAM_STREAM",  # not a stream-table join: generic
        "CREATE STREAM J_STREAM_STREAM WITH (VALUE_FORMAT='JSON') AS SELECT t.USERID, t.D, j.X "
        "FROM TX t JOIN TJ j WITHIN 1 SECOND ON t.USERID = j.USERID;",
        False,
    ),
]


def tx_records(n: int, seed: int) -> list[Record]:
    rnd = random.Random(seed)
    strings = ["", "a", "b", '"q,uoted"', "é", "x"]
    ints = ["", "0", "1", "-5", "7", "2147483647", "2", "3"]
    bigs = ["", "3", "-1", "9223372036854775807", "12"]
    doubles = ["", "1.5", "-0.0", "0", "1e300", "NaN", "x", "100", "2.5e-5"]
    out = []
    for i in range(n):
        # (b"u\xff": not UTF-8, read as "u\ufffd" by Kafka's string deserializer)
        key = rnd.choice([b"u1", b"u2", b"u3", b"u4", b"", None, b"\xc3\xa9", b"u\xff"])
        if rnd.random() < 0.04:
            value: bytes | None = None
        elif rnd.random() < 0.03:
            value = rnd.choice([b"a,b", b"a,1,2,3,4", b"", b"a,x,1,1"])
        else:
            value = ",".join(rnd.choice(c) for c in (strings, ints, bigs, doubles)).encode()
        out.append(Record(key, value, 1000 + i * 10, 0, i, (), "tx"))
    return out


def tj_records(n: int, seed: int) -> list[Record]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        doc: Any = {
            "S": rnd.choice([None, "a", "b"]),
            "X": rnd.choice([None, 1, 2, -3, "4", 2**40]),
            "D": rnd.choice([None, 1.5, -0.0, 3, "x"]),
        }
        value = rnd.choice([json.dumps(doc).encode()] * 8 + [b"{bad", b"null", b"[1,2]"])
        out.append(Record(rnd.choice([b"u1", b"u2", b"u9", None]), value, 1000 + i * 10, 0, i, (), "tj"))
    return out


def tt_records(n: int, seed: int) -> list[Record]:
    rnd = random.Random(seed)
    times = ["1970-01-01T00:00:01Z", "1970-01-01T00:00:02+01:00", "", "bad", "1969-12-31T23:59:59Z",
             "1970-01-01T00:00:05Z"]  # fmt: skip
    out = []
    for i in range(n):
        ts = rnd.choice(times) if rnd.random() < 0.5 else "1970-01-01T00:00:01Z"
        value = f"{rnd.choice(['', 'a', 'b'])},{rnd.choice(['', '1', 'x', '7'])},{ts}".encode()
        key = rnd.choice([b"u1", b"u2", b"u3", b"u9", None])
        out.append(Record(key, value if rnd.random() > 0.03 else None, 1000 + i * 10, 0, i, (), "tt"))
    return out


def user_records(seed: int) -> list[Record]:
    """Users arriving, changing and deleted between the stream's records (tombstones, bad JSON)."""
    rnd = random.Random(seed)
    out = []
    for i in range(60):
        key = rnd.choice([b"u1", b"u2", b"u3", b"u4", b""])
        value = rnd.choice([
            json.dumps({"REGION": rnd.choice(["north", "south", None]), "LIM": rnd.choice([0.5, 2, None])}).encode(),
            None,
            b"{bad",
        ])  # fmt: skip
        out.append(Record(key, value, 1000 + i * 100, 0, i, (), "users"))
    return out


def run(fast: bool, repartition: bool | None = None) -> dict[str, Any]:
    d = MemoryDriver()
    for t in ("tx", "tj", "users", "byx", "tt"):
        d.create_topic(t, partitions=2 if repartition else 1)  # one partition: nothing to re-key
    e = Engine(
        EngineConfig(
            service_id="fj_",
            synchronous=True,
            properties=EARLIEST,
            fast_paths=fast,
            join_repartition=repartition,
        ),
        d,
    )
    try:
        for s in SOURCES:
            e.execute(s)
        for _, statement, _ in QUERIES:
            e.execute(statement)
        users, txs, tjs, tts = user_records(5), tx_records(1500, 6), tj_records(400, 7), tt_records(600, 8)
        d.produce(
            "byx", [Record(str(i).encode(), json.dumps({"NAME": f"n{i}"}).encode(), 500) for i in (0, 1, 7)]
        )
        # table updates interleaved with the stream, in several batches
        for k in range(6):
            d.produce("users", users[k * 10 : (k + 1) * 10])
            d.produce("tx", txs[k * 250 : (k + 1) * 250])
            d.produce("tj", tjs[k * 67 : (k + 1) * 67])
            d.produce("tt", tts[k * 100 : (k + 1) * 100])
            e.drain()
        got: dict[str, Any] = {}
        flags = {}
        for q in e.state.persistent.values():
            sink = q.sink.name
            flags[sink] = q.pipeline.fast_path
            got[sink] = [(r.key, r.value, r.timestamp, r.partition) for r in d.records(q.sink.topic)]
        log = []
        for r in d.records("fj_ksql_processing_log"):
            msg = json.loads(r.value)
            msg.pop("time")
            log.append(msg)
        got["processing_log"] = log
        got["flags"] = flags
        return got
    finally:
        e.close()


@pytest.mark.parametrize("repartition", [None, True], ids=["in-process", "repartition-topic"])
def test_fast_join_matches_generic(repartition: bool | None) -> None:
    """With `repartition`, the join on a value column reads the stream re-keyed from its repartition topic
    (as on Kafka): the loop restores each record's own key first."""
    fast = run(True, repartition)
    generic = run(False, repartition)
    assert fast["flags"] == {name: covered for name, _, covered in QUERIES}
    assert not any(generic["flags"].values())
    for name, _, _ in QUERIES:
        assert fast[name] == generic[name], name
        assert len(fast[name]) > 20, name  # the input exercised the query
    assert fast["processing_log"] == generic["processing_log"]
    assert len(fast["processing_log"]) > 10
    # LEFT JOIN rows without a user, and rows with one
    regions = [json.loads(v)["REGION"] for _, v, _, _ in fast["J_LEFT"] if v]
    assert None in regions and "north" in regions


def _run_durable(fast: bool) -> list[Any]:
    """J_LEFT over changelog-backed stores, the table's store restored (cleared and refilled in place, as
    `DurableKeyValueStore.restore` does) between batches."""
    from ksqlserver.runtime.state.base import StateStores
    from ksqlserver.runtime.state.changelog import DurableKeyValueStore, SeqClock, SnapshotConfig

    class _NoIO:
        def partitions(self, topic: str) -> int:
            return 1

    def durable(query_id: str, name: str) -> DurableKeyValueStore:
        store = DurableKeyValueStore(query_id, name)
        store.attach(_NoIO(), f"{query_id}-{name}-changelog", SnapshotConfig(None), SeqClock())  # type: ignore[arg-type]
        return store

    d = MemoryDriver()
    for t in ("tx", "tj", "users", "byx", "tt"):
        d.create_topic(t)
    e = Engine(EngineConfig(service_id="fjd_", synchronous=True, properties=EARLIEST, fast_paths=fast), d)
    e.state.stores = StateStores(durable)
    try:
        for s in SOURCES:
            e.execute(s)
        e.execute(QUERIES[0][1])
        (q,) = e.state.persistent.values()
        assert q.pipeline.fast_path is fast
        users, txs = user_records(5), tx_records(600, 6)
        for k in range(3):
            d.produce("users", users[k * 20 : (k + 1) * 20])
            d.produce("tx", txs[k * 200 : (k + 1) * 200])
            e.drain()
            for st in e.state.stores.of_query(q.query_id):
                kept = list(st.items())
                st._data.clear()  # type: ignore[attr-defined]
                st._data.update(kept)  # type: ignore[attr-defined]
        return [(r.key, r.value, r.timestamp) for r in d.records(q.sink.topic)]
    finally:
        e.close()


def test_fast_join_reads_the_table_store_through_its_getter_across_restores() -> None:
    """The loop looks rows up with the store's `getter()` (its dict's `get`), bound once: a restore clears
    and refills that dict in place, so the loop sees what the generic KStreamKTableJoin lookup sees."""
    fast, generic = _run_durable(True), _run_durable(False)
    assert fast == generic and len(fast) > 100
    assert any(b"north" in (v or b"") for _, v, _ in fast)
