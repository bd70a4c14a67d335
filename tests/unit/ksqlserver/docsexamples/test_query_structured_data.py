"""docs/how-to-guides/query-structured-data.md: its STRUCT, MAP, ARRAY and deeply nested examples (Avro
values written by INSERT VALUES), the push queries' rows and the column names the page shows."""

from __future__ import annotations

from typing import Any

from .conftest import Docs


def _columns(h: Docs, sql: str) -> list[str]:
    q = h.engine.start_query(sql)
    try:
        return [name for name, _ in q.columns]
    finally:
        q.close()


def test_structs(docs: Any) -> None:
    """"Structs": b->c and b->d are named C and D (the last identifier of the chain); b->* gives both."""
    h = docs()
    h.sql("CREATE STREAM s2 (a VARCHAR KEY, b STRUCT<c VARCHAR, d INT>) WITH (kafka_topic = 's2', "
          "partitions = 1, value_format = 'avro');")  # fmt: skip
    for k, c, d in [("k1", "v1", 5), ("k2", "v2", 6), ("k3", "v3", 7)]:
        h.sql(f"INSERT INTO s2 (a, b) VALUES ('{k}', STRUCT(c := '{c}', d := {d}));")
    expected = [["k1", {"C": "v1", "D": 5}, "v1", 5], ["k2", {"C": "v2", "D": 6}, "v2", 6],
                ["k3", {"C": "v3", "D": 7}, "v3", 7]]  # fmt: skip
    for sql in ["SELECT a, b, b->c, b->d FROM s2 EMIT CHANGES;", "SELECT a, b, b->* FROM s2 EMIT CHANGES;"]:
        assert _columns(h, sql) == ["A", "B", "C", "D"]
        assert h.push(sql) == expected


def test_maps(docs: Any) -> None:
    """"Maps": b['c'] and b['d'], aliased C and D."""
    h = docs()
    h.sql("CREATE STREAM s3 (a VARCHAR KEY, b MAP<VARCHAR, INT>) WITH (kafka_topic = 's3', partitions = 1, "
          "value_format = 'avro');")  # fmt: skip
    for k, c, d in [("k1", 2, 4), ("k2", 4, 8), ("k3", 8, 16)]:
        h.sql(f"INSERT INTO s3 (a, b) VALUES ('{k}', MAP('c' := {c}, 'd' := {d}));")
    assert h.push("SELECT a, b, b['c'] AS C, b['d'] AS D FROM s3 EMIT CHANGES;") == [
        ["k1", {"c": 2, "d": 4}, 2, 4], ["k2", {"c": 4, "d": 8}, 4, 8], ["k3", {"c": 8, "d": 16}, 8, 16],
    ]  # fmt: skip
    assert _columns(h, "SELECT a, b['c'] FROM s3 EMIT CHANGES;") == ["A", "KSQL_COL_0"]


def test_arrays(docs: Any) -> None:
    """"Arrays": 1-based indexes, null past the end, -1 the last element."""
    h = docs()
    h.sql("CREATE STREAM s4 (a VARCHAR KEY, b ARRAY<INT>) WITH (kafka_topic = 's4', partitions = 1, "
          "value_format = 'avro');")  # fmt: skip
    for k, arr in [("k1", "[1]"), ("k2", "[2, 3]"), ("k3", "[4, 5, 6]")]:
        h.sql(f"INSERT INTO s4 (a, b) VALUES ('{k}', ARRAY{arr});")
    assert h.push("SELECT a, b, b[1] AS b_1, b[2] AS b_2, b[3] AS b_3, b[-1] AS b_minus_1 FROM s4 "
                  "EMIT CHANGES;") == [
        ["k1", [1], 1, None, None, 1], ["k2", [2, 3], 2, 3, None, 3], ["k3", [4, 5, 6], 4, 5, 6, 6],
    ]  # fmt: skip


def test_deeply_nested_data(docs: Any) -> None:
    """"Deeply nested data": b->c[2] AS c_2, b->d['x']->f (named F), b->d['y']->e (named E)."""
    h = docs()
    h.sql("CREATE STREAM s4 (a VARCHAR KEY, b STRUCT<c ARRAY<INT>, d MAP<VARCHAR, STRUCT<e VARCHAR, "
          "f BOOLEAN>>>) WITH (kafka_topic = 's4', partitions = 1, value_format = 'avro');")  # fmt: skip
    rows = [("k1", "5, 10, 15", ("v1", "true"), ("v2", "false")), ("k2", "3, 6, 9", ("v3", "false"), ("v4", "false")),
            ("k3", "2, 4, 8", ("v5", "true"), ("v6", "true"))]  # fmt: skip
    for k, c, x, y in rows:
        h.sql(f"INSERT INTO s4 (a, b) VALUES ('{k}', STRUCT(c := ARRAY[{c}], d := MAP("
              f"'x' := STRUCT(e := '{x[0]}', f := {x[1]}), 'y' := STRUCT(e := '{y[0]}', f := {y[1]}))));")
    sql = "SELECT a, b, b->c[2] AS c_2, b->d['x']->f, b->d['y']->e FROM s4 EMIT CHANGES;"
    assert _columns(h, sql) == ["A", "B", "C_2", "F", "E"]
    got = [[r[0], r[2], r[3], r[4]] for r in h.push(sql)]
    assert got == [["k1", 10, True, "v2"], ["k2", 6, False, "v4"], ["k3", 4, True, "v6"]]
    first = h.push(sql)[0][1]
    assert first == {"C": [5, 10, 15], "D": {"x": {"E": "v1", "F": True}, "y": {"E": "v2", "F": False}}}
