"""JSON Schema and Protobuf: parsing, canonical text, and Confluent's compatibility rules."""

from __future__ import annotations

import base64
import json

import pytest

from schemaregistry.schemas import SchemaParseError, check_compatibility, parse_schema


def jkinds(level: str, new: dict, old: dict) -> list[str]:
    return [i.error_type for i in check_compatibility(
        level, parse_schema("JSON", json.dumps(new)), [parse_schema("JSON", json.dumps(old))])]


def obj(props: dict, **extra: object) -> dict:
    return {"type": "object", "properties": props, **extra}


def test_json_schema_is_checked_against_its_meta_schema() -> None:
    with pytest.raises(SchemaParseError, match="Invalid JSON Schema"):
        parse_schema("JSON", '{"type": "nonsense"}')
    assert parse_schema("JSON", '{ "type" : "string" }').canonical == '{"type":"string"}'


def test_json_widening_is_backward_narrowing_is_not() -> None:
    base = obj({"a": {"type": "integer"}})
    assert jkinds("BACKWARD", obj({"a": {"type": "number"}}), base) == []
    assert jkinds("FORWARD", obj({"a": {"type": "number"}}), base) == ["TYPE_NARROWED"]
    assert jkinds("BACKWARD", obj({"a": {"type": "string"}}), base) == ["TYPE_CHANGED"]
    assert jkinds("BACKWARD", obj({"a": {"type": "integer"}}, required=["a"]), base) == ["REQUIRED_ATTRIBUTE_ADDED"]
    s = obj({"s": {"type": "string", "maxLength": 10}})
    assert jkinds("BACKWARD", obj({"s": {"type": "string", "maxLength": 5}}), s) == ["MAXLENGTH_DECREASED"]
    assert jkinds("BACKWARD", obj({"s": {"type": "string", "maxLength": 20}}), s) == []


def test_json_content_models() -> None:
    open_v1 = obj({"a": {"type": "integer"}})
    assert jkinds("BACKWARD", obj({"a": {"type": "integer"}, "b": {"type": "string"}}), open_v1) == [
        "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
    ]
    closed_v1 = obj({"a": {"type": "integer"}}, additionalProperties=False)
    closed_v2 = obj({"a": {"type": "integer"}, "b": {"type": "string"}}, additionalProperties=False)
    assert jkinds("BACKWARD", closed_v2, closed_v1) == []
    assert jkinds("FORWARD", closed_v2, closed_v1) == ["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"]


PROTO = """syntax = "proto3";
package demo;
import "google/protobuf/timestamp.proto";
message Payment {
  string id = 1;
  double amount = 2;
  google.protobuf.Timestamp at = 3;
  map<string, string> tags = 4;
  oneof method { string card = 5; string iban = 6; }
  enum Kind { UNKNOWN = 0; ONLINE = 1; }
  Kind kind = 7;
}
"""


def pkinds(level: str, new: str, old: str) -> list[str]:
    return [i.error_type for i in check_compatibility(
        level, parse_schema("PROTOBUF", new), [parse_schema("PROTOBUF", old)])]


def test_protobuf_text_and_descriptor_give_the_same_canonical_text() -> None:
    parsed = parse_schema("PROTOBUF", PROTO)
    assert "map<string, string> tags = 4;" in parsed.canonical
    assert "oneof method {" in parsed.canonical
    again = parse_schema("PROTOBUF", parsed.serialized())  # type: ignore[attr-defined]
    assert again.canonical == parsed.canonical
    assert base64.b64decode(parsed.serialized())  # type: ignore[attr-defined]


def test_protobuf_errors_carry_protoc_position() -> None:
    with pytest.raises(SchemaParseError, match=r"schema.proto:\d+:\d+: .*"):
        parse_schema("PROTOBUF", 'syntax = "proto3"; message M { int32 x = 1 }')


def test_protobuf_rules() -> None:
    assert pkinds("BACKWARD", PROTO.replace("double amount = 2;", "double amount = 2; string note = 8;"), PROTO) == []
    assert pkinds("BACKWARD", PROTO.replace("double amount = 2;", ""), PROTO) == []
    assert pkinds("BACKWARD", PROTO.replace("double amount = 2;", "string amount = 2;"), PROTO) == [
        "FIELD_SCALAR_KIND_CHANGED"
    ]
    assert pkinds("FULL", PROTO.replace("package demo;", "package other;"), PROTO)[0] == "PACKAGE_CHANGED"
    assert "MESSAGE_REMOVED" in pkinds("BACKWARD", PROTO.replace("Payment", "Refund"), PROTO)
    assert pkinds("BACKWARD", PROTO.replace("string iban = 6;", ""), PROTO) == ["ONEOF_FIELD_REMOVED"]
