"""Fixtures shared by the ported ksqlDB 0.29 REST tests (javaresource/, javarest/, javarestapp/): the real
engine on the in-memory driver behind `BackgroundServer`, as `Resource` (KsqlResourceTest's makeRequest,
with the sources `KsqlResourceTest.addTestTopicAndSources` registers) and `Rest` (RestIntegrationTestUtil,
loaded with the data providers those Java tests use: `PageViewDataProvider`, `TombstoneProvider`, in
ksqldb-engine/src/test/java/io/confluent/ksql/util). They live here, above the three folders, because
conftest helpers are not importable under --import-mode=importlib and fixtures only reach subfolders."""

from __future__ import annotations

import json
import struct
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from ksqlserver.config import ServerConfig
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
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


PAGE_VIEWS = [
    ("PAGE_1", "USER_1", 1),
    ("PAGE_2", "USER_2", 2),
    ("PAGE_3", "USER_4", 3),
    ("PAGE_4", "USER_3", 4),
    ("PAGE_5", "USER_0", 5),
    ("PAGE_5", "USER_2", 6),
    ("PAGE_5", "USER_3", 7),
]
PAGE_VIEWS_BATCH2 = [
    ("PAGE_4", "USER_2", 8),
    ("PAGE_2", "USER_3", 9),
    ("PAGE_1", "USER_4", 10),
    ("PAGE_5", "USER_0", 11),
    ("PAGE_4", "USER_1", 12),
]
PAGE_VIEWS_BATCH3 = [("PAGE_1", "USER_4", 10), ("PAGE_5", "USER_0", 11)]
TOMBSTONES: list[tuple[int, str | None]] = [(1, "a"), (1, None), (2, "b"), (3, "c"), (2, None)]

# TestKsqlRestApp.buildBaseConfig: no record cache, commit at once, read from the start
TEST_APP_PROPERTIES = {
    "ksql.streams.commit.interval.ms": "0",
    "ksql.streams.cache.max.bytes.buffering": "0",
    "ksql.streams.auto.offset.reset": "earliest",
}
PAGE_VIEW_SCHEMA = "PAGEID STRING KEY, USERID STRING, VIEWTIME BIGINT"


def page_view_records(rows: list[tuple[str, str, int]]) -> list[Record]:
    return [
        Record(k.encode(), json.dumps({"USERID": u, "VIEWTIME": v}).encode(), 1_000 + i, 0)
        for i, (k, u, v) in enumerate(rows)
    ]


def tombstone_records() -> list[Record]:
    return [
        Record(struct.pack(">i", k), None if v is None else json.dumps({"VAL": v}).encode(), 1_000 + i, 0)
        for i, (k, v) in enumerate(TOMBSTONES)
    ]


class Rest:
    """What the Java tests' `RestIntegrationTestUtil` does, over httpx (conftest helpers are not importable
    under --import-mode=importlib, so the tests get them from the `rest` fixture)."""

    PAGE_VIEWS = PAGE_VIEWS
    PAGE_VIEWS_BATCH2 = PAGE_VIEWS_BATCH2
    PAGE_VIEWS_BATCH3 = PAGE_VIEWS_BATCH3
    PAGE_VIEW_SCHEMA = PAGE_VIEW_SCHEMA

    def __init__(self) -> None:
        self._running: list[tuple[Engine, BackgroundServer]] = []

    def start(
        self,
        properties: dict[str, str] | None = None,
        registry: Any = None,
        command_topic: bool = False,
        driver: MemoryDriver | None = None,
        server_options: dict[str, Any] | None = None,
    ) -> tuple[Engine, MemoryDriver, BackgroundServer]:
        """`server_options`: ServerConfig fields (the KsqlRestConfig settings the server itself reads)."""
        driver = driver or MemoryDriver()
        engine = Engine(
            EngineConfig(
                service_id="default_",
                processing_log=False,
                command_topic=command_topic,
                properties={**TEST_APP_PROPERTIES, **(properties or {})},
            ),
            driver,
            registry,
        )
        options = {"host": "127.0.0.1", "port": 0, **(server_options or {})}
        server = BackgroundServer(engine, ServerConfig(**options)).start()
        self._running.append((engine, server))
        return engine, driver, server

    def close(self) -> None:
        for engine, server in reversed(self._running):
            server.stop()
            engine.close()

    @staticmethod
    def record(key: bytes | None, value: bytes | None, timestamp: int = 0, partition: int = 0) -> Record:
        return Record(key, value, timestamp, partition)

    page_view_records = staticmethod(page_view_records)
    tombstone_records = staticmethod(tombstone_records)

    @staticmethod
    def ksql(server: BackgroundServer, sql: str, **extra: Any) -> httpx.Response:
        body = {"ksql": sql, "streamsProperties": {}, **extra}
        return httpx.post(server.url + "/ksql", json=body, timeout=30)

    @staticmethod
    def ok(server: BackgroundServer, sql: str, **extra: Any) -> list[dict[str, Any]]:
        r = Rest.ksql(server, sql, **extra)
        assert r.status_code == 200, r.text
        body: list[dict[str, Any]] = r.json()
        return body

    @staticmethod
    def post(
        server: BackgroundServer, path: str, body: Any, accept: str | None = None, http2: bool = False
    ) -> httpx.Response:
        headers = {"Accept": accept} if accept else {}
        with httpx.Client(http2=http2, http1=not http2, timeout=30) as client:
            return client.post(server.url + path, json=body, headers=headers)

    def page_view_app(
        self, properties: dict[str, str] | None = None, stream: str = "PAGEVIEW_KSTREAM"
    ) -> tuple[Engine, MemoryDriver, BackgroundServer]:
        """A server with `PageViewDataProvider`'s topic and stream (RestIntegrationTestUtil.createStream)."""
        engine, driver, server = self.start(properties)
        driver.create_topic("PAGEVIEW_TOPIC", 1, 1)
        self.ok(
            server,
            f"CREATE STREAM {stream} ({PAGE_VIEW_SCHEMA}) WITH (kafka_topic='PAGEVIEW_TOPIC', value_format='json');",
        )
        return engine, driver, server

    @staticmethod
    def query_rows(server: BackgroundServer, sql: str) -> list[dict[str, Any]]:
        """RestIntegrationTestUtil.makeQueryRequest: /query's StreamedRow list (header, rows, final message)."""
        r = httpx.post(
            server.url + "/query",
            json={"ksql": sql, "streamsProperties": {}},
            headers={"Accept": LATEST_FORMAT},
            timeout=30,
        )
        assert r.status_code == 200, r.text
        rows: list[dict[str, Any]] = r.json()
        return rows

    @staticmethod
    def client_query(
        server: BackgroundServer, sql: str, properties: dict[str, Any] | None = None, **extra: Any
    ) -> ClientResult:
        """Client.streamQuery/executeQuery: /query-stream over HTTP/2 (prior knowledge), Accept LATEST_FORMAT."""
        body = {"sql": sql, "properties": properties or {}, "sessionVariables": {}, "requestProperties": {}, **extra}
        with httpx.Client(http2=True, http1=False, timeout=30) as client:
            r = client.post(server.url + "/query-stream", json=body, headers={"Accept": LATEST_FORMAT})
        return ClientResult(r)

    @staticmethod
    def eventually(call: Callable[[], Any], check: Callable[[Any], bool], timeout: float = 15.0) -> Any:
        """`AssertEventually.assertThatEventually`: retry `call` until `check` holds; the last value."""
        deadline = time.monotonic() + timeout
        while True:
            value = call()
            if check(value) or time.monotonic() > deadline:
                return value
            time.sleep(0.1)


@pytest.fixture()
def rest() -> Iterator[Rest]:
    helper = Rest()
    yield helper
    helper.close()


@pytest.fixture(scope="module")
def rest_module() -> Iterator[Rest]:
    """`rest` for a module-wide server, as the Java classes' `@ClassRule` apps."""
    helper = Rest()
    yield helper
    helper.close()


# ---- what the ksqlDB Java client (ksqldb-api-client 0.29, ClientImpl) sends and how it reads answers ----

LATEST_FORMAT = "application/vnd.ksql.v1+json"  # KsqlMediaType.LATEST_FORMAT, the client's Accept


def split_one_level(text: str) -> list[str]:
    """RowUtil.splitAcrossOneLevelDeepComma."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "<(":
            depth += 1
        elif ch in ">)":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    parts.append(current)
    return parts


def schema_columns(schema: str) -> tuple[list[str], list[str]]:
    """RowUtil.colNamesFromSchema / colTypesFromSchema, then ColumnType's base type (what the client's
    `columnTypes()` compares): the name before any '<' or '('."""
    names, types = [], []
    for col in split_one_level(schema):
        col = col.replace("`", "").strip()
        if col.endswith(" KEY"):
            col = col[: -len(" KEY")]
        name, _, kind = col.partition(" ")
        names.append(name)
        types.append(kind.split("<")[0].split("(")[0])
    return names, types


class ClientResult:
    """A StreamedQueryResult as the client builds it from /query-stream's StreamedRow lines."""

    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self.error: dict[str, Any] | None = None
        self.rows: list[list[Any]] = []
        self.final: str | None = None
        self.query_id: str | None = None
        self.names: list[str] = []
        self.types: list[str] = []
        if self.status != 200:
            self.error = response.json()
            return
        for line in response.text.split("\n"):
            msg = line.strip()
            msg = msg[1:] if msg.startswith("[") else msg  # ResponseHandler.toJsonMsg
            msg = msg[:-1] if msg.endswith(",") or msg.endswith("]") else msg
            if not msg:
                continue
            obj = json.loads(msg)
            if "header" in obj:
                self.query_id = obj["header"]["queryId"]
                self.names, self.types = schema_columns(obj["header"]["schema"])
            elif "row" in obj:
                self.rows.append(obj["row"]["columns"])
            elif "finalMessage" in obj:
                self.final = obj["finalMessage"]
            elif "errorMessage" in obj:
                self.error = obj["errorMessage"]

    def client_error(self) -> str:
        """ClientImpl.handleErrorResponse's KsqlClientException message."""
        assert self.error is not None
        return (
            f"Received {self.status} response from server: {self.error['message']}. "
            f"Error code: {self.error['error_code']}"
        )


# ---- a fake Kafka Connect worker (statements/test_connectors.py, javaapi/'s connector executors) ----------

FILE_SOURCE = "org.apache.kafka.connect.file.FileStreamSourceConnector"
FILE_SINK = "org.apache.kafka.connect.file.FileStreamSinkConnector"


class FakeConnect:
    """The state of the fake worker: connectors by name, the requests seen, failures to inject."""

    def __init__(self) -> None:
        self.connectors: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, Any]] = []
        self.fail: dict[tuple[str, str], tuple[int, str]] = {}  # (method, path) -> (status, body)
        self.states: dict[str, tuple[str, list[str]]] = {}  # name -> (connector state, task states)
        self.topics: dict[str, list[str]] = {}

    def kind(self, cls: str) -> str:
        return "sink" if "Sink" in cls else "source"

    def answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        self.requests.append((method, path, body))
        if (method, path) in self.fail:
            status, text = self.fail[(method, path)]
            return status, text
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if parts == ["connectors"] and method == "GET":
            return 200, list(self.connectors)
        if parts == ["connectors"] and method == "POST":
            name = body["name"]
            if name in self.connectors:
                return 409, {"error_code": 409, "message": f"Connector {name} already exists"}
            self.connectors[name] = dict(body["config"])
            return 201, self.info(name)
        if parts == ["connector-plugins"]:
            return 200, [
                {"class": FILE_SINK, "type": "sink", "version": "4.3.1"},
                {"class": FILE_SOURCE, "type": "source", "version": "4.3.1"},
            ]
        if parts[:1] == ["connector-plugins"] and parts[2:] == ["config", "validate"]:
            return 200, self.validate(parts[1], body)
        if parts[:1] == ["connectors"] and len(parts) >= 2:
            name = parts[1]
            if name not in self.connectors:
                return 404, {"error_code": 404, "message": f"Connector {name} not found"}
            if len(parts) == 2 and method == "DELETE":
                del self.connectors[name]
                return 204, None
            if len(parts) == 2:
                return 200, self.info(name)
            if parts[2] == "status":
                return 200, self.status(name)
            if parts[2] == "topics":
                return 200, {name: {"topics": self.topics.get(name, [])}}
        return 404, {"error_code": 404, "message": "HTTP 404 Not Found"}

    def info(self, name: str) -> dict[str, Any]:
        config = self.connectors[name]
        return {
            "name": name,
            "config": config,
            "tasks": [{"connector": name, "task": 0}],
            "type": self.kind(config["connector.class"]),
            "extra": "dropped",
        }

    def status(self, name: str) -> dict[str, Any]:
        state, tasks = self.states.get(name, ("RUNNING", ["RUNNING"]))
        return {
            "name": name,
            "connector": {"state": state, "worker_id": "127.0.0.1:8083"},
            "tasks": [
                {"id": i, "state": s, "worker_id": "127.0.0.1:8083", **({"trace": "boom"} if s == "FAILED" else {})}
                for i, s in enumerate(tasks)
            ],
            "type": self.kind(self.connectors[name]["connector.class"]),
        }

    def validate(self, cls: str, config: dict[str, Any]) -> dict[str, Any]:
        configs = []
        for key in ("file", "topic"):
            errors = [] if config.get(key) else [f'Missing required configuration "{key}" which has no default value.']
            if key == "topic" and config.get(key) == "two-errors":
                errors = ["first", "second"]
            configs.append({"definition": {"name": key}, "value": {"name": key, "value": config.get(key),
                                                                    "errors": errors, "visible": True}})
        return {"name": cls, "error_count": sum(bool(c["value"]["errors"]) for c in configs), "groups": [],
                "configs": configs}


def _serve_fake_connect() -> Iterator[tuple[FakeConnect, str]]:
    fake = FakeConnect()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            status, payload = fake.answer(self.command, self.path, json.loads(raw) if raw else None)
            data = b"" if payload is None else (payload if isinstance(payload, str) else json.dumps(payload)).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield fake, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def connect() -> Iterator[tuple[FakeConnect, str]]:
    yield from _serve_fake_connect()


@pytest.fixture(scope="module")
def connect_module() -> Iterator[tuple[FakeConnect, str]]:
    """`connect` for a module-wide server."""
    yield from _serve_fake_connect()


def pull_rows(engine: Engine, sql: str) -> list[list[Any]]:
    """A pull query's rows, once every persistent query has drained (javastreams/, javalog/)."""
    engine.drain()
    q = engine.start_query(sql)
    try:
        rows: list[list[Any]] = []
        while not q.done:
            rows.extend(q.poll(0.2))
        return rows
    finally:
        q.close()


def pull_error(engine: Engine, sql: str) -> str:
    """The message a pull query fails with, at its start or once its rows are out."""
    engine.drain()
    with pytest.raises(KsqlError) as err:
        q = engine.start_query(sql)
        try:
            while not q.done:
                q.poll(0.2)
            q.poll(0.0)  # an error that ended the query is raised once its rows are out
        finally:
            q.close()
    return err.value.message
