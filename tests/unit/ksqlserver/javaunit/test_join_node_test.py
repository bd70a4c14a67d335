"""ksqlDB 0.29's JoinNodeTest (ksqldb-engine, io.confluent.ksql.planner.plan): the join's refusals, its
co-partitioning check and its output schema, reached through the SQL that builds the same JoinNode."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql

_PARTITIONS = (
    "Can't join `T1` with `T2` since the number of partitions don't match. `T1` partitions = 1; `T2` "
    "partitions = 2. Please repartition either one so that the number of partitions match."
)


@pytest.mark.parametrize("persistent", [True, False])
def test_partition_mismatch(make_ksql: Callable[..., Ksql], persistent: bool) -> None:
    """shouldThrowOnPartitionMismatch (JoinNode.verifyCopartitioned)."""
    ksql = make_ksql(partitions={"test2": 2})
    sql = (
        "SELECT t1.col0, t2.col0, t2.col1 FROM test1 t1 LEFT JOIN test2 t2 ON t1.col0 = t2.col0 EMIT CHANGES;"
    )
    e = ksql.error(f"CREATE STREAM S AS {sql}") if persistent else ksql.query_error(sql)
    assert _PARTITIONS in e.message


def test_stream_stream_join_without_within(ksql: Ksql) -> None:
    """shouldNotPerformStreamStreamJoinWithoutJoinWindow (JoinNode.StreamToStreamJoiner.join)."""
    msg = ksql.message("CREATE STREAM S AS SELECT * FROM test1 t1 JOIN test4 t4 ON t1.col0 = t4.col0;")
    assert (
        "Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to "
        "specify a WITHIN clause with a stream-stream join, please visit: "
        "https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select" in msg
    )


def test_stream_table_full_outer_join(ksql: Ksql) -> None:
    """shouldNotAllowStreamToTableOuterJoin: through SQL, LogicalPlanner.verifyJoin refuses it before the
    JoinNode's 'Invalid join type encountered: [FULL] OUTER JOIN', naming the sources (not their aliases)."""
    msg = ksql.message(
        "CREATE STREAM S AS SELECT * FROM test1 t1 FULL OUTER JOIN test2 t2 ON t1.col0 = t2.col0;"
    )
    assert (
        "Invalid join type: full-outer join not supported for stream-table join. Got TEST1 [FULL] OUTER JOIN TEST2."
        in msg
    )


def test_stream_table_join_with_within(ksql: Ksql) -> None:
    """shouldNotPerformStreamToTableJoinIfJoinWindowIsSpecified."""
    msg = ksql.message(
        "CREATE STREAM S AS SELECT * FROM test1 t1 JOIN test2 t2 WITHIN 10 SECONDS ON t1.col0 = t2.col0;"
    )
    assert (
        "A window definition was provided for a Stream-Table join. These joins are not windowed. Please drop "
        "the window definition (ie. the WITHIN clause) and try to execute your join again." in msg
    )


def test_table_table_join_with_within(ksql: Ksql) -> None:
    """shouldNotPerformTableToTableJoinIfJoinWindowIsSpecified."""
    msg = ksql.message(
        "CREATE TABLE T AS SELECT * FROM test2 t2 JOIN test3 t3 WITHIN 10 SECONDS ON t2.col0 = t3.col0;"
    )
    assert (
        "A window definition was provided for a Table-Table join. These joins are not windowed. Please drop "
        "the window definition (i.e. the WITHIN clause) and try to execute your Table-Table join again."
        in msg
    )


@pytest.mark.parametrize(
    ("join", "kind"),
    [
        ("test1 t1 LEFT JOIN test2 t2", "STREAM"),  # shouldPerformStreamToTableLeftJoin
        ("test1 t1 JOIN test2 t2", "STREAM"),  # shouldPerformStreamToTableInnerJoin
        ("test2 t1 JOIN test3 t2", "TABLE"),  # shouldPerformTableToTableInnerJoin
        ("test2 t1 LEFT JOIN test3 t2", "TABLE"),  # shouldPerformTableToTableLeftJoin
        ("test1 t1 LEFT JOIN test4 t2 WITHIN 10 SECONDS", "STREAM"),  # shouldPerformStreamToStreamLeftJoin
        ("test1 t1 RIGHT JOIN test4 t2 WITHIN 10 SECONDS", "STREAM"),  # ...RightJoin
        ("test1 t1 JOIN test4 t2 WITHIN 10 SECONDS", "STREAM"),  # ...InnerJoin
        ("test1 t1 JOIN test4 t2 WITHIN (10 SECONDS, 20 SECONDS) GRACE PERIOD 5 SECONDS", "STREAM"),
        ("test1 t1 LEFT JOIN test4 t2 WITHIN 10 SECONDS GRACE PERIOD 5 SECONDS", "STREAM"),
        ("test1 t1 RIGHT JOIN test4 t2 WITHIN 10 SECONDS GRACE PERIOD 5 SECONDS", "STREAM"),
    ],
)
def test_joins_accepted(ksql: Ksql, join: str, kind: str) -> None:
    """shouldPerform*Join: the join's key is the left side's join column, aliased T1_COL0."""
    ksql.execute(
        f"CREATE {kind} S AS SELECT t1.col0, t1.col1, t2.col1 AS c FROM {join} ON t1.col0 = t2.col0;"
    )
    assert ksql.schema("S").startswith("`T1_COL0` BIGINT")


def test_full_outer_joins_synthetic_key(ksql: Ksql) -> None:
    """shouldPerformTableToTableOuterJoin / shouldPerformStreamToStreamOuterJoin /
    shouldIncludeSyntheticJoinKeyInResolvedSelectStart: a FULL OUTER join's key is the synthetic ROWKEY,
    which SELECT * lists first."""
    ksql.execute("CREATE TABLE T AS SELECT * FROM test2 t2 FULL OUTER JOIN test3 t3 ON t2.col0 = t3.col0;")
    assert ksql.schema("T") == (
        "`ROWKEY` BIGINT PRIMARY KEY, `T2_COL0` BIGINT, `T2_COL1` STRING, `T2_COL2` STRING, `T2_COL3` DOUBLE, "
        "`T2_COL4` BOOLEAN, `T3_COL0` BIGINT, `T3_COL1` STRING, `T3_COL2` STRING, `T3_COL3` DOUBLE, "
        "`T3_COL4` BOOLEAN"
    )
    ksql.execute(
        "CREATE STREAM S AS SELECT * FROM test1 t1 FULL OUTER JOIN test4 t4 WITHIN 1 SECOND "
        "GRACE PERIOD 1 SECOND ON t1.col0 = t4.col0;"
    )
    assert ksql.schema("S").startswith("`ROWKEY` BIGINT KEY, `T1_COL0` BIGINT, `T1_COL1` STRING, ")


def test_join_schema_fully_qualified(ksql: Ksql) -> None:
    """shouldHaveFullyQualifiedJoinSchemaWithNonSyntheticKey / shouldResolveUnaliasedSelectStar...: SELECT *
    over a join lists every column of each side, prefixed with its alias, left side first, each side's key
    first (PlanNode.orderColumns), and the header column with them."""
    ksql.execute("CREATE STREAM S AS SELECT * FROM test1 t1 LEFT JOIN test2 t2 ON t1.col0 = t2.col0;")
    assert ksql.schema("S") == (
        "`T1_COL0` BIGINT KEY, `T1_COL1` STRING, `T1_COL2` STRING, `T1_COL3` DOUBLE, `T1_COL4` ARRAY<DOUBLE>, "
        "`T1_COL5` MAP<STRING, DOUBLE>, `T1_HEAD` ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>>, "
        "`T2_COL0` BIGINT, `T2_COL1` STRING, `T2_COL2` STRING, `T2_COL3` DOUBLE, `T2_COL4` BOOLEAN"
    )


def test_aliased_select_star(ksql: Ksql) -> None:
    """shouldResolveAliasedSelectStarByCallingOnlyCorrectParent /
    shouldResolveNestedAliasedSelectStarByCallingOnlyCorrectParentWithMultiJoins."""
    ksql.execute("CREATE STREAM S AS SELECT t1.col0, t2.* FROM test1 t1 JOIN test2 t2 ON t1.col0 = t2.col0;")
    assert ksql.schema("S") == (
        "`T1_COL0` BIGINT KEY, `T2_COL0` BIGINT, `T2_COL1` STRING, `T2_COL2` STRING, `T2_COL3` DOUBLE, "
        "`T2_COL4` BOOLEAN"
    )
    ksql.execute(
        "CREATE STREAM S2 AS SELECT t1.col0, t3.* FROM test1 t1 JOIN test2 t2 ON t1.col0 = t2.col0 "
        "JOIN test3 t3 ON t1.col0 = t3.col0;"
    )
    assert ksql.schema("S2") == (
        "`T1_COL0` BIGINT KEY, `T3_COL0` BIGINT, `T3_COL1` STRING, `T3_COL2` STRING, `T3_COL3` DOUBLE, "
        "`T3_COL4` BOOLEAN"
    )


def test_projection_without_join_columns(ksql: Ksql) -> None:
    """shouldThrowIfProjectionDoesNotIncludeAnyJoinColumns (JoinNode.validateKeyPresent ->
    PlanNode.throwKeysNotIncludedError, requireAll false: 'or')."""
    msg = ksql.message("CREATE STREAM S AS SELECT t1.col1 FROM test1 t1 JOIN test2 t2 ON t1.col0 = t2.col0;")
    assert msg == (
        "Key missing from projection (ie, SELECT). \nThe query used to build `S` must include the join "
        "expressions T1.COL0 or T2.COL0 in its projection (eg, SELECT T1.COL0...)."
    )


def test_projection_with_either_join_column(ksql: Ksql) -> None:
    """shouldTestExpressionForBothOriginalAndRewrittenJoinKeys: either side's join column is a key; a
    qualified column whose name both sides have is aliased with its source (AstSanitizer.visitSingleColumn)."""
    ksql.execute(
        "CREATE STREAM S AS SELECT t2.col0, t1.col1 FROM test1 t1 JOIN test2 t2 ON t1.col0 = t2.col0;"
    )
    assert ksql.schema("S") == "`T2_COL0` BIGINT KEY, `T1_COL1` STRING"
