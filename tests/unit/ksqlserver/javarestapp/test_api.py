"""Port of ksqlDB 0.29 `io.confluent.ksql.api.ApiTest` (ksqldb-rest-app): the new API's endpoints (/query-stream,
/close-query, /inserts-stream) as a client sees them: status codes, error objects, formats chosen by Accept.

The Java test runs the Vert.x server on mocked endpoints (TestEndpoints: canned rows, injected failures); here
the real engine serves a stream `TEST_STREAM` with the columns of ApiTest's DEFAULT_INSERT_ROWS. Cases that only
inject endpoint failures (shouldHandleErrorInProcessingQuery / ...Inserts, shouldRejectWhenInternalError...)
or count connections (shouldCloseQueriesOn...ConnectionsWhenConnectionsAreClosed) have no request that reaches
them and are not ported; RestApiTest's port (javarest/test_rest_api.py) covers /info and /v1/metadata."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ksqlserver.drivers.base import Record

COLUMNS = (
    "F_STR STRING, F_INT INTEGER, F_BOOL BOOLEAN, F_LONG BIGINT, F_DOUBLE DOUBLE, F_DECIMAL DECIMAL(10, 4), "
    "F_ARRAY ARRAY<STRING>, F_MAP MAP<STRING, STRING>, F_STRUCT STRUCT<F1 STRING, F2 INTEGER>, F_NULL INTEGER"
)
COLUMN_NAMES = [
    "F_STR", "F_INT", "F_BOOL", "F_LONG", "F_DOUBLE", "F_DECIMAL", "F_ARRAY", "F_MAP", "F_STRUCT", "F_NULL",
]  # fmt: skip
COLUMN_TYPES = [
    "STRING", "INTEGER", "BOOLEAN", "BIGINT", "DOUBLE", "DECIMAL(10, 4)", "ARRAY<STRING>", "MAP<STRING, STRING>",
    "STRUCT<`F1` STRING, `F2` INTEGER>", "INTEGER",
]  # fmt: skip


def insert_rows() -> list[dict[str, Any]]:
    """ApiTest.generateInsertRows"""
    return [
        {
            "f_str": f"foo{i}", "f_int": i, "f_bool": i % 2 == 0, "f_long": i * i, "f_double": i + 0.1111,
            "f_decimal": i + 0.1, "f_array": [f"s{i}", f"t{i}"], "f_map": {f"k{i}": f"v{i}"},
            "f_struct": {"F1": f"v{i}", "F2": i}, "f_null": None,
        }
        for i in range(3)
    ]  # fmt: skip


class App:
    def __init__(self, rest: Any, driver: Any, server: Any) -> None:
        self.rest, self.driver, self.server = rest, driver, server

    def post(self, path: str, body: bytes, accept: str | None = None) -> httpx.Response:
        headers = {"Accept": accept} if accept is not None else {}
        with httpx.Client(http2=True, http1=False, timeout=30) as client:
            return client.post(self.server.url + path, content=body, headers=headers)

    def inserts_body(self, rows: list[Any], tail: str = "") -> bytes:
        lines = [json.dumps({"target": "insert_stream"}), *(json.dumps(r) for r in rows)]
        return ("\n".join(lines) + "\n" + tail).encode()


@pytest.fixture(scope="module")
def app(rest_module: Any) -> Iterator[App]:
    rest = rest_module
    _, driver, server = rest.start()
    driver.create_topic("test-topic", 1, 1)
    driver.produce(
        "test-topic",
        [Record(None, json.dumps({k.upper(): v for k, v in row.items()}).encode(), i, 0)
         for i, row in enumerate(insert_rows())],
    )  # fmt: skip
    driver.create_topic("insert-topic", 1, 1)
    rest.ok(server, f"CREATE STREAM TEST_STREAM ({COLUMNS}) WITH (kafka_topic='test-topic', value_format='json');")
    # the inserts go to a stream of their own, so the queries' rows stay ApiTest's three
    rest.ok(server, f"CREATE STREAM INSERT_STREAM ({COLUMNS}) WITH (kafka_topic='insert-topic', value_format='json');")
    yield App(rest, driver, server)


PULL = "SELECT * FROM TEST_STREAM;"


def _lines(r: httpx.Response) -> list[Any]:
    return [json.loads(line) for line in r.text.split("\n") if line.strip()]


def test_should_execute_pull_query_with_properties(app: App) -> None:
    """ApiTest.shouldExecutePullQuery: 200, the metadata (queryId, columnNames, columnTypes), the rows"""
    body = {"sql": PULL, "properties": {"prop1": "val1", "prop2": 23}}
    r = app.post("/query-stream", json.dumps(body).encode())
    assert r.status_code == 200
    meta, *rows = _lines(r)
    assert meta["columnNames"] == COLUMN_NAMES
    assert meta["columnTypes"] == COLUMN_TYPES
    assert meta["queryId"]
    assert len(rows) == 3
    assert rows[0][:5] == ["foo0", 0, True, 0, 0.1111]


def test_should_execute_pull_query_with_variable_substitution(app: App) -> None:
    """ApiTest.shouldExecutePullQueryWithVariableSubstitution"""
    body = {"sql": "select * from ${name};", "properties": {}, "sessionVariables": {"name": "TEST_STREAM"}}
    r = app.post("/query-stream", json.dumps(body).encode())
    assert r.status_code == 200
    assert _lines(r)[0]["columnNames"] == COLUMN_NAMES


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        # shouldHandleQueryWithMissingSql / shouldHandleMissingQueryIDInCloseQuery / shouldHandleMissingTargetInInserts
        ("/query-stream", b'{"foo":"bar"}', "Invalid JSON in request: Missing required creator property 'sql'"),
        ("/close-query", b'{"foo":"bar"}', "Invalid JSON in request: Missing required creator property 'queryId'"),
        ("/inserts-stream", b"{}\n", "Invalid JSON in request: Missing required creator property 'target'"),
        # shouldRejectMalformedJsonInQueryArgs / shouldRejectMalformedJsonInInsertsStreamArgs
        ("/query-stream", b'{"foo":1',
         "Invalid JSON in request: Unexpected end-of-input: expected close marker for Object"),
        ("/inserts-stream", b'{"foo":1',
         "Invalid JSON in request: Unexpected end-of-input: expected close marker for Object"),
        # shouldHandleUnknownQueryIDInCloseQuery
        ("/close-query", b'{"queryId":"xyzfasgf"}', "No query with id xyzfasgf"),
    ],
)  # fmt: skip
def test_should_reject_bad_requests(app: App, path: str, body: bytes, message: str) -> None:
    """ApiTest: 400 Bad Request, a generic_error with ERROR_CODE_BAD_REQUEST whose message starts so"""
    r = app.post(path, body)
    assert r.status_code == 400
    error = r.json()
    assert error["@type"] == "generic_error"
    assert error["error_code"] == 40000
    assert error["message"].startswith(message)


@pytest.mark.parametrize("sql", ["slllecct * from foo emit changes;", "selllect * from foo where rowkey='123';"])
def test_should_reject_invalid_query(app: App, sql: str) -> None:
    """ApiTest.shouldRejectInvalidPushQuery / shouldRejectInvalidPullQuery: 400 with ERROR_CODE_BAD_STATEMENT"""
    r = app.post("/query-stream", json.dumps({"sql": sql}).encode())
    assert r.status_code == 400
    assert r.json()["error_code"] == 40001
    assert r.json()["message"].startswith("line 1:1: Syntax Error")


def test_should_close_query(app: App) -> None:
    """ApiTest.shouldCloseQuery: /close-query 200 ends the push query's response"""
    body = json.dumps({"sql": "SELECT * FROM TEST_STREAM EMIT CHANGES;", "properties": {"auto.offset.reset": "earliest"}})
    received: list[str] = []
    got = threading.Event()
    done = threading.Event()

    def run() -> None:
        with (
            httpx.Client(http2=True, http1=False, timeout=30) as client,
            client.stream("POST", app.server.url + "/query-stream", content=body.encode()) as r,
        ):
            for line in r.iter_lines():
                if line.strip():
                    received.append(line)
                if len(received) >= 4:
                    got.set()
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert got.wait(15)
    assert not done.is_set()
    query_id = json.loads(received[0])["queryId"]
    assert app.post("/close-query", json.dumps({"queryId": query_id}).encode()).status_code == 200
    assert done.wait(15)


def test_should_insert_with_acks_stream(app: App) -> None:
    """ApiTest.shouldInsertWithAcksStream / shouldStreamInserts / shouldUseDelimitedFormatWhenNoAcceptHeaderInserts
    / ...WhenDelimitedHeaderInserts: one {"status":"ok","seq":i} line per row"""
    for accept in (None, "application/vnd.ksqlapi.delimited.v1"):
        r = app.post("/inserts-stream", app.inserts_body(insert_rows()), accept)
        assert r.status_code == 200
        assert r.text == "".join(f'{{"status":"ok","seq":{i}}}\n' for i in range(3))


def test_should_use_json_format_when_json_header_inserts(app: App) -> None:
    """ApiTest.shouldUseJsonFormatWhenJsonHeaderInserts: the acks as one JSON array"""
    r = app.post("/inserts-stream", app.inserts_body(insert_rows()), "application/json")
    assert r.status_code == 200
    assert r.json() == [{"status": "ok", "seq": i} for i in range(3)]


def test_should_handle_malformed_json_in_inserts_stream(app: App) -> None:
    """ApiTest.shouldHandleMalformedJsonInInsertsStream: 200, the good rows' acks, then an InsertError of five
    fields (ERROR_CODE_BAD_REQUEST, "Invalid JSON in inserts stream", its seq), and the stream ends"""
    r = app.post("/inserts-stream", app.inserts_body(insert_rows()[:2], "{ijqwdijqw"))
    assert r.status_code == 200
    *acks, error = _lines(r)
    assert acks == [{"status": "ok", "seq": 0}, {"status": "ok", "seq": 1}]
    assert error == {
        "@type": "InsertError",
        "error_code": 40000,
        "message": "Invalid JSON in inserts stream",
        "status": "error",
        "seq": 2,
    }
    assert r.text.split("\n")[2] == (
        '{"@type":"InsertError","error_code":40000,"message":"Invalid JSON in inserts stream","status":"error","seq":2}'
    )


def test_should_return_404_for_invalid_uri(app: App) -> None:
    """ApiTest.shouldReturn404ForInvalidUri"""
    assert app.post("/no-such-endpoint", b"").status_code == 404


def test_should_return_406_with_no_matching_accept_header(app: App) -> None:
    """ApiTest.shouldReturn406WithNoMatchingAcceptHeader"""
    r = app.post("/query-stream", json.dumps({"sql": PULL}).encode(), "blahblah")
    assert r.status_code == 406


@pytest.mark.parametrize("accept", [None, "application/vnd.ksqlapi.delimited.v1"])
def test_should_use_delimited_format(app: App, accept: str | None) -> None:
    """ApiTest.shouldUseDelimitedFormatWhenNoAcceptHeaderQuery / ...WhenDelimitedAcceptHeaderQuery: the metadata
    and each row on a line of its own"""
    r = app.post("/query-stream", json.dumps({"sql": PULL}).encode(), accept)
    assert r.status_code == 200
    lines = [line for line in r.text.split("\n") if line]
    assert len(lines) == 4 and isinstance(json.loads(lines[1]), list)


def test_should_use_json_format_when_json_accept_header_query(app: App) -> None:
    """ApiTest.shouldUseJsonFormatWhenJsonAcceptHeaderQuery: one JSON array, the metadata first"""
    r = app.post("/query-stream", json.dumps({"sql": PULL}).encode(), "application/json")
    body = r.json()
    assert len(body) == 4
    assert body[0]["columnNames"] == COLUMN_NAMES and body[0]["columnTypes"] == COLUMN_TYPES
    assert body[1][0] == "foo0"


def test_should_include_content_type_header_in_response(app: App) -> None:
    """ApiTest.shouldIncludeContentTypeHeaderInResponse: /ksql answers application/json"""
    r = httpx.post(app.server.url + "/ksql", json={"ksql": "show streams;"}, timeout=10)
    assert r.headers["content-type"] == "application/json"
