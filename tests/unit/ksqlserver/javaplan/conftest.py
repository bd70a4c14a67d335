"""Fixtures of the ported ksqlDB 0.29 planner / pull-query / rewrite unit tests (ksqldb-engine/src/test/java/
io/confluent/ksql/planner, execution/pull, materialization, engine/rewrite, ...): a synchronous engine on the
in-memory driver with the sources those tests mock, as DDL.

The Java tests build a `QueryFilterNode` over a mocked source of schema `K INTEGER KEY, COL0 STRING,
ROWKEY STRING` (and a STRING-keyed and a two-key variant); here those are source tables (`T`, `TS`, `TM`),
fed through their own serdes, and a windowed table (`TW`, TUMBLING 1 second windows counted from a stream),
which pull queries reach through the same planner. `QueryPlannerOptions.getTableScansEnabled()` is the
request's `ksql.query.pull.table.scan.enabled`: a Mockito mock answers false, ksqlDB's default is true."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

SCANS_OFF = {"ksql.query.pull.table.scan.enabled": False}
SCANS_ON = {"ksql.query.pull.table.scan.enabled": True}


class Pull:
    """The engine and what the ported tests assert with it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def execute(self, sql: str, properties: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        out = self.engine.execute(sql, properties)
        self.engine.drain()
        return out

    def produce(self, name: str, rows: list[tuple[list[Any], list[Any] | None, int]]) -> None:
        """(key values, value values or None for a tombstone, timestamp) through the source's own serdes."""
        src = self.engine.state.metastore.require(name)
        records = [
            Record(src.key_serde.serialize(k), None if v is None else src.value_serde.serialize(v), ts)
            for k, v, ts in rows
        ]
        self.engine.driver.produce(src.topic, records)  # type: ignore[attr-defined]
        self.engine.drain()

    def query(self, sql: str, properties: dict[str, Any] | None = None) -> Any:
        return self.engine.start_query(sql, properties)

    def rows(self, sql: str, properties: dict[str, Any] | None = None) -> list[list[Any]]:
        """Every row of a query that ends by itself (a pull query), in the order served."""
        q = self.engine.start_query(sql, properties)
        rows: list[list[Any]] = []
        try:
            while not q.done:
                rows += q.poll(0.05)
            rows += q.poll(0.0)
        finally:
            q.close()
        return rows

    def error(self, sql: str, properties: dict[str, Any] | None = None) -> str:
        """The message a SELECT fails with (before or while it runs)."""
        with pytest.raises(KsqlError) as err:
            self.rows(sql, properties)
        return err.value.message

    def ok(self, sql: str, properties: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self.execute(sql, properties)

    def fails(self, sql: str, properties: dict[str, Any] | None = None) -> str:
        """The message a statement of /ksql fails with."""
        with pytest.raises(KsqlError) as err:
            self.execute(sql, properties)
        return err.value.message

    def values(self, name: str) -> list[Any]:
        """The JSON values of the records in the source's topic, in order."""
        src = self.source(name)
        records = self.engine.driver.records(src.topic)  # type: ignore[attr-defined]
        return [None if r.value is None else json.loads(r.value) for r in records]

    def source(self, name: str) -> Any:
        return self.engine.state.metastore.require(name)


def _tables(p: Pull) -> None:
    """QueryFilterNodeTest's INPUT_SCHEMA, STRING_SCHEMA and MULTI_KEY_SCHEMA as source tables, with rows,
    and a windowed table."""
    with_ = "KEY_FORMAT='JSON', VALUE_FORMAT='JSON', PARTITIONS=1"
    p.execute(f"CREATE SOURCE TABLE T (K INT PRIMARY KEY, COL0 STRING, ROWKEY STRING) WITH (KAFKA_TOPIC='t', {with_});")
    p.execute(f"CREATE SOURCE TABLE TS (K STRING PRIMARY KEY, COL0 STRING, ROWKEY STRING) WITH (KAFKA_TOPIC='ts', {with_});")
    p.execute(f"CREATE SOURCE TABLE TM (K1 INT PRIMARY KEY, K2 INT PRIMARY KEY, C1 INT) WITH (KAFKA_TOPIC='tm', {with_});")
    p.produce("T", [([k], [f"c{k}", f"r{k}"], 10 * k) for k in (-1, 1, 2, 3, 4)])
    p.produce("TS", [([k], [f"c{k}", f"r{k}"], 10) for k in ("1", "2", "v1", "v2", "v3")])
    p.produce("TM", [([a, b], [a * 10 + b], 10) for a in (1, 2, 3) for b in (1, 2, 3)])
    p.execute(f"CREATE STREAM WS (K INT KEY, COL0 STRING) WITH (KAFKA_TOPIC='ws', {with_});")
    p.execute("CREATE TABLE TW AS SELECT K, COUNT(*) AS CNT FROM WS WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K;")
    p.execute("INSERT INTO WS (ROWTIME, K, COL0) VALUES (1000, 2, 'b');")
    for ts in (0, 1000, 2000, 3000):
        p.execute(f"INSERT INTO WS (ROWTIME, K, COL0) VALUES ({ts}, 1, 'a');")


@pytest.fixture
def make_pull() -> Iterator[Callable[..., Pull]]:
    engines: list[Engine] = []

    def make(tables: bool = True, **properties: Any) -> Pull:
        e = Engine(
            EngineConfig(
                service_id="plan_",
                synchronous=True,
                schema_register_injector=False,  # the Java unit tests run no SchemaRegisterInjector
                processing_log=False,
                command_topic=False,
                properties={
                    "ksql.streams.auto.offset.reset": "earliest",
                    "ksql.streams.cache.max.bytes.buffering": "0",
                    **{k: str(v) for k, v in properties.items()},
                },
            ),
            MemoryDriver(),
        )
        engines.append(e)
        p = Pull(e)
        if tables:
            _tables(p)
        return p

    yield make
    for e in engines:
        e.close()


@pytest.fixture
def pull(make_pull: Callable[..., Pull]) -> Pull:
    return make_pull()
