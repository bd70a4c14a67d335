"""Windowed aggregation over a 2-partition input: stream time per input partition (Kafka Streams keeps it
per task), and EMIT FINAL's emission progress kept in the store, so a restored store emits nothing twice."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

PROPS = {
    "ksql.streams.auto.offset.reset": "earliest",
    "ksql.streams.__emit.interval.ms.kstreams.windowed.aggregation__": "0",  # look at every record
}
MINUTE = 60_000
SOURCE = "CREATE STREAM TX (K STRING KEY, X INT) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');"


def _query(emit: str, retention: str = "") -> str:
    return (f"CREATE TABLE AGG AS SELECT K, COUNT(*) AS N FROM TX "
            f"WINDOW TUMBLING (SIZE 1 MINUTE, {retention}GRACE PERIOD 0 SECONDS) GROUP BY K EMIT {emit};")  # fmt: skip


def _rec(key: str, ts: int, partition: int, offset: int) -> Record:
    return Record(key.encode(), json.dumps({"X": 1}).encode(), ts, partition, offset)


def _engine(d: MemoryDriver, fast: bool, emit: str, retention: str = "") -> Engine:
    e = Engine(EngineConfig(service_id="wp_", synchronous=True, properties=PROPS, fast_paths=fast), d)
    e.execute(SOURCE)
    e.execute(_query(emit, retention))
    return e


def _windows(d: MemoryDriver) -> list[tuple[bytes | None, int]]:
    """(windowed key bytes, count) of every output record, in order."""
    return [(r.key, json.loads(r.value)["N"]) for r in d.records("AGG") if r.value is not None]


def _latest(d: MemoryDriver) -> dict[bytes | None, int]:
    return dict(_windows(d))


# partition 0 (key "a") is read far ahead: 10 windows of 3 records; then partition 1 (key "b") brings 3
# windows of 2 records, all long before partition 0's stream time, then one record that closes them
AHEAD = [_rec("a", m * MINUTE + s * 1000, 0, m * 3 + s) for m in range(10) for s in range(3)]
BEHIND = [_rec("b", m * MINUTE + s * 1000, 1, m * 2 + s) for m in range(3) for s in range(2)]
BEHIND.append(_rec("b", 20 * MINUTE, 1, 6))


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("emit", ["CHANGES", "FINAL"])
def test_a_partition_read_ahead_does_not_make_the_others_records_late(fast: bool, emit: str) -> None:
    d = MemoryDriver()
    d.create_topic("tx", partitions=2)
    # a retention long enough for EMIT FINAL to still read the windows the jump to 20 min closes together (the
    # time-ordered store's fetchAll reads no window starting before stream time - retention)
    e = _engine(d, fast, emit, "RETENTION 1 HOUR, ")
    try:
        d.produce("tx", AHEAD)
        e.drain()
        d.produce("tx", BEHIND)
        e.drain()
        got = _latest(d)
        b_counts = sorted(n for k, n in got.items() if k is not None and k.startswith(b"b"))
        # every window of partition 1 counted in full (the one at 20 min stays open under EMIT FINAL)
        assert b_counts == ([2, 2, 2] if emit == "FINAL" else [1, 2, 2, 2]), got
        a_counts = [n for k, n in got.items() if k is not None and k.startswith(b"a")]
        # partition 0's own stream time closed its windows but the last (EMIT FINAL)
        assert a_counts == [3] * (9 if emit == "FINAL" else 10), got
    finally:
        e.close()


def test_one_partition_still_drops_late_records() -> None:
    d = MemoryDriver()
    d.create_topic("tx", partitions=2)
    e = _engine(d, False, "CHANGES")
    try:
        d.produce(
            "tx", [_rec("a", 5 * MINUTE, 0, 0), _rec("a", 1 * MINUTE, 0, 1), _rec("b", 1 * MINUTE, 1, 0)]
        )
        e.drain()
        keys = [k for k, _ in _windows(d)]
        assert len(keys) == 2, keys  # the late record of partition 0 dropped; partition 1's counted
    finally:
        e.close()


def _store_items(e: Engine) -> list[tuple[Any, Any]]:
    (qid,) = list(e.state.persistent)
    (store,) = [s for s in e.state.stores.of_query(qid) if s.name == "Aggregate-Aggregate-Materialize"]
    return [(k, list(v)) for k, v in store.items()]


def test_emit_final_after_a_restore_emits_only_the_windows_not_yet_emitted() -> None:
    first = [_rec("a", m * MINUTE + s * 1000, 0, m * 3 + s) for m in range(5) for s in range(3)]
    d1 = MemoryDriver()
    d1.create_topic("tx", partitions=2)
    e1 = _engine(d1, False, "FINAL", "RETENTION 1 HOUR, ")
    try:
        d1.produce("tx", first)
        e1.drain()
        emitted = _windows(d1)
        saved = _store_items(e1)
    finally:
        e1.close()
    assert len(emitted) == 4 and all(n == 3 for _, n in emitted), emitted  # the 5th window is still open
    # the emitted windows stay in the store (1 hour retention), marked emitted
    assert len(saved) == 5 and sum(1 for _, v in saved if v[2]) == 4, saved

    # a restart: the store comes back as it was, the input resumes after the committed offset
    d2 = MemoryDriver()
    d2.create_topic("tx", partitions=2)
    e2 = _engine(d2, False, "FINAL", "RETENTION 1 HOUR, ")
    try:
        (qid,) = list(e2.state.persistent)
        (store,) = [s for s in e2.state.stores.of_query(qid) if s.name == "Aggregate-Aggregate-Materialize"]
        for k, v in saved:
            store.put(k, v)
        d2.produce("tx", [_rec("a", 4 * MINUTE + 5000, 0, 15), _rec("a", 7 * MINUTE, 0, 16)])
        e2.drain()
        again = _windows(d2)
    finally:
        e2.close()
    # only the window open at the restart (4 records now) comes out; none of the 4 emitted before
    assert [n for _, n in again] == [4], again
    assert not {k for k, _ in again} & {k for k, _ in emitted}


def test_emit_final_after_a_restart_resumes_above_the_committed_close_time() -> None:
    """The close time of the last emission goes with the committed offsets (Kafka Streams' processor
    metadata). Stream time starts over at a restart (the aggregation processor's own, in Kafka Streams
    3.4), so a record late before the restart is counted after it; but its window, already emitted and
    expired from the store, is not emitted a second time."""
    d = MemoryDriver()
    d.create_topic("tx", partitions=2)
    e1 = _engine(d, False, "FINAL")
    try:
        # [0, 1 min) is closed (and emitted) by the record at 1 min; the jump to 10 min closes [1 min, 2 min)
        # too, which EMIT FINAL does not read any more (it starts before stream time - retention: Kafka
        # Streams' time-ordered fetchAll), and expires both from the store
        recs = [_rec("a", 0, 0, 0), _rec("a", 10_000, 0, 1), _rec("a", MINUTE, 0, 2), _rec("a", 10 * MINUTE, 0, 3)]
        d.produce("tx", recs)
        e1.drain()
        before = _windows(d)
        saved = _store_items(e1)
        (qid,) = list(e1.state.persistent)
    finally:
        e1.close()  # stops the query: its final commit
    assert [n for _, n in before] == [2], before  # [0, 1 min) emitted, then expired from the store
    assert [k[-2] for k, _ in saved] == [10 * MINUTE], saved  # the open window stays
    (meta,) = d.committed_metadata(f"_confluent-ksql-wp_query_{qid}", "tx").values()
    assert meta.partition_time == 10 * MINUTE
    assert dict(meta.processors) == {"Aggregate-Aggregate-Materialize": 10 * MINUTE}

    # a restart over the same topics: the statements come back from the command topic, the query's group
    # resumes after its committed offset
    e2 = Engine(EngineConfig(service_id="wp_", synchronous=True, properties=PROPS, fast_paths=False), d)
    try:
        (store,) = [s for s in e2.state.stores.of_query(qid) if s.name == "Aggregate-Aggregate-Materialize"]
        for k, v in saved:
            store.put(k, v)
        # late before the restart; then a record that closes the window open at the restart
        d.produce("tx", [_rec("a", 20_000, 0, 4), _rec("a", 11 * MINUTE, 0, 5)])
        e2.drain()
        after = _windows(d)[len(before) :]
    finally:
        e2.close()
    assert after == [(after[0][0], 1)] and after[0][0] not in {k for k, _ in before}, after
