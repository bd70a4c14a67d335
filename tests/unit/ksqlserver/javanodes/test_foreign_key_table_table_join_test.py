"""Port of ksqlDB 0.29 `io.confluent.ksql.execution.plan.ForeignKeyTableTableJoinTest` (shouldNotAllowOuterJoin,
shouldNotAllowEmptyColumnNameAndEmptyExpression, shouldNotAllowColumnNameAndExpression; the equality cases
are not ported). The other execution/plan/*Test classes only test equality and are not ported.

The step refuses an OUTER join and takes its left join criterion as either a column name or an
expression. Through SQL the planner refuses a full outer (and a right) foreign-key join first
(LogicalPlanner, JoinTree), and a criterion is a column (`L.FK = R.ID`) or an expression (`CAST(L.V AS
STRING) = R.ID`); the join then looks up the right row by the left row's foreign key."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def n(nodes: Any) -> Any:
    nodes.sql("CREATE TABLE L (ID INT PRIMARY KEY, FK STRING, V INT) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON', PARTITIONS=1);")
    nodes.sql("CREATE TABLE R (ID STRING PRIMARY KEY, X INT) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON', PARTITIONS=2);")
    return nodes


def test_should_not_allow_outer_join(n: Any) -> None:
    """shouldNotAllowOuterJoin."""
    assert n.fails("CREATE TABLE J AS SELECT L.ID, R.X FROM L FULL OUTER JOIN R ON L.FK = R.ID;") == (
        "Invalid join type: full-outer join not supported for foreign-key table-table join. "
        "Got L [FULL] OUTER JOIN R."
    )


@pytest.mark.parametrize("criterion", ["L.FK = R.ID", "CAST(L.V AS STRING) = R.ID"])
def test_join_criterion_is_a_column_or_an_expression(n: Any, criterion: str) -> None:
    """shouldNotAllowEmptyColumnNameAndEmptyExpression / shouldNotAllowColumnNameAndExpression: one of the
    two, and either joins the right row found by the left row's foreign key."""
    n.sql(f"CREATE TABLE J AS SELECT L.ID, R.X FROM L LEFT JOIN R ON {criterion};")
    n.insert("R", {"ID": "1", "X": 10})
    n.insert("L", {"ID": 5, "FK": "1", "V": 1}, {"ID": 6, "FK": "2", "V": 2})
    assert n.values("J") == [{"X": 10}, {"X": None}]
