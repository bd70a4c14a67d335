"""HTTP-layer tests of the REST server over a scripted engine that honours the `Engine` contract.

The engine here is deliberately tiny: what is under test is the transport (HTTP/1.1 and h2c on one port),
the response framing the ksql-python client parses, error entities, streaming, keep-alives and closing.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import httpx
import pytest
from ksql.errors import KSQLError

from ksql import KSQLAPI
from ksqlserver.config import Secret, ServerConfig
from ksqlserver.errors import KsqlError
from ksqlserver.server import BackgroundServer


class StatementError(KsqlError):
    error_code = 40001


class FakeQuery:
    def __init__(self, query_id: str, rows: list[list[Any]], limit: int | None, is_pull: bool) -> None:
        self.query_id = query_id
        self.columns = [("ID", "INTEGER"), ("NAME", "STRING"), ("AMOUNT", "DOUBLE")]
        self.is_pull = is_pull
        self._pending = list(rows)
        self._limit = limit
        self._sent = 0
        self._closed = threading.Event()
        self._cond = threading.Condition()
        self.poll_calls = 0

    def push(self, rows: Iterable[list[Any]]) -> None:
        with self._cond:
            self._pending.extend(rows)
            self._cond.notify_all()

    def poll(self, timeout: float) -> list[list[Any]]:
        self.poll_calls += 1
        with self._cond:
            if not self._pending and not self.done:
                self._cond.wait(timeout)
            take = self._pending
            if self._limit is not None:
                take = take[: self._limit - self._sent]
            self._pending = self._pending[len(take) :]
            self._sent += len(take)
            return take

    @property
    def done(self) -> bool:
        if self._closed.is_set():
            return True
        if self.is_pull:
            return not self._pending
        return self._limit is not None and self._sent >= self._limit

    def close(self) -> None:
        self._closed.set()
        with self._cond:
            self._cond.notify_all()


class FakeEngine:
    ROWS = [[1, "Kai", 43.0], [2, "Hans", 12.5], [3, None, 0.1]]

    def __init__(self) -> None:
        self.queries: dict[str, FakeQuery] = {}
        self.inserted: list[tuple[str, dict[str, Any]]] = []
        self.counter = 0

    def execute(
        self, sql: str, properties: Mapping[str, Any] | None = None, *, atomic: bool = False
    ) -> list[dict[str, Any]]:
        text = sql.strip()
        if text.lower().startswith("show streams"):
            return [{"@type": "streams", "statementText": text, "warnings": [], "streams": []}]
        if text.lower().startswith("create stream"):
            name = text.split()[2].upper()
            return [
                {
                    "@type": "currentStatus",
                    "statementText": text,
                    "commandId": f"stream/`{name}`/create",
                    "commandStatus": {"status": "SUCCESS", "message": "Stream created", "queryId": None},
                    "commandSequenceNumber": 1,
                    "warnings": [],
                }
            ]
        if text.lower().startswith("boom"):
            raise RuntimeError("engine bug")
        if text.lower().startswith("slow"):
            time.sleep(1.0)
            return []
        raise StatementError(f"line 1:1: Syntax Error: mismatched input '{text.split()[0]}'", text)

    def start_query(
        self, sql: str, properties: Mapping[str, Any] | None = None, *, exact_print: bool = False
    ) -> FakeQuery:
        if not sql.lower().lstrip().startswith("select"):
            raise StatementError("line 1:1: not a query", sql)
        match = re.search(r"limit\s+(\d+)", sql, re.IGNORECASE)
        limit = int(match.group(1)) if match else None
        is_pull = "emit changes" not in sql.lower()
        rows = [] if "from empty" in sql.lower() else list(self.ROWS)
        self.counter += 1
        query = FakeQuery(f"transient_T_{self.counter}", rows, limit, is_pull)
        self.queries[query.query_id] = query
        return query

    def close_query(self, query_id: str) -> bool:
        query = self.queries.get(query_id)
        if query is None:
            return False
        query.close()
        return True

    def insert_rows(self, target: str, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        if target.upper() != "S1":
            raise StatementError(f"Cannot insert into unknown stream {target}", target)
        acks = []
        for seq, row in enumerate(rows):
            if "bad" in row:
                acks.append({"status": "error", "seq": seq, "error_code": 40000, "message": "bad row"})
                break
            self.inserted.append((target, dict(row)))
            acks.append({"status": "ok", "seq": seq})
        return acks

    insert_api_rows = insert_rows

    def close(self) -> None:
        for query in self.queries.values():
            query.close()


@pytest.fixture()
def engine() -> FakeEngine:
    return FakeEngine()


def _config(**overrides: Any) -> ServerConfig:
    base: dict[str, Any] = {"host": "127.0.0.1", "port": 0, "keepalive_interval": 0.3, "poll_timeout": 0.1}
    base.update(overrides)
    return ServerConfig(**base)


@pytest.fixture()
def server(engine: FakeEngine) -> Iterator[BackgroundServer]:
    with BackgroundServer(engine, _config()) as running:  # type: ignore[arg-type]
        yield running


# ---- /info, /healthcheck, /status, unknown paths ----------------------------------------------------


def test_info_reports_version_and_client_accepts_it(server: BackgroundServer) -> None:
    body = httpx.get(server.url + "/info").json()
    assert body["KsqlServerInfo"]["version"] == "0.29.0"
    assert KSQLAPI(server.url).get_ksql_version() == "0.29.0"


def test_healthcheck_and_root_redirect(server: BackgroundServer) -> None:
    health = httpx.get(server.url + "/healthcheck")
    assert health.status_code == 200 and health.json()["isHealthy"] is True
    root = httpx.get(server.url + "/")
    assert root.status_code == 307 and root.headers["location"] == "/info"


def test_unknown_path_is_404_not_found(server: BackgroundServer) -> None:
    """Vert.x-web's router page, as ksqlDB 0.29 built from source answers it (scripts/oracle/scenarios/
    server_misc.json, GET /nope): 404, text/html, `<html><body><h1>Resource not found</h1></body></html>`."""
    response = httpx.get(server.url + "/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == "<html><body><h1>Resource not found</h1></body></html>"


def test_wrong_method_is_405_with_allow_and_no_body(server: BackgroundServer) -> None:
    """Vert.x-web's router: a path whose routes take another method (observed on ksqlDB 0.29 built from
    source, server_misc.json GET /ksql): 405, `allow: POST`, an empty body."""
    response = httpx.get(server.url + "/ksql")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.content == b""
    assert httpx.post(server.url + "/info").headers["allow"] == "GET"
    # the same router serves the parameterised paths: one method check for every route
    for path in ("/status/stream/%60FOO%60/create", "/is_valid_property/ksql.streams.x", "/chc/ready"):
        other = httpx.post(server.url + path)
        assert (other.status_code, other.headers["allow"], other.content) == (405, "GET", b""), path


def test_status_lists_commands_run_through_ksql(server: BackgroundServer) -> None:
    KSQLAPI(server.url).ksql("create stream foo (id int) with (kafka_topic='t', value_format='JSON')")
    statuses = httpx.get(server.url + "/status").json()
    assert statuses == {"commandStatuses": {"stream/`FOO`/create": "SUCCESS"}}  # ksqlDB's wrapper object
    one = httpx.get(server.url + "/status/stream/%60FOO%60/create")
    assert one.json()["message"] == "Stream created"
    assert httpx.get(server.url + "/status/stream/%60BAR%60/create").status_code == 404


def test_server_metadata_and_cluster_status(server: BackgroundServer) -> None:
    meta = httpx.get(server.url + "/v1/metadata").json()
    assert meta["version"] == "0.29.0"
    assert set(meta["clusterId"]["scope"]["clusters"]) == {"kafka-cluster", "ksql-cluster"}
    assert httpx.get(server.url + "/v1/metadata/id").json() == meta["clusterId"]
    # ClusterStatusResource exists only with ksql.heartbeat.enable=true (KsqlRestApplication)
    missing = httpx.get(server.url + "/clusterStatus")
    assert (missing.status_code, missing.content) == (404, b"")


def test_cluster_status_with_heartbeats(engine: FakeEngine) -> None:
    with BackgroundServer(engine, _config(heartbeat_enabled=True)) as server:  # type: ignore[arg-type]
        status = httpx.get(server.url + "/clusterStatus").json()["clusterStatus"]
        port = server.port
    [(host, entry)] = status.items()
    assert host.endswith(f":{port}") and entry["hostAlive"] is True
    assert set(entry) == {"hostAlive", "lastStatusUpdateMs", "activeStandbyPerQuery", "hostStoreLags"}


# ---- /ksql ---------------------------------------------------------------------------------------------


def test_ksql_returns_entities_to_the_client(server: BackgroundServer) -> None:
    assert KSQLAPI(server.url).ksql("show streams")[0]["@type"] == "streams"


def test_bad_statement_is_400_statement_error_40001(server: BackgroundServer) -> None:
    with pytest.raises(KSQLError) as info:
        KSQLAPI(server.url).ksql("selekt nonsense")
    assert info.value.error_code == 40001
    raw = httpx.post(server.url + "/ksql", json={"ksql": "selekt nonsense;"})
    assert raw.status_code == 400
    assert raw.json()["@type"] == "statement_error"
    assert raw.json()["statementText"] == "selekt nonsense;"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"{not json", "Invalid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"ksql": 5}', "'ksql'"),
        (b'{"ksql": "show streams;", "streamsProperties": [1]}', "streamsProperties"),
        (b"\xff\xfe", "Invalid JSON"),
    ],
)
def test_malformed_requests_are_40000(server: BackgroundServer, body: bytes, fragment: str) -> None:
    response = httpx.post(server.url + "/ksql", content=body)
    assert response.status_code == 400
    assert response.json()["error_code"] == 40000
    assert fragment in response.json()["message"]


def test_engine_bug_is_a_json_500_and_the_server_stays_up(server: BackgroundServer) -> None:
    response = httpx.post(server.url + "/ksql", json={"ksql": "boom;"})
    assert response.status_code == 500
    assert response.json() == {
        "@type": "generic_error",
        "error_code": 50000,
        "message": "RuntimeError: engine bug",
    }
    assert "Traceback" not in response.text
    assert httpx.get(server.url + "/info").status_code == 200


def test_keep_alive_connection_serves_many_requests(server: BackgroundServer) -> None:
    with httpx.Client(base_url=server.url) as client:
        for _ in range(20):
            assert client.post("/ksql", json={"ksql": "show streams;"}).status_code == 200
            assert client.post("/ksql", json={"ksql": "oops;"}).status_code == 400


def test_basic_auth(engine: FakeEngine) -> None:
    config = _config(credentials={"fred": Secret("letmein")})
    with BackgroundServer(engine, config) as running:  # type: ignore[arg-type]
        denied = httpx.get(running.url + "/info")
        assert denied.status_code == 401
        assert denied.json()["error_code"] == 40100
        assert "basic" in denied.headers["www-authenticate"].lower()
        assert httpx.get(running.url + "/info", auth=("fred", "nope")).status_code == 401
        assert httpx.get(running.url + "/info", auth=("fred", "letmein")).status_code == 200
        client = KSQLAPI(running.url, api_key="fred", secret="letmein")
        assert client.ksql("show streams")[0]["@type"] == "streams"


# ---- /query (HTTP/1.1) -----------------------------------------------------------------------------------


def test_query_streams_delimited_chunks_the_client_parses(server: BackgroundServer) -> None:
    chunks = list(KSQLAPI(server.url).query("select * from s emit changes limit 3"))
    header = json.loads(chunks[0])
    assert header["queryId"].startswith("transient_")
    assert header["columnNames"] == ["ID", "NAME", "AMOUNT"]
    assert header["columnTypes"] == ["INTEGER", "STRING", "DOUBLE"]
    assert chunks[1:] == ['[1,"Kai",43.0]\n', '[2,"Hans",12.5]\n', "[3,null,0.1]\n"]


def test_query_parse_true_gives_dicts(server: BackgroundServer) -> None:
    rows = list(KSQLAPI(server.url).query("select * from s emit changes limit 2", parse=True))
    assert rows == [{"ID": 1, "NAME": "Kai", "AMOUNT": 43.0}, {"ID": 2, "NAME": "Hans", "AMOUNT": 12.5}]


def test_query_json_accept_gives_streamed_row_array(server: BackgroundServer) -> None:
    response = httpx.post(
        server.url + "/query",
        json={"ksql": "select * from s emit changes limit 2;"},
        headers={"Accept": "application/json"},
    )
    body = response.json()
    assert body[0]["header"]["schema"] == "`ID` INTEGER, `NAME` STRING, `AMOUNT` DOUBLE"
    assert [element.get("row") for element in body[1:3]] == [
        {"columns": [1, "Kai", 43.0]},
        {"columns": [2, "Hans", 12.5]},
    ]
    assert body[3] == {"finalMessage": "Limit Reached"}
    assert len(body) == 4


def test_pull_query_ends_without_final_message(server: BackgroundServer) -> None:
    response = httpx.post(
        server.url + "/query", json={"ksql": "select * from s;"}, headers={"Accept": "application/json"}
    )
    body = response.json()
    assert len(body) == 4 and "finalMessage" not in body[-1]


def test_query_error_is_400_json(server: BackgroundServer) -> None:
    with pytest.raises(ValueError, match="HTTP error encountered: 400"):
        list(KSQLAPI(server.url).query("show streams"))


def test_idle_push_query_sends_nothing_so_read_timeouts_fire(server: BackgroundServer, engine: FakeEngine) -> None:
    """ksqlDB 0.29 (/query handed to the /query-stream handler): no keep-alive while a push query is idle,
    so a client's read timeout ends a silent query instead of hanging it."""
    timeout = httpx.Timeout(5.0, read=1.0)
    with httpx.stream(
        "POST", server.url + "/query", json={"ksql": "select * from empty emit changes;"}, timeout=timeout
    ) as response:
        chunks = response.iter_raw()
        header = json.loads(next(chunks))
        engine.queries[header["queryId"]].push([[9, "late", 1.5]])
        assert next(chunks) == b'[9,"late",1.5]\n'
        with pytest.raises(httpx.ReadTimeout):
            next(chunks)  # 3 keep-alive intervals of silence: nothing came


def test_legacy_query_writer_sends_keepalive_newlines(server: BackgroundServer, engine: FakeEngine) -> None:
    """With ksql.endpoint.migrate.query=false, /query is the legacy writer: StreamedRow JSON whatever the
    Accept header, and a lone newline every disconnect-check interval while idle."""
    body = {
        "ksql": "select * from empty emit changes;",
        "streamsProperties": {"ksql.endpoint.migrate.query": False},
    }
    with httpx.stream("POST", server.url + "/query", json=body, timeout=5) as response:
        chunks = response.iter_raw()
        header = next(chunks)
        assert header.startswith(b'[{"header":')
        keepalives = [next(chunks) for _ in range(2)]
        assert keepalives == [b"\n", b"\n"]
        assert header.endswith(b"},\n")  # QueryStreamWriter.write: each element ends with ",\n"
        query_id = json.loads(header[1:-2])["header"]["queryId"]
        engine.queries[query_id].push([[9, "late", 1.5]])
        assert next(chunks) == b'{"row":{"columns":[9,"late",1.5]}},\n'


def test_disconnect_closes_the_query(server: BackgroundServer, engine: FakeEngine) -> None:
    with httpx.stream(
        "POST", server.url + "/query", json={"ksql": "select * from empty emit changes;"}
    ) as response:
        header = json.loads(next(response.iter_raw()))
    query = engine.queries[header["queryId"]]
    deadline = time.monotonic() + 5
    while not query.done and time.monotonic() < deadline:
        time.sleep(0.05)
    assert query.done, "the server did not close the query after the client went away"


def test_close_query_ends_the_stream(server: BackgroundServer, engine: FakeEngine) -> None:
    client = KSQLAPI(server.url)
    stream = client.query("select * from empty emit changes")
    query_id = json.loads(next(stream))["queryId"]
    assert client.close_query(query_id) is True
    assert list(stream) == []  # ends without a final row or error line
    assert client.close_query("transient_NOPE_1") is False
    unknown = httpx.post(server.url + "/close-query", content=b'{"queryId": "transient_NOPE_1"}')
    assert unknown.json() == {
        "@type": "generic_error",
        "error_code": 40000,
        "message": "No query with id transient_NOPE_1",
    }


# ---- HTTP/2 --------------------------------------------------------------------------------------------


def test_query_stream_over_http2(server: BackgroundServer) -> None:
    chunks = list(KSQLAPI(server.url).query("select * from s emit changes limit 3", use_http2=True))
    assert json.loads(chunks[0])["columnNames"] == ["ID", "NAME", "AMOUNT"]
    assert chunks[1:] == ['[1,"Kai",43.0]\n', '[2,"Hans",12.5]\n', "[3,null,0.1]\n"]
    with httpx.Client(http2=True, http1=False) as h2:
        response = h2.post(
            server.url + "/query-stream",
            json={"sql": "select * from s emit changes limit 2;"},
            headers={"Accept": "application/json"},
        )
        assert response.http_version == "HTTP/2"
        body = response.json()
        assert body[1:] == [[1, "Kai", 43.0], [2, "Hans", 12.5]]


def test_query_stream_over_http1(server: BackgroundServer) -> None:
    response = httpx.post(server.url + "/query-stream", json={"sql": "select * from s emit changes limit 1;"})
    lines = response.text.splitlines()
    assert json.loads(lines[0])["queryId"].startswith("transient_") and lines[1] == '[1,"Kai",43.0]'


def test_http2_ksql_and_errors(server: BackgroundServer) -> None:
    with httpx.Client(http2=True, http1=False, base_url=server.url) as h2:
        assert h2.post("/ksql", json={"ksql": "show streams;"}).json()[0]["@type"] == "streams"
        bad = h2.post("/ksql", json={"ksql": "nope;"})
        assert bad.status_code == 400 and bad.json()["error_code"] == 40001
        assert h2.get("/missing").status_code == 404


def _wait_done(query: FakeQuery) -> bool:
    deadline = time.monotonic() + 5
    while not query.done and time.monotonic() < deadline:
        time.sleep(0.05)
    return query.done


def test_http2_client_going_away_closes_query(server: BackgroundServer, engine: FakeEngine) -> None:
    with (
        httpx.Client(http2=True, http1=False) as h2,
        h2.stream(
            "POST", server.url + "/query-stream", json={"sql": "select * from empty emit changes;"}
        ) as response,
    ):
        header = json.loads(next(response.iter_raw()))
    assert _wait_done(engine.queries[header["queryId"]])


def test_http2_rst_stream_closes_query_and_keeps_connection(
    server: BackgroundServer, engine: FakeEngine
) -> None:
    import h2.config
    import h2.connection
    import h2.events

    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    conn.initiate_connection()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        body = b'{"sql": "select * from empty emit changes;"}'
        headers = [(":method", "POST"), (":path", "/query-stream"), (":scheme", "http"), (":authority", "x")]
        conn.send_headers(1, headers)
        conn.send_data(1, body, end_stream=True)
        sock.sendall(conn.data_to_send())
        header = b""
        while b"\n" not in header:
            for event in conn.receive_data(sock.recv(65536)):
                if isinstance(event, h2.events.DataReceived):
                    header += event.data
            sock.sendall(conn.data_to_send())
        query = engine.queries[json.loads(header)["queryId"]]
        conn.reset_stream(1)
        sock.sendall(conn.data_to_send())
        assert _wait_done(query), "RST_STREAM did not close the query"
        conn.send_headers(
            3,
            [(":method", "GET"), (":path", "/info"), (":scheme", "http"), (":authority", "x")],
            end_stream=True,
        )
        sock.sendall(conn.data_to_send())
        info = b""
        ended = False
        while not ended:
            for event in conn.receive_data(sock.recv(65536)):
                if isinstance(event, h2.events.DataReceived) and event.stream_id == 3:
                    info += event.data
                ended = ended or (isinstance(event, h2.events.StreamEnded) and event.stream_id == 3)
        assert json.loads(info)["KsqlServerInfo"]["version"] == "0.29.0"


def test_inserts_stream(server: BackgroundServer, engine: FakeEngine) -> None:
    acks = KSQLAPI(server.url).inserts_stream("s1", [{"ID": 1}, {"ID": 2}, {"ID": 3}])
    assert acks == [{"status": "ok", "seq": 0}, {"status": "ok", "seq": 1}, {"status": "ok", "seq": 2}]
    assert [row for _, row in engine.inserted] == [{"ID": 1}, {"ID": 2}, {"ID": 3}]


def test_inserts_stream_stops_at_the_first_bad_row(server: BackgroundServer, engine: FakeEngine) -> None:
    acks = KSQLAPI(server.url).inserts_stream("s1", [{"ID": 1}, {"bad": True}, {"ID": 3}])
    assert acks[0] == {"status": "ok", "seq": 0}
    assert acks[1]["status"] == "error" and acks[1]["seq"] == 1
    assert len(acks) == 2


def test_inserts_stream_unknown_target_and_http1(server: BackgroundServer) -> None:
    with httpx.Client(http2=True, http1=False) as h2:
        unknown = h2.post(server.url + "/inserts-stream", content=b'{"target":"nope"}\n{"ID":1}')
        assert unknown.status_code == 400 and unknown.json()["error_code"] == 40001
    over_h1 = httpx.post(server.url + "/inserts-stream", content=b'{"target":"s1"}\n{"ID":1}')
    assert over_h1.status_code == 400 and over_h1.json()["error_code"] == 40004


# ---- robustness -----------------------------------------------------------------------------------------


def test_garbage_bytes_do_not_hurt_the_server(server: BackgroundServer) -> None:
    host, port = "127.0.0.1", server.port
    for payload in (
        b"\x00\x01\x02garbage\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nxx",
    ):
        with socket.create_connection((host, port), timeout=5) as sock:
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)
            try:
                while sock.recv(65536):
                    pass
            except OSError:
                pass
    assert httpx.get(server.url + "/info").status_code == 200


def test_many_concurrent_push_queries_and_bad_statements(server: BackgroundServer) -> None:
    results: list[int] = []
    errors: list[BaseException] = []

    def push() -> None:
        try:
            rows = list(KSQLAPI(server.url).query("select * from s emit changes limit 3"))
            results.append(len(rows))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=push) for _ in range(20)]
    for thread in threads:
        thread.start()
    with httpx.Client(base_url=server.url) as client:
        codes = {
            client.post("/ksql", json={"ksql": f"garbage {i};"}).json()["error_code"] for i in range(200)
        }
    for thread in threads:
        thread.join(30)
    assert not errors
    assert results == [4] * 20
    assert codes == {40001}


def test_port_in_use_raises_oserror(server: BackgroundServer, engine: FakeEngine) -> None:
    with pytest.raises(OSError):
        BackgroundServer(engine, _config(port=server.port)).start()  # type: ignore[arg-type]


# ---- chunking of streamed rows ---------------------------------------------------------------------------


def _raw_chunks(server: BackgroundServer, path: str, body: dict[str, Any], accept: str | None = None) -> list[bytes]:
    """The chunks of an HTTP/1.1 chunked response, as framed on the wire."""
    host, port = server.url.removeprefix("http://").split(":")
    payload = json.dumps(body).encode()
    accept_line = f"Accept: {accept}\r\n" if accept else ""
    request = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n{accept_line}"
        f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
    ).encode() + payload
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        raw = b""
        while data := sock.recv(65536):
            raw += data
    head, _, rest = raw.partition(b"\r\n\r\n")
    assert b"transfer-encoding: chunked" in head.lower()
    chunks = []
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            return chunks
        chunks.append(rest[:size])
        rest = rest[size + 2 :]


def test_query_stream_over_http1_sends_the_rows_of_a_poll_in_one_chunk(server: BackgroundServer) -> None:
    chunks = _raw_chunks(server, "/query-stream", {"sql": "select * from s;"})
    assert json.loads(chunks[0])["columnNames"] == ["ID", "NAME", "AMOUNT"]
    assert chunks[1:] == [b'[1,"Kai",43.0]\n[2,"Hans",12.5]\n[3,null,0.1]\n']


def test_query_keeps_one_row_per_chunk_for_clients_that_read_chunks(server: BackgroundServer) -> None:
    # ksql-python-ng sends httpx's default `Accept: */*`, which QueryStreamHandler answers delimited
    chunks = _raw_chunks(server, "/query", {"ksql": "select * from s;"}, accept="*/*")
    assert chunks[1:] == [b'[1,"Kai",43.0]\n', b'[2,"Hans",12.5]\n', b"[3,null,0.1]\n"]
