"""Fixtures for the ported ksqldb-tools 0.29 tests (io.confluent.ksql.tools.migrations): where the Java
tests mock the ksqlDB Client, these run the commands against a real server (the engine on the in-memory
driver behind `BackgroundServer`, a fake Kafka Connect worker for the connector statements, an in-memory
schema registry), one per test module. Metadata state the mocks returned is written as the docs'
"repair" does it: INSERT INTO the metadata stream. After each test every source, query, type and connector
is removed, so the tests of a module share the server."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from ksqlserver.config import ServerConfig, parse_credentials
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.formats.sr.client import MemoryRegistryClient
from ksqlserver.migrations import Log
from ksqlserver.migrations import config as cfg
from ksqlserver.migrations.client import KsqlClient
from ksqlserver.migrations.commands import Context, get_ksql_client, initialize
from ksqlserver.migrations.config import MigrationConfig
from ksqlserver.server import BackgroundServer

# the Java tests' metadata names (MIGRATIONS_STREAM / MIGRATIONS_TABLE)
MIGRATIONS_STREAM = "migrations_stream"
MIGRATIONS_TABLE = "migrations_table"
KEYS = ("VERSION_KEY", "VERSION", "NAME", "STATE", "CHECKSUM", "STARTED_ON", "COMPLETED_ON", "PREVIOUS", "ERROR_REASON")


class SpyClient(KsqlClient):
    """A real client that also records what it sent (the calls the Java tests verify on their mock), and
    can report another server version (ServerInfo.getServerVersion stubbed in the Java tests)."""

    def __init__(self, *args: Any, server_version: str | None = None,
                 describe: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
                 after_insert: Callable[[str, dict[str, Any]], None] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.after_insert = after_insert  # runs after each insert (another writer racing the tool)
        self.calls: list[tuple[str, Any]] = []
        self.server_version = server_version
        self.describe = describe  # rewrites a source description (what no 0.29 server can answer)

    def describe_source(self, name: str) -> dict[str, Any]:
        self.calls.append(("describeSource", name))
        description = super().describe_source(name)
        return self.describe(description) if self.describe is not None else description

    def server_info(self) -> dict[str, Any]:
        info = super().server_info()
        if self.server_version is not None:
            info["version"] = self.server_version
        return info

    def execute_statement(self, sql: str, properties: Any = None) -> dict[str, Any]:
        self.calls.append(("executeStatement", (sql, dict(properties or {}))))
        return super().execute_statement(sql, properties)

    def execute_query(self, sql: str) -> Any:
        self.calls.append(("executeQuery", sql))
        return super().execute_query(sql)

    def insert_into(self, target: str, row: Any) -> None:
        self.calls.append(("insertInto", (target, dict(row))))
        super().insert_into(target, row)
        if self.after_insert is not None:
            self.after_insert(target, dict(row))

    def create_connector(self, name: str, is_source: bool, properties: Any, if_not_exists: bool) -> None:
        self.calls.append(("createConnector", (name, is_source, dict(properties), if_not_exists)))
        super().create_connector(name, is_source, properties, if_not_exists)

    def drop_connector(self, name: str, if_exists: bool) -> None:
        self.calls.append(("dropConnector", (name, if_exists)))
        super().drop_connector(name, if_exists)

    def assert_topic(self, topic: str, configs: Any, exists: bool, timeout_seconds: int | None) -> None:
        self.calls.append(("assertTopic", (topic, dict(configs), exists, timeout_seconds)))
        super().assert_topic(topic, configs, exists, timeout_seconds)

    def assert_schema(self, subject: str | None, schema_id: int | None, exists: bool, timeout_seconds: int | None) -> None:
        self.calls.append(("assertSchema", (subject, schema_id, exists, timeout_seconds)))
        super().assert_schema(subject, schema_id, exists, timeout_seconds)

    def define(self, name: str, value: Any) -> None:
        self.calls.append(("define", (name, value)))
        super().define(name, value)

    def undefine(self, name: str) -> None:
        self.calls.append(("undefine", name))
        super().undefine(name)

    def close(self) -> None:
        self.calls.append(("close", None))
        super().close()

    def of(self, kind: str) -> list[Any]:
        return [args for name, args in self.calls if name == kind]


class Harness:
    """The module's server and the helpers the ported tests share."""

    def __init__(self, connect_url: str, fake_connect: Any, credentials: str = "") -> None:
        """`credentials` (`USER:PASS`): the server takes HTTP basic auth only."""
        self.fake_connect = fake_connect
        self.registry = MemoryRegistryClient()
        self.driver = MemoryDriver()
        self.engine = Engine(
            EngineConfig(
                service_id="default_",
                processing_log=False,
                command_topic=False,
                connect_url=connect_url,
                properties={
                    "ksql.streams.auto.offset.reset": "earliest",
                    "ksql.streams.commit.interval.ms": "0",
                    "ksql.streams.cache.max.bytes.buffering": "0",
                    "ksql.schema.registry.url": "http://foo:8080",
                    "ksql.headers.columns.enabled": "true",
                },
            ),
            self.driver,
            self.registry,
        )
        config = ServerConfig(host="127.0.0.1", port=0,
                              credentials=parse_credentials(credentials) if credentials else {})
        self.server = BackgroundServer(self.engine, config).start()
        self.url = self.server.url
        self.clients: list[SpyClient] = []
        auth = tuple(credentials.split(":", 1)) if credentials else None
        self.http = httpx.Client(timeout=30, verify=False, auth=auth)  # type: ignore[arg-type]
        self.http2 = httpx.Client(http2=True, http1=False, timeout=30, verify=False, auth=auth)  # type: ignore[arg-type]

    def close(self) -> None:
        self.http.close()
        self.http2.close()
        self.server.stop()
        self.engine.close()

    # ---- requests of the test itself

    def ksql(self, sql: str) -> list[dict[str, Any]]:
        r = self.http.post(self.url + "/ksql", json={"ksql": sql, "streamsProperties": {}})
        assert r.status_code == 200, r.text
        return list(r.json())

    def query(self, sql: str) -> list[list[Any]]:
        """A pull query's rows (/query-stream)."""
        r = self.http2.post(self.url + "/query-stream", json={"sql": sql, "properties": {}},
                            headers={"Accept": "application/vnd.ksql.v1+json"})
        assert r.status_code == 200, r.text
        return [item["row"]["columns"] for item in json.loads(r.text) if "row" in item]

    def names(self, kind: str) -> list[str]:
        [entity] = self.ksql(f"LIST {kind}S;")
        return [s["name"] for s in entity[kind.lower() + "s"]]

    # ---- the tool's side

    def config(self, **extra: str) -> MigrationConfig:
        """The Java tests' mocked MigrationConfig: the server URL and the metadata names."""
        return MigrationConfig.of(
            {cfg.KSQL_SERVER_URL: self.url, cfg.KSQL_MIGRATIONS_STREAM_NAME: MIGRATIONS_STREAM,
             cfg.KSQL_MIGRATIONS_TABLE_NAME: MIGRATIONS_TABLE, **extra},
            "default_",
        )

    def context(self, server_version: str | None = None,
                describe: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
                after_insert: Callable[[str, dict[str, Any]], None] | None = None) -> Context:
        """A command context whose clients are `SpyClient`s on this server; `log` captures the output."""

        def factory(config: MigrationConfig, headers: str | None) -> KsqlClient:
            base = get_ksql_client(config, headers)
            base.close()
            client = SpyClient(base.options, server_version=server_version, describe=describe,
                               after_insert=after_insert)
            self.clients.append(client)
            return client

        return Context(log=Log(io.StringIO()), client_factory=factory)

    def initialize(self, config: MigrationConfig | None = None) -> MigrationConfig:
        config = config or self.config()
        ctx = self.context()
        seen = len(self.clients)
        assert initialize(ctx, config) == 0, ctx.log.text()
        del self.clients[seen:]  # the set-up's calls are not the test's
        return config

    def insert_event(self, key: str, version: str, name: str, state: str, checksum: str, started: str = "N/A",
                     completed: str = "N/A", previous: str = "<none>", error: str = "N/A",
                     stream: str = MIGRATIONS_STREAM) -> None:
        """An event in the metadata stream, as the docs' repair INSERT writes it."""
        values = ", ".join("'" + v.replace("'", "''") + "'" for v in
                           (key, version, name, state, checksum, started, completed, previous, error))
        self.ksql(f"INSERT INTO {stream} ({', '.join(KEYS)}) VALUES ({values});")
        # the metadata table has the event before the tool's pull queries ask for it
        table = MIGRATIONS_TABLE if stream == MIGRATIONS_STREAM else None
        deadline = time.monotonic() + 10
        while table is not None and time.monotonic() < deadline:
            rows = self.query(f"SELECT STATE, CHECKSUM, ERROR_REASON FROM {table} WHERE VERSION_KEY = '{key}';")
            if rows == [[state, checksum, error]]:
                break
            time.sleep(0.01)

    def events(self, stream: str = MIGRATIONS_STREAM) -> list[dict[str, Any]]:
        """Every event of the metadata stream in order (a pull query on the stream)."""
        return [dict(zip(KEYS, row, strict=True)) for row in self.query(f"SELECT * FROM {stream};")]

    def reset(self) -> None:
        """Terminate every query, drop every source (readers first), type and connector
        (REST_APP.closePersistentQueries, dropSourcesExcept)."""
        [queries] = self.ksql("SHOW QUERIES;")
        for q in queries["queries"]:
            if q.get("queryType") == "PERSISTENT":
                self.ksql(f"TERMINATE {q['id']};")
        for _ in range(10):
            left = [(kind, name) for kind in ("TABLE", "STREAM") for name in self.names(kind)]
            if not left:
                break
            for kind, name in left:
                self.http.post(self.url + "/ksql", json={"ksql": f"DROP {kind} `{name}` DELETE TOPIC;"})
        [types] = self.ksql("LIST TYPES;")
        for name in types.get("types", {}):
            self.ksql(f"DROP TYPE {name};")
        self.fake_connect.connectors.clear()
        self.clients.clear()


@pytest.fixture(scope="module")
def harness(connect_module: tuple[Any, str]) -> Iterator[Harness]:
    fake, url = connect_module
    h = Harness(url, fake)
    yield h
    h.close()


@pytest.fixture()
def server(harness: Harness) -> Iterator[Harness]:
    """The module's server, emptied after the test."""
    yield harness
    harness.reset()


@pytest.fixture(scope="module")
def auth_harness(connect_module: tuple[Any, str]) -> Iterator[Harness]:
    """MigrationsTest's REST_APP: basic auth (`username` / `password`)."""
    fake, url = connect_module
    h = Harness(url, fake, credentials="username:password")
    yield h
    h.close()
