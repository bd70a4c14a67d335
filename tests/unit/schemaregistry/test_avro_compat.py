"""Avro parsing, canonical text and Avro's schema resolution rules."""

from __future__ import annotations

import json

import pytest

from schemaregistry.schemas import SchemaParseError, check_compatibility, parse_schema


def avro(fields: list[dict], name: str = "T", **extra: object) -> str:
    return json.dumps({"type": "record", "name": name, "fields": fields, **extra})


def kinds(level: str, new: str, *old: str) -> list[str]:
    parsed_old = [parse_schema("AVRO", o) for o in old]
    return [i.error_type for i in check_compatibility(level, parse_schema("AVRO", new), parsed_old)]


def test_canonical_text_is_compact_and_ignores_layout() -> None:
    spaced = '{ "type" : "record", "name":"T", "namespace": "a.b",\n "fields": [ {"name": "x", "type": "int"} ] }'
    compact = '{"namespace":"a.b","name":"T","type":"record","fields":[{"type":"int","name":"x"}]}'
    assert parse_schema("AVRO", spaced).canonical == parse_schema("AVRO", compact).canonical
    assert parse_schema("AVRO", spaced).canonical == (
        '{"type":"record","name":"T","namespace":"a.b","fields":[{"name":"x","type":"int"}]}'
    )
    assert parse_schema("AVRO", '"string"').canonical == '"string"'


def test_recursive_and_named_references_print_by_name() -> None:
    text = avro([{"name": "next", "type": ["null", "T"], "default": None}])
    assert '"type":["null","T"]' in parse_schema("AVRO", text).canonical


@pytest.mark.parametrize(
    "text, problem",
    [
        ('{"type": "record", "name": "T"}', "no fields"),
        (avro([{"name": "a", "type": "nope"}]), "not a defined name"),
        (avro([{"name": "a", "type": "int"}, {"name": "a", "type": "int"}]), "Duplicate field"),
        (avro([{"name": "a", "type": "int", "default": "x"}]), "Invalid default"),
        ('{"type": "enum", "name": "E", "symbols": ["A", "A"]}', "Duplicate enum symbol"),
        ('{"type": "fixed", "name": "F"}', "size"),
        ("{not json", "Invalid JSON"),
    ],
)
def test_invalid_schemas_say_why(text: str, problem: str) -> None:
    with pytest.raises(SchemaParseError, match=f"(?i){problem}"):
        parse_schema("AVRO", text)


def test_backward_adding_a_field_needs_a_default() -> None:
    v1 = avro([{"name": "a", "type": "int"}])
    assert kinds("BACKWARD", avro([{"name": "a", "type": "int"}, {"name": "b", "type": "string"}]), v1) == [
        "READER_FIELD_MISSING_DEFAULT_VALUE"
    ]
    assert kinds("BACKWARD", avro([{"name": "a", "type": "int"}, {"name": "b", "type": "string", "default": ""}]), v1) == []


def test_forward_removing_a_field_without_default_breaks_old_readers() -> None:
    v1 = avro([{"name": "a", "type": "int"}, {"name": "b", "type": "string"}])
    v2 = avro([{"name": "a", "type": "int"}])
    assert kinds("BACKWARD", v2, v1) == []  # new reader ignores b
    assert kinds("FORWARD", v2, v1) == ["READER_FIELD_MISSING_DEFAULT_VALUE"]
    assert kinds("FULL", v2, v1) == ["READER_FIELD_MISSING_DEFAULT_VALUE"]
    assert kinds("NONE", v2, v1) == []


def test_promotions_follow_avro() -> None:
    v1 = avro([{"name": "a", "type": "int"}])
    assert kinds("BACKWARD", avro([{"name": "a", "type": "long"}]), v1) == []
    assert kinds("FORWARD", avro([{"name": "a", "type": "long"}]), v1) == ["TYPE_MISMATCH"]
    assert kinds("BACKWARD", avro([{"name": "a", "type": "string"}]), v1) == ["TYPE_MISMATCH"]
    s = avro([{"name": "a", "type": "string"}])
    assert kinds("FULL", avro([{"name": "a", "type": "bytes"}]), s) == []


def test_unions_enums_names_and_fixed() -> None:
    v1 = avro([{"name": "a", "type": "int"}])
    widened = avro([{"name": "a", "type": ["null", "int"], "default": None}])
    assert kinds("BACKWARD", widened, v1) == []
    assert kinds("FORWARD", widened, v1) == ["TYPE_MISMATCH"]
    e1 = '{"type": "enum", "name": "E", "symbols": ["A", "B"]}'
    e2 = '{"type": "enum", "name": "E", "symbols": ["A"]}'
    assert kinds("BACKWARD", e2, e1) == ["MISSING_ENUM_SYMBOLS"]
    assert kinds("BACKWARD", '{"type": "enum", "name": "E", "symbols": ["A"], "default": "A"}', e1) == []
    assert kinds("BACKWARD", avro([{"name": "a", "type": "int"}], name="U"), v1) == ["NAME_MISMATCH"]
    assert kinds("BACKWARD", avro([{"name": "a", "type": "int"}], name="U", aliases=["T"]), v1) == []
    f1, f2 = '{"type": "fixed", "name": "F", "size": 4}', '{"type": "fixed", "name": "F", "size": 8}'
    assert kinds("BACKWARD", f2, f1) == ["FIXED_SIZE_MISMATCH"]


def test_transitive_checks_every_version_plain_only_the_latest() -> None:
    v1 = avro([{"name": "a", "type": "int"}])
    v2 = avro([{"name": "a", "type": "int", "default": 0}, {"name": "b", "type": "string", "default": "x"}])
    v3 = avro([{"name": "b", "type": "string", "default": "x"}, {"name": "c", "type": "int", "default": 0}])
    assert kinds("FORWARD", v3, v1, v2) == []
    assert kinds("FORWARD_TRANSITIVE", v3, v1, v2) == ["READER_FIELD_MISSING_DEFAULT_VALUE"]


def test_recursive_records_terminate() -> None:
    v1 = avro([{"name": "next", "type": ["null", "T"], "default": None}])
    v2 = avro([{"name": "next", "type": ["null", "T"], "default": None}, {"name": "x", "type": "int", "default": 1}])
    assert kinds("FULL_TRANSITIVE", v2, v1) == []
