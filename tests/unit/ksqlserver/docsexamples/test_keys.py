"""The key rules ksqlDB's reference pages state, run on records:
developer-guide/ksqldb-reference/create-stream-as-select.md (the key of a CSAS: PARTITION BY column,
STRUCT field, other expression, several expressions), create-table-as-select.md (the primary key of a
CTAS: the same rules for GROUP BY), developer-guide/joins/partition-data.md (PARTITION BY moves columns
into the key, AS_VALUE copies them back, a NULL PARTITION BY result) and developer-guide/joins/
synthetic-keys.md (the synthetic key of a FULL OUTER join and its name, the missing-key error)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.errors import KsqlError

from .conftest import Docs

SOURCE = ("CREATE STREAM S (ID INT KEY, A STRING, B INT, ADDR STRUCT<ZIP STRING, CITY STRING>) "
          "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', KEY_FORMAT='JSON');")  # fmt: skip
ROWS = [
    (1, {"A": "x", "B": 1, "ADDR": {"ZIP": "94041", "CITY": "MV"}}),
    (2, {"A": None, "B": None, "ADDR": None}),
    (3, {"A": "y", "B": 2, "ADDR": {"ZIP": "98041", "CITY": "SEA"}}),
]
MV = {"ZIP": "94041", "CITY": "MV"}
SEA = {"ZIP": "98041", "CITY": "SEA"}


def _run(h: Docs, *statements: str) -> None:
    h.ensure_topics("s")
    h.sql(SOURCE)
    for sql in statements:
        h.sql(sql)
    h.driver.produce("s", [Record(json.dumps(k).encode(), json.dumps(v).encode(), 1000) for k, v in ROWS])
    h.drain()


def _schema(h: Docs, name: str) -> tuple[list[tuple[str, str]], list[str]]:
    schema = h.source(name).schema
    return [(c.name, str(c.type)) for c in schema.key], [c.name for c in schema.value_only]


def _records(h: Docs, name: str) -> list[tuple[Any, Any]]:
    return [
        (None if r.key is None else json.loads(r.key), None if r.value is None else json.loads(r.value))
        for r in h.records(h.source(name).topic)
    ]


def test_partition_by_source_column(docs: Any) -> None:
    """create-stream-as-select.md, key rule 1.1: a PARTITION BY source column is the key column with the
    column's name, type and contents; partition-data.md: "The PARTITION BY clause moves the columns into
    the key" (the old key column ID moves into the value); "If the PARTITION BY expression evaluates to
    NULL, the resulting row is produced" with a null key (PartitionByParamsFactory)."""
    h = docs()
    _run(h, "CREATE STREAM P AS SELECT * FROM S PARTITION BY A;")
    assert _schema(h, "P") == ([("A", "STRING")], ["B", "ADDR", "ID"])
    assert _records(h, "P") == [
        ("x", {"B": 1, "ADDR": MV, "ID": 1}),
        (None, {"B": None, "ADDR": None, "ID": 2}),
        ("y", {"B": 2, "ADDR": SEA, "ID": 3}),
    ]


def test_partition_by_struct_field(docs: Any) -> None:
    """create-stream-as-select.md, key rule 1.2: a PARTITION BY STRUCT field is a key column named as the
    field, with its type and contents."""
    h = docs()
    _run(h, "CREATE STREAM P AS SELECT * FROM S PARTITION BY ADDR->ZIP;")
    assert _schema(h, "P") == ([("ZIP", "STRING")], ["A", "B", "ADDR", "ID"])
    assert [k for k, _ in _records(h, "P")] == ["94041", None, "98041"]


def test_partition_by_expression(docs: Any) -> None:
    """create-stream-as-select.md, key rule 1.3: any other PARTITION BY expression is a key column with a
    system-generated name (KSQL_COL_0: ColumnNames.nextKsqlColAlias) unless the projection aliases it."""
    h = docs()
    _run(h, "CREATE STREAM P AS SELECT * FROM S PARTITION BY B + 1;",
         "CREATE STREAM Q AS SELECT B + 1 AS BB, A FROM S PARTITION BY B + 1;")  # fmt: skip
    assert _schema(h, "P") == ([("KSQL_COL_0", "INTEGER")], ["A", "B", "ADDR", "ID"])
    assert [k for k, _ in _records(h, "P")] == [2, None, 3]
    assert _schema(h, "Q") == ([("BB", "INTEGER")], ["A"])
    assert _records(h, "Q") == [(2, {"A": "x"}), (None, {"A": None}), (3, {"A": "y"})]


def test_partition_by_several_expressions(docs: Any) -> None:
    """create-stream-as-select.md, key rule 1: "the resulting number of key columns matches the number of
    expressions in the PARTITION BY clause" (a JSON key of both)."""
    h = docs()
    _run(h, "CREATE STREAM P AS SELECT * FROM S PARTITION BY A, B;")
    assert _schema(h, "P") == ([("A", "STRING"), ("B", "INTEGER")], ["ADDR", "ID"])
    records = _records(h, "P")
    assert [records[0], records[2]] == [({"A": "x", "B": 1}, {"ADDR": MV, "ID": 1}),
                                        ({"A": "y", "B": 2}, {"ADDR": SEA, "ID": 3})]  # fmt: skip


def test_as_value_copies_a_key_column_into_the_value(docs: Any) -> None:
    """partition-data.md: "If you want them in the value also, you must copy them by using the AS_VALUE
    function"."""
    h = docs()
    _run(h, "CREATE STREAM P AS SELECT A, B, AS_VALUE(A) AS AV FROM S PARTITION BY A;")
    assert _schema(h, "P") == ([("A", "STRING")], ["B", "AV"])
    assert _records(h, "P") == [("x", {"B": 1, "AV": "x"}), (None, {"B": None, "AV": None}),
                                ("y", {"B": 2, "AV": "y"})]  # fmt: skip


def test_group_by_key_rules(docs: Any) -> None:
    """create-table-as-select.md, primary-key rules 1.1-1.3: a GROUP BY STRUCT field is a key column named
    as the field; several grouping expressions are as many key columns; another expression has a
    system-generated name. A row whose grouping expression is null is not aggregated
    (GroupByParamsFactory's groupers return null)."""
    h = docs()
    _run(h,
         "CREATE TABLE G1 AS SELECT ADDR->ZIP, COUNT(*) AS C FROM S GROUP BY ADDR->ZIP;",
         "CREATE TABLE G2 AS SELECT A, B, COUNT(*) AS C FROM S GROUP BY A, B;",
         "CREATE TABLE G3 AS SELECT B * 2, COUNT(*) AS C FROM S GROUP BY B * 2;")  # fmt: skip
    assert _schema(h, "G1") == ([("ZIP", "STRING")], ["C"])
    assert _records(h, "G1") == [("94041", {"C": 1}), ("98041", {"C": 1})]
    assert _schema(h, "G2") == ([("A", "STRING"), ("B", "INTEGER")], ["C"])
    assert _records(h, "G2") == [({"A": "x", "B": 1}, {"C": 1}), ({"A": "y", "B": 2}, {"C": 1})]
    assert _schema(h, "G3") == ([("KSQL_COL_0", "INTEGER")], ["C"])
    assert _records(h, "G3") == [(2, {"C": 1}), (4, {"C": 1})]


TABLES = [
    "CREATE TABLE L (ID STRING PRIMARY KEY, C0 STRING) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON');",
    "CREATE TABLE R (ID STRING PRIMARY KEY, C1 STRING) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON');",
]


def test_synthetic_key_of_full_outer_join(docs: Any) -> None:
    """synthetic-keys.md: a FULL OUTER join's key is the synthetic ROWKEY, "the first non-null key" of the
    table L.ID 10 / R.ID 7 / both 8 (the join's key: KTableKTableOuterJoin joins on the record key)."""
    h = docs()
    h.ensure_topics("l", "r")
    for sql in TABLES:
        h.sql(sql)
    h.sql("CREATE TABLE OUTPUT AS SELECT * FROM L FULL OUTER JOIN R ON L.ID = R.ID;")
    assert _schema(h, "OUTPUT") == ([("ROWKEY", "STRING")], ["L_ID", "L_C0", "R_ID", "R_C1"])
    h.produce("l", "10", {"C0": "l10"}, 1000)
    h.produce("r", "7", {"C1": "r7"}, 2000)
    h.produce("l", "8", {"C0": "l8"}, 3000)
    h.produce("r", "8", {"C1": "r8"}, 4000)
    h.drain()
    assert [(k, v["L_ID"], v["R_ID"]) for k, v, _ in h.stamped("OUTPUT")] == [
        ("10", "10", None), ("7", None, "7"), ("8", "8", None), ("8", "8", "8"),
    ]  # fmt: skip


def test_synthetic_key_name_avoids_source_columns(docs: Any) -> None:
    """synthetic-keys.md, "What name is assigned to a Synthetic key column?": with sources holding ROWKEY
    and ROWKEY_1, the synthetic key of a join on expressions is ROWKEY_2."""
    h = docs()
    h.ensure_topics("s1", "s2")
    h.sql("CREATE STREAM S1 (ROWKEY INT KEY, V0 STRING) WITH (KAFKA_TOPIC='s1', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM S2 (ID INT KEY, ROWKEY_1 INT) WITH (KAFKA_TOPIC='s2', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM OUTPUT AS SELECT * FROM S1 JOIN S2 WITHIN 30 SECONDS "
          "ON ABS(S1.ROWKEY) = ABS(S2.ID);")  # fmt: skip
    assert _schema(h, "OUTPUT") == ([("ROWKEY_2", "INTEGER")], ["S1_ROWKEY", "S1_V0", "S2_ID", "S2_ROWKEY_1"])


PLANNED = "Could not determine output schema for query due to error: "  # SchemaRegisterInjector's wrapper


def test_synthetic_key_missing_from_projection(docs: Any) -> None:
    """synthetic-keys.md: a projection without the synthetic key is refused. The page quotes the message
    shortened; the test asserts the whole text of ksqlDB 0.29's PlanNode.throwKeysNotIncludedError (synthetic)."""
    h = docs()
    h.ensure_topics("l", "r")
    for sql in TABLES:
        h.sql(sql)
    with pytest.raises(KsqlError) as err:
        h.sql("CREATE TABLE OUTPUT AS SELECT L.C0, R.C1 FROM L FULL OUTER JOIN R ON L.ID = R.ID;")
    assert err.value.message == PLANNED + (
        "Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n"
        "The query used to build `OUTPUT` must include the join expression ROWKEY in its projection "
        "(eg, SELECT ROWKEY...).\n"
        "ROWKEY was added as a synthetic key column because the join criteria did not match any source "
        "column. This expression must be included in the projection and may be aliased. "
    )
    h.sql("CREATE TABLE OUTPUT AS SELECT ROWKEY AS ID, L.C0, R.C1 FROM L FULL OUTER JOIN R ON L.ID = R.ID;")
    assert _schema(h, "OUTPUT") == ([("ID", "STRING")], ["C0", "C1"])
