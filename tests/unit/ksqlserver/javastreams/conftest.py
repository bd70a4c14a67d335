"""ksqlDB 0.29's ksqldb-streams unit tests (io.confluent.ksql.execution.streams: the physical-plan builders,
timestamp extraction and materialization) on our engine over the in-memory driver.

The Java tests drive each builder with mocked Kafka Streams objects; what a user observes of a builder is
the query it builds: the records its sink receives (key, value, timestamp), the sink's schema, the rows a
pull query reads from its state store, and the errors of statements it refuses. `Streams` runs statements
synchronously (commit.interval.ms 0, no record cache, earliest offsets, as KsqlConfigTestUtil.BASE_CONFIG),
inserts input records with their ROWTIME, and decodes sink records independently of the engine's serdes:
KAFKA keys by their column type, JSON keys and values with `json`, and windowed keys as Kafka Streams'
TimeWindowedSerializer (key, 8-byte start) and SessionKeySchema (key, 8-byte end, 8-byte start) lay them
out."""

from __future__ import annotations

import json
import struct
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

from ..conftest import pull_error, pull_rows


class Streams:
    """One synchronous engine over one MemoryDriver."""

    def __init__(
        self,
        props: Mapping[str, str] | None = None,
        processing_log: bool = False,
        offset_reset: str | None = "earliest",
    ) -> None:
        self.driver = MemoryDriver(key_partitioning=True)
        properties = {
            **({"ksql.streams.auto.offset.reset": offset_reset} if offset_reset else {}),
            "ksql.streams.cache.max.bytes.buffering": "0",
            "ksql.streams.commit.interval.ms": "0",
            **(props or {}),
        }
        self.engine = Engine(
            EngineConfig(
                service_id="streams_",
                synchronous=True,
                schema_register_injector=False,  # the Java unit tests run no SchemaRegisterInjector
                properties=properties,
                processing_log=processing_log,
                command_topic=False,
            ),
            self.driver,
        )

    def close(self) -> None:
        self.engine.close()

    def sql(self, text: str, properties: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """Runs statements; a source's topic is created first when its WITH names one that is missing."""
        return self.engine.execute(text, properties)

    def topic(self, name: str, partitions: int = 1) -> None:
        if name not in self.driver.topics():
            self.driver.create_topic(name, partitions=partitions)

    def message(self, text: str) -> str:
        with pytest.raises(KsqlError) as err:
            self.engine.execute(text)
        return err.value.message

    def insert(self, target: str, *rows: Mapping[str, Any]) -> None:
        """INSERT VALUES-like rows (ROWTIME sets the record timestamp); every query then runs to the end
        of its input, so rows inserted one call after another are processed in that order."""
        acks = self.engine.insert_rows(target, rows)
        assert all(a["status"] == "ok" for a in acks), acks
        self.engine.drain()

    def produce(self, topic: str, key: bytes | None, value: Any, ts: int) -> None:
        """One raw record: `value` a JSON-ready object (None: a tombstone), or bytes as they are."""
        data = value if isinstance(value, bytes) or value is None else json.dumps(value).encode()
        self.driver.produce(topic, [Record(key, data, ts)])
        self.engine.drain()

    def processing_log(self) -> list[dict[str, Any]]:
        """The processing log's messages (the `message` struct of each), in order."""
        return [json.loads(r.value)["message"] for r in self.driver.records("streams_ksql_processing_log")]

    def source(self, name: str) -> Any:
        return self.engine.state.metastore.require(name)

    def schema(self, name: str) -> str:
        src = self.source(name)
        return src.schema.describe(src.is_table)

    def records(self, name: str) -> list[tuple[Any, Any, int]]:
        """The sink's records as (key, value, timestamp); a windowed key as (key, start) for a time window
        and (key, start, end) for a session window; a value as its JSON object (None: a tombstone)."""
        self.engine.drain()
        src = self.source(name)
        return [
            (self._key(src, r.key), None if r.value is None else json.loads(r.value), r.timestamp)
            for r in self.driver.records(src.topic)
        ]

    def values(self, name: str) -> list[Any]:
        return [v for _, v, _ in self.records(name)]

    def _key(self, src: Any, data: bytes | None) -> Any:
        if data is None:
            return None
        if src.window is None:
            return _decode_key(src, data)
        if src.window.kind == "SESSION":
            end = int.from_bytes(data[-16:-8], "big", signed=True)
            start = int.from_bytes(data[-8:], "big", signed=True)
            return _decode_key(src, data[:-16]), start, end
        return _decode_key(src, data[:-8]), int.from_bytes(data[-8:], "big", signed=True)

    def pull(self, sql: str) -> list[list[Any]]:
        return pull_rows(self.engine, sql)

    def pull_error(self, sql: str) -> str:
        return pull_error(self.engine, sql)

    def push(self, sql: str) -> list[list[Any]]:
        """A transient push query's rows once every query has drained."""
        q = self.engine.start_query(sql)
        try:
            self.engine.drain()
            return q.poll(0.1)
        finally:
            q.close()


def _decode_key(src: Any, data: bytes) -> Any:
    """A KAFKA key by its one column's type; a JSON key as its JSON value (an unwrapped single column)."""
    if src.key_format == "JSON":
        return json.loads(data)
    if src.key_format != "KAFKA":
        raise ValueError(src.key_format)
    (column,) = src.schema.key
    kind = str(column.type).upper()
    if kind == "STRING":
        return data.decode()
    if kind == "INTEGER":
        return struct.unpack(">i", data)[0]
    if kind == "BIGINT":
        return struct.unpack(">q", data)[0]
    if kind == "DOUBLE":
        return struct.unpack(">d", data)[0]
    raise ValueError(kind)


@pytest.fixture
def make_streams() -> Iterator[Callable[..., Streams]]:
    """A factory: `make_streams({"ksql.x": "y"}, processing_log=True, offset_reset=None)` (None: no
    auto.offset.reset set); every engine is closed at teardown."""
    made: list[Streams] = []

    def make(
        props: Mapping[str, str] | None = None, processing_log: bool = False, offset_reset: str | None = "earliest"
    ) -> Streams:
        s = Streams(props, processing_log, offset_reset)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


@pytest.fixture
def ks(make_streams: Callable[..., Streams]) -> Streams:
    return make_streams()
