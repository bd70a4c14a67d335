"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.util.QueryCapacityUtilTest` (ksqldb-rest-app): when a request
exceeds `ksql.query.persistent.active.limit` (more persistent queries than the limit; reaching it is fine)
and what /ksql answers then (throwTooManyActivePersistentQueriesException, a Problem.REQUEST
KsqlStatementException: Errors.badRequest with ErrorMessageUtil's unlogged message). The push-query side
(shouldReportPushQueryCapacityExceededIfOverLimit / ...AtCapacityLimit / shouldThrowWhenPushQueryLimitExceeded)
is ported by javaapi/test_max_queries.py (MaxQueriesTest) over /query-stream."""

from __future__ import annotations

from typing import Any


def _app(rest: Any, limit: int) -> Any:
    _, driver, server = rest.start({"ksql.query.persistent.active.limit": str(limit)})
    driver.create_topic("t", 1, 1)
    rest.ok(server, "CREATE STREAM S (K STRING KEY, V INT) WITH (kafka_topic='t', value_format='json');")
    return server


def test_should_not_report_capacity_exceeded_if_reached(rest: Any) -> None:
    """QueryCapacityUtilTest.shouldNotReportCapacityExceededIfReached: as many queries as the limit run"""
    server = _app(rest, 2)
    rest.ok(server, "CREATE STREAM A AS SELECT * FROM S;")
    rest.ok(server, "CREATE STREAM B AS SELECT * FROM S;")


def test_should_report_capacity_exceeded_if_over_limit_and_throw(rest: Any) -> None:
    """QueryCapacityUtilTest.shouldReportCapacityExceededIfOverLimit / shouldThrowWhenAsked: the message, with
    the request's SQL, the count including the new query, and the limit"""
    server = _app(rest, 2)
    rest.ok(server, "CREATE STREAM A AS SELECT * FROM S;")
    rest.ok(server, "CREATE STREAM B AS SELECT * FROM S;")
    sql = "CREATE STREAM C AS SELECT * FROM S;"
    r = rest.ksql(server, sql)
    assert r.status_code == 400
    assert r.json() == {
        "@type": "generic_error",
        "error_code": 40000,
        "message": f"Not executing statement(s) '{sql}' as it would cause the number of active, persistent "
        "queries to exceed the configured limit. Use the TERMINATE command to terminate existing queries, or "
        "increase the 'ksql.query.persistent.active.limit' setting via the 'ksql-server.properties' file. "
        f"Current persistent query count: 3. Configured limit: 2.\nStatement: {sql}",
    }


def test_should_name_the_whole_request(rest: Any) -> None:
    """RequestValidator.validate passes the request's SQL (KsqlRequest.getUnmaskedKsql) to the exception"""
    server = _app(rest, 1)
    sql = "SHOW STREAMS;\nCREATE STREAM A AS SELECT * FROM S;CREATE STREAM B AS SELECT * FROM S;"
    r = rest.ksql(server, sql)
    assert r.status_code == 400
    message = r.json()["message"]
    assert message.startswith(f"Not executing statement(s) '{sql}' as it would cause")
    assert message.endswith(f"Current persistent query count: 2. Configured limit: 1.\nStatement: {sql}")
