"""ksqlDB 0.29's processing-log, query-error, serde, timestamp and materialization unit tests
(io.confluent.ksql.logging.processing, io.confluent.ksql.query, io.confluent.ksql.serde,
io.confluent.ksql.execution.streams.{timestamp,transform,materialization}) on our engine over the in-memory
driver.

The Java tests call loggers, serdes and classifiers with mocks; what a user observes of them is the
processing log's records (its topic, `<service id>ksql_processing_log`), a query's `queryErrors` and state in
SHOW QUERIES EXTENDED / EXPLAIN, the records a sink receives and the rows of pull queries. `Engine` runs
statements synchronously (commit.interval.ms 0, no record cache, earliest offsets) with the processing log
on; `produce` writes a raw record and drains every query."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError, SchemaRegistryError
from ksqlserver.formats.sr.client import MemoryRegistryClient

from ..conftest import pull_error, pull_rows

LOG_TOPIC = "log_ksql_processing_log"


class LogEngine:
    """One synchronous engine over one MemoryDriver, its processing log on."""

    def __init__(self, props: Mapping[str, str] | None = None, registry: Any = None) -> None:
        self.driver = MemoryDriver(key_partitioning=True)
        properties = {
            "ksql.streams.auto.offset.reset": "earliest",
            "ksql.streams.cache.max.bytes.buffering": "0",
            "ksql.streams.commit.interval.ms": "0",
            **(props or {}),
        }
        self.engine = Engine(
            EngineConfig(
                service_id="log_",
                synchronous=True,
                properties=properties,
                processing_log=True,
                command_topic=False,
            ),
            self.driver,
            registry,
        )

    def close(self) -> None:
        self.engine.close()

    def sql(self, text: str, properties: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return self.engine.execute(text, properties)

    def one(self, text: str) -> dict[str, Any]:
        [entity] = self.sql(text)
        return entity

    def message(self, text: str) -> str:
        with pytest.raises(KsqlError) as err:
            self.engine.execute(text)
        return err.value.message

    def produce(self, topic: str, key: bytes | None, value: Any, ts: int = 0) -> None:
        """One raw record: `value` a JSON-ready object (None: a tombstone), or bytes as they are."""
        data = value if isinstance(value, bytes) or value is None else json.dumps(value).encode()
        self.driver.produce(topic, [Record(key, data, ts)])
        self.engine.drain()

    def insert(self, target: str, *rows: Mapping[str, Any]) -> None:
        acks = self.engine.insert_rows(target, rows)
        assert all(a["status"] == "ok" for a in acks), acks
        self.engine.drain()

    def log(self) -> list[dict[str, Any]]:
        """The processing log's records (level, logger, time, message), in order."""
        self.engine.drain()
        return [json.loads(r.value) for r in self.driver.records(LOG_TOPIC)]

    def messages(self) -> list[dict[str, Any]]:
        """The `message` struct of each processing log record."""
        return [m["message"] for m in self.log()]

    def values(self, topic: str) -> list[Any]:
        self.engine.drain()
        return [None if r.value is None else json.loads(r.value) for r in self.driver.records(topic)]

    def described(self, query_id: str) -> dict[str, Any]:
        """EXPLAIN <query id>'s QueryDescription."""
        return self.one(f"EXPLAIN {query_id};")["queryDescription"]

    def query_ids(self) -> list[str]:
        return list(self.engine.state.persistent)

    def pull(self, sql: str) -> list[list[Any]]:
        return pull_rows(self.engine, sql)

    def pull_error(self, sql: str) -> str:
        return pull_error(self.engine, sql)


@pytest.fixture
def make_log() -> Iterator[Callable[..., LogEngine]]:
    """A factory: `make_log({"ksql.x": "y"}, registry)`; every engine is closed at teardown."""
    made: list[LogEngine] = []

    def make(props: Mapping[str, str] | None = None, registry: Any = None) -> LogEngine:
        made.append(LogEngine(props, registry))
        return made[-1]

    yield make
    for e in made:
        e.close()


class RefusingRegistry(MemoryRegistryClient):
    """A registry that refuses every registration once `refuse` is set (a subject made incompatible after
    the query started): the sink's serializer fails on its first record."""

    refuse = False

    def register(self, subject: str, schema: Any) -> int:
        if self.refuse:
            raise SchemaRegistryError(
                f'Schema being registered is incompatible with an earlier schema for subject "{subject}"; '
                "error code: 409",
                409,
                409,
                subject,
            )
        registered: int = super().register(subject, schema)
        return registered


@pytest.fixture
def refusing_registry() -> RefusingRegistry:
    return RefusingRegistry()


@pytest.fixture
def le(make_log: Callable[..., LogEngine]) -> LogEngine:
    return make_log()
