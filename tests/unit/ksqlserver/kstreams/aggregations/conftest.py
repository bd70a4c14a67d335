"""Kafka Streams 3.5's own operator tests (org.apache.kafka.streams.kstream.internals and integration), ported
as the ksqlDB 0.29 queries that compile to those operators, on our engine over the in-memory driver.

`Streams` runs statements synchronously with the Kafka Streams tests' usual settings: no record cache
(ksqlDB's test runner: cache.max.bytes.buffering 0), commit interval 0, earliest offsets, and
`__emit.interval.ms.kstreams.windowed.aggregation__` 0 (KStreamWindowAggregateTest sets
InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION to 0 so that EMIT FINAL looks at every record).
`fast` picks the generated fast loops (plan/fast/) or the generic operators alone: every scenario runs on
both. Sink records are decoded independently of the engine: KAFKA STRING keys as text, windowed keys as
Kafka Streams' TimeWindowedSerializer (key, 8-byte start) and SessionKeySchema (key, 8-byte end, 8-byte
start) lay them out, JSON values with `json`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

BASE = {
    "ksql.streams.auto.offset.reset": "earliest",
    "ksql.streams.cache.max.bytes.buffering": "0",
    "ksql.streams.commit.interval.ms": "0",
    "ksql.streams.__emit.interval.ms.kstreams.windowed.aggregation__": "0",
}


class Streams:
    """One synchronous engine over one MemoryDriver (1-partition topics)."""

    def __init__(self, fast: bool, props: Mapping[str, str] | None = None) -> None:
        self.driver = MemoryDriver()
        self.engine = Engine(
            EngineConfig(
                service_id="ks_",
                synchronous=True,
                properties={**BASE, **(props or {})},
                processing_log=False,
                command_topic=False,
                fast_paths=fast,
            ),
            self.driver,
        )
        self._read: dict[str, int] = {}

    def close(self) -> None:
        self.engine.close()

    def sql(self, text: str) -> list[dict[str, Any]]:
        return self.engine.execute(text)

    def pipe(self, topic: str, key: str | None, value: Any, ts: int) -> None:
        """TestInputTopic.pipeInput: one record (a STRING key, a JSON value; None a tombstone), then every
        query runs to the end of its input."""
        data = None if value is None else json.dumps(value).encode()
        self.driver.produce(topic, [Record(None if key is None else key.encode(), data, ts)])
        self.engine.drain()

    def pipe_all(self, topic: str, records: list[tuple[str | None, Any, int]]) -> None:
        for key, value, ts in records:
            self.pipe(topic, key, value, ts)

    def out(self, name: str, column: str | None = None) -> list[tuple[Any, Any, int]]:
        """The sink's records as (key, value, timestamp): a time-windowed key as (key, start), a session key
        as (key, start, end); a value as its JSON object, or its one `column` (None: a tombstone)."""
        src = self.engine.state.metastore.require(name)
        out = []
        for r in self.driver.records(src.topic):
            value = None if r.value is None else json.loads(r.value)
            if column is not None and value is not None:
                value = value[column]
            out.append((_key(src, r.key), value, r.timestamp))
        return out

    def read(self, name: str, column: str | None = None) -> list[tuple[Any, Any, int]]:
        """The sink's records not read before (TestOutputTopic.readRecordsToList / checkAndClearProcessResult)."""
        seen = self._read.get(name, 0)
        records = self.out(name, column)
        self._read[name] = len(records)
        return records[seen:]



def _key(src: Any, data: bytes | None) -> Any:
    if data is None:
        return None
    if src.window is None:
        return data.decode()
    if src.window.kind == "SESSION":
        end = int.from_bytes(data[-16:-8], "big", signed=True)
        start = int.from_bytes(data[-8:], "big", signed=True)
        return data[:-16].decode(), start, end
    return data[:-8].decode(), int.from_bytes(data[-8:], "big", signed=True)


@pytest.fixture(params=[True, False], ids=["fast", "generic"])
def make(request: pytest.FixtureRequest) -> Iterator[Callable[..., Streams]]:
    """A factory of engines (fast loops or generic operators), each closed at teardown."""
    made: list[Streams] = []

    def build(props: Mapping[str, str] | None = None) -> Streams:
        s = Streams(request.param, props)
        made.append(s)
        return s

    yield build
    for s in made:
        s.close()
