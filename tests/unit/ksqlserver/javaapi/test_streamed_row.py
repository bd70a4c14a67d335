"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.entity.StreamedRowTest` (ksqldb-rest-client), through /query's
StreamedRow array (Accept application/vnd.ksql.v1+json, and +protobuf for the protoSchema header): a pull
query's header marks key columns KEY, a push query's does not; rows are `{"row":{"columns":[...]}}`, a
table's deletion adds `"tombstone":true`; the stream ends with `finalMessage`. Not ported: the pull row's
`sourceHost` (shown only for forwarded pull queries) and the consistency token (consistency vectors are off by
default)."""

from __future__ import annotations

import json
import struct
from typing import Any

from ksqlserver.drivers.base import Record

V1_JSON = "application/vnd.ksql.v1+json"


def _server(rest: Any) -> Any:
    _, driver, server = rest.start()
    driver.create_topic("t", 1, 1)
    rest.ok(
        server,
        "CREATE TABLE T (ID BIGINT PRIMARY KEY, VAL STRING, D DECIMAL(2, 1)) WITH (kafka_topic='t', value_format='json');"
        "CREATE TABLE Q AS SELECT * FROM T;",
    )
    key = struct.pack(">q", 1)
    driver.produce("t", [Record(key, json.dumps({"VAL": "v0", "D": 1.2}).encode(), 1, 0)])
    return server


def _rows(rest: Any, server: Any, sql: str, accept: str = V1_JSON) -> list[dict[str, Any]]:
    body = {"ksql": sql, "streamsProperties": {"auto.offset.reset": "earliest"}}
    r = rest.post(server, "/query", body, accept=accept)
    assert r.status_code == 200, r.text
    rows: list[dict[str, Any]] = r.json()
    return rows


def test_should_round_trip_pull_header_and_row(rest: Any) -> None:
    """StreamedRowTest.shouldRoundTripPullHeader / shouldRoundTripPullRowNoHost"""
    server = _server(rest)
    rows = rest.eventually(lambda: _rows(rest, server, "SELECT * FROM Q WHERE ID=1;"), lambda r: len(r) == 2)
    assert rows[0]["header"]["schema"] == "`ID` BIGINT KEY, `VAL` STRING, `D` DECIMAL(2, 1)"
    assert set(rows[0]["header"]) == {"queryId", "schema"}
    assert rows[1] == {"row": {"columns": [1, "v0", 1.2]}}


def test_should_round_trip_pull_proto_header(rest: Any) -> None:
    """StreamedRowTest.shouldRoundTripPullProtoHeader: the header's protoSchema beside the schema."""
    server = _server(rest)
    rows = rest.eventually(
        lambda: _rows(rest, server, "SELECT ID, VAL FROM Q WHERE ID=1;", "application/vnd.ksql.v1+protobuf"),
        lambda r: len(r) == 2,
    )
    assert rows[0]["header"]["schema"] == "`ID` BIGINT KEY, `VAL` STRING"
    assert rows[0]["header"]["protoSchema"] == (
        'syntax = "proto3";\n\nmessage ConnectDefault1 {\n  int64 ID = 1;\n  string VAL = 2;\n}\n'
    )


def test_should_round_trip_push_header_table_row_and_final_message(rest: Any) -> None:
    """StreamedRowTest.shouldRoundTripPushHeader / shouldRoundTripTableRow / shouldRoundTripFinalMessage (the
    tombstone row is in test_tombstone_factory.py)"""
    server = _server(rest)
    rows = _rows(rest, server, "SELECT VAL FROM T EMIT CHANGES LIMIT 1;")
    assert rows[0]["header"]["schema"] == "`VAL` STRING"
    assert rows[1] == {"row": {"columns": ["v0"]}}
    assert rows[2] == {"finalMessage": "Limit Reached"}


def test_should_round_trip_generic_error(rest: Any) -> None:
    """StreamedRowTest.shouldRoundTripGenericError, as far as a request reaches it: a query that fails as it
    starts is answered with its error entity (the mid-stream StreamedRow.error is not provoked here)."""
    server = _server(rest)
    r = rest.post(server, "/query", {"ksql": "SELECT * FROM NOPE EMIT CHANGES;"}, accept=V1_JSON)
    assert r.status_code == 400
    assert r.json()["@type"] == "statement_error"
    assert r.json()["error_code"] == 40001
