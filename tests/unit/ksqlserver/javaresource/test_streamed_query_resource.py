"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.resources.streaming.StreamedQueryResourceTest` where
observable over HTTP. ksqlDB 0.29 hands /query to the /query-stream handler (QueryEndpoint,
BlockingPrintPublisher) unless ksql.endpoint.migrate.query is false; StreamedQueryResource's own answers
apply to that old route only. Row streaming and LIMIT (QueryStreamWriterTest) are covered by javarest's
functional tests; authorization, activeness and command-sequence waits are mock-only."""

from __future__ import annotations

from typing import Any

import httpx

OLD_ROUTE = {"ksql.endpoint.migrate.query": False}


def _query(res: Any, sql: str, properties: dict[str, Any] | None = None) -> httpx.Response:
    return httpx.post(
        res.server.url + "/query", json={"ksql": sql, "streamsProperties": properties or {}}, timeout=10
    )


def test_should_redirect_queries_to_query_end_point(res: Any) -> None:
    """StreamedQueryResourceTest.shouldRedirectQueriesToQueryEndPoint (CustomValidators.QUERY_ENDPOINT on
    /ksql)"""
    error = res.fail("SELECT * FROM test_table;")
    assert "The following statement types should be issued to the websocket endpoint '/query'" in error["message"]
    assert error["statementText"] == "SELECT * FROM test_table;"


def test_should_return_400_on_bad_statement(res: Any) -> None:
    """StreamedQueryResourceTest.shouldReturn400OnBadStatement: a statement that does not parse is a 400 with
    ERROR_CODE_BAD_STATEMENT"""
    r = _query(res, "query")
    assert r.status_code == 400
    assert r.json()["error_code"] == 40001


def test_non_query_statement_on_query_endpoint(res: Any) -> None:
    """StreamedQueryResource.handleStatement (the first /query route, which any Accept a JSON type matches
    takes): only a Query is handed on to the migrated route; anything else but PRINT is Errors.badRequest
    naming the PreparedStatement's class. QueryEndpoint.createQueryPublisher (the route an Accept of only the
    delimited type reaches): "Neither a query nor a print statement"."""
    r = _query(res, "SHOW STREAMS;")
    assert r.status_code == 400
    assert r.json() == {
        "@type": "generic_error",
        "error_code": 40000,
        "message": "Statement type `io.confluent.ksql.parser.KsqlParser$PreparedStatement' not supported for this "
        "resource",
    }
    r = httpx.post(
        res.server.url + "/query",
        json={"ksql": "SHOW STREAMS;"},
        headers={"Accept": "application/vnd.ksqlapi.delimited.v1"},
        timeout=10,
    )
    assert r.status_code == 400
    # a KsqlStatementException(message, sql) whose unlogged message ServerUtils.handleEndpointException returns
    assert r.json()["message"] == "Neither a query nor a print statement\nStatement: SHOW STREAMS;"


def test_should_throw_on_deny_listed_stream_property(make_resource: Any) -> None:
    """StreamedQueryResourceTest.shouldThrowOnDenyListedStreamProperty: 400 before the query runs"""
    res = make_resource(denied=("num.stream.threads",))
    r = _query(res, "SELECT * FROM test_table;", {"num.stream.threads": 1})
    assert r.status_code == 400
    assert "num.stream.threads" in r.json()["message"]


def test_print_of_missing_topic_on_migrated_route(res: Any) -> None:
    """BlockingPrintPublisher.createTopicConsumer (QueryStreamHandler, which /query reaches with an Accept of
    only the delimited type; StreamedQueryResource keeps a PRINT otherwise, migrated or not): the name matches
    case-insensitively, else "Topic does not exist: <t>" (ERROR_CODE_BAD_STATEMENT)"""
    r = httpx.post(
        res.server.url + "/query",
        json={"ksql": "PRINT 'NOPE';"},
        headers={"Accept": "application/vnd.ksqlapi.delimited.v1"},
        timeout=10,
    )
    assert r.status_code == 400
    assert r.json()["message"] == "Topic does not exist: NOPE"
    assert r.json()["error_code"] == 40001


def test_should_suggest_alternatives_if_print_topic_does_not_exist(res: Any) -> None:
    """StreamedQueryResourceTest.shouldSuggestAlternativesIfPrintTopicDoesNotExist (the old /query route:
    ksql.endpoint.migrate.query false; Errors.badRequest, a 40000 generic error)"""
    for topic in ("aTopic", "test_topic", "Test_Topic"):
        res.driver.create_topic(topic, 1, 1)
    r = httpx.post(
        res.server.url + "/query",
        json={"ksql": "PRINT 'TEST_TOPIC';", "streamsProperties": OLD_ROUTE},
        headers={"Accept": "application/vnd.ksql.v1+json"},
        timeout=3,
    )
    assert r.status_code == 400
    assert r.json()["error_code"] == 40000
    message = r.json()["message"]
    assert (
        "Could not find topic 'TEST_TOPIC', or the KSQL user does not have permissions to list the topic. "
        "Topic names are case-sensitive.\nDid you mean:" in message
    )
    assert "\tprint test_topic;" in message and "\tprint Test_Topic;" in message
