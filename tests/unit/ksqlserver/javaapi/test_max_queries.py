"""Port of ksqlDB 0.29 `io.confluent.ksql.api.MaxQueriesTest` (shouldNotCreateMoreThanMaxQueries): with
`ksql.max.push.queries` = 10, ten push queries stream over /query-stream and the next ones are refused by
Server.registerQuery: 400, ERROR_CODE_MAX_PUSH_QUERIES_EXCEEDED (40003), "Maximum number of push queries
exceeded". Only QueryStreamHandler's push queries are registered (a table's pull queries are not)."""

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
    """MaxQueriesTest.shouldNotCreateMoreThanMaxQueries"""
    server = _server(rest)
    with contextlib.ExitStack() as stack:
        ids = [_open_push_query(stack, server)["queryId"] for _ in range(MAX_QUERIES)]
        assert all(ids) and len(set(ids)) == MAX_QUERIES
        for _ in range(4):
            r = httpx.post(server.url + "/query-stream", json=PUSH, timeout=30)
            assert r.status_code == 400
            body = r.json()
            assert body["error_code"] == 40003
            assert body["message"].startswith("Maximum number of push queries exceeded")
        # a pull query on a stream runs as a push query (QueryEndpoint: its publisher is not a pull
        # query's), so QueryStreamHandler registers it too
        r = httpx.post(
            server.url + "/query-stream", json={"sql": "SELECT * FROM PAGEVIEW_KSTREAM;"}, timeout=30
        )
        assert (r.status_code, r.json()["error_code"]) == (400, 40003)

    # the streams closed: their slots are free again (once the server has seen the connections go)
    def push_status() -> int:
        with (
            httpx.Client(timeout=30) as client,
            client.stream("POST", server.url + "/query-stream", json=PUSH) as r,
        ):
            return r.status_code

    assert rest.eventually(push_status, lambda status: status == 200) == 200
