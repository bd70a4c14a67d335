"""ksqlDB 0.29's SqlArrayTest (ksqldb-udf, io.confluent.ksql.schema.ksql.types): ARRAY's item type and text,
as DESCRIBE and the output schema of a query show them."""

from __future__ import annotations

from typing import Any


def test_array_type(t: Any) -> None:
    """SqlArrayTest.shouldReturnSqlType / shouldReturnValueType / shouldImplementToString."""
    t.create("A ARRAY<STRING>, B ARRAY<BOOLEAN>", name="S")
    assert t.types("S") == {"A": "ARRAY<STRING>", "B": "ARRAY<BOOLEAN>"}
    [a, _] = t.fields("S")
    assert a["schema"] == {"type": "ARRAY", "fields": None, "memberSchema": {"type": "STRING", "fields": None, "memberSchema": None}}
    assert t.select("ARRAY['a']", "ARRAY[TRUE]").types == ["ARRAY<STRING>", "ARRAY<BOOLEAN>"]
