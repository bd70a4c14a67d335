"""Port of ksqlDB 0.29 `io.confluent.ksql.engine.KsqlPlanV1Test` (shouldReturnNoPersistentQueryTypeOnPlansWithoutQueryPlans,
shouldReturnInsertPersistentQueryTypeOnPlansWithoutDdlCommands, shouldReturnCreateSourcePersistentQueryTypeOnCreateSourceTable,
shouldReturnCreateAsPersistentQueryTypeOnCreateTable, shouldReturnCreateAsPersistentQueryTypeOnCreateStream;
shouldImplementEquals, QueryPlanTest and ConfiguredKsqlPlanTest are equality tests with no observable effect).

KsqlPlanV1.getPersistentQueryType decides what kind of persistent query a plan starts, which names it
(QueryIdUtil.buildId): none for a DDL command alone, INSERT (INSERTQUERY_n) for a query without a DDL
command, CREATE_SOURCE (CST_<table>_n) for CREATE SOURCE TABLE, CREATE_AS (CSAS_/CTAS_<sink>_n) for the
other DDL commands with a query. Observable: the statement's commandStatus and SHOW QUERIES."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def n(nodes: Any) -> Any:
    nodes.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")
    return nodes


def _status(n: Any, sql: str) -> dict[str, Any]:
    [entity] = n.sql(sql)
    status: dict[str, Any] = entity["commandStatus"]
    return status


def test_should_return_no_persistent_query_type_on_plans_without_query_plans(n: Any) -> None:
    """shouldReturnNoPersistentQueryTypeOnPlansWithoutQueryPlans: plain DDL starts no query, CREATE SOURCE
    STREAM included."""
    ddl = "CREATE TABLE T (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);"
    assert _status(n, ddl) == {"status": "SUCCESS", "message": "Table created", "queryId": None}
    assert _status(n, "CREATE SOURCE STREAM SS (K STRING KEY, V INT) "
                      "WITH (KAFKA_TOPIC='ss', VALUE_FORMAT='JSON', PARTITIONS=1);")["queryId"] is None  # fmt: skip


def test_should_return_create_source_persistent_query_type_on_create_source_table(n: Any) -> None:
    """shouldReturnCreateSourcePersistentQueryTypeOnCreateSourceTable."""
    ddl = "CREATE SOURCE TABLE ST (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='st', VALUE_FORMAT='JSON', PARTITIONS=1);"
    assert _status(n, ddl) == {"status": "SUCCESS", "message": "Created query with ID CST_ST_0", "queryId": "CST_ST_0"}


def test_should_return_create_as_persistent_query_type(n: Any) -> None:
    """shouldReturnCreateAsPersistentQueryTypeOnCreateTable / ...OnCreateStream; then
    shouldReturnInsertPersistentQueryTypeOnPlansWithoutDdlCommands."""
    assert _status(n, "CREATE STREAM O AS SELECT * FROM S;")["queryId"] == "CSAS_O_0"
    assert _status(n, "CREATE TABLE A AS SELECT K, COUNT(*) AS C FROM S GROUP BY K;")["queryId"] == "CTAS_A_1"
    assert _status(n, "INSERT INTO O SELECT * FROM S;")["queryId"] == "INSERTQUERY_2"
    [queries] = n.sql("SHOW QUERIES;")
    assert [(q["id"], q["queryType"], q["sinks"]) for q in queries["queries"]] == [
        ("CSAS_O_0", "PERSISTENT", ["O"]),
        ("CTAS_A_1", "PERSISTENT", ["A"]),
        ("INSERTQUERY_2", "PERSISTENT", ["O"]),
    ]
