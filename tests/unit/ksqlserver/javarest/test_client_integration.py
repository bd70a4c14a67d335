"""Port of ksqlDB 0.29 `io.confluent.ksql.api.client.integration.ClientIntegrationTest` (ksqldb-api-client):
what the Java client sends (HTTP/2 prior knowledge; /query-stream with Accept application/vnd.ksql.v1+json;
/ksql; /close-query) and the answers it expects, checked over HTTP.

The data is `StructuredTypesDataProvider`'s rows with a JSON key (ksql.persistence.default.format.key=JSON)
and header `h0` = [23], as the Java class produces them, except that the deeply nested COMPLEX column is
null here (its value generator is not ported). Connector tests need a Connect worker and are not ported.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.server import BackgroundServer

TEST_TOPIC = "STRUCTURED_TYPES_TOPIC"
TEST_STREAM = "STRUCTURED_TYPES_KSTREAM"
EMPTY_TEST_TOPIC = "EMPTY_STRUCTURED_TYPES_TOPIC"
EMPTY_TEST_STREAM = "EMPTY_STRUCTURED_TYPES_KSTREAM"
AGG_TABLE = "AGG_TABLE"
AN_AGG_KEY = "STRUCT(F1 := ARRAY['a'])"
PUSH_QUERY = f"SELECT * FROM {TEST_STREAM} EMIT CHANGES;"
PULL_QUERY_ON_STREAM = f"SELECT * FROM {TEST_STREAM};"
PULL_QUERY_ON_TABLE = f"SELECT * from {AGG_TABLE} WHERE K={AN_AGG_KEY};"
PUSH_QUERY_LIMIT_NUM_ROWS = 2
PUSH_QUERY_WITH_LIMIT = f"SELECT * FROM {TEST_STREAM} EMIT CHANGES LIMIT {PUSH_QUERY_LIMIT_NUM_ROWS};"
TEST_COLUMN_NAMES = [
    "K", "STR", "LONG", "DEC", "BYTES_", "ARRAY", "MAP", "STRUCT", "COMPLEX", "TIMESTAMP", "DATE", "TIME", "HEAD",
]  # fmt: skip
TEST_COLUMN_TYPES = [
    "STRUCT", "STRING", "BIGINT", "DECIMAL", "BYTES", "ARRAY", "MAP", "STRUCT", "STRUCT", "TIMESTAMP", "DATE",
    "TIME", "BYTES",
]  # fmt: skip
SCHEMA = (
    "K STRUCT<F1 ARRAY<STRING>> KEY, STR STRING, LONG BIGINT, DEC DECIMAL(4, 2), BYTES_ BYTES, "
    "ARRAY ARRAY<STRING>, MAP MAP<STRING, STRING>, STRUCT STRUCT<F1 INTEGER>, "
    "COMPLEX STRUCT<`DECIMAL` DECIMAL(2, 1), STRUCT STRUCT<F1 STRING, F2 INTEGER>, "
    "ARRAY_ARRAY ARRAY<ARRAY<STRING>>, ARRAY_STRUCT ARRAY<STRUCT<F1 STRING>>, "
    "ARRAY_MAP ARRAY<MAP<STRING, INTEGER>>, MAP_ARRAY MAP<STRING, ARRAY<STRING>>, "
    "MAP_MAP MAP<STRING, MAP<STRING, INTEGER>>, MAP_STRUCT MAP<STRING, STRUCT<F1 STRING>>>, "
    "TIMESTAMP TIMESTAMP, DATE DATE, TIME TIME, HEAD BYTES HEADER('h0')"
)
DAY = 86_400_000
# StructuredTypesDataProvider.ROWS: key F1, STR, LONG, DEC, BYTES_, ARRAY, MAP, STRUCT.F1, TIMESTAMP, DATE, TIME
ROWS: list[tuple[Any, ...]] = [
    ("a", "FOO", 1, "1.11", 1, ["a"], {"k1": "v1"}, 2, 1, DAY, 0),
    ("b", "BAR", 2, "2.22", 2, [], {}, 3, 2, DAY * 2, 1),
    ("c", "BAZ", 3, "30.33", 3, ["b"], {}, None, 3, DAY * 3, 2),
    ("d", "BUZZ", 4, "40.44", 4, ["c", "d"], {}, 88, 4, DAY * 4, 3),
    ("c", "BAZ", 5, "12.0", 15, ["e"], {"k1": "v1", "k2": "v2"}, 0, 11, DAY * 11, 11),
    ("d", "BUZZ", 6, "10.1", 6, ["f", "g"], {}, None, 12, DAY * 12, 12),
]
# SqlTimeTypes.formatTime: LocalTime.ofSecondOfDay(ms / 1000).toString(): whole seconds, none when zero
TIMES = {0: "00:00", 1: "00:00", 2: "00:00", 3: "00:00", 11: "00:00", 12: "00:00"}
DATES = {1: "1970-01-02", 2: "1970-01-03", 3: "1970-01-04", 4: "1970-01-05", 11: "1970-01-12", 12: "1970-01-13"}
HEAD = base64.b64encode(bytes([23])).decode()


def _record(row: tuple[Any, ...]) -> Record:
    key, s, long_, dec, byte, arr, map_, struct, ts, date, time_ = row
    value = {
        "STR": s, "LONG": long_, "DEC": float(dec), "BYTES_": base64.b64encode(bytes([byte])).decode(),
        "ARRAY": arr, "MAP": map_, "STRUCT": {"F1": struct}, "COMPLEX": None, "TIMESTAMP": ts,
        "DATE": date // DAY, "TIME": time_,
    }  # fmt: skip
    return Record(json.dumps({"F1": [key]}).encode(), json.dumps(value).encode(), 0, 0, 0, (("h0", bytes([23])),))


def expected_row(i: int) -> list[Any]:
    """ClientIntegrationTest.convertToClientRows: what the client hands out for row i."""
    key, s, long_, dec, byte, arr, map_, struct, ts, date, time_ = ROWS[i]
    return [
        {"F1": [key]}, s, long_, float(dec), base64.b64encode(bytes([byte])).decode(), arr, map_, {"F1": struct},
        None, f"1970-01-01T00:00:00.{ts:03d}", DATES[date // DAY], TIMES[time_], HEAD,
    ]  # fmt: skip


class App:
    def __init__(self, rest: Any, server: BackgroundServer) -> None:
        self.rest, self.server = rest, server

    def query(self, sql: str, **extra: Any) -> Any:
        return self.rest.client_query(self.server, sql, **extra)

    def ksql(self, sql: str) -> httpx.Response:
        r: httpx.Response = self.rest.ksql(self.server, sql)
        return r


@pytest.fixture(scope="module")
def app(rest_module: Any) -> Iterator[App]:
    rest = rest_module
    _, driver, server = rest.start(
        {"ksql.persistence.default.format.key": "JSON", "ksql.headers.columns.enabled": "true"}
    )
    # EmbeddedSingleNodeKafkaCluster runs its broker with log.retention.ms=-1: its topics' retention.ms
    driver.create_topic(TEST_TOPIC, 1, 1, {"retention.ms": "-1"})
    driver.create_topic(EMPTY_TEST_TOPIC, 1, 1)
    driver.produce(TEST_TOPIC, [_record(r) for r in ROWS])
    for stream, topic in ((TEST_STREAM, TEST_TOPIC), (EMPTY_TEST_STREAM, EMPTY_TEST_TOPIC)):
        rest.ok(server, f"CREATE STREAM {stream} ({SCHEMA}) WITH (kafka_topic='{topic}', value_format='json');")
    rest.ok(server, f"CREATE TABLE {AGG_TABLE} AS SELECT K, LATEST_BY_OFFSET(LONG) AS LONG FROM {TEST_STREAM} GROUP BY K;")
    a = App(rest, server)
    rest.eventually(lambda: a.query(f"SELECT * FROM {AGG_TABLE};").rows, lambda rows: len(rows) == 4)
    yield a


def _check_header(result: Any, names: list[str] = TEST_COLUMN_NAMES, types: list[str] = TEST_COLUMN_TYPES) -> None:
    assert result.status == 200, result.error
    assert result.names == names
    assert result.types == types
    assert result.query_id is not None


def test_should_stream_push_query_with_limit(app: App) -> None:
    """ClientIntegrationTest.shouldStreamPushQueryWithLimitSync / ...Async / shouldExecutePushWithLimitQuery"""
    result = app.query(PUSH_QUERY_WITH_LIMIT)
    _check_header(result)
    assert result.rows == [expected_row(0), expected_row(1)]
    assert result.final == "Limit Reached"


def test_should_stream_pull_query_on_stream(app: App) -> None:
    """ClientIntegrationTest.shouldStreamPullQueryOnStreamSync / ...Async"""
    result = app.query(PULL_QUERY_ON_STREAM)
    _check_header(result)
    assert result.rows == [expected_row(i) for i in range(6)]
    assert result.final == "Query Completed"


def test_should_stream_pull_query_on_empty_stream(app: App) -> None:
    """ClientIntegrationTest.shouldStreamPullQueryOnEmptyStreamSync"""
    result = app.query(f"SELECT * FROM {EMPTY_TEST_STREAM};")
    _check_header(result)
    assert result.rows == []


def test_should_stream_pull_query_on_table(app: App) -> None:
    """ClientIntegrationTest.shouldStreamPullQueryOnTableSync / ...Async / shouldExecutePullQuery"""
    result = app.query(PULL_QUERY_ON_TABLE)
    _check_header(result, ["K", "LONG"], ["STRUCT", "BIGINT"])
    assert result.rows == [[{"F1": ["a"]}, 1]]


def test_should_execute_pull_query_with_variables(app: App) -> None:
    """ClientIntegrationTest.shouldExecutePullQueryWithVariables (Client.define: sessionVariables)"""
    result = app.query(
        "SELECT ${value} from ${AGG_TABLE} WHERE K=STRUCT(F1 := ARRAY['a']);",
        sessionVariables={"AGG_TABLE": AGG_TABLE, "value": False},
    )
    assert result.status == 200, result.error
    assert result.rows[0][0] is False  # Row.getBoolean(1): the client's getters count from 1


def test_should_execute_push_query_with_variables(app: App) -> None:
    """ClientIntegrationTest.shouldExecutePushQueryWithVariables"""
    result = app.query(
        f"SELECT ${{number}} FROM ${{TEST_STREAM}} EMIT CHANGES LIMIT {PUSH_QUERY_LIMIT_NUM_ROWS};",
        sessionVariables={"TEST_STREAM": TEST_STREAM, "number": 4567},
    )
    assert result.status == 200, result.error
    assert result.rows[0][0] == 4567


def test_should_handle_error_response_from_stream_query(app: App) -> None:
    """ClientIntegrationTest.shouldHandleErrorResponseFromStreamQuery"""
    result = app.query("SELECT * FROM NONEXISTENT EMIT CHANGES;")
    assert "Received 400 response from server" in result.client_error()
    assert "NONEXISTENT does not exist" in result.client_error()


def test_should_handle_error_response_from_execute_query(app: App) -> None:
    """ClientIntegrationTest.shouldHandleErrorResponseFromExecuteQuery"""
    result = app.query("SELECT * from A_FAKE_TABLE_NAME;")
    assert "Received 400 response from server" in result.client_error()
    assert "A_FAKE_TABLE_NAME does not exist." in result.client_error()


def test_should_terminate_push_query_issued_via_stream_query(app: App) -> None:
    """ClientIntegrationTest.shouldTerminatePushQueryIssuedViaStreamQuery: /close-query ends the stream"""
    body = {"sql": PUSH_QUERY, "properties": {}, "sessionVariables": {}, "requestProperties": {}}
    with (
        httpx.Client(http2=True, http1=False, timeout=30) as client,
        client.stream(
            "POST", app.server.url + "/query-stream", json=body, headers={"Accept": "application/vnd.ksql.v1+json"}
        ) as r,
    ):
        lines = r.iter_lines()
        header = json.loads(next(lines)[1:].rstrip(","))
        query_id = header["header"]["queryId"]
        assert query_id
        closed = client.post(app.server.url + "/close-query", json={"queryId": query_id})
        assert closed.status_code == 200
        rest = list(lines)  # the response ends: the query is complete
    assert [line.startswith('{"row"') for line in rest] == [True] * 6 + [False]


def test_should_handle_error_response_from_terminate_push_query(app: App) -> None:
    """ClientIntegrationTest.shouldHandleErrorResponseFromTerminatePushQuery"""
    with httpx.Client(http2=True, http1=False, timeout=30) as client:
        r = client.post(app.server.url + "/close-query", json={"queryId": "NONEXISTENT"})
    assert r.status_code == 400
    assert "No query with id NONEXISTENT" in r.json()["message"]


def test_should_execute_plain_http_requests(app: App) -> None:
    """ClientIntegrationTest.shouldExecutePlainHttpRequests and shouldGetServerInfo"""
    with httpx.Client(http2=True, http1=False, timeout=30) as client:
        r = client.get(app.server.url + "/info")
    assert r.status_code == 200
    info = r.json()["KsqlServerInfo"]
    assert info["serverStatus"] == "RUNNING"
    assert info["ksqlServiceId"] == "default_"
    assert info["version"] and "kafkaClusterId" in info  # no Kafka cluster (in-memory topics): no id


def _statement_error(app: App, sql: str) -> str:
    r = app.ksql(sql)
    body = r.json()
    return f"Received {r.status_code} response from server: {body['message']}. Error code: {body['error_code']}"


def test_should_handle_invalid_sql_in_execute_statement(app: App) -> None:
    """ClientIntegrationTest.shouldHandleInvalidSqlInExecuteStatement"""
    message = _statement_error(app, "bad sql;")
    assert "Received 400 response from server" in message
    assert "Syntax Error" in message
    assert "Error code: 40001" in message


def test_should_handle_error_response_from_execute_statement(app: App) -> None:
    """ClientIntegrationTest.shouldHandleErrorResponseFromExecuteStatement"""
    message = _statement_error(app, "drop stream NONEXISTENT;")
    assert "Received 400 response from server" in message
    assert "Stream NONEXISTENT does not exist" in message
    assert "Error code: 40001" in message


def test_should_handle_error_response_from_describe_source(app: App) -> None:
    """ClientIntegrationTest.shouldHandleErrorResponseFromDescribeSource (describeSource: DESCRIBE x;)"""
    message = _statement_error(app, "describe NONEXISTENT;")
    assert "Received 400 response from server" in message
    assert "Could not find STREAM/TABLE 'NONEXISTENT' in the Metastore" in message
    assert "Error code: 40001" in message


def test_should_only_warn_for_duplicate_if_not_exists(app: App) -> None:
    """ClientIntegrationTest.shouldOnlyWarnForDuplicateIfNotExists / shouldHandleWarningResponseFromExecuteStatement:
    the repeated IF NOT EXISTS statement succeeds with no query id (ExecuteStatementResult.queryId() empty)"""
    app.ksql("CREATE STREAM FOO (id INT KEY, bar VARCHAR) WITH(value_format='json', kafka_topic='foo', partitions=6);")
    first = app.ksql("CREATE STREAM IF NOT EXISTS BAR AS SELECT * FROM FOO EMIT CHANGES;")
    assert first.status_code == 200
    again = app.ksql("CREATE STREAM IF NOT EXISTS BAR AS SELECT * FROM FOO EMIT CHANGES;")
    assert again.status_code == 200, again.text
    [entity] = again.json()
    assert (entity.get("commandStatus") or {}).get("queryId") is None
    table = "create table if not exists tasks (taskId varchar primary key) with (kafka_topic='tasks', value_format='json', partitions=1);"
    assert app.ksql(table).status_code == 200
    [entity] = app.ksql(table).json()
    assert (entity.get("commandStatus") or {}).get("queryId") is None


def test_should_list_streams_and_tables(app: App) -> None:
    """ClientIntegrationTest.shouldListStreams / shouldListTables (StreamInfo/TableInfo fields)"""
    [streams] = app.ksql("list streams;").json()
    by_name = {s["name"]: s for s in streams["streams"]}
    assert by_name[TEST_STREAM] == {
        "type": "STREAM", "name": TEST_STREAM, "topic": TEST_TOPIC, "keyFormat": "JSON", "valueFormat": "JSON",
        "isWindowed": False,
    }  # fmt: skip
    [tables] = app.ksql("list tables;").json()
    [agg] = [t for t in tables["tables"] if t["name"] == AGG_TABLE]
    assert (agg["topic"], agg["keyFormat"], agg["valueFormat"], agg["isWindowed"]) == (AGG_TABLE, "JSON", "JSON", False)


def test_should_list_topics(app: App) -> None:
    """ClientIntegrationTest.shouldListTopics (TopicInfo: name, partitions, replicasPerPartition)"""
    [topics] = app.ksql("list topics;").json()
    names = {t["name"]: t for t in topics["topics"]}
    assert {TEST_TOPIC, EMPTY_TEST_TOPIC, AGG_TABLE} <= set(names)
    assert names[TEST_TOPIC]["replicaInfo"] == [1]


def test_should_describe_source(app: App) -> None:
    """ClientIntegrationTest.shouldDescribeSource (all but the queries' and the source's statement text)"""
    [entity] = app.ksql(f"describe {TEST_STREAM};").json()
    d = entity["sourceDescription"]
    assert d["name"] == TEST_STREAM and d["type"] == "STREAM"
    assert [f["name"] for f in d["fields"]] == TEST_COLUMN_NAMES
    assert [f["schema"]["type"] for f in d["fields"]] == TEST_COLUMN_TYPES
    assert [f.get("type") == "KEY" for f in d["fields"]] == [True] + [False] * 12
    assert d["topic"] == TEST_TOPIC
    assert (d["keyFormat"], d["valueFormat"]) == ("JSON", "JSON")
    assert len(d["readQueries"]) == 1
    assert d["readQueries"][0]["queryType"] == "PERSISTENT"
    assert d["readQueries"][0]["id"].startswith("CTAS_" + AGG_TABLE)
    assert d["readQueries"][0]["sinks"] == [AGG_TABLE]
    assert d["readQueries"][0]["sinkKafkaTopics"] == [AGG_TABLE]
    assert d["readQueries"][0]["queryString"] == AGG_QUERY_SQL
    assert d["writeQueries"] == []
    assert d["timestamp"] == "" and d["windowType"] is None
    assert d["statement"] == (
        f"CREATE STREAM {TEST_STREAM} (K STRUCT<F1 ARRAY<STRING>> KEY, STR STRING, LONG BIGINT, DEC DECIMAL(4, 2), "
        "BYTES_ BYTES, ARRAY ARRAY<STRING>, MAP MAP<STRING, STRING>, STRUCT STRUCT<F1 INTEGER>, "
        "COMPLEX STRUCT<`DECIMAL` DECIMAL(2, 1), STRUCT STRUCT<F1 STRING, F2 INTEGER>, "
        "ARRAY_ARRAY ARRAY<ARRAY<STRING>>, ARRAY_STRUCT ARRAY<STRUCT<F1 STRING>>, "
        "ARRAY_MAP ARRAY<MAP<STRING, INTEGER>>, MAP_ARRAY MAP<STRING, ARRAY<STRING>>, "
        "MAP_MAP MAP<STRING, MAP<STRING, INTEGER>>, MAP_STRUCT MAP<STRING, STRUCT<F1 STRING>>>, TIMESTAMP TIMESTAMP, "
        "DATE DATE, TIME TIME, HEAD BYTES HEADER('h0')) "
        "WITH (CLEANUP_POLICY='delete', KAFKA_TOPIC='STRUCTURED_TYPES_TOPIC', KEY_FORMAT='JSON', VALUE_FORMAT='JSON');"
    )


AGG_QUERY_SQL = (
    f"CREATE TABLE {AGG_TABLE} WITH (CLEANUP_POLICY='compact', KAFKA_TOPIC='{AGG_TABLE}', PARTITIONS=1, REPLICAS=1, "
    f"RETENTION_MS=-1) AS SELECT\n  {TEST_STREAM}.K K,\n  LATEST_BY_OFFSET({TEST_STREAM}.LONG) LONG\n"
    f"FROM {TEST_STREAM} {TEST_STREAM}\nGROUP BY {TEST_STREAM}.K\nEMIT CHANGES;"
)


def test_should_list_queries(app: App) -> None:
    """ClientIntegrationTest.shouldListQueries (and shouldDescribeSource's readQueries[0].getSql())"""
    [queries] = app.ksql("list queries;").json()
    [agg] = [q for q in queries["queries"] if q["id"].startswith("CTAS_" + AGG_TABLE)]
    assert agg["queryType"] == "PERSISTENT"
    assert agg["sinks"] == [AGG_TABLE] and agg["sinkKafkaTopics"] == [AGG_TABLE]
    assert agg["queryString"] == AGG_QUERY_SQL
