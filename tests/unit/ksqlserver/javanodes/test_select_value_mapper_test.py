"""Port of ksqlDB 0.29 `io.confluent.ksql.execution.transform.select.SelectValueMapperTest`
(shouldInvokeEvaluatorsWithCorrectParams, shouldEvaluateExpressions, shouldHandleNullRows) and
`SelectValueMapperFactoryTest` (shouldBuildSelects).

SelectValueMapper evaluates each select expression in order into the output row (SelectValueMapperFactory
pairs each SelectExpression's alias with its compiled expression), and a failing expression is logged to
the processing log as "Error computing expression <expression> for column <alias> with index <i>", its
value null. A persistent query's selects leave out the key references (FinalProjectNode), so indexes count
value columns only; a transient query's include them. A null value row maps to null: a stream passes it on
as a null value."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.drivers.base import Record


@pytest.fixture
def n(make_nodes: Any) -> Any:
    nodes = make_nodes(processing_log=True)
    nodes.sql("CREATE STREAM S (K STRING KEY, A STRING, C INT, B INT) "
              "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    return nodes


def _errors(n: Any) -> list[str]:
    return [m["recordProcessingError"]["errorMessage"] for m in n.processing_log() if m["type"] == 1]


def test_should_evaluate_expressions(n: Any) -> None:
    """shouldEvaluateExpressions / shouldBuildSelects: each alias gets its expression's value, in order."""
    n.sql("CREATE STREAM O AS SELECT K, C + 1 AS APPLE, A AS CHERRY, B * 2 AS BANANA FROM S;")
    n.insert("S", {"K": "k", "A": "hotdog", "C": 1234, "B": 0})
    assert n.values("O") == [{"APPLE": 1235, "CHERRY": "hotdog", "BANANA": 0}]


def test_should_invoke_evaluators_with_correct_params(n: Any) -> None:
    """shouldInvokeEvaluatorsWithCorrectParams: the error message names expression, column and index."""
    n.sql("CREATE STREAM O AS SELECT K, A AS APPLE, C / B AS CHERRY, B AS BANANA FROM S;")
    n.insert("S", {"K": "k", "A": "a", "C": 1, "B": 0})
    assert n.values("O") == [{"APPLE": "a", "CHERRY": None, "BANANA": 0}]
    assert _errors(n) == ["Error computing expression (C / B) for column CHERRY with index 1"]
    [message] = [m for m in n.processing_log() if m["type"] == 1]
    assert message["recordProcessingError"]["cause"] == ["/ by zero"]


def test_transient_query_indexes_count_key_columns(n: Any) -> None:
    """A transient query's selects keep the key reference, so the failing column's index is one more."""
    q = n.query("SELECT K, A AS APPLE, C / B AS CHERRY FROM S EMIT CHANGES;")
    try:
        n.insert("S", {"K": "k", "A": "a", "C": 1, "B": 0})
        assert q.poll(0.1) == [["k", "a", None]]
    finally:
        q.close()
    assert _errors(n) == ["Error computing expression (C / B) for column CHERRY with index 2"]


def test_should_handle_null_rows(n: Any) -> None:
    """shouldHandleNullRows: a null value maps to null, which the stream's sink writes as a null value,
    without an error."""
    n.sql("CREATE STREAM O AS SELECT K, A AS APPLE FROM S;")
    n.driver.produce("s", [Record(b"k", None, 0), Record(b"k", b'{"A": "x"}', 1)])
    n.engine.drain()
    assert n.values("O") == [None, {"APPLE": "x"}]
    assert _errors(n) == []


def test_join_select_errors_name_the_joined_columns(n: Any) -> None:
    """A join's select expressions read the joined row's columns `<alias>_<name>` (LogicalPlanner's
    ColumnReferenceRewriter for joins), qualified or not in the query."""
    n.sql("CREATE TABLE T (ID STRING PRIMARY KEY, D INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);")
    n.sql("CREATE STREAM O AS SELECT S.K, S.C / T.D AS Q, B / D AS R FROM S JOIN T ON S.K = T.ID;")
    n.insert("T", {"ID": "k", "D": 0})
    n.insert("S", {"K": "k", "A": "a", "C": 1, "B": 0})
    assert n.values("O") == [{"Q": None, "R": None}]
    assert _errors(n) == [
        "Error computing expression (S_C / T_D) for column Q with index 0",
        "Error computing expression (S_B / T_D) for column R with index 1",
    ]


def test_join_predicate_errors_name_the_joined_columns(n: Any) -> None:
    """... and so does the message of its WHERE (SqlPredicate), whose failure drops the row."""
    n.sql("CREATE TABLE T (ID STRING PRIMARY KEY, D INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);")
    n.sql("CREATE STREAM O AS SELECT S.K, A FROM S JOIN T ON S.K = T.ID WHERE S.C / D > 0;")
    n.insert("T", {"ID": "k", "D": 0})
    n.insert("S", {"K": "k", "A": "a", "C": 1, "B": 0})
    assert n.values("O") == []
    assert _errors(n) == ["Error evaluating predicate ((S_C / T_D) > 0)"]


def test_join_partition_by_key_errors(n: Any) -> None:
    """After a join, PARTITION BY's failing key is logged by PartitionByParamsFactory over the joined row's
    columns; the projection selects that key column (FinalProjectNode leaves key references out of the
    select step), so the expression is not evaluated, nor logged, again."""
    n.sql("CREATE TABLE T (ID STRING PRIMARY KEY, D INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);")
    n.sql("CREATE STREAM O AS SELECT S.C / T.D AS X, S.K, T.D FROM S JOIN T ON S.K = T.ID PARTITION BY S.C / T.D;")
    n.insert("T", {"ID": "k", "D": 0}, {"ID": "j", "D": 2})
    n.insert("S", {"K": "k", "A": "a", "C": 1, "B": 0}, {"K": "j", "A": "a", "C": 4, "B": 0})
    assert [(r.key, r.value) for r in n.driver.records("O")] == [
        (None, b'{"K":"k","D":0}'),
        (b"\x00\x00\x00\x02", b'{"K":"j","D":2}'),
    ]
    assert _errors(n) == ["Error computing new key from expression (S_C / T_D)"]
