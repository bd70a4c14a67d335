"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.ListQueriesExecutorTest` and
`TerminateQueryExecutorTest`, over /ksql. The scatter-gather cases (remote hosts, UNRESPONSIVE hosts) need
a second server and are not ported; the persistent-query TERMINATE path is in test_ksql_resource."""

from __future__ import annotations

from typing import Any


def test_should_list_queries_empty(res: Any) -> None:
    """ListQueriesExecutorTest.shouldListQueriesEmpty"""
    assert res.one("SHOW QUERIES;")["queries"] == []


def test_should_list_queries_basic(res: Any) -> None:
    """ListQueriesExecutorTest.shouldListQueriesBasic: RunningQuery(statement, sinks, sink topics, id,
    status count, PERSISTENT)"""
    res.ok("CREATE STREAM X AS SELECT * FROM test_stream;")
    [q] = res.one("SHOW QUERIES;")["queries"]
    assert list(q) == ["queryString", "sinks", "sinkKafkaTopics", "id", "statusCount", "queryType", "state"]
    assert q["sinks"] == ["X"] and q["sinkKafkaTopics"] == ["X"]
    assert q["statusCount"] == {"RUNNING": 1} and q["queryType"] == "PERSISTENT" and q["state"] == "RUNNING"
    assert q["queryString"].startswith("CREATE STREAM X ")


def test_should_list_queries_extended(res: Any) -> None:
    """ListQueriesExecutorTest.shouldListQueriesExtended: a QueryDescriptionList
    (QueryDescriptionFactory.forQueryMetadata)"""
    res.ok("CREATE STREAM X AS SELECT * FROM test_stream;")
    entity = res.one("SHOW QUERIES EXTENDED;")
    assert entity["@type"] == "query_descriptions"
    [d] = entity["queryDescriptions"]
    assert d["id"] == res.persistent_ids()[0]
    assert d["sources"] == ["TEST_STREAM"] and d["sinks"] == ["X"]
    assert d["queryType"] == "PERSISTENT"
    assert [f["name"] for f in d["fields"]] == ["ROWKEY", "S2_F1"]
    assert d["consumerGroupId"] == f"_confluent-ksql-default_query_{d['id']}"


def test_should_fail_to_terminate_transient_query(res: Any) -> None:
    """TerminateQueryExecutorTest.shouldFailToTerminateTransientQuery (the transient query that stops is in
    javarest's TerminateTransientQueryFunctionalTest)"""
    error = res.fail("TERMINATE TRANSIENT_QUERY;")
    assert "Failed to terminate query with query ID: 'TRANSIENT_QUERY'" in error["message"]


def test_should_default_to_distributor_for_terminate_all(res: Any) -> None:
    """TerminateQueryExecutorTest.shouldDefaultToDistributorForTerminateAll: TERMINATE ALL is a command
    (CommandStatusEntity), even with no query"""
    entity = res.one("TERMINATE ALL;")
    assert entity["@type"] == "currentStatus" and entity["statementText"] == "TERMINATE ALL;"
