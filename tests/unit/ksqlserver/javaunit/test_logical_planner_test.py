"""ksqlDB 0.29's LogicalPlannerTest (ksqldb-engine, io.confluent.ksql.planner): what each query's plan
outputs (a stream or a table) and the planner's refusals, observed through the sinks' kinds and messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql


@pytest.mark.parametrize(
    ("select", "kind"),
    [
        # shouldCreateTableOutputForAggregateQuery
        ("SELECT col0, sum(col3), count(col3) FROM test1 WINDOW HOPPING (size 2 second, advance by 1 second) "
         "WHERE col0 > 100 GROUP BY col0", "TABLE"),
        # shouldCreateStreamOutputForStreamTableJoin
        ("SELECT t1.col0, t1.col1, t2.col1 AS c FROM test1 t1 LEFT JOIN test2 t2 ON t1.col0 = t2.col0 "
         "WHERE t1.col3 > 10.8 AND t2.col2 = 'foo'", "STREAM"),
        ("SELECT * FROM test1 WHERE col0 > 100", "STREAM"),  # shouldCreateStreamOutputForStreamFilter
        ("SELECT * FROM test2 WHERE col2 = 'foo'", "TABLE"),  # shouldCreateTableOutputForTableFilter
        ("SELECT col0, col1 FROM test1", "STREAM"),  # shouldCreateStreamOutputForStreamProjection
        ("SELECT col0, col4 FROM test2", "TABLE"),  # shouldCreateTableOutputForTableProjection
        # shouldCreateStreamOutputForStreamStreamJoin (with the WITHIN a stream-stream join needs)
        ("SELECT * FROM ORDERS INNER JOIN TEST1 WITHIN 1 SECOND ON ORDERS.ORDERID = TEST1.COL0", "STREAM"),
        ("SELECT * FROM TEST2 INNER JOIN TEST3 ON TEST2.COL0 = TEST3.COL0", "TABLE"),  # ...ForTableTableJoin
        # shouldCreateTableOutputForTableSuppress
        ("SELECT col1, COUNT(*) as COUNT FROM test1 WINDOW TUMBLING (SIZE 2 MILLISECONDS, GRACE PERIOD "
         "1 MILLISECONDS) GROUP BY col1 EMIT FINAL", "TABLE"),
    ],
)  # fmt: skip
def test_output_kind(ksql: Ksql, select: str, kind: str) -> None:
    """The output node's type: the query is accepted as a CREATE <kind> AS and its sink is a <kind>; the other
    kind is refused (EngineExecutor.validateResultType)."""
    ksql.execute(f"CREATE {kind} OUT AS {select};")
    assert ksql.source("OUT").is_table == (kind == "TABLE")
    other = "STREAM" if kind == "TABLE" else "TABLE"
    assert f"Your SELECT query produces a {kind}." in ksql.message(f"CREATE {other} OUT2 AS {select};")


def test_join_column_names(ksql: Ksql) -> None:
    """shouldAddProjectionWithSourceAliasPrefixForJoinSources / shouldRewriteFinalSelectsForJoin: the join's
    columns are aliased with their source; the final select names them by the original columns, those
    whose names clash prefixed with the source alias."""
    ksql.execute(
        "CREATE STREAM OUT AS SELECT t1.col0, t1.col1, t2.col1, t1.col5 FROM test1 t1 JOIN test2 t2 "
        "ON t1.col0 = t2.col0 EMIT CHANGES;"
    )
    assert ksql.schema("OUT") == (
        "`T1_COL0` BIGINT KEY, `T1_COL1` STRING, `T2_COL1` STRING, `COL5` MAP<STRING, DOUBLE>"
    )


def test_join_filter_and_partition_by(ksql: Ksql) -> None:
    """shouldRewriteFilterForJoin / shouldRewritePartitionByForJoin."""
    ksql.execute(
        "CREATE STREAM OUT AS SELECT t1.col1, t2.col1 FROM test1 t1 JOIN test2 t2 ON t1.col0 = t2.col0 "
        "WHERE t1.col1 = t2.col1 PARTITION BY t1.col1 EMIT CHANGES;"
    )
    assert ksql.schema("OUT") == "`T1_COL1` STRING KEY, `T2_COL1` STRING"


@pytest.mark.parametrize("persistent", [True, False])
def test_emit_final_needs_windowed_aggregation(ksql: Ksql, persistent: bool) -> None:
    """shouldThrowOnNonWindowedAggregationSuppressions: a push query too, which QueryEngine plans with the same
    LogicalPlanner.buildPersistentLogicalPlan."""
    if persistent:
        msg = ksql.message("CREATE TABLE OUT AS SELECT * FROM test2 EMIT FINAL;")
    else:
        msg = ksql.query_error("SELECT * FROM test2 EMIT FINAL;").message
    assert "EMIT FINAL is only supported for windowed aggregations." in msg


def test_suppression_disabled(make_ksql: Callable[..., Ksql]) -> None:
    """shouldThrowOnSuppressDisabledInConfig."""
    ksql = make_ksql(**{"ksql.suppress.enabled": "false"})
    msg = ksql.message(
        "CREATE TABLE OUT AS SELECT col1, COUNT(*) as COUNT FROM test1 WINDOW TUMBLING (SIZE 2 MILLISECONDS, "
        "GRACE PERIOD 1 MILLISECONDS) GROUP BY col1 EMIT FINAL;"
    )
    assert (
        "Suppression is currently disabled. You can enable it by setting ksql.suppress.enabled to true" in msg
    )


@pytest.mark.parametrize("sql", ["SELECT * FROM Q LIMIT 3;", "SELECT * FROM test1 LIMIT 3;"])
def test_pull_query_with_limit(ksql: Ksql, sql: str) -> None:
    """testLimitTableScanLogicalPlan / testLimitStreamPullQueryLogicalPlan: a table scan and a stream pull
    query take a LIMIT (QueryLimitNode); the scanned table is a materialized one (a CTAS)."""
    ksql.execute("CREATE TABLE Q AS SELECT * FROM test2;")
    q = ksql.engine.start_query(sql)
    try:
        assert q.poll(1.0) == []
    finally:
        q.close()
