"""POST /test (ksqlDB 0.29's ServerVerticle.handleTest -> KsqlResource.runTest): the body is a JSON string
(OldApiUtils.handleOldApiRequest reads it as a `String`); the answer is the KsqlTestResult list, or, for a
file that does not load, Errors.badRequest(e) with the exception's message. The tests run on engines of
their own: the server's sources are untouched."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from ksqlserver.config import ServerConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.server import BackgroundServer

V1_JSON = "application/vnd.ksql.v1+json"
TEST = (
    "--@test: passes\n"
    "CREATE STREAM foo (id INT KEY, col1 INT) WITH (kafka_topic='foo', value_format='JSON');\n"
    "INSERT INTO foo (rowtime, id, col1) VALUES (1, 1, 1);\n"
    "ASSERT VALUES foo (rowtime, id, col1) VALUES (1, 1, 1);\n"
    "--@test: fails\n"
    "--@expected.message: FOO\n"
    "CREATE STREAM bar AS SELECT * FROM foo;\n"
)


@pytest.fixture(scope="module")
def server() -> Iterator[BackgroundServer]:
    e = Engine(EngineConfig(service_id="t_", processing_log=False, command_topic=False), MemoryDriver())
    with BackgroundServer(e, ServerConfig(host="127.0.0.1", port=0)) as s:
        yield s
    e.close()


def _post(server: BackgroundServer, body: bytes) -> httpx.Response:
    return httpx.post(server.url + "/test", content=body, headers={"Accept": V1_JSON}, timeout=60)


def test_results_per_test(server: BackgroundServer) -> None:
    """KsqlResource.runTests: {"result", "name", "message"} per test; a failure's message is the
    exception's (null for ksqlDB's NullPointerException when an expected message has no class)."""
    r = _post(server, json.dumps(TEST).encode())
    assert r.status_code == 200 and r.headers["content-type"] == V1_JSON
    assert r.json() == [
        {"result": True, "name": "passes", "message": ""},
        {"result": False, "name": "fails", "message": None},
    ]


def test_a_file_that_does_not_load_is_a_bad_request(server: BackgroundServer) -> None:
    """KsqlResource.runTest: SqlTestLoader's exception as Errors.badRequest (40000, its message)."""
    r = _post(server, json.dumps("CREATE foo;").encode())
    assert r.status_code == 400
    assert r.json()["error_code"] == 40000
    assert r.json()["message"] == "line 1:8: Syntax error at line 1:8"
    r = _post(server, json.dumps("CREATE STREAM a (id INT) WITH (kafka_topic='a', value_format='JSON');").encode())
    assert r.status_code == 400
    assert r.json()["message"].endswith("\tExepcted test to start with --@test.\n\t")


def test_a_body_that_is_not_a_json_string(server: BackgroundServer) -> None:
    """ServerUtils.deserialiseObject: text that is not JSON is "Invalid JSON in request: ..." (40000)."""
    r = _post(server, TEST.encode())
    assert r.status_code == 400
    assert r.json()["message"].startswith("Invalid JSON in request: ")
    r = _post(server, b'{"ksql": "x"}')
    assert r.status_code == 400
    assert "Cannot deserialize value of type `java.lang.String` from Object value" in r.json()["message"]
