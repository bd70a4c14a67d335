"""Fixtures of the ported ksqlDB 0.29 logical-planner node tests (ksqldb-engine/src/test/java/io/confluent/
ksql/planner, structured, topic, engine; ksqldb-execution's select mapper and the pull-query operators).

The Java tests build plan nodes over mocked sources and read their rewritten expressions, schemas and
errors; what a user observes of a node is the statement or query it plans: the rows a pull or push query
returns, the messages of the queries it refuses, the schema DESCRIBE shows for a sink and the records a
persistent query writes. `Nodes` is a synchronous engine over the in-memory driver (no record cache,
earliest offsets, commit at once, as KsqlConfigTestUtil.BASE_CONFIG) with helpers for each of those."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

SCANS_OFF = {"ksql.query.pull.table.scan.enabled": False}


class Nodes:
    """One synchronous engine over one MemoryDriver."""

    def __init__(self, props: Mapping[str, str] | None = None, processing_log: bool = False) -> None:
        self.driver = MemoryDriver()
        self.engine = Engine(
            EngineConfig(
                service_id="nodes_",
                synchronous=True,
                schema_register_injector=False,  # the Java unit tests run no SchemaRegisterInjector
                processing_log=processing_log,
                command_topic=False,
                properties={
                    "ksql.streams.auto.offset.reset": "earliest",
                    "ksql.streams.cache.max.bytes.buffering": "0",
                    "ksql.streams.commit.interval.ms": "0",
                    **(props or {}),
                },
            ),
            self.driver,
        )

    def close(self) -> None:
        self.engine.close()

    def sql(self, text: str, properties: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        out = self.engine.execute(text, properties)
        self.engine.drain()
        return out

    def fails(self, text: str, properties: Mapping[str, Any] | None = None) -> str:
        """The message a statement fails with."""
        with pytest.raises(KsqlError) as err:
            self.sql(text, properties)
        return err.value.message

    def insert(self, target: str, *rows: Mapping[str, Any]) -> None:
        """INSERT VALUES-like rows (ROWTIME sets the record timestamp), then every query drains."""
        acks = self.engine.insert_rows(target, rows)
        assert all(a["status"] == "ok" for a in acks), acks
        self.engine.drain()

    def rows(self, text: str, properties: Mapping[str, Any] | None = None) -> list[list[Any]]:
        """Every row of a pull query, in the order served."""
        q = self.engine.start_query(text, properties)
        out: list[list[Any]] = []
        try:
            while not q.done:
                out += q.poll(0.05)
            out += q.poll(0.0)
        finally:
            q.close()
        return out

    def error(self, text: str, properties: Mapping[str, Any] | None = None) -> str:
        """The message a query fails with, before or while it runs."""
        with pytest.raises(KsqlError) as err:
            self.rows(text, properties)
        return err.value.message

    def query(self, text: str, properties: Mapping[str, Any] | None = None) -> Any:
        return self.engine.start_query(text, properties)

    def push(self, text: str) -> list[list[Any]]:
        """A transient push query's rows once every query has drained."""
        q = self.engine.start_query(text)
        try:
            self.engine.drain()
            return q.poll(0.1)
        finally:
            q.close()

    def source(self, name: str) -> Any:
        return self.engine.state.metastore.require(name)

    def schema(self, name: str) -> str:
        src = self.source(name)
        return str(src.schema.describe(src.is_table))

    def values(self, name: str) -> list[Any]:
        """The JSON values of the records in the source's topic, in order (None: a tombstone)."""
        self.engine.drain()
        return [None if r.value is None else json.loads(r.value) for r in self.driver.records(self.source(name).topic)]

    def processing_log(self) -> list[dict[str, Any]]:
        return [json.loads(r.value)["message"] for r in self.driver.records("nodes_ksql_processing_log")]


@pytest.fixture
def make_nodes() -> Iterator[Callable[..., Nodes]]:
    made: list[Nodes] = []

    def make(props: Mapping[str, str] | None = None, processing_log: bool = False) -> Nodes:
        made.append(Nodes(props, processing_log))
        return made[-1]

    yield make
    for n in made:
        n.close()


@pytest.fixture
def nodes(make_nodes: Callable[..., Nodes]) -> Nodes:
    return make_nodes()
