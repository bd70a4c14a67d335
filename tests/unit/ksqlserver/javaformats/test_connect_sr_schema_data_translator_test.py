"""ksqlDB's ConnectSRSchemaDataTranslatorTest (io.confluent.ksql.serde.connect): the translator JSON_SR and
PROTOBUF use to fit a row to the schema VALUE_SCHEMA_ID names: fields the row lacks are written null and a
null in a required field fails with Connect's message.

Reached by a CREATE STREAM ... AS SELECT into a sink with VALUE_SCHEMA_ID (its records, and serialization
errors in the processing log). shouldThrowIfMissingField cannot be reached so: the CREATE refuses sink
columns that are not a prefix of the registered schema's (see AvroSRSchemaDataTranslatorTest's port);
shouldNotTransformOtherType concerns a Java type."""

from __future__ import annotations

import json
from typing import Any

from ksqlserver.formats.sr.client import JSON, PROTOBUF

HINT = "\nHint: You probably forgot to add VALUE_SCHEMA_ID when creating the source."


def _sink(fmt: Any, name: str, schema: Any, schema_type: str) -> None:
    fmt.topic("in")
    fmt.register("out-value", schema, schema_type, schema_id=7)
    fmt.sql("CREATE STREAM S (`f1` STRING, `f2` INT) WITH (KAFKA_TOPIC='in', VALUE_FORMAT='JSON');")
    fmt.sql(f"CREATE STREAM O WITH (KAFKA_TOPIC='out', VALUE_FORMAT='{name}', VALUE_SCHEMA_ID=7) AS SELECT * FROM S;")


def _json_schema(required: list[str]) -> dict[str, Any]:
    """f1 (optional unless required), f2 optional, f3 optional: JsonSchemaData's oneOf null for optional."""
    def optional(t: str, index: int) -> dict[str, Any]:
        return {"oneOf": [{"type": "null", "title": "Not included"}, {"type": t}], "connect.index": index}

    f1 = {"type": "string", "connect.index": 0} if "f1" in required else optional("string", 0)
    return {
        "type": "object",
        "properties": {"f1": f1, "f2": {**optional("integer", 1), "oneOf": [
            {"type": "null", "title": "Not included"}, {"type": "integer", "connect.type": "int32"}]},
            "f3": {**optional("integer", 2), "oneOf": [
                {"type": "null", "title": "Not included"}, {"type": "integer", "connect.type": "int64"}]}},
        "required": required,
    }


def test_should_transform_struct_json_sr(fmt: Any) -> None:
    """shouldTransformStruct (JSON_SR): the registered schema's extra field f3 is written null"""
    _sink(fmt, "JSON_SR", _json_schema([]), JSON)
    fmt.produce("in", b'{"f1": "abc", "f2": 12}')
    [value] = fmt.values("out")
    assert value[:5] == b"\x00\x00\x00\x00\x07"
    assert json.loads(value[5:]) == {"f1": "abc", "f2": 12, "f3": None}


def test_should_transform_struct_protobuf(fmt: Any) -> None:
    """shouldTransformStruct (PROTOBUF): f3 left out (proto3's default), f1 and f2 written"""
    _sink(fmt, "PROTOBUF", 'syntax = "proto3"; message R { string f1 = 1; int32 f2 = 2; int64 f3 = 3; }', PROTOBUF)
    fmt.produce("in", b'{"f1": "abc", "f2": 12}')
    [value] = fmt.values("out")
    # magic byte, id 7, message index [0] (one zero byte), then f1 = "abc" and f2 = 12
    assert value == b"\x00\x00\x00\x00\x07\x00" + b"\x0a\x03abc" + b"\x10\x0c"


def test_should_throw_if_convert_invalid_value(fmt: Any) -> None:
    """shouldThrowIfConvertInvalidValue (JSON_SR): null in a required field"""
    _sink(fmt, "JSON_SR", _json_schema(["f1"]), JSON)
    fmt.produce("in", b'{"f1": null, "f2": 12}')
    assert fmt.values("out") == []
    [err] = fmt.serialization_errors()
    cause = 'Invalid value: null used for required field: "f1", schema type: STRING'
    assert err["errorMessage"] == f"Error serializing message to topic: out. {cause}{HINT}"
    assert err["cause"] == [cause]
    assert err["topic"] == "out"
