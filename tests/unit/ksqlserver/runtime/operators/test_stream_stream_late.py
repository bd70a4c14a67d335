"""Stream-stream joins and records later than the grace period, as Kafka Streams 3.5 treats them.

Kafka Streams 3.5's KStreamKStreamJoin.process drops nothing for lateness (StreamStreamJoinUtil.skipRecord
only skips a null key or value; the "expired window" skip came in later versions). A late record:
- joins whatever the other side's window store still returns: RocksDBWindowStore over
  AbstractRocksDBSegmentedBytesStore.fetch, whose lower bound is max(timeFrom, that store's own
  observedStreamTime - retention + 1), retention = JoinWindows.size() + gracePeriodMs
  (KStreamImplJoin.joinWindowStoreBuilder);
- is put in its own side's store by KStreamJoinWindow after being forwarded, unless its segment is no longer
  live there (AbstractRocksDBSegmentedBytesStore.put: "Skipping record for expired segment.");
- on an outer side without a match: emitted at once with nulls, with or without GRACE PERIOD (the outer
  store only holds a record while timeTo >= sharedTimeTracker.streamTime).
ksqlDB 0.29's StreamStreamJoinBuilder uses JoinWindows.of(before).after(after) without GRACE PERIOD, whose
grace is max(24 h - 2 x before, 0) (JoinWindows.of, DEPRECATED_DEFAULT_24_HR_GRACE_PERIOD), and
ofTimeDifferenceAndGrace(before, grace).after(after) with it."""

from __future__ import annotations

import json

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.runtime.operators.joins import StreamStreamJoin, join_grace
from ksqlserver.runtime.state.base import InMemoryKeyValueStore


def join(kind: str, grace: int | None) -> StreamStreamJoin:
    """WITHIN 1 SECOND (before = after = 1000 ms)."""
    return StreamStreamJoin(kind, 1000, 1000, grace, (1, 1), lambda n: InMemoryKeyValueStore("q", n), emit_interval_ms=0)


def test_default_grace_is_the_deprecated_24_hours() -> None:
    """JoinWindows.of(before): grace max(24 h - 2 x before, 0)."""
    assert join_grace(1000, None) == 86_400_000 - 2000
    assert join_grace(50_000_000, None) == 0
    assert join_grace(1000, 0) == 0


def test_a_late_record_joins_what_the_other_store_still_holds() -> None:
    """INNER, GRACE 2 s (retention 4 s, segments of 60 s). Stream time 200 000 from z; r@500 is late by far
    but the left store's own observed time is 0, so l0 is still fetched: a join stamped 500. r@500 itself is
    not stored (its segment expired in the right store, whose observed time is 200 000), and l@800 finds
    nothing: the right store's fetch starts at 196 001. l@800 is stored (the left store is at 800)."""
    j = join("INNER", 2000)
    assert j.process(0, "a", ["l0"], 0) == []
    assert j.process(1, "z", ["rz"], 200_000) == []
    assert j.process(1, "a", ["rl"], 500) == [("a", ["l0", "rl"], 500)]
    assert j.process(0, "a", ["ll"], 800) == []
    assert j.process(1, "a", ["r9"], 900) == [("a", ["l0", "r9"], 900), ("a", ["ll", "r9"], 900)]
    assert [k for k, _ in j.stores[1].store.items()] == [("z",)]  # rl and r9: expired segment, skipped


def test_a_late_unmatched_left_record_is_emitted_at_once_with_grace() -> None:
    """LEFT, GRACE 0: l@100 comes after stream time 5000; timeTo 1100 < 5000, so it is not held in the
    outer store but emitted at once. l@4500 (timeTo 5500) is held until stream time passes 4500 + 1000."""
    j = join("LEFT", 0)
    assert j.process(1, "z", ["rz"], 5000) == []
    assert j.process(0, "a", ["la"], 100) == [("a", ["la", None], 100)]
    assert j.process(0, "b", ["lb"], 4500) == []
    assert j.process(0, "c", ["lc"], 7000) == [("b", ["lb", None], 4500)]


def test_late_records_without_grace() -> None:
    """LEFT without GRACE PERIOD (24 h - 2 s): every unmatched left record at once, late or not; a late right
    record (a day and more behind) joins the left records the left store still returns, in time order."""
    j = join("LEFT", None)
    assert j.process(0, "a", ["l0"], 0) == [("a", ["l0", None], 0)]
    assert j.process(0, "a", ["l50"], 50) == [("a", ["l50", None], 50)]
    assert j.process(1, "z", ["rz"], 100_000_000) == []
    assert j.process(0, "a", ["ll"], 70) == [("a", ["ll", None], 70)]
    assert j.process(1, "a", ["rl"], 60) == [
        ("a", ["l0", "rl"], 60),
        ("a", ["l50", "rl"], 60),
        ("a", ["ll", "rl"], 70),
    ]


def test_outer_and_right_joins_emit_late_unmatched_records_of_their_outer_sides() -> None:
    """FULL: a late record of either side, unmatched, at once; RIGHT (right.leftJoin(left)): only the right
    side's."""
    j = join("FULL", 1000)
    assert j.process(0, "z", ["lz"], 10_000) == []
    assert j.process(1, "a", ["ra"], 100) == [("a", [None, "ra"], 100)]
    assert j.process(0, "b", ["lb"], 200) == [("b", ["lb", None], 200)]
    j = join("RIGHT", 1000)
    assert j.process(1, "z", ["rz"], 10_000) == []
    assert j.process(0, "a", ["la"], 100) == []
    assert j.process(1, "b", ["rb"], 200) == [("b", [None, "rb"], 200)]


def test_late_records_through_the_engine() -> None:
    """The same through CSAS (StreamStreamJoinBuilder's windows from WITHIN ... GRACE PERIOD)."""
    d = MemoryDriver()
    e = Engine(EngineConfig(synchronous=True), d)
    for t in ("l", "r"):
        d.create_topic(t)
    e.execute("CREATE STREAM L (K STRING KEY, A STRING) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON');")
    e.execute("CREATE STREAM R (K STRING KEY, B STRING) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON');")
    e.execute(
        "CREATE STREAM J AS SELECT L.K, A, B FROM L LEFT JOIN R WITHIN 1 SECOND GRACE PERIOD 0 SECONDS "
        "ON L.K = R.K;"
    )
    for topic, key, value, ts in [
        ("r", b"z", {"B": "rz"}, 5000),
        ("l", b"a", {"A": "la"}, 100),
        ("l", b"b", {"A": "lb"}, 4500),
        ("r", b"b", {"B": "rb"}, 4000),
        ("l", b"c", {"A": "lc"}, 7000),
    ]:
        d.produce(topic, [Record(key, json.dumps(value).encode(), ts, 0, 0, (), topic)])
        e.drain()
    out = [(r.key, json.loads(r.value), r.timestamp) for r in d.records("J")]
    assert out == [(b"a", {"A": "la", "B": None}, 100), (b"b", {"A": "lb", "B": "rb"}, 4500)]
