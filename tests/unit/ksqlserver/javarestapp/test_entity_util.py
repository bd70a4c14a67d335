"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.util.EntityUtilTest` (ksqldb-rest-app): the `fields` of a
DESCRIBE's sourceDescription (EntityUtil.buildSourceSchemaEntity: FieldInfo name / schema (type, fields,
memberSchema, DECIMAL parameters) / type KEY or HEADER / headerKey).

The Java test builds LogicalSchemas by hand; here each is a CREATE STREAM with those columns, described over
/ksql. A source always has a value column, so the key-only and header-only schemas get one (`V`), and the
assertions look the column up by name."""

from __future__ import annotations

import json
from typing import Any

import pytest


@pytest.fixture()
def describe(make_resource: Any) -> Any:
    res = make_resource(sources=False, properties={"ksql.headers.columns.enabled": "true"})
    res.driver.create_topic("T", 1, 1)
    count = [0]

    def run(columns: str) -> list[dict[str, Any]]:
        count[0] += 1
        name = f"S{count[0]}"
        res.ok(f"CREATE STREAM {name} ({columns}) WITH (kafka_topic='T', value_format='json');")
        [entity] = res.ok(f"DESCRIBE {name};")
        fields: list[dict[str, Any]] = entity["sourceDescription"]["fields"]
        return fields

    return run


@pytest.mark.parametrize("sql_type", ["BIGINT", "DOUBLE", "STRING", "BOOLEAN", "INTEGER"])
def test_should_build_correct_primitive_field(describe: Any, sql_type: str) -> None:
    """EntityUtilTest.shouldBuildCorrectBigintField / DoubleField / StringField / BooleanField"""
    [field] = describe(f"`field` {sql_type}")
    assert field == {"name": "field", "schema": {"type": sql_type, "fields": None, "memberSchema": None}}


def test_should_build_correct_map_field(describe: Any) -> None:
    """EntityUtilTest.shouldBuildCorrectMapField: the member schema is the value type (JSON maps have STRING
    keys, so the Java test's BIGINT key is STRING here)"""
    [field] = describe("`field` MAP<STRING, INTEGER>")
    assert field["name"] == "field"
    assert field["schema"]["type"] == "MAP"
    assert field["schema"]["fields"] is None
    assert field["schema"]["memberSchema"]["type"] == "INTEGER"


def test_should_build_correct_decimal_field(describe: Any) -> None:
    """EntityUtilTest.shouldBuildCorrectDecimalField: precision and scale as parameters"""
    [field] = describe("`field` DECIMAL(10, 9)")
    assert field["schema"]["type"] == "DECIMAL"
    assert field["schema"]["fields"] is None
    assert field["schema"]["parameters"] == {"precision": 10, "scale": 9}


def test_should_build_correct_array_field(describe: Any) -> None:
    """EntityUtilTest.shouldBuildCorrectArrayField"""
    [field] = describe("`field` ARRAY<BIGINT>")
    assert field["schema"]["type"] == "ARRAY"
    assert field["schema"]["fields"] is None
    assert field["schema"]["memberSchema"]["type"] == "BIGINT"


def test_should_build_correct_struct_field(describe: Any) -> None:
    """EntityUtilTest.shouldBuildCorrectStructField: the inner field has no type (KEY/HEADER)"""
    [field] = describe("`field` STRUCT<`innerField` STRING>")
    assert field["schema"]["type"] == "STRUCT"
    assert field["schema"]["memberSchema"] is None
    [inner] = field["schema"]["fields"]
    assert inner["name"] == "innerField"
    assert inner["schema"]["type"] == "STRING"
    assert "type" not in inner


def test_should_build_multiple_fields_correctly(describe: Any) -> None:
    """EntityUtilTest.shouldBuildMiltipleFieldsCorrectly"""
    fields = describe("`field1` INTEGER, `field2` BIGINT")
    assert [(f["name"], f["schema"]["type"]) for f in fields] == [("field1", "INTEGER"), ("field2", "BIGINT")]


def test_should_support_rowkey_in_value_schema(describe: Any) -> None:
    """EntityUtilTest.shouldSupportRowTimeAndKeyInValueSchema: a value column named ROWKEY has no type
    (ROWTIME is a reserved name in a CREATE statement, so only ROWKEY is declared)"""
    fields = describe("ROWKEY STRING, `field1` INTEGER")
    assert [f["name"] for f in fields] == ["ROWKEY", "field1"]
    assert "type" not in fields[0]


def test_should_support_schemas_with_key_columns(describe: Any) -> None:
    """EntityUtilTest.shouldSupportSchemasWithKeyColumns"""
    fields = describe("`field1` INTEGER KEY, V STRING")
    assert fields[0] == {
        "name": "field1",
        "schema": {"type": "INTEGER", "fields": None, "memberSchema": None},
        "type": "KEY",
    }


def test_should_support_schemas_with_all_headers_column(describe: Any) -> None:
    """EntityUtilTest.shouldSupportSchemasWithAllHeadersColumn: ARRAY, HEADER, no headerKey"""
    fields = describe("V STRING, `field1` ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>> HEADERS")
    [field] = [f for f in fields if f["name"] == "field1"]
    assert field["schema"]["type"] == "ARRAY"
    assert field["type"] == "HEADER"
    assert "headerKey" not in field


def test_should_support_schemas_with_extracted_header_columns(describe: Any) -> None:
    """EntityUtilTest.shouldSupportSchemasWithExtractedHeaderColumns: BYTES, HEADER, headerKey"""
    fields = describe("V STRING, `field1` BYTES HEADER('abc')")
    [field] = [f for f in fields if f["name"] == "field1"]
    assert field["schema"]["type"] == "BYTES"
    assert field["type"] == "HEADER"
    assert field["headerKey"] == "abc"


def test_should_maintain_column_order(describe: Any) -> None:
    """EntityUtilTest.shouldMaintainColumnOrder: a value column declared before the key column stays first"""
    fields = describe("`field0` DOUBLE, `field1` INTEGER KEY")
    assert [(f["name"], f["schema"]["type"]) for f in fields] == [("field0", "DOUBLE"), ("field1", "INTEGER")]


def test_describe_lists_columns_as_created_and_altered(make_resource: Any) -> None:
    """TableElements.toLogicalSchema appends each element to LogicalSchema.Builder in the statement's order
    and ALTER STREAM's asBuilder().valueColumn appends after them; EntityUtil.buildSourceSchemaEntity lists
    schema.columns(). INSERT VALUES without columns still takes key columns first
    (GenericRecordFactory.implicitColumns: key() then value())."""
    res = make_resource(sources=False)
    res.driver.create_topic("T", 1, 1)
    res.ok("CREATE STREAM S (A INT, K INT KEY, B STRING) WITH (kafka_topic='T', value_format='json');")
    res.ok("ALTER STREAM S ADD COLUMN C BIGINT;")
    [entity] = res.ok("DESCRIBE S;")
    fields = entity["sourceDescription"]["fields"]
    assert [(f["name"], f.get("type")) for f in fields] == [("A", None), ("K", "KEY"), ("B", None), ("C", None)]
    res.ok("INSERT INTO S VALUES (7, 1, 'x', 2);")
    [record] = res.driver.records("T")
    assert json.loads(record.value) == {"A": 1, "B": "x", "C": 2}
