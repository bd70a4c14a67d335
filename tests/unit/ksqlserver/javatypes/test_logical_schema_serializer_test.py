"""ksqlDB 0.29's LogicalSchemaSerializerTest (ksqldb-common, io.confluent.ksql.json): a LogicalSchema is
written as its text, columns in the schema's own order with KEY after key columns. Ported through the
"schema" of /query's header (StreamedRow.header, serialized by the REST API's mapper)."""

from __future__ import annotations

from typing import Any


def _header(t: Any, sql: str) -> str:
    rows = t.app.query(sql)
    schema: str = rows[0]["header"]["schema"]
    return schema


def _table(t: Any, key: str) -> None:
    t.app.produce("v", [{"v0": 1}])
    t.app.run(f"CREATE TABLE T ({key} STRING PRIMARY KEY, `v0` INTEGER) WITH (KAFKA_TOPIC='v', VALUE_FORMAT='JSON');")
    t.app.run("CREATE TABLE Q AS SELECT * FROM T;")


def test_serialize_schema_with_implicit_columns(t: Any) -> None:
    """LogicalSchemaSerializerTest.shouldSerializeSchemaWithImplicitColumns: `ROWKEY` STRING KEY first."""
    _table(t, "ROWKEY")
    assert _header(t, "SELECT * FROM Q;") == "`ROWKEY` STRING KEY, `v0` INTEGER"


def test_serialize_schema_with_out_implicit_columns(t: Any) -> None:
    """LogicalSchemaSerializerTest.shouldSerializeSchemaWithOutImplicitColumns."""
    _table(t, "`key0`")
    assert _header(t, "SELECT * FROM Q;") == "`key0` STRING KEY, `v0` INTEGER"


def test_serialize_schema_with_key_after_value(t: Any) -> None:
    """LogicalSchemaSerializerTest.shouldSerializeSchemaWithKeyAfterValue: a pull query that selects the
    value first keeps that order."""
    _table(t, "`key0`")
    assert _header(t, "SELECT `v0`, `key0` FROM Q;") == "`v0` INTEGER, `key0` STRING KEY"
