"""Fixtures of the ported ksqlDB 0.29 rest-app unit tests (KsqlResourceTest and the execution/,
validation/ and streaming/ tests): the real engine on the in-memory driver behind `BackgroundServer`,
with the sources `KsqlResourceTest.addTestTopicAndSources` registers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ksqlserver.config import ServerConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.server import BackgroundServer


class Resource:
    """A server and what `KsqlResourceTest`'s makeRequest / makeFailingRequest do, over HTTP."""

    def __init__(
        self,
        properties: dict[str, str] | None = None,
        sources: bool = True,
        denied: tuple[str, ...] = (),
        registry: Any = None,
    ) -> None:
        self.driver = MemoryDriver()
        self.engine = Engine(
            EngineConfig(service_id="default_", processing_log=False, properties=properties or {}),
            self.driver,
            registry,
        )
        self.server = BackgroundServer(self.engine, ServerConfig(host="127.0.0.1", port=0, denied_overrides=denied)).start()
        if sources:
            # KsqlResourceTest.addTestTopicAndSources
            for topic in ("KAFKA_TOPIC_1", "KAFKA_TOPIC_2", "orders-topic"):
                self.driver.create_topic(topic, 1, 1)
            self.ok(
                "CREATE TABLE TEST_TABLE (ROWKEY STRING PRIMARY KEY, S1_F1 BOOLEAN) "
                "WITH (kafka_topic='KAFKA_TOPIC_1', value_format='json');"
                "CREATE STREAM TEST_STREAM (ROWKEY STRING KEY, S2_F1 STRING) "
                "WITH (kafka_topic='KAFKA_TOPIC_2', value_format='json');"
            )

    def close(self) -> None:
        self.server.stop()
        self.engine.close()

    def request(self, sql: str, **extra: Any) -> httpx.Response:
        body = {"ksql": sql, "streamsProperties": {}, **extra}
        return httpx.post(self.server.url + "/ksql", json=body, timeout=30)

    def ok(self, sql: str, **extra: Any) -> list[dict[str, Any]]:
        r = self.request(sql, **extra)
        assert r.status_code == 200, r.text
        body: list[dict[str, Any]] = r.json()
        return body

    def one(self, sql: str, **extra: Any) -> dict[str, Any]:
        """makeSingleRequest: exactly one entity."""
        [entity] = self.ok(sql, **extra)
        return entity

    def fail(self, sql: str, status: int = 400, **extra: Any) -> dict[str, Any]:
        """makeFailingRequest: the KsqlErrorMessage / KsqlStatementErrorMessage with its status."""
        r = self.request(sql, **extra)
        assert r.status_code == status, r.text
        body: dict[str, Any] = r.json()
        return body

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
        return httpx.post(self.server.url + path, json=body, headers=headers or {}, timeout=30)

    def persistent_ids(self) -> list[str]:
        [queries] = self.ok("SHOW QUERIES;")
        return [q["id"] for q in queries["queries"] if q["queryType"] == "PERSISTENT"]


@pytest.fixture()
def res() -> Iterator[Resource]:
    r = Resource()
    yield r
    r.close()


@pytest.fixture()
def make_resource() -> Iterator[Any]:
    made: list[Resource] = []

    def make(
        properties: dict[str, str] | None = None,
        sources: bool = True,
        denied: tuple[str, ...] = (),
        registry: Any = None,
    ) -> Resource:
        made.append(Resource(properties, sources, denied, registry))
        return made[-1]

    yield make
    for r in made:
        r.close()
