"""Helpers of the ported ksqlDB 0.29 injector unit tests (ksqldb-engine/src/test/java/io/confluent/ksql/
schema/ksql/inference, schema/registry, format, topic, serde): an engine over the in-memory driver and an
in-memory Schema Registry. What the Java tests read from the injected ConfiguredStatement (its masked
text, the elements, the schemas registered) is read here from what a user sees: the statementText the
engine answers with, the source's schema and the registry's subjects."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError, SchemaRegistryError, SchemaRegistryUnavailableError
from ksqlserver.formats.sr.client import (
    AVRO,
    JSON,
    PROTOBUF,
    MemoryRegistryClient,
    RegisteredSchema,
    SubjectVersion,
)

__all__ = ["AVRO", "JSON", "PROTOBUF", "FailingRegistry", "Sr"]


class FailingRegistry(MemoryRegistryClient):
    """The Java tests' mocked SchemaRegistryClient that throws: `fail[operation]` is the error that
    operation ("latest", "by_id", "register", "delete", "hard_delete", "subjects") raises, for every subject or only
    for `only` (a subject). `register_ids` makes register answer other ids than the registry's own, as
    `when(register(...)).thenReturn(2)` does. Counts what was asked (`calls`)."""

    def __init__(self) -> None:
        super().__init__()
        self.fail: dict[str, Exception] = {}
        self.only: dict[str, str] = {}
        self.register_ids: dict[str, int] = {}
        self.calls: list[tuple[str, str]] = []

    def _maybe_fail(self, op: str, what: str) -> None:
        self.calls.append((op, what))
        err = self.fail.get(op)
        if err is not None and self.only.get(op, what) == what:
            raise err

    def latest(self, subject: str) -> SubjectVersion:
        self._maybe_fail("latest", subject)
        return super().latest(subject)

    def _fetch_by_id(self, schema_id: int) -> RegisteredSchema:
        self._maybe_fail("by_id", str(schema_id))
        return super()._fetch_by_id(schema_id)

    def _register(self, subject: str, schema: RegisteredSchema) -> int:
        self._maybe_fail("register", subject)
        found = super()._register(subject, schema)
        return self.register_ids.get(subject, found)

    def subjects(self) -> list[str]:
        self._maybe_fail("subjects", "")
        return super().subjects()

    def delete_subject(self, subject: str, permanent: bool = False) -> None:
        self._maybe_fail("hard_delete" if permanent else "delete", subject)
        super().delete_subject(subject, permanent)


def rest_error(message: str, status: int, code: int) -> SchemaRegistryError:
    """Confluent's RestClientException(message, status, code): its getMessage appends the code."""
    return SchemaRegistryError(f"{message}; error code: {code}", status, code)


def io_error(message: str) -> SchemaRegistryUnavailableError:
    """An IOException of the registry client (no answer)."""
    return SchemaRegistryUnavailableError(message)


class Sr:
    """One engine with (or without) a registry; `topic_injector=False` leaves out TopicCreateInjector's
    CLEANUP_POLICY, as the Java tests run one injector alone."""

    def __init__(
        self,
        registry: MemoryRegistryClient | None,
        topic_injector: bool,
        properties: dict[str, str],
        topics: tuple[str, ...],
    ) -> None:
        self.registry = registry
        self.driver = MemoryDriver()
        for t in topics:
            self.driver.create_topic(t, partitions=1)
        self.engine = Engine(
            EngineConfig(
                service_id="inj_",
                synchronous=True,
                properties={"ksql.streams.auto.offset.reset": "earliest", **properties},
                topic_injector=topic_injector,
            ),
            self.driver,
            registry,
        )

    def register(self, subject: str, schema: Any, schema_type: str = AVRO, schema_id: int | None = None) -> int:
        assert self.registry is not None
        text = schema if isinstance(schema, str) else json.dumps(schema)
        return self.registry.register_with_id(subject, RegisteredSchema(schema_type, text), schema_id)

    def execute(self, sql: str, properties: dict[str, str] | None = None) -> list[dict[str, Any]]:
        return self.engine.execute(sql, properties)

    def text(self, sql: str, properties: dict[str, str] | None = None) -> str:
        """The statement as the injectors leave it (the response's statementText)."""
        return str(self.execute(sql, properties)[0]["statementText"])

    def error(self, sql: str, properties: dict[str, str] | None = None) -> KsqlError:
        with pytest.raises(KsqlError) as err:
            self.engine.execute(sql, properties)
        return err.value

    def message(self, sql: str, properties: dict[str, str] | None = None) -> str:
        return self.error(sql, properties).message

    def source(self, name: str) -> DataSource:
        return self.engine.state.metastore.require(name)

    def schema(self, name: str) -> str:
        """The source's LogicalSchema as ksqlDB prints it: `K` STRING KEY, `V` INTEGER."""
        src = self.source(name)
        return src.schema.describe(src.is_table)

    def subjects(self) -> list[str]:
        assert self.registry is not None
        return sorted(self.registry.subjects())

    def registered(self, subject: str) -> RegisteredSchema:
        assert self.registry is not None
        return self.registry.latest(subject).schema

    def registered_json(self, subject: str) -> Any:
        return json.loads(self.registered(subject).schema)


@pytest.fixture
def make_sr() -> Iterator[Callable[..., Sr]]:
    """`make_sr(registry=True, topic_injector=False, topics=("some-topic",), **properties)`; every engine
    is closed at teardown. `registry` may also be a MemoryRegistryClient (subclass) to use."""
    made: list[Sr] = []

    def make(
        registry: bool | MemoryRegistryClient = True,
        topic_injector: bool = False,
        topics: tuple[str, ...] = ("some-topic",),
        **properties: str,
    ) -> Sr:
        client = registry if isinstance(registry, MemoryRegistryClient) else (
            MemoryRegistryClient() if registry else None
        )
        sr = Sr(client, topic_injector, dict(properties), topics)
        made.append(sr)
        return sr

    yield make
    for sr in made:
        sr.engine.close()


@pytest.fixture
def sr(make_sr: Callable[..., Sr]) -> Sr:
    return make_sr()
