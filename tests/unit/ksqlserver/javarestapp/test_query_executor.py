"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.query.QueryExecutorTest` (ksqldb-rest-app), as the
endpoints that use QueryExecutor answer: pull queries refused while `ksql.pull.queries.enable` is false (the
server's setting), the pull-query rate limit for table and stream pull queries, and each kind of query
running (table pull, stream pull, push, scalable push) or failing. The Java test mocks the engine and the
limiters; the concurrency limiter's injected failure and the query logger have no request that reaches
them."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from ksqlserver.server.ratelimit import PullRateLimiter

DISABLED = (
    "Pull queries are disabled. See https://cnfl.io/queries for more info.\n"
    "Add EMIT CHANGES if you intended to issue a push query.\n"
    "Please set ksql.pull.queries.enable=true to enable this feature.\n"
)


def _app(
    rest: Any, properties: dict[str, str] | None = None, server_options: dict[str, Any] | None = None
) -> Any:
    """`server_options`: the KsqlRestConfig settings the server reads itself (ksql.query.pull.max.qps)."""
    _, driver, server = rest.start(properties, server_options=server_options)
    driver.create_topic("t", 1, 1)
    driver.produce("t", [rest.record(b"k", json.dumps({"V": 1}).encode(), 1)])
    rest.ok(
        server,
        "CREATE STREAM TEST_STREAM (ROWKEY STRING KEY, V INT) WITH (kafka_topic='t', value_format='json');",
    )
    rest.ok(
        server, "CREATE TABLE TEST_TABLE AS SELECT ROWKEY, COUNT(*) AS C FROM TEST_STREAM GROUP BY ROWKEY;"
    )
    return server


@pytest.mark.parametrize("source", ["test_stream", "test_table"])
def test_should_throw_exception_if_pull_queries_disabled(rest: Any, source: str) -> None:
    """QueryExecutorTest.shouldThrowExceptionIfPullQueriesDisabledStream / ...Table: getUnloggedMessage over
    /query-stream and the migrated /query (ServerUtils.handleEndpointException)"""
    server = _app(rest, {"ksql.pull.queries.enable": "false"})
    sql = f"SELECT * FROM {source} WHERE ROWKEY='null';"
    r = httpx.post(server.url + "/query-stream", json={"sql": sql}, timeout=30)
    assert r.status_code == 400
    assert r.json() == {
        "@type": "statement_error",
        "error_code": 40001,
        "message": f"{DISABLED}\nStatement: {sql}",
        "statementText": sql,
        "entities": [],
    }
    old = rest.post(server, "/query", {"ksql": sql, "streamsProperties": {}})
    assert old.status_code == 400
    assert old.json()["message"] == f"{DISABLED}\nStatement: {sql}"
    # a request's own value does not switch them on: the engine's config decides
    r = httpx.post(server.url + "/query-stream", json={"sql": sql, "properties": {"ksql.pull.queries.enable": True}},
                   timeout=30)  # fmt: skip
    assert r.status_code == 400


def _freeze_pull_limiter(server: Any) -> None:
    """The server's limiter at its configured rate on a clock that stands still: Guava's SmoothBursty
    stores the permits of an idle second, so on a loaded machine (set-up taking over a second) the second
    query also got one and the test failed by timing; a still clock makes it exactly two queries at once."""
    routes = server._server.routes
    routes.pull_limiter = PullRateLimiter(routes.config.pull_max_qps, clock=lambda: 0.0)


@pytest.mark.parametrize("source", ["TEST_TABLE", "TEST_STREAM"])
def test_should_rate_limit(rest: Any, source: str) -> None:
    """QueryExecutorTest.shouldRateLimit / shouldRateLimitStreamPullQueries (ksql.query.pull.max.qps=1)"""
    server = _app(rest, server_options={"pull_max_qps": 1})
    _freeze_pull_limiter(server)
    body = {"sql": f"SELECT * FROM {source};"}
    assert httpx.post(server.url + "/query-stream", json=body, timeout=30).status_code == 200
    r = httpx.post(server.url + "/query-stream", json=body, timeout=30)
    assert r.status_code == 429
    assert r.json()["message"] == "Host is at rate limit for pull queries. Currently set to 1.0 qps."


def test_should_run_pull_queries_success(rest: Any) -> None:
    """QueryExecutorTest.shouldRunTablePullQuery_success / shouldRunStreamPullQuery_success"""
    server = _app(rest)
    table = httpx.post(server.url + "/query-stream", json={"sql": "SELECT * FROM TEST_TABLE;"}, timeout=30)
    assert table.status_code == 200
    assert table.text.split("\n")[1] == '["k",1]'
    stream = httpx.post(server.url + "/query-stream", json={"sql": "SELECT * FROM TEST_STREAM;"}, timeout=30)
    assert stream.status_code == 200
    assert stream.text.split("\n")[1] == '["k",1]'


def test_should_run_queries_error_executing(rest: Any) -> None:
    """QueryExecutorTest.shouldRunTablePullQuery_errorExecuting / shouldRunStreamPullQuery_errorExecuting /
    shouldRunPushQuery_error: a query the engine refuses is a 400 statement error"""
    server = _app(rest)
    for sql in ("SELECT * FROM TEST_TABLE WHERE C = 'x';", "SELECT NOPE FROM TEST_STREAM EMIT CHANGES;"):
        r = httpx.post(server.url + "/query-stream", json={"sql": sql}, timeout=30)
        assert r.status_code == 400, r.text
        assert r.json()["@type"] == "statement_error"
        assert r.json()["statementText"] == sql


@pytest.mark.parametrize(
    ("properties", "prefix"),
    [
        ({}, "transient_TEST_STREAM_"),
        ({"ksql.query.push.v2.enabled": True, "auto.offset.reset": "latest"}, "SCALABLE_PUSH_QUERY_"),
    ],
)
def test_should_run_push_query_success(rest: Any, properties: dict[str, Any], prefix: str) -> None:
    """QueryExecutorTest.shouldRunPushQuery_success / shouldRunScalablePushQuery_success: the query's header"""
    server = _app(rest)
    rest.ok(server, "CREATE STREAM COPY AS SELECT * FROM TEST_STREAM;")
    sql = (
        "SELECT * FROM TEST_STREAM EMIT CHANGES;"
        if not prefix.startswith("SCALABLE")
        else ("SELECT * FROM COPY EMIT CHANGES;")
    )
    body = {"sql": sql, "properties": properties}
    with (
        httpx.Client(timeout=30) as client,
        client.stream("POST", server.url + "/query-stream", json=body) as r,
    ):
        assert r.status_code == 200
        header = json.loads(next(r.iter_lines()))
    expected = prefix if not prefix.startswith("SCALABLE") else "SCALABLE_PUSH_QUERY_"
    assert header["queryId"].startswith(expected)
