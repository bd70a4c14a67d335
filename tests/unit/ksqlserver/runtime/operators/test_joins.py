"""Join operators (runtime/operators/joins.py) and join state in the engine's state stores."""

from __future__ import annotations

import json

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.runtime.operators.joins import ForeignKeyJoin, StreamStreamJoin, TableTableJoin
from ksqlserver.runtime.state.base import InMemoryKeyValueStore


def _open(name: str) -> InMemoryKeyValueStore:
    return InMemoryKeyValueStore("q", name)


def test_left_join_with_grace_holds_unmatched_rows_until_the_window_closes() -> None:
    j = StreamStreamJoin("LEFT", 1000, 1000, 500, (1, 1), _open)
    assert j.process(0, "k", ["a"], 0) == []  # held: a match may still come
    assert j.process(1, "k", ["x"], 800) == [("k", ["a", "x"], 800)]
    assert j.process(0, "j", ["b"], 900) == []
    # stream time 2401 > 900 + 1000 + 500: b's window closed without a match
    assert j.process(1, "z", ["y"], 2401) == [("j", ["b", None], 900)]


def test_left_join_without_grace_emits_unmatched_rows_at_once() -> None:
    j = StreamStreamJoin("LEFT", 1000, 1000, None, (1, 1), _open)
    assert j.process(0, "k", ["a"], 0) == [("k", ["a", None], 0)]
    assert j.process(1, "k", ["x"], 5000) == []  # outside the window, and the right side is not kept alone


def test_table_table_outer_join_tombstones_and_survivors() -> None:
    j = TableTableJoin("FULL", (1, 1), _open)
    assert j.process(0, 1, ["l"], 10) == [(1, ["l", None], 10)]
    assert j.process(1, 1, ["r"], 20) == [(1, ["l", "r"], 20)]
    assert j.process(0, 1, None, 30) == [(1, [None, "r"], 30)]
    inner = TableTableJoin("INNER", (1, 1), _open)
    inner.process(0, 1, ["l"], 10)
    inner.process(1, 1, ["r"], 20)
    assert inner.process(1, 1, None, 30) == [(1, None, 30)]


def test_foreign_key_join_follows_right_updates() -> None:
    j = ForeignKeyJoin("LEFT", 1, lambda row: row[1], _open)
    assert j.process(0, "o1", ["o1", "u1"], 1) == [("o1", ["o1", "u1", None], 1)]
    assert j.process(1, "u1", ["east"], 2) == [("o1", ["o1", "u1", "east"], 2)]
    assert j.process(0, "o1", ["o1", "u2"], 3) == [("o1", ["o1", "u2", None], 3)]
    assert j.process(1, "u1", ["west"], 4) == []  # o1 no longer refers to u1


def test_persistent_join_state_lives_in_the_engine_stores() -> None:
    d = MemoryDriver()
    e = Engine(EngineConfig(synchronous=True), d)
    for t in ("l", "r"):
        d.create_topic(t)
    e.execute("CREATE TABLE L (ID STRING PRIMARY KEY, A STRING) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON');")
    e.execute("CREATE TABLE R (ID STRING PRIMARY KEY, B STRING) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON');")
    e.execute("CREATE TABLE J AS SELECT L.ID, A, B FROM L JOIN R ON L.ID = R.ID;")
    d.produce("l", [Record(b"1", b'{"A":"x"}', 1, 0, 0, (), "l")])
    d.produce("r", [Record(b"1", b'{"B":"y"}', 2, 0, 0, (), "r")])
    d.produce("r", [Record(b"1", None, 3, 0, 0, (), "r")])
    e.drain()
    out = [(r.key, None if r.value is None else json.loads(r.value), r.timestamp) for r in d.records("J")]
    assert out == [(b"1", {"A": "x", "B": "y"}, 2), (b"1", None, 3)]
    (query_id,) = e.state.persistent
    names = {s.name for s in e.state.stores.of_query(query_id)}
    assert names == {"KafkaTopic_Left-Reduce", "KafkaTopic_Right-Reduce"}
    left = e.state.stores.find(query_id, "KafkaTopic_Left-Reduce")
    assert left is not None and len(left) == 1


def test_held_rows_close_by_the_processing_sides_window_as_kafka_streams_3_5() -> None:
    # KStreamKStreamJoin (3.5): a pass over the held rows runs only on an in-order record, and only once
    # the oldest held row may have closed by the processing side's look-back (left: before, right: after)
    # + grace; each held row is then closed by the *processing* side's after-window + grace, whichever
    # side held it. WITHIN (1 s, 3 s) GRACE 2 s, emit interval 0 (what ksqlDB's tests set).
    j = StreamStreamJoin("LEFT", 1000, 3000, 2000, (1, 1), _open, emit_interval_ms=0)
    assert j.process(0, "k", ["a"], 10_000) == []
    assert j.process(1, "k", ["x"], 12_000) == [("k", ["a", "x"], 12_000)]  # right within 3 s after
    assert j.process(0, "j", ["b"], 13_000) == []
    assert j.process(1, "j", ["y"], 11_900) == []  # out of order: before b's window, no pass either
    # a left record: b (13 000 + 3 000 + 2 000 >= 15 000) stays held
    assert j.process(0, "m", ["c"], 15_000) == []
    # a right record looks with its own after-window (1 s): b and c have closed by 20 000
    assert j.process(1, "z", ["z"], 20_000) == [("j", ["b", None], 13_000), ("m", ["c", None], 15_000)]
    # a record whose window already ended before stream time is emitted at once, never held
    assert j.process(0, "q", ["d"], 15_500) == [("q", ["d", None], 15_500)]


def test_full_outer_join_emits_the_held_right_rows_with_the_left_columns_null() -> None:
    j = StreamStreamJoin("FULL", 1000, 1000, 0, (1, 1), _open, emit_interval_ms=0)
    assert j.process(1, "r", ["x"], 1000) == []
    assert j.process(0, "l", ["a"], 1500) == []
    # left look-back 1 000 + grace 0: the right row (1 000 + 1 000 < 2 500) closes first, ordered by time
    assert j.process(0, "n", ["b"], 2500) == [("r", [None, "x"], 1000)]
    assert j.process(1, "s", ["y"], 4000) == [("l", ["a", None], 1500), ("n", ["b", None], 2500)]
