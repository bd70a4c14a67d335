"""ksqlDB 0.29 io.confluent.ksql.planner.plan.JoinNodeTest and planner.LogicalPlannerTest, the errors a
statement reaches (the Java tests build JoinNodes over mocks; here the same rules are hit with statements
over MetaStoreFixture's sources and a two-partition table and stream). JoinNodeTest's
shouldNotAllowStreamToTableOuterJoin is not translated: through a statement, LogicalPlanner refuses a FULL
OUTER stream-table join first, with its own message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.errors import KsqlError


@pytest.fixture
def h(harness_factory: Callable[..., Any]) -> Any:
    h = harness_factory(schema_register_injector=False)  # the Java unit tests run no SchemaRegisterInjector
    h.metastore_fixture()
    h.ensure_topics("t2p", partitions=2)
    h.ensure_topics("t3")
    h.sql("CREATE TABLE T2P (ID BIGINT PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='t2p', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM S2P (ID BIGINT KEY, V STRING) WITH (KAFKA_TOPIC='t2p', VALUE_FORMAT='JSON');")
    h.sql("CREATE TABLE TEST3 (ID BIGINT PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='t3', VALUE_FORMAT='JSON');")
    return h


def error(h: Any, sql: str) -> str:
    with pytest.raises(KsqlError) as info:
        h.sql(sql)
    return str(info.value.message)


@pytest.mark.parametrize("right", ["T2P t2", "S2P t2 WITHIN 1 SECOND"])
def test_should_throw_on_partition_mismatch(h: Any, right: str) -> None:
    """JoinNodeTest.shouldThrowOnPartitionMismatch (JoinNode.ensureMatchingPartitionCounts): the sources are
    named by SourceName.toString, back-quoted (FormatOptions.none())."""
    got = error(h, f"CREATE STREAM X AS SELECT * FROM test1 t1 LEFT JOIN {right} ON t1.col0 = t2.id;")
    assert got == (
        "Can't join `T1` with `T2` since the number of partitions don't match. "
        "`T1` partitions = 1; `T2` partitions = 2. Please repartition either one so that the "
        "number of partitions match."
    )


@pytest.mark.parametrize(
    "sql, message",
    [
        pytest.param(
            "CREATE STREAM X AS SELECT * FROM TEST1 T1 JOIN ORDERS T2 ON T1.COL0 = T2.ORDERTIME;",
            "Stream-Stream joins must have a WITHIN clause specified. None was provided.",
            id="shouldNotPerformStreamStreamJoinWithoutJoinWindow",
        ),
        pytest.param(
            "CREATE STREAM X AS SELECT * FROM TEST1 T1 JOIN TEST2 T2 WITHIN 1 SECOND ON T1.COL0 = T2.COL0;",
            "A window definition was provided for a Stream-Table join.",
            id="shouldNotPerformStreamToTableJoinIfJoinWindowIsSpecified",
        ),
        pytest.param(
            "CREATE TABLE X AS SELECT * FROM TEST2 T1 FULL OUTER JOIN TEST3 T2 WITHIN 10 SECONDS ON T1.COL0 = T2.ID;",
            "A window definition was provided for a Table-Table join.",
            id="shouldNotPerformTableToTableJoinIfJoinWindowIsSpecified",
        ),
        pytest.param(
            "CREATE STREAM X AS SELECT T1.COL1 FROM TEST1 T1 LEFT JOIN TEST2 T2 ON T1.COL0 = T2.COL0;",
            "The query used to build `X` must include the join expressions T1.COL0 or T2.COL0 in its projection "
            "(eg, SELECT T1.COL0...",
            id="shouldThrowIfProjectionDoesNotIncludeAnyJoinColumns",
        ),
        pytest.param(
            "CREATE STREAM X AS SELECT * FROM test2 EMIT FINAL;",
            "EMIT FINAL is only supported for windowed aggregations.",
            id="shouldThrowOnNonWindowedAggregationSuppressions",
        ),
    ],
)
def test_join_and_plan_errors(h: Any, sql: str, message: str) -> None:
    """JoinNodeTest / LogicalPlannerTest errors (containsString)."""
    assert message in error(h, sql)


def test_should_throw_on_suppress_disabled_in_config(harness_factory: Callable[..., Any]) -> None:
    """LogicalPlannerTest.shouldThrowOnSuppressDisabledInConfig (a windowed aggregation over a stream here:
    the Java test's TEST2 is a table, whose windowing a statement refuses first)."""
    h = harness_factory({"ksql.suppress.enabled": "false"})
    h.metastore_fixture()
    got = error(
        h,
        "CREATE TABLE X AS SELECT col1, COUNT(*) as COUNT FROM test1 "
        "WINDOW TUMBLING (SIZE 2 MILLISECONDS, GRACE PERIOD 1 MILLISECONDS) GROUP BY col1 EMIT FINAL;",
    )
    assert "Suppression is currently disabled. You can enable it by setting ksql.suppress.enabled to true" in got
