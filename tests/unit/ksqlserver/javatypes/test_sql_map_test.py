"""ksqlDB 0.29's SqlMapTest (ksqldb-udf, io.confluent.ksql.schema.ksql.types): MAP's key and value types and
its text, MAP<DOUBLE, INTEGER>: a MAP constructor keyed by DOUBLE, as the header of a push query shows its
column (JSON cannot hold a non-STRING key, so no sink here), and a declared MAP in DESCRIBE."""

from __future__ import annotations

from typing import Any


def test_map_type(t: Any) -> None:
    """SqlMapTest.shouldReturnBaseType / shouldReturnKeyType / shouldReturnValueType / shouldImplementToString."""
    t.app.produce("m", [{"V": 1}])
    t.app.run("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='m', VALUE_FORMAT='JSON');")
    [header, row, _] = t.app.query("SELECT MAP(1.5E0 := V) AS A, MAP(V := 1.5E0) AS B FROM S EMIT CHANGES LIMIT 1;")
    assert header["header"]["schema"] == "`A` MAP<DOUBLE, INTEGER>, `B` MAP<INTEGER, DOUBLE>"
    assert row["row"]["columns"] == [{"1.5": 1}, {"1": 1.5}]
    t.create("M MAP<STRING, INTEGER>", name="D")
    [m] = t.fields("D")
    assert m["schema"] == {"type": "MAP", "fields": None, "memberSchema": {"type": "INTEGER", "fields": None, "memberSchema": None}}
