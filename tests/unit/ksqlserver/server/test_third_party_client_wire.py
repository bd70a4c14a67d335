"""Wire details that third-party ksqlDB clients' own suites and README calls exposed (PyPI `ksqldb` 1.0.1,
`ksqldb-client` 0.28.2a2, npm `ksqldb-client` 1.0.5), each reproduced with the client's plain HTTP request
against the real engine on the in-memory driver and checked against ksqlDB 0.29's Vert.x server."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from ksqlserver.config import ServerConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.server import BackgroundServer
from ksqlserver.server.reasons import reason_phrase

V1_JSON = "application/vnd.ksql.v1+json"


@pytest.fixture(scope="module")
def server() -> Iterator[BackgroundServer]:
    engine = Engine(EngineConfig(service_id="t_", processing_log=False, command_topic=False), MemoryDriver())
    engine.execute(
        "CREATE STREAM RS_S (COL1 STRING KEY, COL2 DOUBLE) WITH (KAFKA_TOPIC='rs_s', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    engine.execute("INSERT INTO RS_S (COL1, COL2) VALUES ('a', 2.5);")
    with BackgroundServer(engine, ServerConfig(host="127.0.0.1", port=0)) as running:
        yield running
    engine.close()


def _status_line(server: BackgroundServer, request: bytes) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    return data.split(b"\r\n", 1)[0]


def _post(path: str, body: bytes) -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"Connection: close\r\n\r\n" + body


@pytest.mark.parametrize(
    ("request_bytes", "status_line"),
    [
        (b"GET /info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b"HTTP/1.1 200 OK"),
        (_post("/ksql", b'{"ksql": "select * from;"}'), b"HTTP/1.1 400 Bad Request"),
        (b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b"HTTP/1.1 404 Not Found"),
        (_post("/inserts-stream", b'{"target": "RS_S"}\n'), b"HTTP/1.1 400 Bad Request"),
    ],
    ids=["info-200", "ksql-syntax-error-400", "unknown-path-404", "inserts-stream-http1-400"],
)
def test_http1_status_lines_carry_nettys_reason_phrase(
    server: BackgroundServer, request_bytes: bytes, status_line: bytes
) -> None:
    """Vert.x 4.3's HttpServerResponseImpl writes `HttpResponseStatus.valueOf(code).reasonPhrase()` (Netty
    4.1.86) on the status line; PyPI `ksqldb` 1.0.1 surfaces it through requests' raise_for_status()
    ("400 Client Error: Bad Request for url: .../ksql"), which read "400 Client Error:  for url" before."""
    assert _status_line(server, request_bytes) == status_line


def test_reason_phrases_follow_netty_http_response_status() -> None:
    """Netty's HttpResponseStatus constants (its own wording for 413 / 414), and for other codes
    `new HttpResponseStatus(code)`: HttpStatusClass.defaultReasonPhrase() + " (code)"; printed from
    netty-codec-http 4.1.86.Final's HttpResponseStatus.valueOf."""
    assert reason_phrase(413) == "Request Entity Too Large"
    assert reason_phrase(414) == "Request-URI Too Long"
    assert reason_phrase(429) == "Too Many Requests"
    assert reason_phrase(503) == "Service Unavailable"
    assert reason_phrase(299) == "Success (299)"
    assert reason_phrase(499) == "Client Error (499)"
    assert reason_phrase(699) == "Unknown Status (699)"


def _http2_query(server: BackgroundServer, body: dict[str, object]) -> httpx.Response:
    with httpx.Client(http1=False, http2=True, timeout=10) as client:
        return client.post(server.url + "/query", json=body, headers={"Accept": V1_JSON})


@pytest.mark.parametrize(
    "body",
    [
        {"ksql": "PRINT 'rs_s' FROM BEGINNING LIMIT 1;"},
        {"ksql": "SELECT * FROM RS_S;", "streamsProperties": {"ksql.endpoint.migrate.query": False}},
        {
            "ksql": "SELECT * FROM RS_S EMIT CHANGES LIMIT 1;",
            "streamsProperties": {"ksql.endpoint.migrate.query": False, "auto.offset.reset": "earliest"},
        },
    ],
    ids=["print", "pull-unmigrated", "push-unmigrated"],
)
def test_old_query_endpoint_streaming_output_is_405_over_http2(
    server: BackgroundServer, body: dict[str, object]
) -> None:
    """OldApiUtils.handleOldApiRequest: when StreamedQueryResource answers with a StreamingOutput (a PRINT,
    or a SELECT with ksql.endpoint.migrate.query off) over HTTP/2, ksqlDB answers 405 ("The /query endpoint
    is not available using HTTP2", a status message HTTP/2 cannot carry) with no body, after the
    application/json content type it had put, and closes the output; the server streamed it before."""
    r = _http2_query(server, body)
    assert (r.status_code, r.content) == (405, b"")
    assert r.headers["content-type"] == "application/json"


def test_migrated_select_on_old_query_endpoint_streams_over_http2(server: BackgroundServer) -> None:
    """A SELECT that StreamedQueryResource hands on to QueryStreamHandler (the migration, on by default)
    is no StreamingOutput: it streams over HTTP/2 too (what `ksqldb-client`'s query() relies on)."""
    r = _http2_query(server, {"ksql": "SELECT * FROM RS_S;"})
    assert r.status_code == 200
    assert r.headers["content-type"] == V1_JSON
    assert r.json()[1] == {"row": {"columns": ["a", 2.5]}}


def test_http2_405_closes_the_query(server: BackgroundServer) -> None:
    """The StreamingOutput is closed (`streamingOutput.close()`): no transient query stays behind."""
    unmigrated = {"ksql.endpoint.migrate.query": False, "auto.offset.reset": "earliest"}
    r = _http2_query(server, {"ksql": "SELECT * FROM RS_S EMIT CHANGES;", "streamsProperties": unmigrated})
    assert r.status_code == 405
    assert dict(server.engine.state.transient) == {}


@pytest.mark.parametrize("http2", [False, True])
def test_responses_carry_no_server_header(server: BackgroundServer, http2: bool) -> None:
    """Vert.x 4.3's HttpServerResponse writes only the headers ksqlDB's handlers put (ServerVerticle,
    OldApiUtils, QueryStreamHandler put none named Server), over HTTP/1.1 and HTTP/2 alike."""
    with httpx.Client(http1=not http2, http2=http2, timeout=10) as client:
        info = client.get(server.url + "/info")
        failed = client.post(server.url + "/ksql", json={"ksql": "select * from;"})
    assert "server" not in info.headers and "server" not in failed.headers
    assert info.headers["content-type"] == "application/json"
