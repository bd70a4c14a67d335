"""ksqlDB 0.29's StructSerializationModuleTest (ksqldb-common, io.confluent.ksql.json): how the REST API's
JSON writes a STRUCT (a JSON object, fields in schema order, nested structs, nulls, DECIMALs as numbers) and
a STRUCT inside a list. Ported through /query rows."""

from __future__ import annotations

import json
from typing import Any

ADDRESS = "STRUCT<NUMBER BIGINT, STREET STRING, CITY STRING, STATE STRING, ZIPCODE BIGINT>"
CATEGORY = "STRUCT<ID BIGINT, NAME STRING>"
ITEM = f"STRUCT<ITEMID BIGINT, NAME STRING, CATEGORY {CATEGORY}, COST DECIMAL(4, 2)>"


def _rows(t: Any, value: dict[str, Any], select: str) -> list[str]:
    t.app.produce("s", [value])
    t.app.run(f"CREATE STREAM S (K STRING KEY, ADDRESS {ADDRESS}, ITEM {ITEM}) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    body = t.app.query_text(f"SELECT {select} FROM S EMIT CHANGES LIMIT 1;")
    return [line.rstrip(",") for line in body.strip().strip("[]").split("\n")]


def _columns(line: str) -> str:
    prefix = '{"row":{"columns":['
    assert line.startswith(prefix) and line.endswith("]}}"), line
    return line[len(prefix) : -3]


def test_serialize_struct_correctly(t: Any) -> None:
    """StructSerializationModuleTest.shouldSerializeStructCorrectly."""
    address = {"NUMBER": 101, "STREET": "University Ave.", "CITY": "Palo Alto", "STATE": "CA", "ZIPCODE": 94301}
    lines = _rows(t, {"ADDRESS": address}, "ADDRESS")
    assert _columns(lines[1]) == (
        '{"NUMBER":101,"STREET":"University Ave.","CITY":"Palo Alto","STATE":"CA","ZIPCODE":94301}'
    )


def test_serialize_struct_with_nested_struct_correctly(t: Any) -> None:
    """StructSerializationModuleTest.shouldSerializeStructWithNestedStructCorrectly: COST 10.01 a number."""
    item = {"ITEMID": 1, "NAME": "ICE CREAM", "CATEGORY": {"ID": 1, "NAME": "Food"}, "COST": 10.01}
    lines = _rows(t, {"ITEM": item}, "ITEM")
    assert _columns(lines[1]) == '{"ITEMID":1,"NAME":"ICE CREAM","CATEGORY":{"ID":1,"NAME":"Food"},"COST":10.01}'


def test_serialize_struct_with_nested_struct_and_null_fields_correctly(t: Any) -> None:
    """StructSerializationModuleTest.shouldSerializeStructWithNestedStructAndNullFieldsCorrectly: absent
    fields are written as null, in schema order."""
    lines = _rows(t, {"ITEM": {"NAME": "ICE CREAM", "ITEMID": 1, "CATEGORY": None}}, "ITEM")
    assert _columns(lines[1]) == '{"ITEMID":1,"NAME":"ICE CREAM","CATEGORY":null,"COST":null}'


def test_serialize_struct_inside_list_correctly(t: Any) -> None:
    """StructSerializationModuleTest.shouldSerializeStructInsideListCorrectly: a row's columns are a JSON
    list; a STRUCT among them is an object (1.0E0 is written 1.0)."""
    lines = _rows(t, {"ITEM": {"ITEMID": 1, "NAME": "ICE CREAM"}}, "'Hello', 1, CAST(1 AS BIGINT), 1.0E0, ITEM")
    assert _columns(lines[1]) == '"Hello",1,1,1.0,{"ITEMID":1,"NAME":"ICE CREAM","CATEGORY":null,"COST":null}'
    assert json.loads(lines[0])["header"]["schema"].startswith("`KSQL_COL_0` STRING, `KSQL_COL_1` INTEGER")
