"""ksqlDB 0.29's SqlTypeWalkerTest (ksqldb-common, io.confluent.ksql.schema.ksql): SqlTypeWalker visits every
type, the items of ARRAY, the values of MAP and the fields of STRUCT. Its observable user is EntityUtil,
which walks each column's type into DESCRIBE's SchemaInfo (type, fields, memberSchema, DECIMAL parameters).
Ported through DESCRIBE's field list."""

from __future__ import annotations

from typing import Any


def _prim(kind: str) -> dict[str, Any]:
    return {"type": kind, "fields": None, "memberSchema": None}


def _decimal(precision: int, scale: int) -> dict[str, Any]:
    return {**_prim("DECIMAL"), "parameters": {"precision": precision, "scale": scale}}


def test_visit_primitives(t: Any) -> None:
    """SqlTypeWalkerTest.shouldVisitBoolean / Int / BigInt / Double / String / Decimal / Timestamp /
    shouldVisitPrimitives / shouldVisitAll: one SchemaInfo per base type; DECIMAL carries
    SqlDecimal.toParametersMap."""
    t.create(
        "B BOOLEAN, I INT, L BIGINT, D DOUBLE, S STRING, DE DECIMAL(10, 2), TS TIMESTAMP, T TIME, DA DATE, BB BYTES",
        name="Z",
    )
    assert [f["schema"] for f in t.fields("Z")] == [
        _prim("BOOLEAN"), _prim("INTEGER"), _prim("BIGINT"), _prim("DOUBLE"), _prim("STRING"), _decimal(10, 2),
        _prim("TIMESTAMP"), _prim("TIME"), _prim("DATE"), _prim("BYTES"),
    ]


def test_visit_array(t: Any) -> None:
    """SqlTypeWalkerTest.shouldVisitArray: the element type is visited (memberSchema)."""
    t.create("A ARRAY<DECIMAL(3, 1)>", name="Z")
    [a] = t.fields("Z")
    assert a["schema"] == {"type": "ARRAY", "fields": None, "memberSchema": _decimal(3, 1)}


def test_visit_map(t: Any) -> None:
    """SqlTypeWalkerTest.shouldVisitMap: key and value are visited; EntityUtil keeps the value."""
    t.create("M MAP<STRING, STRUCT<X INT>>", name="Z")
    [m] = t.fields("Z")
    member = {"type": "STRUCT", "fields": [{"name": "X", "schema": _prim("INTEGER")}], "memberSchema": None}
    assert m["schema"] == {"type": "MAP", "fields": None, "memberSchema": member}


def test_visit_struct(t: Any) -> None:
    """SqlTypeWalkerTest.shouldVisitStruct / shouldStartWalkingFromField: every field, in order, its name
    as declared."""
    t.create("ST STRUCT<A ARRAY<INT>, `b` MAP<STRING, DOUBLE>, C STRUCT<D DECIMAL(2, 1)>>", name="Z")
    [st] = t.fields("Z")
    assert st["schema"] == {
        "type": "STRUCT",
        "fields": [
            {"name": "A", "schema": {"type": "ARRAY", "fields": None, "memberSchema": _prim("INTEGER")}},
            {"name": "b", "schema": {"type": "MAP", "fields": None, "memberSchema": _prim("DOUBLE")}},
            {
                "name": "C",
                "schema": {"type": "STRUCT", "fields": [{"name": "D", "schema": _decimal(2, 1)}], "memberSchema": None},
            },
        ],
        "memberSchema": None,
    }
