"""Port of ksqlDB 0.29 `io.confluent.ksql.planner.plan.KsqlStructuredDataOutputNodeTest`
(shouldThrowIfSelectExpressionsHaveSameNameAsAnyKeyColumn, shouldBuildOutputNodeForInsertIntoAvroFromNonAvro,
shouldCallInto, shouldSetReplaceFlagToTrue/False; shouldBuildSourceNode only verifies a mock call).

KsqlStructuredDataOutputNode.validate refuses a sink whose value columns take a key column's name ("Value
columns clash with key columns: `K`"). A projection reaches it when SelectionUtil.buildProjectionSchema puts
a reference to a key column in the key namespace and another expression of that name in the value namespace
(each namespace alone refuses a name twice: "Duplicate key/value columns found in schema"). A transient
query's result holds its key references as values, so there the same projection is a duplicate value
column. `into` writes the projection to the sink's topic (shouldCallInto), INSERT INTO writes into an
existing sink of another format (shouldBuildOutputNodeForInsertIntoAvroFromNonAvro), and CREATE OR REPLACE
replaces the query (getOrReplace)."""

from __future__ import annotations

from typing import Any

import pytest

CLASH = "Value columns clash with key columns: "


@pytest.fixture
def n(nodes: Any) -> Any:
    nodes.sql("CREATE STREAM S (K0 INT KEY, FIELD1 STRING, FIELD2 STRING) "
              "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    nodes.sql("CREATE TABLE T (K0 INT PRIMARY KEY, FIELD1 STRING) "
              "WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    return nodes


@pytest.mark.parametrize(
    ("sql", "clash"),
    [
        ("CREATE STREAM O AS SELECT K0, FIELD1 AS K0, FIELD2 FROM S;", "`K0`"),
        ("CREATE STREAM O AS SELECT FIELD1, K0 AS FIELD1 FROM S;", "`FIELD1`"),
        ("CREATE STREAM O AS SELECT *, FIELD2 AS K0 FROM S;", "`K0`"),
        ("CREATE TABLE O AS SELECT K0, FIELD1 AS K0 FROM T;", "`K0`"),
        # after PARTITION BY the new key is FIELD1 and the old key a value column
        ("CREATE STREAM O AS SELECT FIELD1, K0 AS FIELD1 FROM S PARTITION BY FIELD1;", "`FIELD1`"),
    ],
)
def test_should_throw_if_select_expressions_have_same_name_as_any_key_column(n: Any, sql: str, clash: str) -> None:
    """shouldThrowIfSelectExpressionsHaveSameNameAsAnyKeyColumn."""
    assert n.fails(sql) == f"{CLASH}{clash}"


def test_duplicates_within_a_namespace(n: Any) -> None:
    """LogicalSchema.Builder: the key or the value namespace alone refuses a name twice (DuplicateColumnException
    names the later column, with KEY for a key column)."""
    assert n.fails("CREATE STREAM O AS SELECT K0, K0, FIELD1 FROM S;") == (
        "Duplicate key columns found in schema: `K0` INTEGER KEY"
    )
    assert n.fails("CREATE STREAM O AS SELECT K0, FIELD1 AS F, FIELD2 AS F FROM S;") == (
        "Duplicate value columns found in schema: `F` STRING"
    )


def test_transient_query_holds_key_references_as_values(n: Any) -> None:
    """FinalProjectNode of a transient query: its result's value columns are the whole projection, so a key
    reference and a value of one name are duplicate value columns."""
    assert n.error("SELECT K0, FIELD1 AS K0 FROM S EMIT CHANGES;") == (
        "Duplicate value columns found in schema: `K0` STRING"
    )
    assert n.error("SELECT K0, K0 FROM S EMIT CHANGES;") == "Duplicate key columns found in schema: `K0` INTEGER KEY"


def test_no_value_columns_is_refused_before_a_missing_key(n: Any) -> None:
    """FinalProjectNode refuses an empty value before the output node looks for the key (PlanNode
    .validateKeyPresent)."""
    assert n.fails("CREATE STREAM O AS SELECT FIELD1 FROM S PARTITION BY FIELD1, FIELD2;") == (
        "The projection contains no value columns."
    )
    assert n.fails("CREATE STREAM O AS SELECT FIELD1, K0 FROM S PARTITION BY FIELD1, FIELD2;").startswith(
        "Keys missing from projection (ie, SELECT)."
    )


def test_should_call_into(n: Any) -> None:
    """shouldCallInto: the projection goes into the sink's topic."""
    n.sql("CREATE STREAM O AS SELECT K0, FIELD1 AS F FROM S;")
    n.insert("S", {"K0": 1, "FIELD1": "a", "FIELD2": "b"})
    assert n.values("O") == [{"F": "a"}]


def test_should_build_output_node_for_insert_into_avro_from_non_avro(n: Any) -> None:
    """shouldBuildOutputNodeForInsertIntoAvroFromNonAvro: INSERT INTO writes in the sink's own formats."""
    n.driver.create_topic("o", partitions=1)
    n.sql("CREATE STREAM O (K0 INT KEY, FIELD1 STRING) WITH (KAFKA_TOPIC='o', VALUE_FORMAT='DELIMITED');")
    n.sql("INSERT INTO O SELECT K0, FIELD1 FROM S;")
    n.insert("S", {"K0": 1, "FIELD1": "a,b", "FIELD2": "x"})
    [record] = n.driver.records("o")
    assert record.value == b'"a,b"'


def test_should_set_replace_flag(n: Any) -> None:
    """shouldSetReplaceFlagToTrue / shouldSetReplaceFlagToFalse: CREATE OR REPLACE replaces the sink's query;
    CREATE of an existing sink is refused."""
    n.sql("CREATE STREAM O AS SELECT K0, FIELD1 FROM S;")
    n.sql("CREATE OR REPLACE STREAM O AS SELECT K0, FIELD1 FROM S WHERE K0 > 1;")
    n.insert("S", {"K0": 1, "FIELD1": "a", "FIELD2": "b"}, {"K0": 2, "FIELD1": "c", "FIELD2": "d"})
    assert n.values("O") == [{"FIELD1": "c"}]
    assert n.fails("CREATE STREAM O AS SELECT K0, FIELD1 FROM S;").startswith(
        "Cannot add stream 'O': A stream with the same name already exists"
    )


def test_join_sink_value_columns_clash_with_its_key(n: Any) -> None:
    """The same validation over a join's projection: the join key referenced (either viable key column)
    is the sink's key, so another column of its name clashes; twice under one name, a duplicate key."""
    n.sql("CREATE TABLE B (ID INT PRIMARY KEY, C2 STRING) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON', PARTITIONS=1);")
    assert n.fails("CREATE STREAM J AS SELECT S.K0, B.C2 AS K0 FROM S JOIN B ON S.K0 = B.ID;") == f"{CLASH}`K0`"
    assert n.fails("CREATE STREAM J AS SELECT B.ID, S.FIELD1 AS ID FROM S JOIN B ON S.K0 = B.ID;") == f"{CLASH}`ID`"
    assert n.fails("CREATE STREAM J AS SELECT S.K0, S.K0, B.C2 FROM S JOIN B ON S.K0 = B.ID;") == (
        "Duplicate key columns found in schema: `K0` INTEGER KEY"
    )
    assert n.error("SELECT S.K0, B.C2 AS K0 FROM S JOIN B ON S.K0 = B.ID EMIT CHANGES;") == (
        "Duplicate value columns found in schema: `K0` STRING"
    )
    assert n.error("SELECT S.K0, S.K0 FROM S JOIN B ON S.K0 = B.ID EMIT CHANGES;") == (
        "Duplicate key columns found in schema: `K0` INTEGER KEY"
    )
