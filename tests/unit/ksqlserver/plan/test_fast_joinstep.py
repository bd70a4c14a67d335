"""The stream-table join C step (plan/fast/_joinstep.c) against the generated Python lines it replaces and the
generic join plan (the oracle): Kafka Streams 3.5 KStreamKTableJoinProcessor as ksqlDB 0.29 builds it
(StreamTableJoinBuilder): each stream record looks the table up by its key when it arrives; a null key
never joins (the generic path reports it); LEFT JOIN joins a miss with the table's nulls, INNER JOIN drops
it; the output carries the stream record's timestamp, partition and headers, keyed by the join key.

Each query runs three times over the same records (table rows arriving, changing and deleted between and
inside the stream's batches; null, empty and non-UTF-8 keys; null, malformed and wrong-typed values; headers;
two partitions): generic plan, fast loop with the C step, fast loop without it. Outputs (key, value,
timestamp, partition, headers) and processing-log messages must be identical, and the C step must have
finished most stream records itself.
"""

from __future__ import annotations

import json
import random
import struct
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.plan.fast import join as fastjoin

pytestmark = pytest.mark.skipif(fastjoin.joinstep is None, reason="the C step did not build")
_REAL = fastjoin.joinstep

PROPS = {"ksql.streams.auto.offset.reset": "earliest"}
SOURCES = [
    "CREATE STREAM TX (USERID STRING KEY, S STRING, X INT, B BIGINT, D DOUBLE) "
    "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='DELIMITED');",
    "CREATE STREAM TJ (USERID STRING KEY, S STRING, X INT, D DOUBLE, F BOOLEAN) "
    "WITH (KAFKA_TOPIC='tj', VALUE_FORMAT='JSON');",
    "CREATE TABLE USERS (USERID STRING PRIMARY KEY, REGION STRING, LIM DOUBLE) "
    "WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON');",
    "CREATE TABLE BY_X (ID INT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='byx', VALUE_FORMAT='JSON');",
    "CREATE TABLE BY_D (ID DOUBLE PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='byd', VALUE_FORMAT='JSON');",
]
# (sink, statement): every one qualifies for the C step
QUERIES = [
    (  # the benchmark's shape (benchmarks/ksql_join.py)
        "J_LEFT",
        "CREATE STREAM J_LEFT WITH (VALUE_FORMAT='JSON') AS SELECT t.USERID, t.D, t.X, u.REGION, u.LIM "
        "FROM TX t LEFT JOIN USERS u ON t.USERID = u.USERID;",
    ),
    (
        "J_INNER",
        "CREATE STREAM J_INNER WITH (VALUE_FORMAT='JSON') AS SELECT t.USERID, u.REGION, t.S, t.B, t.ROWTIME AS RT "
        "FROM TX t JOIN USERS u ON t.USERID = u.USERID;",
    ),
    (
        "J_JSON_SOURCE",
        "CREATE STREAM J_JSON_SOURCE WITH (VALUE_FORMAT='JSON') AS SELECT t.USERID, t.X, t.F, u.REGION "
        "FROM TJ t LEFT JOIN USERS u ON t.USERID = u.USERID;",
    ),
    (  # an INT join key from a value column (in memory: no repartition topic)
        "J_INT_KEY",
        "CREATE STREAM J_INT_KEY WITH (VALUE_FORMAT='JSON') AS SELECT t.X, t.S, b.NAME "
        "FROM TX t LEFT JOIN BY_X b ON t.X = b.ID;",
    ),
    (  # a DOUBLE join key: its key bytes are never memoised (-0.0 == 0.0)
        "J_DOUBLE_KEY",
        "CREATE STREAM J_DOUBLE_KEY WITH (VALUE_FORMAT='JSON') AS SELECT t.D, b.NAME, t.USERID "
        "FROM TX t JOIN BY_D b ON t.D = b.ID;",
    ),
    (  # one value column
        "J_ONE",
        "CREATE STREAM J_ONE WITH (VALUE_FORMAT='JSON') AS SELECT t.USERID, u.REGION "
        "FROM TX t LEFT JOIN USERS u ON t.USERID = u.USERID;",
    ),
]


def tx_records(n: int, seed: int) -> list[Record]:
    rnd = random.Random(seed)
    # (clean, adversarial) field texts: the compiled decoder takes the first kind, the generic one the rest
    strings = (["a", "b", '"q,uoted"', "é", "x"], [""])
    ints = (["0", "1", "7", "2147483647", "2", "3"], ["-5", ""])
    bigs = (["3", "12", "4000000000"], ["-1", "", "9223372036854775807"])
    doubles = (["1.5", "0.0", "1e300", "100.0", "2.5e-5", "0"], ["-0.0", ""])
    bad = [b"a,b", b"a,1,2,3,4", b"", b"a,x,1,1", b"a,1,1,NaN", b"a,1,1,x"]
    out = []
    for i in range(n):
        key = rnd.choice([b"u1", b"u2", b"u3", b"u4", b"u5"] * 4 + [b"", None, b"\xc3\xa9", b"u\xff"])
        if rnd.random() < 0.04:
            value: bytes | None = None
        elif rnd.random() < 0.05:
            value = rnd.choice(bad)
        else:
            fields = (strings, ints, bigs, doubles)
            value = ",".join(rnd.choice(c[rnd.random() < 0.03]) for c in fields).encode()
        headers = rnd.choice([(), (), (("h", b"1"),)])
        out.append(Record(key, value, 1000 + i * 10, rnd.randint(0, 1), i, headers, "tx"))
    return out


def tj_records(n: int, seed: int) -> list[Record]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        odd = rnd.random() < 0.1  # a value of another class, out of range or -0.0: the generic reader decides
        doc: Any = {
            "S": rnd.choice([None, "a", "b"]),
            "X": rnd.choice([2**40, "4"] if odd else [None, 1, 2, -3, 7]),
            "D": rnd.choice([-0.0, "x"] if odd else [None, 1.5, 3, 0.5]),
            "F": rnd.choice([1, "true"] if odd else [None, True, False]),
        }
        value = rnd.choice([json.dumps(doc).encode()] * 12 + [b"{bad", b"null", b"[1,2]"])
        out.append(Record(rnd.choice([b"u1", b"u2", b"u3", b"u9", None]), value, 1000 + i * 10, 0, i, (), "tj"))
    return out


def table_records(seed: int) -> dict[str, list[Record]]:
    """Rows arriving, changing and deleted (tombstones, bad JSON) for each table."""
    rnd = random.Random(seed)
    users, byx, byd = [], [], []
    for i in range(45):
        value = rnd.choice([
            json.dumps({"REGION": rnd.choice(["north", "south", None]), "LIM": rnd.choice([0.5, 2, None])}).encode(),
            None,
            b"{bad",
        ])  # fmt: skip
        users.append(Record(rnd.choice([b"u1", b"u2", b"u3", b"u4", b""]), value, 1000 + i * 100, 0, i, (), "users"))
        name = rnd.choice([json.dumps({"NAME": f"n{i}"}).encode(), None])
        x = struct.pack(">i", rnd.choice([0, 1, 7, -5]))  # KAFKA INT / DOUBLE keys: big-endian bytes
        byx.append(Record(x, name, 1000 + i * 100, 0, i, (), "byx"))
        dk = struct.pack(">d", rnd.choice([0.0, -0.0, 1.5, 100.0]))
        byd.append(Record(dk, name, 1000 + i * 100, 0, i, (), "byd"))
    return {"users": users, "byx": byx, "byd": byd}


class _CountingStep:
    """The C step, counting the stream records it handed back to the Python lines."""

    made: list[_CountingStep] = []

    def __init__(self, *args: Any) -> None:
        self.step = _REAL.Step(*args)  # type: ignore[union-attr]
        self.seen = self.declined = 0
        _CountingStep.made.append(self)

    def run(self, records: Any, out: Any, slow: Any, pyloop: Any) -> None:
        def counted(one: Any, out: Any, slow: Any) -> None:
            self.declined += sum(1 for r in one if r[6] in ("tx", "tj"))
            pyloop(one, out, slow)

        self.seen += sum(1 for r in records if r[6] in ("tx", "tj"))
        self.step.run(records, out, slow, counted)


def run(mode: str, monkeypatch: pytest.MonkeyPatch, step: type = _CountingStep) -> dict[str, Any]:
    """mode: generic, python (the fast loop without the C step) or c (the C step as `step` makes it)"""
    with monkeypatch.context() as m:
        if mode == "python":
            m.setattr(fastjoin, "joinstep", None)
        elif mode == "c":
            m.setattr(fastjoin, "joinstep", type("J", (), {"Step": step}))
        d = MemoryDriver()
        for t in ("tx", "tj", "users", "byx", "byd"):
            d.create_topic(t)
        e = Engine(EngineConfig(service_id="js_", synchronous=True, properties=PROPS, fast_paths=mode != "generic"), d)
        try:
            for s in SOURCES:
                e.execute(s)
            for _, statement in QUERIES:
                e.execute(statement)
            tables, txs, tjs = table_records(5), tx_records(600, 6), tj_records(150, 7)
            for k in range(3):  # table updates between the stream's batches and inside them
                for t, rows in tables.items():
                    d.produce(t, rows[k * 15 : k * 15 + 8])
                d.produce("tx", txs[k * 200 : (k + 1) * 200])
                for t, rows in tables.items():
                    d.produce(t, rows[k * 15 + 8 : (k + 1) * 15])
                d.produce("tj", tjs[k * 50 : (k + 1) * 50])
                e.drain()
            got: dict[str, Any] = {}
            for q in e.state.persistent.values():
                assert q.pipeline.fast_path == (mode != "generic")
                got[q.sink.name] = [(r.key, r.value, r.timestamp, r.partition, r.headers) for r in d.records(q.sink.topic)]
            got["log"] = [json.loads(r.value)["message"] for r in d.records("js_ksql_processing_log")]
            return got
        finally:
            e.close()


@pytest.fixture(scope="module")
def oracles() -> dict[str, dict[str, Any]]:
    """The fast loop without the C step, and the generic plan (run once for the module)."""
    with pytest.MonkeyPatch.context() as mp:
        return {mode: run(mode, mp) for mode in ("python", "generic")}


def test_c_step_matches_python_lines_and_generic_join(
    monkeypatch: pytest.MonkeyPatch, oracles: dict[str, dict[str, Any]]
) -> None:
    _CountingStep.made.clear()
    c = run("c", monkeypatch)
    assert len(_CountingStep.made) == len(QUERIES)  # every query got the step
    for s in _CountingStep.made:  # and it finished most stream records itself
        assert s.seen >= 150 and s.declined < s.seen / 2, (s.seen, s.declined)
        assert s.declined > 0  # null keys, bad values: handed back
    python, generic = oracles["python"], oracles["generic"]
    for name, _ in QUERIES:
        assert c[name] == python[name] == generic[name], name
        assert len(c[name]) > 40, name
    assert c["log"] == python["log"] == generic["log"]
    assert len(c["log"]) > 10
    regions = {json.loads(v)["REGION"] for _, v, _, _, _ in c["J_LEFT"] if v}
    assert {None, "north", "south"} <= regions  # misses and hits
    assert any(h for *_, h in c["J_LEFT"])  # headers carried over


def test_a_row_the_writer_declines_goes_through_the_python_lines(
    monkeypatch: pytest.MonkeyPatch, oracles: dict[str, dict[str, Any]]
) -> None:
    """A record the C step does not finish (here: every one, its writer declining) is handed to the Python
    lines before anything of it is output: the same outputs, in input order."""

    class _Declining:
        def __init__(self, *args: Any) -> None:
            args = list(args)
            args[7] = lambda row: None  # the sink's row writer declines every row
            self.step = _REAL.Step(*args)  # type: ignore[union-attr]

        def run(self, records: Any, out: Any, slow: Any, pyloop: Any) -> None:
            self.step.run(records, out, slow, pyloop)

    declined = run("c", monkeypatch, _Declining)
    for name, _ in QUERIES:
        assert declined[name] == oracles["python"][name], name
    assert declined["log"] == oracles["python"]["log"]
