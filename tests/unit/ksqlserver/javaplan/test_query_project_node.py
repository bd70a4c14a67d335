"""Port of ksqlDB 0.29 `io.confluent.ksql.planner.plan.QueryProjectNodeTest`: the output schema of a pull
query's projection (QueryProjectNode.buildOutputSchema), seen as the header schema of the query.

The Java test's source schema is `K STRING KEY, COL0 STRING, ...` (TS here). Its intermediate-schema
assertions (which columns the evaluator is given) have no observable effect beyond the selected values,
asserted here as the rows; `getCompiledSelectExpressions` throwing for SELECT * is internal."""

from __future__ import annotations

from typing import Any


def _header(pull: Any, sql: str) -> str:
    q = pull.query(sql)
    try:
        return str(q.schema)
    finally:
        q.close()


def test_select_key_aliased_non_windowed(pull: Any) -> None:
    """shouldBuildPullQueryIntermediateSchemaSelectKeyNonWindowed: `K AS GRACE`; selectOutputSchema makes a
    key column of an alias that names a key column only, so GRACE is a value column."""
    sql = "SELECT K AS GRACE FROM TS WHERE K = 'v1';"
    assert _header(pull, sql) == "`GRACE` STRING"
    assert pull.rows(sql) == [["v1"]]


def test_select_key_aliased_windowed(pull: Any) -> None:
    """shouldBuildPullQueryIntermediateSchemaSelectKeyWindowed."""
    sql = "SELECT K AS GRACE FROM TW WHERE K = 2;"
    assert _header(pull, sql) == "`GRACE` INTEGER"
    assert pull.rows(sql) == [[2]]


def test_select_value_aliased_non_windowed(pull: Any) -> None:
    """shouldBuildPullQueryIntermediateSchemaSelectValueNonWindowed; and an alias naming the key column makes
    a key column of a value."""
    assert _header(pull, "SELECT COL0 AS GRACE FROM TS WHERE K = 'v1';") == "`GRACE` STRING"
    assert pull.rows("SELECT COL0 AS GRACE FROM TS WHERE K = 'v1';") == [["cv1"]]
    assert _header(pull, "SELECT COL0 AS K FROM TS WHERE K = 'v1';") == "`K` STRING KEY"


def test_output_schema_select_key_non_windowed(pull: Any) -> None:
    """shouldBuildPullQueryOutputSchemaSelectKeyNonWindowed: `K` alone: `K` STRING KEY."""
    assert _header(pull, "SELECT K FROM TS WHERE K = 'v1';") == "`K` STRING KEY"


def test_output_schema_select_key_and_window_bounds(pull: Any) -> None:
    """shouldBuildPullQueryOutputSchemaSelectKeyAndWindowBounds: WINDOWSTART, WINDOWEND and K are key
    columns, in select order."""
    sql = "SELECT WINDOWSTART, WINDOWEND, K FROM TW WHERE K = 2;"
    assert _header(pull, sql) == "`WINDOWSTART` BIGINT KEY, `WINDOWEND` BIGINT KEY, `K` INTEGER KEY"
    assert pull.rows(sql) == [[1000, 2000, 2]]


def test_output_schema_select_value_and_window_bounds(pull: Any) -> None:
    """shouldBuildPullQueryOutputSchemaSelectValueAndWindowBounds; a window bound under another name is a
    value column."""
    sql = "SELECT WINDOWSTART, WINDOWEND, CNT FROM TW WHERE K = 2;"
    assert _header(pull, sql) == "`WINDOWSTART` BIGINT KEY, `WINDOWEND` BIGINT KEY, `CNT` BIGINT"
    assert pull.rows(sql) == [[1000, 2000, 1]]
    assert _header(pull, "SELECT WINDOWSTART AS WS, CNT FROM TW WHERE K = 2;") == "`WS` BIGINT, `CNT` BIGINT"


def test_output_schema_select_star(pull: Any) -> None:
    """shouldBuildPullQueryOutputSchemaSelectStar (buildPullQuerySelectStarSchema): keys, window bounds
    (windowed), then values."""
    assert _header(pull, "SELECT * FROM TS WHERE K = 'v1';") == "`K` STRING KEY, `COL0` STRING, `ROWKEY` STRING"
    assert pull.rows("SELECT * FROM TS WHERE K = 'v1';") == [["v1", "cv1", "rv1"]]
    assert _header(pull, "SELECT * FROM TW WHERE K = 2;") == (
        "`K` INTEGER KEY, `WINDOWSTART` BIGINT KEY, `WINDOWEND` BIGINT KEY, `CNT` BIGINT"
    )


def test_wildcard_must_be_the_only_select_item(pull: Any) -> None:
    """QueryProjectNode.isSelectStar (reached by every projection the Java test builds)."""
    for sql in ("SELECT *, K FROM TS WHERE K = 'v1';", "SELECT K, * FROM TS WHERE K = 'v1';"):
        assert pull.error(sql) == "Pull queries only support wildcards in the projects if they are the only expression"


def test_duplicate_output_columns(pull: Any) -> None:
    """selectOutputSchema's LogicalSchema.Builder: a name twice in the key or in the value."""
    assert pull.error("SELECT K, K FROM TS WHERE K = 'v1';") == "Duplicate key columns found in schema: `K` STRING KEY"
    assert pull.error("SELECT COL0, COL0 FROM TS WHERE K = 'v1';") == (
        "Duplicate value columns found in schema: `COL0` STRING"
    )
