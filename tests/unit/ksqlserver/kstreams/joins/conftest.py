"""Kafka Streams 3.5's join operator tests (org.apache.kafka.streams.kstream.internals.KStreamKStream*JoinTest,
KStreamKTable*JoinTest, KTableKTable*JoinTest, the foreign-key join tests) ported as KSQL scenarios.

The Java tests drive an operator with TopologyTestDriver (no record cache) and compare what reaches a mock
processor, `KeyValueTimestamp(key, "left+right", ts)` with MockValueJoiner.TOSTRING_JOINER. Here the same
input records go to two KSQL sources (`K INT KEY, V STRING`, JSON values) and a ksqlDB query that compiles
to the same operator (ksqlDB 0.29's StreamStreamJoinBuilder / StreamTableJoinBuilder / TableTableJoinBuilder
/ ForeignKeyTableTableJoinBuilder); its sink records are read back as `(key, "L_V+R_V", ts)`, a missing side
printed `null` as Java's string concatenation does, and a tombstone as `(key, None, ts)`.

One engine per module (`Joins`): every scenario gets its own sources and sink, so modules pay one engine
start. Its wall clock is frozen, as TopologyTestDriver's mock clock: held outer-join results are looked at
once per emit interval of that clock, i.e. once (the first time) unless the interval is 0. `__emit.interval.ms.kstreams.outer.join.spurious.results.fix__` is 0 where the Java test sets it
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

from ...conftest import pull_rows

Kvt = tuple[Any, Any, int]


class Scenario:
    """Two sources and one join query: `pipe(1 | 2, key, value, ts)` is inputTopic1/2.pipeInput, `check(...)`
    is processor.checkAndClearProcessResult (the records the sink got since the last check, in order)."""

    def __init__(self, joins: Joins, sink: str, topics: tuple[str, str]) -> None:
        self.joins = joins
        self.sink = sink
        self.topics = topics
        self.seen = 0

    def _encode(self, side: int, key: Any, value: str | None) -> tuple[bytes | None, bytes]:
        return None if key is None else struct.pack(">i", key), json.dumps({"V": value}).encode()

    def _decode(self, r: Record) -> Kvt:
        return (_key(r.key), _value(r.value), r.timestamp)

    def pipe(
        self, side: int, key: int | None, value: str | None, ts: int = 0, headers: tuple[Any, ...] = ()
    ) -> None:
        """One record (TestInputTopic with start time 0 and no auto-advance: the timestamp defaults to 0);
        a None value is a tombstone."""
        kbytes, data = self._encode(side, key, value)
        data = None if value is None else data
        self.joins.driver.produce(self.topics[side - 1], [Record(kbytes, data, ts, headers=headers)])
        self.joins.engine.drain()

    def output(self) -> list[Kvt]:
        """The sink's records not read yet."""
        engine = self.joins.engine
        engine.drain()
        src = engine.state.metastore.require(self.sink)
        records = self.joins.driver.records(src.topic)
        fresh, self.seen = records[self.seen :], len(records)
        return [self._decode(r) for r in fresh]

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
        assert self._decode(r) == (key, value, ts)

    def check(self, *expected: Kvt) -> None:
        assert self.output() == list(expected)

    def run(
        self, inputs: list[tuple[int, str | None, int]], expected: list[Any], key: int = 0, base: int = 0
    ) -> None:
        """AbstractJoinIntegrationTest.runTestWithDriver: each input `(side, value, ts)` piped with `key` at
        `base + ts`, then the records it produced are exactly `expected[i]` (None: none), a list of
        `(value, ts)` whose values use the Java test's joiner `value1 + "-" + value2`."""
        for (side, value, ts), exp in zip(inputs, expected, strict=True):
            self.pipe(side, key, value, base + ts)
            want = [(key, None if v is None else v.replace("-", "+"), base + t) for v, t in exp or []]
            assert self.output() == want, (side, value, ts)

    def read_to_map(self) -> dict[Any, Any]:
        """TestOutputTopic.readKeyValuesToMap: the last value of each key among the records not read yet."""
        return {k: v for k, v, _ in self.output()}

    def store(self) -> dict[Any, Any]:
        """The sink table's rows (the Java test's materialized store), by a pull query."""
        rows = pull_rows(self.joins.engine, f"SELECT * FROM {self.sink};")
        return {row[0]: self._format(row[1:]) for row in rows}

    def pull(self, sql: str) -> list[list[Any]]:
        """A pull query's rows (`{sink}` stands for the sink's name)."""
        return pull_rows(self.joins.engine, sql.format(sink=self.sink))

    def _format(self, values: list[Any]) -> str:
        return "+".join("null" if v is None else str(v) for v in values)


class ForeignKeyScenario(Scenario):
    """A foreign-key join of `L (K STRING PRIMARY KEY, V STRING, FK STRING)` with `R (K STRING PRIMARY KEY,
    V STRING)` on L.FK = R.K: a left value "lhsValue1|rhs1" is the Java tests' value whose foreign key is
    `value.split("\\|")[1]` (V holds it whole, FK the part after "|"); a result reads "(L_V,R_V)", the
    Java tests' joiner `"(" + value1 + "," + value2 + ")"`."""

    def _encode(self, side: int, key: Any, value: str | None) -> tuple[bytes | None, bytes]:
        row = {"V": value}
        if side == 1 and value is not None:
            parts = value.split("|")
            row["FK"] = parts[1] if len(parts) > 1 else None
        return None if key is None else str(key).encode(), json.dumps(row).encode()

    def _decode(self, r: Record) -> Kvt:
        key = None if r.key is None else r.key.decode()
        if r.value is None:
            return (key, None, r.timestamp)
        row = json.loads(r.value)
        return (key, self._format([row["L_V"], row["R_V"]]), r.timestamp)

    def _format(self, values: list[Any]) -> str:
        return "(" + ",".join("null" if v is None else str(v) for v in values) + ")"


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

    def __init__(self, fast_paths: bool = True) -> None:
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
                fast_paths=fast_paths,
                frozen_wall_clock=True,  # TopologyTestDriver's mock wall clock, never advanced
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

    def fk_join(self, kind: str = "JOIN") -> ForeignKeyScenario:
        """`CREATE TABLE J AS SELECT L.K, L.V, R.V FROM L {kind} R ON L.FK = R.K` (ForeignKeyScenario)."""
        n = next(self.ids)
        topics = (f"left{n}", f"right{n}")
        columns = ("V STRING, FK STRING", "V STRING")
        for name, topic, cols in zip((f"L{n}", f"R{n}"), topics, columns, strict=True):
            self.engine.execute(
                f"CREATE TABLE {name} (K STRING PRIMARY KEY, {cols}) "
                f"WITH (KAFKA_TOPIC='{topic}', PARTITIONS=1, VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');"
            )
        self.engine.execute(
            f"CREATE TABLE J{n} AS SELECT L.K AS K, L.V AS L_V, R.V AS R_V FROM L{n} L {kind} R{n} R "
            "ON L.FK = R.K EMIT CHANGES;"
        )
        return ForeignKeyScenario(self, f"J{n}", topics)


@pytest.fixture(scope="module")
def joins() -> Iterator[Joins]:
    j = Joins()
    yield j
    j.close()


@pytest.fixture(scope="module")
def generic_joins() -> Iterator[Joins]:
    """An engine without the generated loops of plan/fast/ (the generic operators alone)."""
    j = Joins(fast_paths=False)
    yield j
    j.close()
