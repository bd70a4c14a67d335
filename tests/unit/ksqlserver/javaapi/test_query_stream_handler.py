"""Port of ksqlDB 0.29 `io.confluent.ksql.api.server.QueryStreamHandlerTest` (shouldSucceed_pullQuery,
shouldSucceed_printQuery, shouldSucceed_pushQuery; the scalable push query tests need
ksql.query.push.v2.enabled, which this engine does not run): each kind of statement streams over
/query-stream, and when the response ends its publisher (a push query's PushQueryHolder) is closed - the
transient query is gone from SHOW QUERIES."""

from __future__ import annotations

import json
from typing import Any

import httpx


def _server(rest: Any) -> Any:
    _, driver, server = rest.start()
    driver.create_topic("PAGEVIEW_TOPIC", 1, 1)
    rest.ok(
        server,
        f"CREATE STREAM FOO ({rest.PAGE_VIEW_SCHEMA}) WITH (kafka_topic='PAGEVIEW_TOPIC', value_format='json');",
    )
    driver.produce("PAGEVIEW_TOPIC", rest.page_view_records(rest.PAGE_VIEWS))
    return server


def _transient_ids(rest: Any, server: Any) -> list[str]:
    [queries] = rest.ok(server, "SHOW QUERIES;")
    return [q["id"] for q in queries["queries"] if q["queryType"] == "PUSH"]


def test_should_succeed_pull_query(rest: Any) -> None:
    """QueryStreamHandlerTest.shouldSucceed_pullQuery: the metadata, the rows, the end of the response."""
    server = _server(rest)
    r = httpx.post(server.url + "/query-stream", json={"sql": "select * from foo;"}, timeout=30)
    assert r.status_code == 200
    lines = r.text.splitlines()
    assert json.loads(lines[0])["columnNames"] == ["PAGEID", "USERID", "VIEWTIME"]
    assert len(lines) == 1 + len(rest.PAGE_VIEWS)
    assert _transient_ids(rest, server) == []


def test_should_succeed_print_query(rest: Any) -> None:
    """QueryStreamHandlerTest.shouldSucceed_printQuery: PRINT streams the topic's records as text."""
    server = _server(rest)
    body = {"sql": "print PAGEVIEW_TOPIC from beginning limit 2;"}
    r = httpx.post(server.url + "/query-stream", json=body, timeout=30)
    assert r.status_code == 200
    assert "key: PAGE_1" in r.text and "key: PAGE_2" in r.text and "PAGE_3" not in r.text


def test_should_succeed_push_query(rest: Any) -> None:
    """QueryStreamHandlerTest.shouldSucceed_pushQuery: the push query runs while its response is open and
    is closed (PushQueryHolder.close) when the response ends."""
    server = _server(rest)
    body = {"sql": "select * from foo emit changes;", "properties": {"auto.offset.reset": "earliest"}}
    with (
        httpx.Client(timeout=30) as client,
        client.stream("POST", server.url + "/query-stream", json=body) as r,
    ):
        lines = r.iter_lines()
        query_id = json.loads(next(lines))["queryId"]
        assert json.loads(next(lines))  # a row arrives
        assert _transient_ids(rest, server) == [query_id]
        lines.close()
    assert rest.eventually(lambda: _transient_ids(rest, server), lambda ids: ids == []) == []
