"""Port of ksqlDB 0.29 `io.confluent.ksql.api.integration.ApiIntegrationTest` (ksqldb-rest-app): /query-stream,
/inserts-stream and /close-query over HTTP/2 against a server with `StructuredTypesDataProvider`'s stream
(JSON key, the HEAD header column), as Vert.x's WebClient sends them (no Accept header, so the delimited
format: the metadata object, then one JSON array per row; errors as one JSON object). The data provider's
rows are written here as the JSON its serialisers write."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.server import BackgroundServer

TEST_TOPIC = "STRUCTURED_TYPES_TOPIC"
TEST_STREAM = "STRUCTURED_TYPES_KSTREAM"
AGG_TABLE = "AGG_TABLE"
AN_AGG_KEY = "STRUCT(F1 := ARRAY['a'])"
SCHEMA = (
    "K STRUCT<F1 ARRAY<STRING>> KEY, STR STRING, LONG BIGINT, DEC DECIMAL(4, 2), BYTES_ BYTES, "
    "ARRAY ARRAY<STRING>, MAP MAP<STRING, STRING>, STRUCT STRUCT<F1 INTEGER>, "
    "COMPLEX STRUCT<`DECIMAL` DECIMAL(2, 1), STRUCT STRUCT<F1 STRING, F2 INTEGER>, "
    "ARRAY_ARRAY ARRAY<ARRAY<STRING>>, ARRAY_STRUCT ARRAY<STRUCT<F1 STRING>>, "
    "ARRAY_MAP ARRAY<MAP<STRING, INTEGER>>, MAP_ARRAY MAP<STRING, ARRAY<STRING>>, "
    "MAP_MAP MAP<STRING, MAP<STRING, INTEGER>>, MAP_STRUCT MAP<STRING, STRUCT<F1 STRING>>>, "
    "TIMESTAMP TIMESTAMP, DATE DATE, TIME TIME, HEAD BYTES HEADER('h0')"
)
# StructuredTypesDataProvider.ROWS: key F1, STR, LONG, DEC, BYTES_, ARRAY, MAP, STRUCT.F1, TIMESTAMP, DATE (days), TIME
ROWS: list[tuple[Any, ...]] = [
    ("a", "FOO", 1, 1.11, 1, ["a"], {"k1": "v1"}, 2, 1, 1, 0),
    ("b", "BAR", 2, 2.22, 2, [], {}, 3, 2, 2, 1),
    ("c", "BAZ", 3, 30.33, 3, ["b"], {}, None, 3, 3, 2),
    ("d", "BUZZ", 4, 40.44, 4, ["c", "d"], {}, 88, 4, 4, 3),
    ("c", "BAZ", 5, 12.0, 15, ["e"], {"k1": "v1", "k2": "v2"}, 0, 11, 11, 11),
    ("d", "BUZZ", 6, 10.1, 6, ["f", "g"], {}, None, 12, 12, 12),
]
COMPLEX_FIELD_VALUE = {
    "DECIMAL": 1.1, "STRUCT": {"F1": "foo", "F2": 3}, "ARRAY_ARRAY": [["bar"]], "ARRAY_STRUCT": [{"F1": "x"}],
    "ARRAY_MAP": [{"k": 10}], "MAP_ARRAY": {"k": ["e1", "e2"]}, "MAP_MAP": {"k1": {"k2": 5}},
    "MAP_STRUCT": {"k": {"F1": "baz"}},
}  # fmt: skip
BYTES_012 = base64.b64encode(bytes([0, 1, 2])).decode()  # Vert.x JsonObject.put(byte[]) writes base64


def complex_value(i: int) -> dict[str, Any]:
    """StructuredTypesDataProvider.generateComplexStructValue(i)"""
    return {
        "DECIMAL": float(i), "STRUCT": {"F1": f"v{i}", "F2": i}, "ARRAY_ARRAY": [["foo"]],
        "ARRAY_STRUCT": [{"F1": f"v{i}"}], "ARRAY_MAP": [{"k1": i}], "MAP_ARRAY": {"k": [f"v{i}"]},
        "MAP_MAP": {"k": {"k": i}}, "MAP_STRUCT": {"k": {"F1": f"v{i}"}},
    }  # fmt: skip


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _record(i: int) -> Record:
    key, s, long_, dec, byte, arr, map_, struct, ts, date, time_ = ROWS[i]
    value = {
        "STR": s, "LONG": long_, "DEC": dec, "BYTES_": base64.b64encode(bytes([byte])).decode(), "ARRAY": arr,
        "MAP": map_, "STRUCT": {"F1": struct}, "COMPLEX": complex_value(i), "TIMESTAMP": ts, "DATE": date,
        "TIME": time_,
    }  # fmt: skip
    return Record(_compact({"F1": [key]}).encode(), _compact(value).encode(), 0, 0, 0, (("h0", bytes([23])),))


def printed(i: int) -> str:
    """The key and value text of row i in a PRINT line: the topic's bytes as they are"""
    r = _record(i)
    assert r.key is not None and r.value is not None
    return f"key: {r.key.decode()}, value: {r.value.decode()}, partition: 0"


class Response:
    """The Java test's QueryResponse / PrintResponse / InsertsResponse: the body's lines as JSON (or text)."""

    def __init__(self, r: httpx.Response) -> None:
        self.status = r.status_code
        self.text = r.text
        self.lines = [line for line in r.text.split("\n") if line.strip()]
        first = json.loads(self.lines[0]) if self.lines and self.lines[0].startswith("{") else None
        self.response_object: dict[str, Any] = first if isinstance(first, dict) else {}
        self.rows: list[list[Any]] = []
        self.acks: list[dict[str, Any]] = []
        self.error: dict[str, Any] | None = None
        for line in self.lines[1:] if first is not None and "status" not in first else self.lines:
            if not line.startswith(("{", "[")):
                continue
            obj = json.loads(line)
            if isinstance(obj, list):
                self.rows.append(obj)
            elif obj.get("status") == "ok":
                self.acks.append(obj)
            else:
                self.error = obj

    @property
    def print_rows(self) -> list[str]:
        """PrintResponse: the lines that are not the formats' header lines"""
        return [line for line in self.lines if line.startswith("rowtime:")]


class App:
    def __init__(self, rest: Any, engine: Any, server: BackgroundServer) -> None:
        self.rest, self.engine, self.server = rest, engine, server

    def post(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
        with httpx.Client(http2=True, http1=False, timeout=30) as client:
            return client.post(self.server.url + path, content=body, headers=headers or {})

    def query(self, sql: str, variables: dict[str, Any] | None = None, **properties: Any) -> Response:
        body = {"sql": sql, "properties": properties, "sessionVariables": variables or {}}
        return Response(self.post("/query-stream", json.dumps(body).encode()))

    def inserts(self, target: str, rows: list[dict[str, Any]]) -> Response:
        body = json.dumps({"target": target, "properties": {}}) + "\n" + "".join(json.dumps(r) + "\n" for r in rows)
        return Response(self.post("/inserts-stream", body.encode()))

    def live_queries(self) -> int:
        [entity] = self.rest.ok(self.server, "SHOW QUERIES;")
        return len(entity["queries"])


@pytest.fixture(scope="module")
def app(rest_module: Any) -> Iterator[App]:
    rest = rest_module
    engine, driver, server = rest.start(
        {"ksql.persistence.default.format.key": "JSON", "ksql.headers.columns.enabled": "true"}
    )
    driver.create_topic(TEST_TOPIC, 1, 1)
    driver.produce(TEST_TOPIC, [_record(i) for i in range(len(ROWS))])
    rest.ok(server, f"CREATE STREAM {TEST_STREAM} ({SCHEMA}) WITH (kafka_topic='{TEST_TOPIC}', value_format='json');")
    rest.ok(server, f"CREATE TABLE {AGG_TABLE} AS SELECT K, LATEST_BY_OFFSET(LONG) AS LONG FROM {TEST_STREAM} GROUP BY K;")
    yield App(rest, engine, server)


# ---- push and pull queries ----------------------------------------------------------------------------------


def test_should_execute_push_query_with_limit(app: App) -> None:
    """ApiIntegrationTest.shouldExecutePushQueryWithLimit"""
    response = app.query(f"SELECT * from {TEST_STREAM} EMIT CHANGES LIMIT 2;")
    assert response.status == 200, response.text
    assert len(response.rows) == 2
    assert response.response_object["columnNames"] == [
        "K", "STR", "LONG", "DEC", "BYTES_", "ARRAY", "MAP", "STRUCT", "COMPLEX", "TIMESTAMP", "DATE", "TIME", "HEAD",
    ]  # fmt: skip
    assert response.response_object["columnTypes"] == [
        "STRUCT<`F1` ARRAY<STRING>>", "STRING", "BIGINT", "DECIMAL(4, 2)", "BYTES", "ARRAY<STRING>",
        "MAP<STRING, STRING>", "STRUCT<`F1` INTEGER>",
        "STRUCT<`DECIMAL` DECIMAL(2, 1), `STRUCT` STRUCT<`F1` STRING, `F2` INTEGER>, "
        "`ARRAY_ARRAY` ARRAY<ARRAY<STRING>>, `ARRAY_STRUCT` ARRAY<STRUCT<`F1` STRING>>, "
        "`ARRAY_MAP` ARRAY<MAP<STRING, INTEGER>>, `MAP_ARRAY` MAP<STRING, ARRAY<STRING>>, "
        "`MAP_MAP` MAP<STRING, MAP<STRING, INTEGER>>, `MAP_STRUCT` MAP<STRING, STRUCT<`F1` STRING>>>",
        "TIMESTAMP", "DATE", "TIME", "BYTES",
    ]  # fmt: skip
    assert response.response_object["queryId"] is not None


def test_should_execute_push_query_with_variable_substitution(app: App) -> None:
    """ApiIntegrationTest.shouldExecutePushQueryWithVariableSubstitution"""
    response = app.query(f"SELECT DEC AS ${{name}} from {TEST_STREAM} EMIT CHANGES LIMIT 2;", {"name": "COL"})
    assert len(response.rows) == 2
    assert response.response_object["columnNames"] == ["COL"]
    assert response.response_object["columnTypes"] == ["DECIMAL(4, 2)"]
    assert response.response_object["queryId"] is not None


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        # shouldFailPushQueryWithInvalidSql
        (f"SLECTT * from {TEST_STREAM} EMIT CHANGES;",
         "line 1:1: Syntax Error\nUnknown statement 'SLECTT'\nDid you mean 'SELECT'?"),
        # shouldFailPushQueryWithMoreThanOneStatement
        (f"SELECT * from {TEST_STREAM} EMIT CHANGES;SELECT * from {TEST_STREAM} EMIT CHANGES;",
         "Expected exactly one KSQL statement; found 2 instead"),
        # shouldFailPushWithNonQuery
        (f"CREATE STREAM SOME_STREAM AS SELECT * from {TEST_STREAM} EMIT CHANGES;",
         "Neither a query nor a print statement"),
        # shouldFailPullQueryWithInvalidSql
        (f"SLLLECET * from {AGG_TABLE} WHERE STR='{AN_AGG_KEY}';",
         "line 1:1: Syntax Error\nUnknown statement 'SLLLECET'\nDid you mean 'SELECT'?"),
        # shouldFailPullQueryWithMoreThanOneStatement
        (f"SELECT * from {AGG_TABLE} WHERE K={AN_AGG_KEY};SELECT * from {AGG_TABLE} WHERE K={AN_AGG_KEY};",
         "Expected exactly one KSQL statement; found 2 instead"),
    ],
)  # fmt: skip
def test_should_fail_to_execute_query(app: App, sql: str, message: str) -> None:
    """ApiIntegrationTest.shouldFailPushQueryWithInvalidSql / ...WithMoreThanOneStatement / shouldFailPushWithNonQuery
    / shouldFailPullQueryWithInvalidSql / ...WithMoreThanOneStatement (shouldFailToExecuteQuery: 40001)"""
    response = app.query(sql)
    assert response.rows == []
    assert response.response_object["error_code"] == 40001
    assert response.response_object["message"].startswith(message)


def test_should_execute_push_query_no_limit_and_close_it(app: App) -> None:
    """ApiIntegrationTest.shouldExecutePushQueryNoLimit: the rows arrive, the response stays open until
    /close-query (200), then ends with 200, and the transient query is gone"""
    before = app.live_queries()
    body = json.dumps({"sql": f"SELECT * from {TEST_STREAM} EMIT CHANGES;", "properties": {}}).encode()
    received: list[str] = []
    ended = threading.Event()
    got_rows = threading.Event()
    status: list[int] = []

    def stream() -> None:
        with (
            httpx.Client(http2=True, http1=False, timeout=30) as client,
            client.stream("POST", app.server.url + "/query-stream", content=body) as r,
        ):
            status.append(r.status_code)
            for line in r.iter_lines():
                if line.strip():
                    received.append(line)
                if len(received) >= 7:
                    got_rows.set()
        ended.set()

    t = threading.Thread(target=stream, daemon=True)
    t.start()
    assert got_rows.wait(15)
    assert not ended.is_set()
    assert app.live_queries() == before + 1
    query_id = json.loads(received[0])["queryId"]
    close = app.post("/close-query", json.dumps({"queryId": query_id}).encode())
    assert close.status_code == 200
    assert ended.wait(15)
    assert status == [200]
    assert app.rest.eventually(app.live_queries, lambda n: n == before) == before


def test_should_execute_pull_query(app: App) -> None:
    """ApiIntegrationTest.shouldExecutePullQuery / shouldExecutePullQueryWithVariableSubstitution"""
    for sql, variables in (
        (f"SELECT * from {AGG_TABLE} WHERE K={AN_AGG_KEY};", {}),
        (f"SELECT * from ${{AGG_TABLE}} WHERE K={AN_AGG_KEY};", {"AGG_TABLE": AGG_TABLE}),
    ):
        response = app.rest.eventually(lambda s=sql, v=variables: app.query(s, v), lambda r: len(r.rows) == 1)
        assert response.response_object["columnNames"] == ["K", "LONG"]
        assert response.response_object["columnTypes"] == ["STRUCT<`F1` ARRAY<STRING>>", "BIGINT"]
        assert response.response_object["queryId"].startswith("query_")
        assert response.rows == [[{"F1": ["a"]}, 1]]


def test_should_execute_push_query_from_latest_offset(app: App) -> None:
    """ApiIntegrationTest.shouldExecutePushQueryFromLatestOffset: auto.offset.reset=latest sees only the row
    inserted after it started, read back with every type"""
    before = app.live_queries()
    body = json.dumps(
        {"sql": f"SELECT * from {TEST_STREAM} EMIT CHANGES LIMIT 1;", "properties": {"auto.offset.reset": "latest"}}
    ).encode()
    result: list[httpx.Response] = []
    t = threading.Thread(target=lambda: result.append(app.post("/query-stream", body)), daemon=True)
    t.start()
    app.rest.eventually(app.live_queries, lambda n: n == before + 1)
    row = {
        "K": {"F1": ["my_key_shouldExecutePushQueryFromLatestOffset"]},
        "STR": "Value_shouldExecutePushQueryFromLatestOffset", "LONG": 2000, "DEC": 12.34, "BYTES_": BYTES_012,
        "ARRAY": ["a_shouldExecutePushQueryFromLatestOffset"],
        "MAP": {"k1": "v1_shouldExecutePushQueryFromLatestOffset"}, "STRUCT": {"F1": 3},
        "COMPLEX": COMPLEX_FIELD_VALUE,
    }  # fmt: skip
    while t.is_alive():
        assert len(app.inserts(TEST_STREAM, [row]).acks) == 1
        t.join(0.3)
    response = Response(result[0])
    assert len(response.rows) == 1
    assert response.rows[0][:9] == [
        row["K"], row["STR"], 2000, 12.34, BYTES_012, row["ARRAY"], row["MAP"], {"F1": 3}, COMPLEX_FIELD_VALUE
    ]
    assert app.rest.eventually(app.live_queries, lambda n: n == before) == before


# ---- inserts ------------------------------------------------------------------------------------------------


def a_row(**changes: Any) -> dict[str, Any]:
    row = {
        "K": {"F1": ["my_key"]}, "STR": "HELLO", "LONG": 1000, "DEC": 12.21, "BYTES_": BYTES_012,
        "ARRAY": ["a", "b"], "MAP": {"k1": "v1", "k2": "v2"}, "STRUCT": {"F1": 3}, "COMPLEX": COMPLEX_FIELD_VALUE,
    }  # fmt: skip
    row.update(changes)
    return {k: v for k, v in row.items() if v is not ...}


def test_should_execute_inserts(app: App) -> None:
    """ApiIntegrationTest.shouldExecuteInserts: one ack per row, every seq 0..9"""
    rows = [
        a_row(K={"F1": [f"my_key_{i}"]}, STR=f"Value_{i}", LONG=1000 + i, DEC=i + 0.11, BYTES_=...,
              ARRAY=[f"a_{i}", f"b_{i}"], MAP={"k1": f"v1_{i}", "k2": f"v2_{i}"}, STRUCT={"F1": i})
        for i in range(10)
    ]  # fmt: skip
    response = app.inserts(TEST_STREAM, rows)
    assert response.status == 200
    assert response.error is None
    assert {ack["seq"] for ack in response.acks} == set(range(10))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (a_row(K=...), "Key field must be specified: K"),  # shouldFailToInsertWithMissingKey
        (a_row(K="bad type"),  # shouldFailToInsertWithNonMatchingKeyType
         "Can't coerce a field of type class java.lang.String into type STRUCT<`F1` ARRAY<STRING>>"),
        (a_row(LONG="not a number"),  # shouldFailToInsertWithNonMatchingValueType
         "Can't coerce a field of type class java.lang.String into type BIGINT"),
        # shouldTreatInsertColumnNamesAsCaseSensitiveIfQuotedWithBackticks / ...WithDoubleQuotes
        ({**a_row(K=...), "`k`": {"F1": ["my_key"]}}, "Key field must be specified: K"),
        ({**a_row(K=...), '"k"': {"F1": ["my_key"]}}, "Key field must be specified: K"),
    ],
)  # fmt: skip
def test_should_fail_to_insert(app: App, row: dict[str, Any], message: str) -> None:
    """ApiIntegrationTest.shouldFailToInsert...: 200, no ack, an error object with 40000"""
    response = app.inserts(TEST_STREAM, [row])
    assert response.status == 200
    assert response.acks == []
    assert response.error is not None
    assert response.error["error_code"] == 40000
    assert response.error["message"].startswith(message)


def test_should_insert_with_missing_value_field(app: App) -> None:
    """ApiIntegrationTest.shouldInsertWithMissingValueField"""
    response = app.inserts(TEST_STREAM, [a_row(LONG=...)])
    assert response.status == 200 and len(response.acks) == 1 and response.error is None


def test_should_insert_with_case_insensitivity(app: App) -> None:
    """ApiIntegrationTest.shouldInsertWithCaseInsensitivity: lower-case target, column and field names"""
    row = {
        "k": {"f1": ["my_key"]}, "str": "HELLO", "dec": 12.21, "bytes_": BYTES_012, "array": ["a", "b"],
        "map": {"k1": "v1", "k2": "v2"}, "struct": {"f1": 3}, "COMPLEX": COMPLEX_FIELD_VALUE,
    }  # fmt: skip
    response = app.inserts(TEST_STREAM.lower(), [row])
    assert response.status == 200 and len(response.acks) == 1 and response.error is None


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        (f"`{TEST_STREAM.lower()}`", f"`{TEST_STREAM.lower()}`"),  # ...IfQuotedWithBackticks
        (f'"{TEST_STREAM.lower()}"', f"`{TEST_STREAM.lower()}`"),  # ...IfQuotedWithDoubleQuotes
    ],
)
def test_should_treat_insert_target_as_case_sensitive_if_quoted(app: App, target: str, shown: str) -> None:
    """ApiIntegrationTest.shouldTreatInsertTargetAsCaseSensitiveIfQuotedWithBackticks / ...WithDoubleQuotes
    (shouldRejectInsertRequest: 400, 40001)"""
    response = app.inserts(target, [a_row()])
    assert response.status == 400
    assert response.response_object["error_code"] == 40001
    assert response.response_object["message"] == (
        f"Cannot insert values into an unknown stream/table: {shown}"
        "\nDid you mean STRUCTURED_TYPES_KSTREAM? Hint: try removing double quotes from the source name."
    )


# ---- PRINT ----------------------------------------------------------------------------------------------------


def test_should_execute_print_from_beginning_with_limit(app: App) -> None:
    """ApiIntegrationTest.shouldExecutePrintQueryFromBeginningWithLimit / shouldExecutePrint (LIMIT 1)"""
    response = app.query(f"PRINT {TEST_TOPIC} FROM BEGINNING LIMIT 3;")
    assert len(response.print_rows) == 3
    for i, line in enumerate(response.print_rows):
        assert line.startswith("rowtime:")
        assert printed(i) in line
    assert [printed(0) in line for line in app.query(f"PRINT {TEST_TOPIC} FROM BEGINNING LIMIT 1;").print_rows] == [
        True
    ]


def test_should_execute_print_from_earliest_offset_with_limit(app: App) -> None:
    """ApiIntegrationTest.shouldExecutePrintQueryFromEarliestOffsetWithLimit: auto.offset.reset=earliest in the
    request's properties starts a PRINT without FROM BEGINNING at the start"""
    response = app.query(f"PRINT {TEST_TOPIC} LIMIT 3;", **{"auto.offset.reset": "earliest"})
    assert len(response.print_rows) == 3
    for i, line in enumerate(response.print_rows):
        assert printed(i) in line


def test_should_execute_print_no_limit(app: App) -> None:
    """ApiIntegrationTest.shouldExecutePrintQueryNoLimit: the sixth row arrives, the response stays open"""
    body = json.dumps({"sql": f"PRINT {TEST_TOPIC} FROM BEGINNING;"}).encode()
    received: list[str] = []
    with (
        httpx.Client(http2=True, http1=False, timeout=30) as client,
        client.stream("POST", app.server.url + "/query-stream", content=body) as r,
    ):
        assert r.status_code == 200
        for line in r.iter_lines():
            if line.startswith("rowtime:"):
                received.append(line)
            if len(received) >= 6:
                break
    assert printed(5) in received[5]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("PRINT `NON_EXISTING_TOPIC`;", "Topic does not exist: NON_EXISTING_TOPIC"),
        ("PRONT `NON_EXISTING_TOPIC`;",
         "line 1:1: Syntax Error\nUnknown statement 'PRONT'\nDid you mean 'PRINT'?\nStatement: PRONT `NON_EXISTING_TOPIC`;"),
    ],
)  # fmt: skip
def test_should_fail_to_print(app: App, sql: str, message: str) -> None:
    """ApiIntegrationTest.shouldFailToPrintNonExistingTopic / shouldFailToPrintWithInvalidSql"""
    response = app.query(sql)
    assert response.print_rows == []
    assert response.response_object["error_code"] == 40001
    assert response.response_object["message"].startswith(message)


def test_should_fail_to_print_in_json_format(app: App) -> None:
    """ApiIntegrationTest.shouldFailToPrintInJsonFormat: 406 Not Acceptable"""
    body = json.dumps({"sql": f"PRINT {TEST_TOPIC} FROM BEGINNING LIMIT 1;"}).encode()
    r = app.post("/query-stream", body, {"Accept": "application/json"})
    assert r.status_code == 406
    assert r.reason_phrase in ("Not Acceptable", "")  # HTTP/2 carries no reason phrase


def test_should_reject_badly_quoted_insert_target(app: App) -> None:
    """InsertsStreamEndpoint.createInsertsSubscriber: a target Identifiers.getIdentifierText refuses is a 400
    "Invalid target name: <reason>" (40001)"""
    response = app.inserts(f"`{TEST_STREAM}", [a_row()])
    assert response.status == 400
    assert response.response_object["error_code"] == 40001
    assert response.response_object["message"] == "Invalid target name: Expected matching quote at end of value"
