"""Port of ksqlDB 0.29 `io.confluent.ksql.planner.plan.SuppressNodeTest` (shouldThrowOnSuppressOnStream,
shouldSuppressOnSchemaKTable).

SuppressNode's own check ("Failed in suppress node. Expected to find a Table, but found a stream instead")
cannot be reached by a statement: LogicalPlanner.buildPersistentLogicalPlan refuses EMIT FINAL on anything
but a windowed aggregation first, and refuses it altogether while ksql.suppress.enabled is false. Those are
the rules asserted here, for persistent and transient queries; a windowed aggregation with EMIT FINAL is
planned, with its aggregation's schema."""

from __future__ import annotations

from typing import Any

import pytest

ONLY_WINDOWED = "EMIT FINAL is only supported for windowed aggregations."


@pytest.fixture
def n(nodes: Any) -> Any:
    nodes.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")
    nodes.sql("CREATE TABLE T (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);")
    return nodes


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE STREAM A AS SELECT * FROM S EMIT FINAL;",
        "CREATE TABLE B AS SELECT * FROM T EMIT FINAL;",
        "CREATE TABLE C AS SELECT K, COUNT(*) FROM S GROUP BY K EMIT FINAL;",
        "CREATE TABLE D AS SELECT V, COUNT(*) FROM T GROUP BY V EMIT FINAL;",
    ],
)
def test_should_throw_on_suppress_on_stream(n: Any, sql: str) -> None:
    """shouldThrowOnSuppressOnStream: no suppression but of a windowed aggregation's table."""
    assert n.fails(sql) == ONLY_WINDOWED


@pytest.mark.parametrize("sql", ["SELECT * FROM S EMIT FINAL;", "SELECT K, COUNT(*) FROM S GROUP BY K EMIT FINAL;"])
def test_transient_queries_follow_the_same_rule(n: Any, sql: str) -> None:
    """A transient push query is planned by the same buildPersistentLogicalPlan."""
    assert n.error(sql) == ONLY_WINDOWED


def test_should_suppress_on_schema_k_table(n: Any) -> None:
    """shouldSuppressOnSchemaKTable: a windowed aggregation's table is suppressed (planned, its schema the
    aggregation's)."""
    n.sql("CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K EMIT FINAL;")
    assert n.schema("W") == "`K` STRING PRIMARY KEY, `C` BIGINT"
    assert n.source("W").window.kind == "TUMBLING"


def test_suppression_disabled(n: Any) -> None:
    """LogicalPlanner: with ksql.suppress.enabled=false, EMIT FINAL is refused before the windowed check."""
    msg = "Suppression is currently disabled. You can enable it by setting ksql.suppress.enabled to true"
    sql = "CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K EMIT FINAL;"
    assert n.fails(sql, {"ksql.suppress.enabled": False}) == msg
    assert n.fails("CREATE STREAM A AS SELECT * FROM S EMIT FINAL;", {"ksql.suppress.enabled": False}) == msg
