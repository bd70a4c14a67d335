"""Kafka Streams 3.5's join operator tests (org.apache.kafka.streams.kstream.internals.KStreamKStream*JoinTest,
KStreamKTable*JoinTest, KTableKTable*JoinTest, the foreign-key join tests) ported as KSQL scenarios.

The Java tests drive an operator with TopologyTestDriver (no record cache) and compare what reaches a mock
processor, `KeyValueTimestamp(key, "left+right", ts)` with MockValueJoiner.TOSTRING_JOINER. Here the same
input records go to two KSQL sources (`K INT KEY, V STRING`, JSON values) and a ksqlDB query that compiles
to the same operator (ksqlDB 0.29's StreamStreamJoinBuilder / StreamTableJoinBuilder / TableTableJoinBuilder
/ ForeignKeyTableTableJoinBuilder); its sink records are read back as `(key, "L_V+R_V", ts)`, a missing side
printed `null` as Java's string concatenation does, and a tombstone as `(key, None, ts)`.

One engine per module (`Joins`): every scenario gets its own sources and sink, so modules pay one engine
start. `__emit.interval.ms.kstreams.outer.join.spurious.results.fix__` is 0 where the Java test sets it
(KStreamKStreamLeftJoinTest, KStreamKStreamOuterJoinTest): held outer-join results are then looked at on
every record, not paced by the wall clock.
"""

from __future__ import annotations

import itertools
import json
import struct
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

Kvt = tuple[Any, Any, int]


class Scenario:
    """Two sources and one join query: `pipe(1 | 2, key, value, ts)` is inputTopic1/2.pipeInput, `check(...)`
    is processor.checkAndClearProcessResult (the records the sink got since the last check, in order)."""

    def __init__(self, joins: Joins, sink: str, topics: tuple[str, str]) -> None:
        self.joins = joins
        self.sink = sink
        self.topics = topics
        self.seen = 0

    def pipe(
        self, side: int, key: int | None, value: str | None, ts: int = 0, headers: tuple[Any, ...] = ()
    ) -> None:
        """One record (TestInputTopic with start time 0 and no auto-advance: the timestamp defaults to 0);
        a None value is a tombstone."""
        data = None if value is None else json.dumps({"V": value}).encode()
        kbytes = None if key is None else struct.pack(">i", key)
        self.joins.driver.produce(self.topics[side - 1], [Record(kbytes, data, ts, headers=headers)])
        self.joins.engine.drain()

    def output(self) -> list[Kvt]:
        """The sink's records not read yet."""
        engine = self.joins.engine
        engine.drain()
        src = engine.state.metastore.require(self.sink)
        records = self.joins.driver.records(src.topic)
        fresh, self.seen = records[self.seen :], len(records)
        return [(_key(r.key), _value(r.value), r.timestamp) for r in fresh]

    def headers(self) -> list[tuple[Any, ...]]:
        """The headers of the sink's records not read yet (then read)."""
        src = self.joins.engine.state.metastore.require(self.sink)
        records = self.joins.driver.records(src.topic)
        fresh, self.seen = records[self.seen :], len(records)
        return [r.headers for r in fresh]

    def expect(self, key: int | None, value: str | None, ts: int) -> None:
        """The sink's next record (TestOutputTopic.readRecord) is `(key, value, ts)`."""
        src = self.joins.engine.state.metastore.require(self.sink)
        records = self.joins.driver.records(src.topic)
        assert self.seen < len(records), "no record left"
        r = records[self.seen]
        self.seen += 1
        assert (_key(r.key), _value(r.value), r.timestamp) == (key, value, ts)

    def check(self, *expected: Kvt) -> None:
        assert self.output() == list(expected)


def _key(data: bytes | None) -> int | None:
    return None if data is None else struct.unpack(">i", data)[0]


def _value(data: bytes | None) -> str | None:
    """MockValueJoiner.TOSTRING_JOINER's `value1 + "+" + value2` over the sink's L_V and R_V columns."""
    if data is None:
        return None
    row = json.loads(data)
    return "+".join("null" if row[c] is None else str(row[c]) for c in ("L_V", "R_V"))


class Joins:
    """One synchronous engine (no record cache, commit interval 0) over one MemoryDriver."""

    def __init__(self) -> None:
        self.driver = MemoryDriver(key_partitioning=True)
        self.engine = Engine(
            EngineConfig(
                service_id="kstreams_",
                synchronous=True,
                properties={
                    "ksql.streams.auto.offset.reset": "earliest",
                    "ksql.streams.cache.max.bytes.buffering": "0",
                    "ksql.streams.commit.interval.ms": "0",
                },
                processing_log=False,
                command_topic=False,
            ),
            self.driver,
        )
        self.ids = itertools.count(1)

    def close(self) -> None:
        self.engine.close()

    def join(
        self,
        left: str,
        right: str,
        kind: str,
        within: str = "",
        props: Mapping[str, str] | None = None,
        criteria: str = "L.K = R.K",
        select: str = "L.K AS K, L.V AS L_V, R.V AS R_V",
        sink: str = "STREAM",
    ) -> Scenario:
        """`left` / `right`: STREAM or TABLE; `kind`: e.g. "LEFT JOIN"; `within`: the WITHIN clause."""
        n = next(self.ids)
        topics = (f"left{n}", f"right{n}")
        for source, name, topic in ((left, f"L{n}", topics[0]), (right, f"R{n}", topics[1])):
            key = "PRIMARY KEY" if source == "TABLE" else "KEY"
            self.engine.execute(
                f"CREATE {source} {name} (K INT {key}, V STRING) "
                f"WITH (KAFKA_TOPIC='{topic}', PARTITIONS=1, VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');"
            )
        self.engine.execute(
            f"CREATE {sink} J{n} AS SELECT {select} FROM L{n} L {kind} R{n} R {within} "
            f"ON {criteria} EMIT CHANGES;",
            dict(props or {}),
        )
        return Scenario(self, f"J{n}", topics)


@pytest.fixture(scope="module")
def joins() -> Iterator[Joins]:
    j = Joins()
    yield j
    j.close()
