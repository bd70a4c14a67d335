"""ksqlDB 0.29's SchemaKTableTest and SchemaKGroupedTableTest (ksqldb-engine, io.confluent.ksql.structured):
a table's select, filter, group-by and join schemas, and the refusals of table aggregations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql


@pytest.mark.parametrize(
    ("select", "expected"),
    [
        # shouldBuildSchemaForSelect
        ("SELECT col0 AS K, col2, col3 FROM test2 WHERE col0 > 100",
         "`K` BIGINT PRIMARY KEY, `COL2` STRING, `COL3` DOUBLE"),
        # testSelectWithExpression
        ("SELECT col0, col3*3+5 FROM test2 WHERE col0 > 100", "`COL0` BIGINT PRIMARY KEY, `KSQL_COL_0` DOUBLE"),
        # testSelectWithFunctions
        ("SELECT col0, LEN(UCASE(col2)) FROM test2 WHERE col0 > 100",
         "`COL0` BIGINT PRIMARY KEY, `KSQL_COL_0` INTEGER"),
        # shouldBuildSchemaKTableWithCorrectSchemaForFilter
        ("SELECT col0, col2, col3 FROM test2 WHERE col0 > 100",
         "`COL0` BIGINT PRIMARY KEY, `COL2` STRING, `COL3` DOUBLE"),
        # shouldRewriteTimeComparisonInFilter
        ("SELECT col0, col2, col3 FROM test2 WHERE ROWTIME = '1984-01-01T00:00:00+00:00'",
         "`COL0` BIGINT PRIMARY KEY, `COL2` STRING, `COL3` DOUBLE"),
        # shouldBuildSchemaForTableTableJoin
        ("SELECT t2.col0, t2.col1, t3.col1 AS c FROM test2 t2 JOIN test3 t3 ON t2.col0 = t3.col0",
         "`T2_COL0` BIGINT PRIMARY KEY, `T2_COL1` STRING, `C` STRING"),
    ],
)  # fmt: skip
def test_table_schemas(ksql: Ksql, select: str, expected: str) -> None:
    """SchemaKTableTest's schema checks, as the CTAS sinks' schemas."""
    ksql.execute(f"CREATE TABLE OUT AS {select} EMIT CHANGES;")
    assert ksql.schema("OUT") == expected


def test_group_by_schema(ksql: Ksql) -> None:
    """testGroupBy / shouldBuildSchemaForGroupBy: a table grouped by two value columns is keyed by both."""
    ksql.execute(
        "CREATE TABLE OUT WITH (KEY_FORMAT='JSON') AS SELECT col2, col1, COUNT(*) AS C FROM test2 "
        "GROUP BY col2, col1;"
    )
    assert ksql.schema("OUT") == "`COL2` STRING PRIMARY KEY, `COL1` STRING PRIMARY KEY, `C` BIGINT"


@pytest.mark.parametrize(
    ("join", "key"),
    [
        ("LEFT JOIN", "`T2_COL0` BIGINT PRIMARY KEY"),  # shouldPerformTableToTableLeftJoin
        ("JOIN", "`T2_COL0` BIGINT PRIMARY KEY"),  # shouldPerformTableToTableInnerJoin
        ("FULL OUTER JOIN", "`ROWKEY` BIGINT PRIMARY KEY"),  # shouldPerformTableToTableOuterJoin
    ],
)
def test_table_table_joins(ksql: Ksql, join: str, key: str) -> None:
    """SchemaKTableTest.shouldPerformTableToTable*Join."""
    ksql.execute(f"CREATE TABLE OUT AS SELECT * FROM test2 t2 {join} test3 t3 ON t2.col0 = t3.col0;")
    assert ksql.schema("OUT").startswith(key)


def test_windowed_table_aggregation(ksql: Ksql) -> None:
    """SchemaKGroupedTableTest.shouldFailWindowedTableAggregation."""
    msg = ksql.message(
        "CREATE TABLE OUT AS SELECT col1, COUNT(*) AS C FROM test2 WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY col1;"
    )
    assert "Windowing not supported for table aggregations." in msg


@pytest.mark.parametrize(
    ("aggregates", "expected"),
    [
        ("MIN(col3), MAX(col3)",
         "The aggregation functions MIN and MAX cannot be applied to a table source, only to a stream source."),
        ("MAX(col3)", "The aggregation function MAX cannot be applied to a table source, only to a stream source."),
        ("MIN(col3), COUNT(*), MIN(col0)",
         "The aggregation function MIN cannot be applied to a table source, only to a stream source."),
    ],
)  # fmt: skip
def test_table_aggregation_functions(ksql: Ksql, aggregates: str, expected: str) -> None:
    """SchemaKGroupedTableTest.shouldFailUnsupportedAggregateFunction: names each function once."""
    msg = ksql.message(f"CREATE TABLE OUT AS SELECT col1, {aggregates} FROM test2 GROUP BY col1;")
    assert expected in msg


def test_table_aggregation(ksql: Ksql) -> None:
    """SchemaKGroupedTableTest.shouldReturnKTableWithOutputSchema: SUM and COUNT undo over a table."""
    ksql.execute("CREATE TABLE OUT AS SELECT col1, SUM(col3) AS S, COUNT(*) AS C FROM test2 GROUP BY col1;")
    assert ksql.schema("OUT") == "`COL1` STRING PRIMARY KEY, `S` DOUBLE, `C` BIGINT"
