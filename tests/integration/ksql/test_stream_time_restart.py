"""Stream time across a server restart on real Kafka, as Kafka Streams 3.4 (ksqlDB 0.29) keeps it.

Every committed input offset carries Kafka Streams' offset metadata: the partition time and the task's
processor metadata, which for an EMIT FINAL aggregation is the close time of its last emission. After a
SIGTERM restart:
- EMIT FINAL resumes above the committed close time: a record that was late before the restart does not
  bring back a second final result for a window already emitted;
- the windowed aggregation's own stream time starts over (Kafka Streams does not restore it: only the
  task's partition time and the processor metadata come back from the offsets), so that late record is
  counted and EMIT CHANGES shows it.
"""

from __future__ import annotations

import base64
import json
import struct
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition

from fraudlab.stack import KsqlServerProcess

REPO_ROOT = Path(__file__).resolve().parents[3]
MINUTE = 60_000
BASE = 1_000 * MINUTE  # record times from here: a producer's timestamp 0 means "now"
STORE = "Aggregate-Aggregate-Materialize"


def ksql(url: str, sql: str, guarantee: str) -> list[dict[str, Any]]:
    props = {
        "ksql.streams.auto.offset.reset": "earliest",
        "processing.guarantee": guarantee,
        # EMIT FINAL looks at every record (the default throttles emission to once a second)
        "ksql.streams.__emit.interval.ms.kstreams.windowed.aggregation__": "0",
        # EMIT CHANGES shows every update (each is counted below), as ksqlDB's test harnesses run it
        "ksql.streams.cache.max.bytes.buffering": "0",
    }
    r = httpx.post(url + "/ksql", json={"ksql": sql, "streamsProperties": props}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def produce(bootstrap: str, topic: str, timestamps: list[int]) -> None:
    """One record of key "a" per timestamp (ms after BASE), into partition 0."""
    p = Producer({"bootstrap.servers": bootstrap})
    for ts in timestamps:
        p.produce(topic, json.dumps({"V": 1}).encode(), b"a", partition=0, timestamp=BASE + ts)
    assert p.flush(30) == 0


class Windows:
    """The (window start after BASE, count) results of a windowed table's topic, read on from where it
    left off."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self._c = Consumer({"bootstrap.servers": bootstrap, "group.id": f"t-{uuid.uuid4().hex}",
                            "auto.offset.reset": "earliest", "isolation.level": "read_committed"})
        # partition 0 assigned once the topic is listed (all topics: naming one may auto-create it): no group
        # join, and no subscription librdkafka keeps empty until its next metadata refresh
        deadline = time.monotonic() + 30
        while topic not in self._c.list_topics(timeout=10).topics and time.monotonic() < deadline:
            time.sleep(0.2)
        self._c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
        self.topic = topic
        self.seen: list[tuple[int, int]] = []

    def until(self, done: Any, timeout: float = 60.0, settle: float = 0.0) -> list[tuple[int, int]]:
        """Read until `done(seen)`, then on for `settle` seconds (anything more that comes)."""
        deadline = time.monotonic() + timeout
        settled_at: float | None = None
        while time.monotonic() < deadline:
            for m in self._c.consume(100, timeout=0.5):
                if m.error() is None and m.value() is not None:
                    (start,) = struct.unpack(">q", m.key()[-8:])
                    self.seen.append((start - BASE, json.loads(m.value())["N"]))
            if settled_at is None and done(self.seen):
                settled_at = time.monotonic()
            if settled_at is not None and time.monotonic() - settled_at >= settle:
                return self.seen
        low, high = self._c.get_watermark_offsets(TopicPartition(self.topic, 0), timeout=10, cached=False)
        raise AssertionError(f"timed out; read {self.seen}; {self.topic} holds offsets {low}..{high}")

    def close(self) -> None:
        self._c.close()


def committed_metadata(bootstrap: str, group: str, topic: str) -> tuple[int, dict[str, int]]:
    """(partition time, processor metadata) committed with the group's offset of partition 0, decoded
    as Kafka Streams' TopicPartitionMetadata (version byte 2)."""
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group})
    try:
        (tp,) = c.committed([TopicPartition(topic, 0)], timeout=30)
    finally:
        c.close()
    assert tp.offset >= 0 and tp.metadata, tp
    raw = base64.b64decode(tp.metadata)
    assert raw[0] == 2, raw
    (partition_time,) = struct.unpack_from(">q", raw, 1)
    processors: dict[str, int] = {}
    if len(raw) > 9:
        (count,) = struct.unpack_from(">i", raw, 9)
        pos = 13
        for _ in range(count):
            (size,) = struct.unpack_from(">i", raw, pos)
            key = raw[pos + 4 : pos + 4 + size].decode()
            (processors[key],) = struct.unpack_from(">q", raw, pos + 4 + size)
            pos += 12 + size
    return partition_time, processors


@pytest.mark.parametrize("guarantee", ["at_least_once", "exactly_once_v2"])
def test_emit_final_resumes_above_the_committed_close_time_after_a_restart(
    bootstrap_servers: str, tmp_path: Path, guarantee: str
) -> None:
    tag = uuid.uuid4().hex[:8]
    sid, state, log = f"st_{tag}_", tmp_path / "state", tmp_path / "server.log"
    topic, final_t, changes_t = f"st-{tag}", f"FINAL_{tag}".upper(), f"CHANGES_{tag}".upper()
    window = "WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 0 SECONDS)"
    server = KsqlServerProcess(bootstrap_servers, state, log, service_id=sid, cwd=REPO_ROOT).start()
    final = changes = None
    try:
        ksql(server.url, f"CREATE STREAM TX_{tag} (K STRING KEY, V INT) WITH (KAFKA_TOPIC='{topic}', "
                         f"PARTITIONS=1, VALUE_FORMAT='JSON');", guarantee)  # fmt: skip
        (created,) = ksql(server.url, f"CREATE TABLE {final_t} AS SELECT K, COUNT(*) AS N FROM TX_{tag} "
                                      f"{window} GROUP BY K EMIT FINAL;", guarantee)  # fmt: skip
        final_query = created["commandStatus"]["queryId"]
        ksql(server.url, f"CREATE TABLE {changes_t} AS SELECT K, COUNT(*) AS N FROM TX_{tag} "
                         f"{window} GROUP BY K EMIT CHANGES;", guarantee)  # fmt: skip
        final, changes = Windows(bootstrap_servers, final_t), Windows(bootstrap_servers, changes_t)

        produce(bootstrap_servers, topic, [0, 10_000, MINUTE, 10 * MINUTE])
        # the record at 1 min closes [0, 1 min); the one at 10 min closes [1 min, 2 min), which EMIT FINAL no
        # longer reads (it starts before stream time - retention: Kafka Streams' time-ordered fetchAll), and
        # takes both out of the store, past their retention
        assert final.until(lambda s: len(s) >= 1, settle=2.0) == [(0, 2)]
        changes.until(lambda s: (10 * MINUTE, 1) in s)
        server.stop()  # SIGTERM: the final commit

        partition_time, processors = committed_metadata(bootstrap_servers, f"_confluent-ksql-{sid}query_{final_query}",
                                                        topic)  # fmt: skip
        assert partition_time == BASE + 10 * MINUTE
        assert processors == {STORE: BASE + 10 * MINUTE}

        server = KsqlServerProcess(bootstrap_servers, state, log, service_id=sid, cwd=REPO_ROOT).start()
        # late before the restart (its window closed at 1 min); then a record that closes [10 min, 11 min)
        produce(bootstrap_servers, topic, [20_000])
        changes_after = changes.until(lambda s: len(s) >= 5)
        assert changes_after[4] == (0, 1), changes_after  # counted: the aggregation's stream time started over
        produce(bootstrap_servers, topic, [11 * MINUTE])
        got = final.until(lambda s: (10 * MINUTE, 1) in s, settle=3.0)
        # the window open at the restart comes out once; [0, 1 min) was emitted before and is not again
        assert got == [(0, 2), (10 * MINUTE, 1)], got
    finally:
        for reader in (final, changes):
            if reader is not None:
                reader.close()
        server.stop()
