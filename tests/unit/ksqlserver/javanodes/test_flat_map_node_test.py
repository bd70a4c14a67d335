"""Port of ksqlDB 0.29 `io.confluent.ksql.planner.plan.FlatMapNodeTest` (shouldResolveNoneUdtfSelectExpressionToSelf,
shouldResolveUdtfSelectExpressionToInternalName).

FlatMapNode gives each table-function call of the projection, in select order, a synthetic column
(KSQL_SYNTH_0, KSQL_SYNTH_1, ...) that the flat-map step fills, and resolves each select item to its
expression with those calls replaced (`resolveSelect`); other select items resolve to themselves. The
synthetic names are internal: a user observes the resolution in the rows of a query whose projection mixes
plain columns, table functions, a table function inside another expression and the same call twice (each
call is its own column, zipped with the others as KudtfFlatMapper does: the longest list sets the row
count, shorter ones give nulls). The Java test's source (ARRAY_COL ARRAY<INT>, COL0 STRING) with `SELECT *,
COL0, EXPLODE(ARRAY_COL)` is the first case."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def n(nodes: Any) -> Any:
    nodes.sql("CREATE STREAM S (K STRING KEY, ARRAY_COL ARRAY<INT>, A2 ARRAY<STRING>, COL0 STRING) "
              "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    return nodes


def test_should_resolve_udtf_select_expression_to_internal_name(n: Any) -> None:
    """The Java test's projection: `*` and COL0 resolve to themselves, EXPLODE(ARRAY_COL) (select index 2)
    to the flat-mapped value, under the alias AstSanitizer gives it."""
    n.sql("CREATE STREAM O AS SELECT *, COL0 AS C, EXPLODE(ARRAY_COL) FROM S;")
    assert n.schema("O") == (
        "`K` STRING KEY, `ARRAY_COL` ARRAY<INTEGER>, `A2` ARRAY<STRING>, `COL0` STRING, `C` STRING, "
        "`KSQL_COL_0` INTEGER"
    )
    n.insert("S", {"K": "k", "ARRAY_COL": [1, 2], "A2": None, "COL0": "c"})
    assert n.values("O") == [
        {"ARRAY_COL": [1, 2], "A2": None, "COL0": "c", "C": "c", "KSQL_COL_0": 1},
        {"ARRAY_COL": [1, 2], "A2": None, "COL0": "c", "C": "c", "KSQL_COL_0": 2},
    ]


def test_each_table_function_call_is_its_own_column(n: Any) -> None:
    """TableFunctionExpressionRewriter numbers the calls in select order: ABS(EXPLODE(ARRAY_COL)) reads the
    first, EXPLODE(A2) the second, EXPLODE(ARRAY_COL) + 1 a third (the same call again is another column);
    COL0 resolves to itself (shouldResolveNoneUdtfSelectExpressionToSelf)."""
    n.sql("CREATE STREAM O AS SELECT K, ABS(EXPLODE(ARRAY_COL)) AS X, COL0, EXPLODE(A2) AS Y, "
          "EXPLODE(ARRAY_COL) + 1 AS Z FROM S;")  # fmt: skip
    assert n.schema("O") == "`K` STRING KEY, `X` INTEGER, `COL0` STRING, `Y` STRING, `Z` INTEGER"
    n.insert("S", {"K": "k", "ARRAY_COL": [-1, -2, -3], "A2": ["a"], "COL0": "c"})
    n.insert("S", {"K": "k", "ARRAY_COL": None, "A2": [], "COL0": "c"})
    n.insert("S", {"K": "k", "ARRAY_COL": [], "A2": ["b", "c"], "COL0": "d"})
    assert n.values("O") == [
        {"X": 1, "COL0": "c", "Y": "a", "Z": 0},
        {"X": 2, "COL0": "c", "Y": None, "Z": -1},
        {"X": 3, "COL0": "c", "Y": None, "Z": -2},
        # a null or empty array gives nothing: the row whose lists are all empty is dropped
        {"X": None, "COL0": "d", "Y": "b", "Z": None},
        {"X": None, "COL0": "d", "Y": "c", "Z": None},
    ]


def test_table_function_rules(n: Any) -> None:
    """What the analyzer refuses before a FlatMapNode is built (Analyzer.TableFunctionVisitor,
    QueryAnalyzer): nested table functions, table functions with aggregations, a table source."""
    assert n.fails("CREATE STREAM O AS SELECT K, EXPLODE(EXPLODE(ARRAY_COL)) FROM S;") == (
        "Table functions cannot be nested: EXPLODE(EXPLODE())"
    )
    assert n.fails("CREATE TABLE O AS SELECT K, EXPLODE(ARRAY_COL) FROM S GROUP BY K;") == (
        "Table functions cannot be used with aggregations."
    )
    n.sql("CREATE TABLE T (K STRING PRIMARY KEY, ARRAY_COL ARRAY<INT>) "
          "WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    assert n.fails("CREATE TABLE O AS SELECT K, EXPLODE(ARRAY_COL) FROM T;") == (
        "Table source is not supported with table functions"
    )


def test_select_errors_name_the_synthesised_columns(make_nodes: Any) -> None:
    """shouldResolveUdtfSelectExpressionToInternalName: the select step after the flat-map evaluates the
    resolved expressions for each output row, so a failing one is logged (SelectValueMapper) with each
    table-function call as its KSQL_SYNTH_n column, row after row, column after column (a column without a
    table function too); the value is null."""
    n = make_nodes(processing_log=True)
    n.sql("CREATE STREAM S (K STRING KEY, A ARRAY<INT>, B INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")
    n.sql("CREATE STREAM O AS SELECT K, ABS(EXPLODE(A)) / B AS X, 1 / B AS Z, EXPLODE(A) / B AS Y FROM S;")
    n.insert("S", {"K": "k", "A": [1, 2], "B": 0})
    n.insert("S", {"K": "k", "A": [], "B": 0})  # no element, no output row: nothing to log
    assert n.values("O") == [{"X": None, "Z": None, "Y": None}, {"X": None, "Z": None, "Y": None}]
    errors = [m["recordProcessingError"] for m in n.processing_log() if m["type"] == 1]
    x = "Error computing expression (ABS(KSQL_SYNTH_0) / B) for column X with index 0"
    z = "Error computing expression (1 / B) for column Z with index 1"
    y = "Error computing expression (KSQL_SYNTH_1 / B) for column Y with index 2"
    assert [e["errorMessage"] for e in errors] == [x, z, y, x, z, y]
    assert all(e["cause"] == ["/ by zero"] for e in errors)


def test_select_errors_after_a_join_and_flat_map(make_nodes: Any) -> None:
    """The flat-map of a join runs over the joined row, whose columns are `<alias>_<name>`
    (LogicalPlanner's ColumnReferenceRewriter for joins)."""
    n = make_nodes(processing_log=True)
    n.sql("CREATE STREAM S (K STRING KEY, A ARRAY<INT>, B INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")
    n.sql("CREATE TABLE T (ID STRING PRIMARY KEY, D INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);")
    n.sql("CREATE STREAM O AS SELECT S.K, EXPLODE(A) / T.D AS Y, B / D AS W FROM S JOIN T ON S.K = T.ID;")
    n.insert("T", {"ID": "k", "D": 0})
    n.insert("S", {"K": "k", "A": [1, 2], "B": 0})
    errors = [m["recordProcessingError"]["errorMessage"] for m in n.processing_log() if m["type"] == 1]
    y = "Error computing expression (KSQL_SYNTH_0 / T_D) for column Y with index 0"
    w = "Error computing expression (S_B / T_D) for column W with index 1"
    assert errors == [y, w, y, w]
