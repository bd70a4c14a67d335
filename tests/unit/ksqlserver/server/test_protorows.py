"""The protobuf query output (`Accept: application/vnd.ksql.v1+protobuf`), as ksqlDB 0.29's
JsonStreamedRowResponseWriter.RowFormat.PROTOBUF writes it: the header's `protoSchema` (logicalToProtoSchema,
Confluent's ProtobufSchema.canonicalString) and rows that decode with that schema."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from google.protobuf import json_format, message_factory

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.config import ServerConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import FormatError
from ksqlserver.formats.sr import protoc
from ksqlserver.server import BackgroundServer
from ksqlserver.server.protorows import proto_schema, row_encoder

PROTOBUF = "application/vnd.ksql.v1+protobuf"


def _columns(text: str) -> list[Column]:
    return [Column(name, kind) for name, kind in parse_type(f"STRUCT<{text}>").fields]


def test_logical_to_proto_schema() -> None:
    """JsonStreamedRowResponseWriterTest.shouldConvertLogicalSchemaToProtobufSchema"""
    assert proto_schema(_columns("A INTEGER, B DOUBLE, C ARRAY<STRING>")) == (
        'syntax = "proto3";\n'
        "\n"
        "message ConnectDefault1 {\n"
        "  int32 A = 1;\n"
        "  double B = 2;\n"
        "  repeated string C = 3;\n"
        "}\n"
    )


def test_nested_types_follow_wire_layout() -> None:
    """JsonStreamedRowResponseWriterTest.shouldConvertComplexLogicalSchemaToProtobufSchema, its columns that
    ProtobufData translates as we do (the text of those parts copied from the Java expectation): imports
    without confluent/meta.proto, the decimal's field_meta option on several lines (value before key), a blank
    line before nested messages (indented with them), map fields as `repeated XEntry` with a plain entry."""
    text = proto_schema(
        _columns(
            "K STRUCT<F1 ARRAY<STRING>>, STR STRING, `LONG` BIGINT, DEC DECIMAL(4, 2), BYTES_ BYTES, "
            "`ARRAY` ARRAY<STRING>, `MAP` MAP<STRING, STRING>, `STRUCT` STRUCT<F1 INTEGER>, "
            "COMPLEX STRUCT<`DECIMAL` DECIMAL(2, 1), `STRUCT` STRUCT<F1 STRING, F2 INTEGER>>, "
            "`TIMESTAMP` TIMESTAMP, `DATE` DATE, `TIME` TIME, HEAD BYTES"
        )
    )
    assert text == (
        'syntax = "proto3";\n'
        "\n"
        'import "confluent/type/decimal.proto";\n'
        'import "google/protobuf/timestamp.proto";\n'
        'import "google/type/date.proto";\n'
        'import "google/type/timeofday.proto";\n'
        "\n"
        "message ConnectDefault1 {\n"
        "  ConnectDefault2 K = 1;\n"
        "  string STR = 2;\n"
        "  int64 LONG = 3;\n"
        "  confluent.type.Decimal DEC = 4 [(confluent.field_meta) = {\n"
        "    params: [\n"
        "      {\n"
        '        value: "4",\n'
        '        key: "precision"\n'
        "      },\n"
        "      {\n"
        '        value: "2",\n'
        '        key: "scale"\n'
        "      }\n"
        "    ]\n"
        "  }];\n"
        "  bytes BYTES_ = 5;\n"
        "  repeated string ARRAY = 6;\n"
        "  repeated ConnectDefault3Entry MAP = 7;\n"
        "  ConnectDefault4 STRUCT = 8;\n"
        "  ConnectDefault5 COMPLEX = 9;\n"
        "  google.protobuf.Timestamp TIMESTAMP = 10;\n"
        "  google.type.Date DATE = 11;\n"
        "  google.type.TimeOfDay TIME = 12;\n"
        "  bytes HEAD = 13;\n"
        "\n"
        "  message ConnectDefault2 {\n"
        "    repeated string F1 = 1;\n"
        "  }\n"
        "  message ConnectDefault3Entry {\n"
        "    string key = 1;\n"
        "    string value = 2;\n"
        "  }\n"
        "  message ConnectDefault4 {\n"
        "    int32 F1 = 1;\n"
        "  }\n"
        "  message ConnectDefault5 {\n"
        "    confluent.type.Decimal DECIMAL = 1 [(confluent.field_meta) = {\n"
        "      params: [\n"
        "        {\n"
        '          value: "2",\n'
        '          key: "precision"\n'
        "        },\n"
        "        {\n"
        '          value: "1",\n'
        '          key: "scale"\n'
        "        }\n"
        "      ]\n"
        "    }];\n"
        "    ConnectDefault6 STRUCT = 2;\n"
        "  \n"
        "    message ConnectDefault6 {\n"
        "      string F1 = 1;\n"
        "      int32 F2 = 2;\n"
        "    }\n"
        "  }\n"
        "}\n"
    )


def test_map_values_that_repeat() -> None:
    """JsonStreamedRowResponseWriterTest.shouldConvertComplexLogicalSchemaToProtobufSchema, whole: COMPLEX's
    MAP_ARRAY and MAP_MAP values are repeated fields of their entries (ProtobufData.
    mapDefinitionFromConnectSchema makes a map's key and value fields as any other), the inner map's entry
    nested in the outer's; the expected text copied from the Java test"""
    text = proto_schema(
        _columns(
            "K STRUCT<F1 ARRAY<STRING>>, STR STRING, `LONG` BIGINT, DEC DECIMAL(4, 2), BYTES_ BYTES, "
            "`ARRAY` ARRAY<STRING>, `MAP` MAP<STRING, STRING>, `STRUCT` STRUCT<F1 INTEGER>, "
            "COMPLEX STRUCT<`DECIMAL` DECIMAL(2, 1), `STRUCT` STRUCT<F1 STRING, F2 INTEGER>, "
            "ARRAY_STRUCT ARRAY<STRUCT<F1 STRING>>, ARRAY_MAP ARRAY<MAP<STRING, INTEGER>>, "
            "MAP_ARRAY MAP<STRING, ARRAY<STRING>>, MAP_MAP MAP<STRING, MAP<STRING, INTEGER>>, "
            "MAP_STRUCT MAP<STRING, STRUCT<F1 STRING>>>, "
            "`TIMESTAMP` TIMESTAMP, `DATE` DATE, `TIME` TIME, HEAD BYTES"
        )
    )
    assert text == (
        'syntax = "proto3";\n'
        "\n"
        'import "confluent/type/decimal.proto";\n'
        'import "google/protobuf/timestamp.proto";\n'
        'import "google/type/date.proto";\n'
        'import "google/type/timeofday.proto";\n'
        "\n"
        "message ConnectDefault1 {\n"
        "  ConnectDefault2 K = 1;\n"
        "  string STR = 2;\n"
        "  int64 LONG = 3;\n"
        "  confluent.type.Decimal DEC = 4 [(confluent.field_meta) = {\n"
        "    params: [\n"
        "      {\n"
        '        value: "4",\n'
        '        key: "precision"\n'
        "      },\n"
        "      {\n"
        '        value: "2",\n'
        '        key: "scale"\n'
        "      }\n"
        "    ]\n"
        "  }];\n"
        "  bytes BYTES_ = 5;\n"
        "  repeated string ARRAY = 6;\n"
        "  repeated ConnectDefault3Entry MAP = 7;\n"
        "  ConnectDefault4 STRUCT = 8;\n"
        "  ConnectDefault5 COMPLEX = 9;\n"
        "  google.protobuf.Timestamp TIMESTAMP = 10;\n"
        "  google.type.Date DATE = 11;\n"
        "  google.type.TimeOfDay TIME = 12;\n"
        "  bytes HEAD = 13;\n"
        "\n"
        "  message ConnectDefault2 {\n"
        "    repeated string F1 = 1;\n"
        "  }\n"
        "  message ConnectDefault3Entry {\n"
        "    string key = 1;\n"
        "    string value = 2;\n"
        "  }\n"
        "  message ConnectDefault4 {\n"
        "    int32 F1 = 1;\n"
        "  }\n"
        "  message ConnectDefault5 {\n"
        "    confluent.type.Decimal DECIMAL = 1 [(confluent.field_meta) = {\n"
        "      params: [\n"
        "        {\n"
        '          value: "2",\n'
        '          key: "precision"\n'
        "        },\n"
        "        {\n"
        '          value: "1",\n'
        '          key: "scale"\n'
        "        }\n"
        "      ]\n"
        "    }];\n"
        "    ConnectDefault6 STRUCT = 2;\n"
        "    repeated ConnectDefault7 ARRAY_STRUCT = 3;\n"
        "    repeated ConnectDefault8Entry ARRAY_MAP = 4;\n"
        "    repeated ConnectDefault9Entry MAP_ARRAY = 5;\n"
        "    repeated ConnectDefault10Entry MAP_MAP = 6;\n"
        "    repeated ConnectDefault12Entry MAP_STRUCT = 7;\n"
        "  \n"
        "    message ConnectDefault6 {\n"
        "      string F1 = 1;\n"
        "      int32 F2 = 2;\n"
        "    }\n"
        "    message ConnectDefault7 {\n"
        "      string F1 = 1;\n"
        "    }\n"
        "    message ConnectDefault8Entry {\n"
        "      string key = 1;\n"
        "      int32 value = 2;\n"
        "    }\n"
        "    message ConnectDefault9Entry {\n"
        "      string key = 1;\n"
        "      repeated string value = 2;\n"
        "    }\n"
        "    message ConnectDefault10Entry {\n"
        "      string key = 1;\n"
        "      repeated ConnectDefault11Entry value = 2;\n"
        "    \n"
        "      message ConnectDefault11Entry {\n"
        "        string key = 1;\n"
        "        int32 value = 2;\n"
        "      }\n"
        "    }\n"
        "    message ConnectDefault12Entry {\n"
        "      string key = 1;\n"
        "      ConnectDefault13 value = 2;\n"
        "    \n"
        "      message ConnectDefault13 {\n"
        "        string F1 = 1;\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "}\n"
    )


def test_rows_of_map_values_that_repeat() -> None:
    """ProtobufData.fromConnectData of a MAP whose entry value repeats: one entry per key, the ARRAY's
    items (or the inner map's entries) as the repeated `value`"""
    encode = row_encoder(_columns("MA MAP<STRING, ARRAY<STRING>>, MM MAP<STRING, MAP<STRING, INTEGER>>"))
    ma = b"\x0a\x01a" + b"\x12\x01x" + b"\x12\x01y"
    mm = b"\x0a\x01k" + b"\x12\x05" + b"\x0a\x01i\x10\x01"
    assert encode([{"a": ["x", "y"]}, {"k": {"i": 1}}]) == b"\x0a\x09" + ma + b"\x12\x0a" + mm


def test_nested_arrays_fail() -> None:
    """JsonStreamedRowResponseWriterTest.shouldFailNestedArraysConvertLogicalSchemaToProtobufSchema"""
    with pytest.raises(FormatError, match="Array cannot be nested"):
        proto_schema(_columns("COMPLEX STRUCT<ARRAY_ARRAY ARRAY<ARRAY<STRING>>>"))


@pytest.fixture(scope="module")
def server() -> Iterator[BackgroundServer]:
    e = Engine(EngineConfig(service_id="t_", processing_log=False, command_topic=False), MemoryDriver())
    e.execute(
        "CREATE STREAM S (ID INT KEY, NAME STRING, PRICE DECIMAL(4, 2), TAGS ARRAY<STRING>, "
        "ATTRS MAP<STRING, INT>, ADDR STRUCT<CITY STRING, ZIP INT>, TS TIMESTAMP, D DATE, N BIGINT, B BYTES, T TIME) "
        "WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');"
    )
    e.execute(
        "INSERT INTO S (ID, NAME, PRICE, TAGS, ATTRS, ADDR, TS, D, N, B, T) VALUES (7, 'x', 12.50, ARRAY['a', 'b'], "
        "MAP('k' := 3), STRUCT(CITY := 'Oslo', ZIP := 150), '2020-01-02T03:04:05.006', '2020-01-02', NULL, TO_BYTES('AQI=', 'base64'), '10:15:30');"
    )
    e.execute("CREATE STREAM NESTED (ID INT KEY, AA ARRAY<ARRAY<STRING>>) WITH (KAFKA_TOPIC='n', PARTITIONS=1, "
              "VALUE_FORMAT='JSON');")  # fmt: skip
    with BackgroundServer(e, ServerConfig(host="127.0.0.1", port=0)) as s:
        yield s
    e.close()


def _query(server: BackgroundServer, path: str, body: dict[str, Any]) -> httpx.Response:
    with httpx.Client(timeout=30) as client:
        return client.post(server.url + path, json=body, headers={"Accept": PROTOBUF})


def _decode(header: dict[str, Any], rows: list[str]) -> list[dict[str, Any]]:
    """The rows read back with the header's own schema, compiled as a client would. Like ksqlDB's, the text
    leaves out the import of the decimal's field option (Wire parses it leniently; protoc needs it)."""
    text = header["protoSchema"].replace("\n\n", '\n\nimport "confluent/meta.proto";\n', 1)
    protos = protoc.compile_files("row.proto", {"row.proto": text})
    pool = protoc.new_pool(protos)
    cls = message_factory.GetMessageClass(pool.FindMessageTypeByName("ConnectDefault1"))
    out = []
    for data in rows:
        message = cls()
        message.ParseFromString(base64.b64decode(data))
        out.append(json_format.MessageToDict(message, preserving_proto_field_name=True))
    return out


@pytest.mark.parametrize("path", ["/query-stream", "/query"])
def test_push_query_rows_decode_with_the_header_schema(server: BackgroundServer, path: str) -> None:
    """RowFormat.PROTOBUF.dataRow: each row a ProtobufNoSR message of every column (a null column is absent);
    the final message stays JSON; the response is labelled application/vnd.ksql.v1+protobuf
    (QueryStreamHandler.getQueryStreamResponseWriter)"""
    sql = "SELECT * FROM S EMIT CHANGES LIMIT 1;"
    key = "sql" if path == "/query-stream" else "ksql"
    r = _query(server, path, {key: sql, "streamsProperties" if key == "ksql" else "properties": {
        "auto.offset.reset": "earliest"}})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == PROTOBUF
    body = json.loads(r.text)
    header = body[0]["header"]
    assert header["schema"] == (
        "`ID` INTEGER, `NAME` STRING, `PRICE` DECIMAL(4, 2), `TAGS` ARRAY<STRING>, `ATTRS` MAP<STRING, INTEGER>, "
        "`ADDR` STRUCT<`CITY` STRING, `ZIP` INTEGER>, `TS` TIMESTAMP, `D` DATE, `N` BIGINT, `B` BYTES, `T` TIME"
    )
    assert "  repeated ConnectDefault2Entry ATTRS = 5;\n" in header["protoSchema"]
    assert body[2] == {"finalMessage": "Limit Reached"}
    [row] = _decode(header, [body[1]["row"]["protobufBytes"]])
    assert row == {
        "ID": 7,
        "NAME": "x",
        "PRICE": {"value": base64.b64encode((1250).to_bytes(2, "big")).decode(), "precision": 4, "scale": 2},
        "TAGS": ["a", "b"],
        "ATTRS": [{"key": "k", "value": 3}],
        "ADDR": {"CITY": "Oslo", "ZIP": 150},
        "TS": "2020-01-02T03:04:05.006Z",
        "D": {"year": 2020, "month": 1, "day": 2},
        "B": "AQI=",
        "T": {"hours": 10, "minutes": 15, "seconds": 30},
    }


def test_json_and_delimited_outputs_unchanged(server: BackgroundServer) -> None:
    """An Accept that the JSON/delimited route produces never picks the protobuf route (ServerVerticle tries
    that route first)."""
    with httpx.Client(timeout=30) as client:
        r = client.post(
            server.url + "/query-stream",
            json={
                "sql": "SELECT ID FROM S EMIT CHANGES LIMIT 1;",
                "properties": {"auto.offset.reset": "earliest"},
            },
            headers={"Accept": f"{PROTOBUF}, application/vnd.ksql.v1+json"},
        )
    assert r.headers["content-type"] == "application/vnd.ksql.v1+json"
    assert json.loads(r.text)[1] == {"row": {"columns": [7]}}


def test_unknown_type_is_not_acceptable(server: BackgroundServer) -> None:
    """No route produces the type: Vert.x answers 406."""
    with httpx.Client(timeout=30) as client:
        r = client.post(
            server.url + "/query-stream",
            json={"sql": "SELECT ID FROM S EMIT CHANGES LIMIT 1;", "properties": {}},
            headers={"Accept": "application/vnd.ksql.v2+protobuf"},
        )
    assert r.status_code == 406


def test_nested_arrays_fail_the_request(server: BackgroundServer) -> None:
    """RowFormat.PROTOBUF.metadataRow throws (ProtobufData: "Array cannot be nested") inside
    QueryStreamHandler's thenAccept; ServerUtils.handleEndpointException answers 500 with its generic message"""
    r = _query(server, "/query-stream", {"sql": "SELECT * FROM NESTED EMIT CHANGES;", "properties": {}})
    assert r.status_code == 500
    assert r.json() == {
        "@type": "generic_error",
        "error_code": 50000,
        "message": "The server encountered an internal error when processing the query. "
        "Please consult the server logs for more information.",
    }
