"""Fixtures of the ported ksqldb-engine analyzer / rewriter / generic-record tests: an engine on the
in-memory driver holding the sources of ksqlDB 0.29's MetaStoreFixture.getNewMetaStore that these tests
read (TEST1, TEST2, SENSOR_READINGS), with helpers that run statements, read the records a sink got and
catch the message a user sees. (javaunit/conftest.py holds the whole fixture; conftest helpers are not
importable under --import-mode=importlib, so the few sources needed here are repeated.)"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

_WITH = "KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON'"
FIXTURE = [
    "CREATE STREAM TEST1 (COL0 BIGINT KEY, COL1 STRING, COL2 STRING, COL3 DOUBLE, COL4 ARRAY<DOUBLE>, "
    f"COL5 MAP<STRING, DOUBLE>) WITH (KAFKA_TOPIC='test1', {_WITH});",
    "CREATE TABLE TEST2 (COL0 BIGINT PRIMARY KEY, COL1 STRING, COL2 STRING, COL3 DOUBLE, COL4 BOOLEAN) "
    f"WITH (KAFKA_TOPIC='test2', {_WITH});",
    "CREATE STREAM SENSOR_READINGS (ID BIGINT KEY, SENSOR_NAME STRING, ARR1 ARRAY<BIGINT>, ARR2 ARRAY<STRING>) "
    f"WITH (KAFKA_TOPIC='sensor_readings_topic', {_WITH});",
]
TOPICS = ("test1", "test2", "sensor_readings_topic")


class Ksql:
    """The engine and the assertions the ported tests make on it."""

    def __init__(self, engine: Engine, driver: MemoryDriver) -> None:
        self.engine = engine
        self.driver = driver

    def execute(self, sql: str, properties: dict[str, str] | None = None) -> list:
        return self.engine.execute(sql, properties)

    def topic(self, name: str, partitions: int = 1) -> None:
        self.driver.create_topic(name, partitions=partitions)

    def error(self, sql: str) -> KsqlError:
        with pytest.raises(KsqlError) as err:
            self.engine.execute(sql)
        return err.value

    def message(self, sql: str) -> str:
        return self.error(sql).message

    def source(self, name: str) -> DataSource:
        return self.engine.state.metastore.require(name)

    def schema(self, name: str) -> str:
        """The source's LogicalSchema as ksqlDB prints it (`K` BIGINT KEY, `V` STRING)."""
        src = self.source(name)
        return src.schema.describe(src.is_table)

    def produce(self, topic: str, rows: list[tuple[Any, dict[str, Any] | None, int]]) -> None:
        """JSON values under KAFKA-format keys (a str key as its UTF-8 bytes, an int as a BIGINT)."""
        recs = []
        for key, value, ts in rows:
            k = key.encode() if isinstance(key, str) else None if key is None else key.to_bytes(8, "big", signed=True)
            v = None if value is None else json.dumps(value).encode()
            recs.append(Record(k, v, ts))
        self.driver.produce(topic, recs)

    def records(self, topic: str) -> list[Record]:
        """What `topic` holds once every query has used up its input."""
        self.engine.drain()
        return list(self.driver.records(topic))

    def push(self, sql: str, rows: Callable[[], None]) -> list[list[Any]]:
        """The rows a push query gives for what `rows` produces once it has started."""
        q = self.engine.start_query(sql)
        try:
            rows()
            self.engine.drain()
            out: list[list[Any]] = []
            while got := q.poll(0.2):
                out.extend(got)
            return out
        finally:
            q.close()

    def values(self, topic: str) -> list[Any]:
        return [None if r.value is None else json.loads(r.value) for r in self.records(topic)]


@pytest.fixture
def make_ksql() -> Iterator[Callable[..., Ksql]]:
    """A factory: `make_ksql(**server_properties)`; every engine is closed at teardown."""
    engines: list[Engine] = []

    def make(**properties: str) -> Ksql:
        d = MemoryDriver()
        for topic in TOPICS:
            d.create_topic(topic, partitions=1)
        e = Engine(
            # the Java unit tests run no SchemaRegisterInjector
            EngineConfig(
                service_id="default_", synchronous=True, command_topic=False, properties=properties,
                schema_register_injector=False,
            ),
            d,
        )
        engines.append(e)
        for sql in FIXTURE:
            e.execute(sql)
        return Ksql(e, d)

    yield make
    for e in engines:
        e.close()


@pytest.fixture
def ksql(make_ksql: Callable[..., Ksql]) -> Ksql:
    return make_ksql()
