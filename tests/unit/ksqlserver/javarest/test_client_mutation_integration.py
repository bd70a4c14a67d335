"""Port of ksqlDB 0.29 `io.confluent.ksql.api.client.integration.ClientMutationIntegrationTest`: the Java
client's insertInto/streamInserts (/inserts-stream over HTTP/2: `{"target":...}\\n` then one JSON row per
line) and executeStatement for DDL/DML. The nested COMPLEX column is left out of the rows (null)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ksqlserver.server import BackgroundServer

TEST_STREAM = "STRUCTURED_TYPES_KSTREAM"
EMPTY_TEST_STREAM = "EMPTY_STRUCTURED_TYPES_KSTREAM"
EMPTY_TEST_STREAM_2 = "EMPTY_STRUCTURED_TYPES_2_KSTREAM"
NON_EXIST_TABLE = "NON_EXIST"
SCHEMA = (
    "K STRUCT<F1 ARRAY<STRING>> KEY, STR STRING, LONG BIGINT, DEC DECIMAL(4, 2), BYTES_ BYTES, "
    "ARRAY ARRAY<STRING>, MAP MAP<STRING, STRING>, STRUCT STRUCT<F1 INTEGER>, "
    "COMPLEX STRUCT<`DECIMAL` DECIMAL(2, 1)>, TIMESTAMP TIMESTAMP, DATE DATE, TIME TIME"
)


def _inserts(server: BackgroundServer, target: str, rows: list[dict[str, Any]]) -> httpx.Response:
    """ClientImpl.insertInto / streamInserts: the target line, then each row as a line (no Accept header)."""
    body = json.dumps({"target": target}) + "\n" + "".join(json.dumps(r) + "\n" for r in rows)
    with httpx.Client(http2=True, http1=False, timeout=30) as client:
        return client.post(server.url + "/inserts-stream", content=body.encode(), headers={"Accept": ""})


@pytest.fixture(scope="module")
def app(rest_module: Any) -> Iterator[tuple[Any, BackgroundServer]]:
    rest = rest_module
    _, driver, server = rest.start({"ksql.persistence.default.format.key": "JSON"})
    for name in (TEST_STREAM, EMPTY_TEST_STREAM, EMPTY_TEST_STREAM_2):
        topic = name.replace("_KSTREAM", "_TOPIC")
        driver.create_topic(topic, 1, 1)
        rest.ok(server, f"CREATE STREAM {name} ({SCHEMA}) WITH (kafka_topic='{topic}', value_format='json');")
    rest.ok(server, f"CREATE TABLE AGG_TABLE AS SELECT K, LATEST_BY_OFFSET(LONG) AS LONG FROM {TEST_STREAM} GROUP BY K;")
    yield rest, server


def test_should_insert_into(app: tuple[Any, BackgroundServer]) -> None:
    """ClientMutationIntegrationTest.shouldInsertInto: case-insensitive target and column names, quoted names
    keep their case, nested field names are case-insensitive; the row reads back as inserted"""
    rest, server = app
    row = {
        "k": {"F1": ["my_key"]}, "str": "HELLO", "`LONG`": 100, '"DEC"': 13.31, "BYTES_": "AAEC",
        "ARRAY": ["v1", "v2"], "MAP": {"some_key": "a_value", "another_key": ""}, "STRUCT": {"f1": 12},
        "TIMESTAMP": "1970-01-01T00:00:00.001", "DATE": "1970-01-01", "TIME": "00:00:01",
    }  # fmt: skip
    r = _inserts(server, EMPTY_TEST_STREAM.lower(), [row])
    assert r.status_code == 200
    assert [json.loads(line) for line in r.text.splitlines()] == [{"status": "ok", "seq": 0}]
    result = rest.client_query(server, f"SELECT * FROM {EMPTY_TEST_STREAM} EMIT CHANGES LIMIT 1;")
    assert result.rows == [
        [
            {"F1": ["my_key"]}, "HELLO", 100, 13.31, "AAEC", ["v1", "v2"], {"some_key": "a_value", "another_key": ""},
            {"F1": 12}, None, "1970-01-01T00:00:00.001", "1970-01-01", "00:00:01",
        ]
    ]  # fmt: skip


def test_should_handle_error_response_from_insert_into(app: tuple[Any, BackgroundServer]) -> None:
    """ClientMutationIntegrationTest.shouldHandleErrorResponseFromInsertInto / ...FromStreamInserts"""
    _, server = app
    r = _inserts(server, NON_EXIST_TABLE, [{"K": {"F1": ["my_key"]}, "LONG": 11}])
    assert r.status_code == 400
    assert "Cannot insert values into an unknown stream/table" in r.json()["message"]


def test_should_stream_inserts(app: tuple[Any, BackgroundServer]) -> None:
    """ClientMutationIntegrationTest.shouldStreamInserts: one ack per row, seq 0.., rows read back in order"""
    rest, server = app
    rows = [
        {
            "K": {"F1": [f"my_key_{i}"]}, "STR": f"TEST_{i}", "LONG": i, "DEC": 13.31, "BYTES_": "AAEC",
            "ARRAY": [f"v_{i}"], "MAP": {f"k_{i}": f"v_{i}"}, "TIMESTAMP": "1970-01-01T00:00:00.001",
            "DATE": "1970-01-01", "TIME": "00:00",
        }
        for i in range(5)
    ]
    r = _inserts(server, EMPTY_TEST_STREAM_2, rows)
    assert [json.loads(line)["seq"] for line in r.text.splitlines()] == [0, 1, 2, 3, 4]
    result = rest.client_query(server, f"SELECT * FROM {EMPTY_TEST_STREAM_2} EMIT CHANGES LIMIT 5;")
    assert [row[1] for row in result.rows] == [f"TEST_{i}" for i in range(5)]
    assert {tuple(row[9:]) for row in result.rows} == {("1970-01-01T00:00:00.001", "1970-01-01", "00:00")}


def test_should_execute_ddl_dml_statements(app: tuple[Any, BackgroundServer]) -> None:
    """ClientMutationIntegrationTest.shouldExecuteDdlDmlStatements: the CSAS's queryId, then TERMINATE and
    DROP with none (ExecuteStatementResult.queryId reads commandStatus.queryId)"""
    rest, server = app
    stream = TEST_STREAM + "_COPY"
    [csas] = rest.ok(server, f"create stream {stream} as select * from {TEST_STREAM} emit changes;")
    [queries] = rest.ok(server, "list queries;")
    [query_id] = [q["id"] for q in queries["queries"] if q["sinks"] == [stream]]
    assert csas["commandStatus"]["queryId"] == query_id
    [terminate] = rest.ok(server, f"terminate {query_id};")
    assert terminate["commandStatus"]["queryId"] is None
    [drop] = rest.ok(server, f"drop stream {stream};")
    assert drop["commandStatus"]["queryId"] is None
    [streams] = rest.ok(server, "list streams;")
    assert len(streams["streams"]) == 3


def test_row_names_are_read_as_identifiers() -> None:
    """JsonUtil.convertJsonFieldCase -> Identifiers.getIdentifierText: back-quotes or double quotes keep the
    case (a doubled quote stands for one), other names are upper-cased; validateAndUnquote's reasons"""
    from ksqlserver.statements.inserts_api import InsertRowError, normalise_names

    assert normalise_names({"k": 1, "`Long`": 2, '"D""q"': 3}) == {"K": 1, "Long": 2, 'D"q': 3}
    with pytest.raises(InsertRowError) as e:
        normalise_names({'"A"B"': 1})
    assert e.value.message == 'Invalid column / struct field name. Name: "A"B". Reason: Un-escaped quote in middle of value at index 2.'
    with pytest.raises(InsertRowError) as e:
        normalise_names({"`A": 1})
    assert e.value.message == "Invalid column / struct field name. Name: `A. Reason: Expected matching quote at end of value."
