"""Fixtures of the ported ksqlDB 0.29 engine / common / parser test classes (javaengine/): a synchronous engine
over the in-memory driver, and the message a statement fails with.

Looked at and not ported, as nothing of them reaches a user of this server (Java object equality, hashing,
builders, mocks of internal collaborators): GenericKeyTest, GenericRowTest, FormatInfoTest, RefinementInfoTest,
CompatibleSetTest, SchemaWalkerTest, KsqlStructTest, SqlArgumentTest, SqlTypesTest, LambdaFunctionCallTest,
QueryGuidTest (metrics ids), LiteralUtilTest (its toBoolean has no caller in 0.29's main code),
SelectExpression(De)SerializerTest / LogicalSchemaDeserializerTest / KsqlTypesSerdeModuleTest (the JSON of
execution plans, which this server neither writes nor reads), SpecificQueryIdGeneratorTest (the numbering is
ported in cluster/test_query_numbering.py), RetryTest / ExecutorUtilTest (retry helpers),
OrphanedTransientQueryCleanerTest (the local commands file, which this server does not keep)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


class Sql:
    def __init__(self, properties: Mapping[str, str] | None = None) -> None:
        self.driver = MemoryDriver()
        self.engine = Engine(
            EngineConfig(
                service_id="default_", synchronous=True, command_topic=False, properties=dict(properties or {}),
                schema_register_injector=False,  # the Java unit tests run no SchemaRegisterInjector
            ),
            self.driver,
        )

    def run(self, text: str, properties: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        out = self.engine.execute(text, properties)
        self.engine.drain()
        return out

    def fails(self, text: str, properties: Mapping[str, Any] | None = None) -> str:
        with pytest.raises(KsqlError) as err:
            self.run(text, properties)
        return err.value.message

    def properties(self, properties: Mapping[str, Any] | None = None) -> dict[str, str]:
        """SHOW PROPERTIES as name -> value."""
        [entity] = self.run("SHOW PROPERTIES;", properties)
        return {p["name"]: p["value"] for p in entity["properties"]}


@pytest.fixture
def ksql() -> Iterator[Sql]:
    s = Sql()
    yield s
    s.engine.close()


@pytest.fixture
def ksql_with() -> Iterator[Callable[..., Sql]]:
    """A factory of engines with server properties; each is closed after the test."""
    made: list[Sql] = []

    def make(**properties: str) -> Sql:
        made.append(Sql(properties))
        return made[-1]

    yield make
    for s in made:
        s.engine.close()
