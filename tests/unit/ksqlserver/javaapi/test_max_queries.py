"""Port of ksqlDB 0.29 `io.confluent.ksql.api.MaxQueriesTest` (shouldNotCreateMoreThanMaxQueries): with
`ksql.max.push.queries` = 10, ten push queries stream over /query-stream and the next ones are refused. The
Java test runs the server over fake endpoints, so only Server.registerQuery's 400 /
ERROR_CODE_MAX_PUSH_QUERIES_EXCEEDED (40003) "Maximum number of push queries exceeded" shows there; a real
server refuses a push query first in QueryExecutor.handlePushQuery (QueryCapacityUtil), and reaches
registerQuery's check with a pull query on a stream."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import httpx

MAX_QUERIES = 10
PUSH = {"sql": "SELECT * FROM PAGEVIEW_KSTREAM EMIT CHANGES;", "properties": {"prop1": "val1", "prop2": 23}}


def _server(rest: Any) -> Any:
    _, driver, server = rest.start(server_options={"max_push_queries": MAX_QUERIES})
    driver.create_topic("PAGEVIEW_TOPIC", 1, 1)
    rest.ok(
        server,
        f"CREATE STREAM PAGEVIEW_KSTREAM ({rest.PAGE_VIEW_SCHEMA}) "
        "WITH (kafka_topic='PAGEVIEW_TOPIC', value_format='json');",
    )
    driver.produce("PAGEVIEW_TOPIC", rest.page_view_records(rest.PAGE_VIEWS))
    return server


def _open_push_query(stack: contextlib.ExitStack, server: Any) -> dict[str, Any]:
    """executePushQueryAndWaitForRows: the stream stays open; its metadata line names the query."""
    client = stack.enter_context(httpx.Client(timeout=30))
    response = stack.enter_context(client.stream("POST", server.url + "/query-stream", json=PUSH))
    assert response.status_code == 200
    lines = response.iter_lines()
    stack.callback(lines.close)  # a collected line iterator would close the connection under the test
    header: dict[str, Any] = json.loads(next(lines))
    return header


def test_should_not_create_more_than_max_queries(rest: Any) -> None:
    """MaxQueriesTest.shouldNotCreateMoreThanMaxQueries, on a real engine: ten push queries stream; the next
    push queries are refused first by QueryExecutor.handlePushQuery (QueryCapacityUtil: the engine's live push
    queries reached the limit; ServerUtils.handleEndpointException's 400 with the unlogged message), and a
    pull query on a stream, which skips that check but runs as a push query (QueryEndpoint), by
    Server.registerQuery's ERROR_CODE_MAX_PUSH_QUERIES_EXCEEDED."""
    server = _server(rest)
    sql = PUSH["sql"]
    with contextlib.ExitStack() as stack:
        ids = [_open_push_query(stack, server)["queryId"] for _ in range(MAX_QUERIES)]
        assert all(ids) and len(set(ids)) == MAX_QUERIES
        for _ in range(4):
            r = httpx.post(server.url + "/query-stream", json=PUSH, timeout=30)
            assert r.status_code == 400
            assert r.json() == {
                "@type": "statement_error",
                "error_code": 40001,
                "message": f"Not executing statement(s) '{sql}' as it would cause the number of active, push "
                "queries to exceed the configured limit. Terminate existing PUSH queries, or increase the "
                "'ksql.max.push.queries' setting via the 'ksql-server.properties' file. Current push query "
                f"count: {MAX_QUERIES}. Configured limit: {MAX_QUERIES}.\nStatement: {sql}",
                "statementText": sql,
                "entities": [],
            }
        r = httpx.post(
            server.url + "/query-stream", json={"sql": "SELECT * FROM PAGEVIEW_KSTREAM;"}, timeout=30
        )
        assert r.status_code == 400
        assert r.json()["error_code"] == 40003
        assert r.json()["message"].startswith("Maximum number of push queries exceeded")

    # the streams closed: their slots are free again (once the server has seen the connections go)
    def push_status() -> int:
        with (
            httpx.Client(timeout=30) as client,
            client.stream("POST", server.url + "/query-stream", json=PUSH) as r,
        ):
            return r.status_code

    assert rest.eventually(push_status, lambda status: status == 200) == 200


def test_legacy_query_endpoint_names_the_raw_message(rest: Any) -> None:
    """StreamedQueryResource (ksql.endpoint.migrate.query=false): the KsqlStatementException's raw message."""
    server = _server(rest)
    body = {"ksql": PUSH["sql"], "streamsProperties": {"ksql.endpoint.migrate.query": "false"}}
    with contextlib.ExitStack() as stack:
        for _ in range(MAX_QUERIES):
            _open_push_query(stack, server)
        r = httpx.post(server.url + "/query", json=body, headers={"Accept": "application/json"}, timeout=30)
        assert r.status_code == 400
        assert r.json()["message"] == (
            "Not executing statement(s) as it would cause the number of active, push queries to exceed the "
            "configured limit. Terminate existing PUSH queries, or increase the 'ksql.max.push.queries' setting "
            f"via the 'ksql-server.properties' file. Current push query count: {MAX_QUERIES}. Configured limit: "
            f"{MAX_QUERIES}."
        )
