"""A foreign-key join keeps in its left store only the left columns the query reads after the join: the
outputs must be those of the join keeping whole rows, through inserts, right updates and deletions,
foreign-key changes and left deletions, with WHERE and PARTITION BY reading other columns."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.plan import joins as plan_joins

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
SOURCES = [
    "CREATE TABLE L (ID STRING PRIMARY KEY, FK STRING, A INT, B DOUBLE, C STRING) "
    "WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON');",
    "CREATE TABLE R (RID STRING PRIMARY KEY, NAME STRING, W INT) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON');",
]
QUERIES = [
    "CREATE TABLE J1 AS SELECT L.ID, L.A, R.NAME FROM L JOIN R ON L.FK = R.RID;",
    "CREATE TABLE J2 AS SELECT L.ID, R.NAME, R.W FROM L LEFT JOIN R ON L.FK = R.RID WHERE L.B > 0;",
    "CREATE TABLE J3 AS SELECT L.ID, L.C, L.ROWTIME AS LT, R.W FROM L LEFT JOIN R ON L.FK = R.RID "
    "WHERE R.W IS NULL OR R.W < 5;",
    "CREATE TABLE J4 AS SELECT * FROM L JOIN R ON L.FK = R.RID;",
]


def _records(seed: int) -> list[tuple[str, Record]]:
    rnd = random.Random(seed)
    out = []
    ts = 1000
    for i in range(600):
        ts += rnd.randint(0, 50)
        if rnd.random() < 0.3:
            key = f"r{rnd.randrange(6)}"
            doc = None if rnd.random() < 0.15 else {"NAME": f"n{i}", "W": rnd.randrange(10)}
            out.append(("r", Record(key.encode(), None if doc is None else json.dumps(doc).encode(), ts, 0, i)))
        else:
            key = f"l{rnd.randrange(25)}"
            doc = None if rnd.random() < 0.1 else {
                "FK": rnd.choice([None, "r0", "r1", "r2", "r3", "r4", "r5", "zz"]),
                "A": rnd.randrange(100),
                "B": rnd.uniform(-5, 5),
                "C": rnd.choice(["x", "y", None]),
            }
            out.append(("l", Record(key.encode(), None if doc is None else json.dumps(doc).encode(), ts, 0, i)))
    return out


def run(monkeypatch: pytest.MonkeyPatch, prune: bool) -> dict[str, Any]:
    if not prune:
        monkeypatch.setattr(plan_joins, "_pruner", lambda width, used: None)
    d = MemoryDriver()
    d.create_topic("l")
    d.create_topic("r")
    e = Engine(EngineConfig(service_id="fk_", synchronous=True, properties=EARLIEST), d)
    try:
        for s in SOURCES:
            e.execute(s)
        for q in QUERIES:
            e.execute(q)
        for topic, rec in _records(5):
            d.produce(topic, [rec])
            e.drain()
        got: dict[str, Any] = {}
        for q in e.state.persistent.values():
            got[q.sink.name] = [(r.key, r.value, r.timestamp) for r in d.records(q.sink.topic)]
        return got
    finally:
        e.close()
        monkeypatch.undo()


def test_pruned_left_store_gives_the_outputs_of_whole_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    pruned = run(monkeypatch, True)
    whole = run(monkeypatch, False)
    for name in ("J1", "J2", "J3", "J4"):
        assert pruned[name] == whole[name], name
        assert len(pruned[name]) > 50, name
        assert any(v is None for _, v, _ in pruned[name]), name  # tombstones were exercised


def test_left_store_keeps_only_read_columns() -> None:
    d = MemoryDriver()
    d.create_topic("l")
    d.create_topic("r")
    e = Engine(EngineConfig(service_id="fk_", synchronous=True, properties=EARLIEST), d)
    try:
        for s in SOURCES:
            e.execute(s)
        e.execute(QUERIES[0])
        d.produce("l", [Record(b"l1", b'{"FK": "r1", "A": 3, "B": 1.5, "C": "x"}', 1, 0, 0)])
        e.drain()
        (qid,) = e.state.persistent
        (store,) = [s for s in e.state.stores.of_query(qid) if s.name.endswith("Left-Reduce")]
        ((_, (_, row, _, fk)),) = list(store.items())
        assert fk == "r1"
        assert "x" not in row and 1.5 not in row and "l1" in row and 3 in row
    finally:
        e.close()
