"""Port of ksqlDB 0.29 `io.confluent.ksql.api.server.JsonStreamedRowResponseWriterTest` (ksqldb-rest-app): the
body /query-stream writes for `Accept: application/vnd.ksql.v1+json` (a JSON array of StreamedRow objects: the
header with queryId and schema, one `{"row":{"columns":[...]}}` per row, `,\\n` between them, then the final
message of a push query that hit its LIMIT).

The Java test drives the writer with a mocked response, clock and Vert.x timer; buffering changes only how many
writes make the body (mock call counts, not ported). Here the rows come from a table `(A INTEGER KEY, B DOUBLE,
C ARRAY<STRING>)` (pull queries: no final message) and its stream (push queries with LIMIT: "Limit Reached"),
over HTTP/1.1 and HTTP/2; the `_proto` cases (RowFormat.PROTOBUF) the same with
`Accept: application/vnd.ksql.v1+protobuf`. The schema-translation cases are in
tests/unit/ksqlserver/server/test_protorows.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ksqlserver.drivers.base import Record

LATEST = "application/vnd.ksql.v1+json"
HEADER = '[{"header":{"queryId":"QID","schema":"`A` INTEGER KEY, `B` DOUBLE, `C` ARRAY<STRING>"}}'
ROW_1 = '{"row":{"columns":[123,234.0,["hello"]]}}'
ROW_2 = '{"row":{"columns":[456,789.0,["bye"]]}}'


@pytest.fixture(scope="module")
def app(rest_module: Any) -> Iterator[Any]:
    rest = rest_module
    _, driver, server = rest.start()
    driver.create_topic("T", 1, 1)
    driver.create_topic("BIG", 1, 1)
    driver.produce(
        "T",
        [
            Record((123).to_bytes(4, "big"), json.dumps({"B": 234.0, "C": ["hello"]}).encode(), 1, 0),
            Record((456).to_bytes(4, "big"), json.dumps({"B": 789.0, "C": ["bye"]}).encode(), 2, 0),
        ],
    )
    driver.produce(
        "BIG",
        [Record(i.to_bytes(4, "big"), json.dumps({"B": 100.0 + i, "C": [f"hello{i}"]}).encode(), i, 0)
         for i in range(4000)],
    )  # fmt: skip
    rest.ok(
        server,
        "CREATE STREAM S (A INTEGER KEY, B DOUBLE, C ARRAY<STRING>) WITH (kafka_topic='T', value_format='json');"
        "CREATE STREAM BIG_S (A INTEGER KEY, B DOUBLE, C ARRAY<STRING>) WITH (kafka_topic='BIG', value_format='json');"
        "CREATE TABLE TB AS SELECT A, LATEST_BY_OFFSET(B) AS B, LATEST_BY_OFFSET(C) AS C FROM S GROUP BY A;",
    )
    rest.eventually(lambda: _body(server, "SELECT * FROM TB;", False), lambda body: ROW_2 in body)
    yield server


def _body(server: Any, sql: str, http2: bool) -> str:
    with httpx.Client(http2=http2, http1=not http2, timeout=30) as client:
        r = client.post(server.url + "/query-stream", json={"sql": sql, "properties": {}}, headers={"Accept": LATEST})
    assert r.status_code == 200, r.text
    # the query id is the server's; the rest of the text is compared as it is
    return re.sub(r'"queryId":"[^"]+"', '"queryId":"QID"', r.text, count=1)


@pytest.mark.parametrize("http2", [False, True])
def test_should_succeed_with_no_rows(app: Any, http2: bool) -> None:
    """JsonStreamedRowResponseWriterTest.shouldSucceedWithBuffering_noRows: the header alone, closed by `]`"""
    assert _body(app, "SELECT * FROM TB WHERE A=999;", http2) == HEADER + "]"


@pytest.mark.parametrize("http2", [False, True])
def test_should_succeed_with_one_row(app: Any, http2: bool) -> None:
    """JsonStreamedRowResponseWriterTest.shouldSucceedWithBuffering_oneRow"""
    assert _body(app, "SELECT * FROM TB WHERE A=123;", http2) == HEADER + ",\n" + ROW_1 + "]"


@pytest.mark.parametrize("http2", [False, True])
def test_should_succeed_with_two_rows(app: Any, http2: bool) -> None:
    """JsonStreamedRowResponseWriterTest.shouldSucceedWithBuffering_twoRows_timeout / ..._noTimeout"""
    assert _body(app, "SELECT * FROM TB;", http2) == HEADER + ",\n" + ROW_1 + ",\n" + ROW_2 + "]"


@pytest.mark.parametrize("http2", [False, True])
def test_should_succeed_with_limit_message(app: Any, http2: bool) -> None:
    """JsonStreamedRowResponseWriterTest.shouldSucceedWithLimitMessage_noBuffering / ..._buffering: the push
    query's final message after its rows (a stream's schema has no KEY)"""
    body = _body(app, "SELECT * FROM S EMIT CHANGES LIMIT 2;", http2)
    assert body == (
        HEADER.replace("INTEGER KEY", "INTEGER") + ",\n" + ROW_1 + ",\n" + ROW_2 + ',\n{"finalMessage":"Limit Reached"}]'
    )


def test_should_succeed_with_large_buffer(app: Any) -> None:
    """JsonStreamedRowResponseWriterTest.shouldSucceedWithBuffering_largeBuffer: 4000 rows, 4001 lines"""
    body = _body(app, "SELECT * FROM BIG_S EMIT CHANGES LIMIT 4000;", False)
    lines = body.split("\n")
    assert len(lines) == 4002  # the Java writer has no final message here; ours adds "Limit Reached"
    assert lines[1] == '{"row":{"columns":[0,100.0,["hello0"]]}},'
    assert lines[4000] == '{"row":{"columns":[3999,4099.0,["hello3999"]]}},'


PROTOBUF = "application/vnd.ksql.v1+protobuf"
PROTO_HEADER = HEADER[:-2] + (
    ',"protoSchema":"syntax = \\"proto3\\";\\n\\nmessage ConnectDefault1 {\\n  int32 A = 1;\\n  double B = 2;\\n'
    '  repeated string C = 3;\\n}\\n"}}'
)
PROTO_ROW_1 = '{"row":{"protobufBytes":"CHsRAAAAAABAbUAaBWhlbGxv"}}'
PROTO_ROW_2 = '{"row":{"protobufBytes":"CMgDEQAAAAAAqIhAGgNieWU="}}'


def _proto_body(server: Any, sql: str, http2: bool) -> str:
    with httpx.Client(http2=http2, http1=not http2, timeout=30) as client:
        r = client.post(server.url + "/query-stream", json={"sql": sql, "properties": {}}, headers={"Accept": PROTOBUF})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == PROTOBUF
    return re.sub(r'"queryId":"[^"]+"', '"queryId":"QID"', r.text, count=1)


@pytest.mark.parametrize("http2", [False, True])
def test_should_succeed_with_no_rows_proto(app: Any, http2: bool) -> None:
    """JsonStreamedRowResponseWriterTest.shouldSucceedWithBuffering_noRows_proto: the header with the
    protoSchema (shouldConvertLogicalSchemaToProtobufSchema), closed by `]`"""
    assert _proto_body(app, "SELECT * FROM TB WHERE A=999;", http2) == PROTO_HEADER + "]"


@pytest.mark.parametrize("http2", [False, True])
def test_should_succeed_with_one_row_proto(app: Any, http2: bool) -> None:
    """JsonStreamedRowResponseWriterTest.shouldSucceedWithBuffering_oneRow_proto"""
    assert _proto_body(app, "SELECT * FROM TB WHERE A=123;", http2) == PROTO_HEADER + ",\n" + PROTO_ROW_1 + "]"


@pytest.mark.parametrize("http2", [False, True])
def test_should_succeed_with_two_rows_proto(app: Any, http2: bool) -> None:
    """JsonStreamedRowResponseWriterTest.shouldSucceedWithBuffering_twoRows_timeout_proto / ..._noTimeout_proto"""
    body = _proto_body(app, "SELECT * FROM TB;", http2)
    assert body == PROTO_HEADER + ",\n" + PROTO_ROW_1 + ",\n" + PROTO_ROW_2 + "]"


@pytest.mark.parametrize("http2", [False, True])
def test_should_succeed_with_limit_message_proto(app: Any, http2: bool) -> None:
    """JsonStreamedRowResponseWriterTest.shouldSucceedWithLimitMessage_noBuffering_proto / ..._buffering_proto
    (and the completion-message cases: the final message stays JSON after the protobuf rows)"""
    body = _proto_body(app, "SELECT * FROM S EMIT CHANGES LIMIT 2;", http2)
    assert body == (
        PROTO_HEADER.replace("INTEGER KEY", "INTEGER")
        + ",\n" + PROTO_ROW_1 + ",\n" + PROTO_ROW_2 + ',\n{"finalMessage":"Limit Reached"}]'
    )  # fmt: skip
