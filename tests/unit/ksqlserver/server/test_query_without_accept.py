"""Requests without an Accept header, as ksqlDB 0.29's ServerVerticle routes them: Vert.x matches a route's
`produces` only against an Accept header, so without one every route matches and
RoutingContext.getAcceptableContentType() is null.

- /query: the first route (StreamedQueryResource) hands a SELECT on to QueryStreamHandler (migration on, the
  default), whose getQueryStreamResponseWriter, in query compatibility mode, writes the StreamedRow array
  labelled application/vnd.ksql.v1+json for a null type; with the migration off StreamedQueryResource writes
  it itself through OldApiUtils.handleOldApiResponse (application/json). A PRINT stays with
  StreamedQueryResource.handlePrintTopic either way: TopicStreamWriter's lines, application/json.
- /query-stream: QueryStreamHandler out of compatibility mode, delimited.
- /ksql: OldApiUtils.handleOldApiResponse, application/json.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ksqlserver.config import ServerConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.server import BackgroundServer

V1_JSON = "application/vnd.ksql.v1+json"
DELIMITED = "application/vnd.ksqlapi.delimited.v1"
EARLIEST = {"auto.offset.reset": "earliest"}


@pytest.fixture(scope="module")
def server() -> Iterator[BackgroundServer]:
    e = Engine(EngineConfig(service_id="t_", processing_log=False, command_topic=False), MemoryDriver())
    e.execute("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');")
    e.execute("INSERT INTO S (ID, V) VALUES (1, 2);")
    with BackgroundServer(e, ServerConfig(host="127.0.0.1", port=0)) as s:
        yield s
    e.close()


def _post(server: BackgroundServer, path: str, body: dict[str, Any], accept: str | None = None) -> httpx.Response:
    with httpx.Client(timeout=10) as client:
        request = client.build_request(
            "POST", server.url + path, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        if accept is None:
            del request.headers["Accept"]  # httpx sends `Accept: */*` unless told otherwise
        else:
            request.headers["Accept"] = accept
        return client.send(request)


def test_query_without_accept_is_the_streamed_row_array(server: BackgroundServer) -> None:
    """QueryStreamHandler.getQueryStreamResponseWriter: contentType null in query compatibility mode ->
    JsonStreamedRowResponseWriter, content-type application/vnd.ksql.v1+json."""
    r = _post(server, "/query", {"ksql": "SELECT * FROM S EMIT CHANGES LIMIT 1;", "streamsProperties": EARLIEST})
    assert r.status_code == 200 and r.headers["content-type"] == V1_JSON
    body = r.json()
    assert body[0]["header"]["schema"] == "`ID` INTEGER, `V` INTEGER"
    assert body[1:] == [{"row": {"columns": [1, 2]}}, {"finalMessage": "Limit Reached"}]


def test_query_without_accept_on_the_old_route(server: BackgroundServer) -> None:
    """ksql.endpoint.migrate.query false: StreamedQueryResource's QueryStreamWriter through
    OldApiUtils.handleOldApiResponse, which labels every response application/json."""
    props = {**EARLIEST, "ksql.endpoint.migrate.query": False}
    r = _post(server, "/query", {"ksql": "SELECT * FROM S EMIT CHANGES LIMIT 1;", "streamsProperties": props})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json()[1] == {"row": {"columns": [1, 2]}}


def test_query_with_any_accept_stays_delimited(server: BackgroundServer) -> None:
    """Accept */* (httpx's and ksql-python-ng's default): QueryStreamHandler's route picks the first type it
    produces, the delimited one."""
    r = _post(server, "/query", {"ksql": "SELECT * FROM S EMIT CHANGES LIMIT 1;", "streamsProperties": EARLIEST}, "*/*")
    assert r.status_code == 200 and r.headers["content-type"] == DELIMITED
    assert r.text.splitlines()[1] == "[1,2]"


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", V1_JSON])
@pytest.mark.parametrize("migrate", [True, False])
def test_print_on_query_stays_with_streamed_query_resource(
    server: BackgroundServer, accept: str | None, migrate: bool
) -> None:
    """StreamedQueryResource.handleStatement migrates only a Query; handlePrintTopic's TopicStreamWriter
    writes the formats and records as lines, through OldApiUtils (application/json)."""
    body = {"ksql": "PRINT 's' FROM BEGINNING LIMIT 1;", "streamsProperties": {"ksql.endpoint.migrate.query": migrate}}
    r = _post(server, "/query", body, accept)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    lines = r.text.splitlines()
    assert lines[:2] == ["Key format: KAFKA_INT or KAFKA_STRING", "Value format: JSON or KAFKA_STRING"]
    assert lines[2].endswith('key: 1, value: {"V":2}, partition: 0')


def test_print_on_query_with_only_delimited_accepted(server: BackgroundServer) -> None:
    """An Accept of only the delimited type skips the first /query route: QueryStreamHandler's delimited
    print (handlePrintPublisher), whose BlockingPrintPublisher sends RecordFormatter's record lines alone, no
    `Key format:` / `Value format:` lines (observed on ksqlDB 0.29 built from source,
    scripts/oracle/scenarios/server_misc.json's /query-stream PRINT step)."""
    r = _post(server, "/query", {"ksql": "PRINT 's' FROM BEGINNING LIMIT 1;"}, DELIMITED)
    assert r.status_code == 200 and r.headers["content-type"] == DELIMITED
    [line] = r.text.splitlines()
    assert line.startswith("rowtime: ") and line.endswith('key: 1, value: {"V":2}, partition: 0')


def test_query_stream_without_accept_is_delimited(server: BackgroundServer) -> None:
    """QueryStreamHandler out of compatibility mode: delimited by default."""
    r = _post(server, "/query-stream", {"sql": "SELECT * FROM S EMIT CHANGES LIMIT 1;", "properties": EARLIEST})
    assert r.status_code == 200 and r.headers["content-type"] == DELIMITED
    assert r.text.splitlines()[1] == "[1,2]"


def test_ksql_without_accept_is_json(server: BackgroundServer) -> None:
    """OldApiUtils.handleOldApiResponse: application/json, the entity array."""
    r = _post(server, "/ksql", {"ksql": "SHOW STREAMS;"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json()[0]["@type"] == "streams"
