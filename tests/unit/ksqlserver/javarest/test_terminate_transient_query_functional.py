"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.integration.TerminateTransientQueryFunctionalTest` (the
same-node case; the other-node case needs a second server sharing the cluster)."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx


def _transient_ids(rest: Any, server: Any) -> list[str]:
    [queries] = rest.ok(server, "show queries;")
    return [q["id"] for q in queries["queries"] if "transient" in q["id"]]


def test_should_terminate_push_query_on_same_node(rest: Any) -> None:
    """TerminateTransientQueryFunctionalTest.shouldTerminatePushQueryOnSameNode: TERMINATE <transient id>
    over /ksql ends the push query and its /query request completes"""
    _, _, server = rest.page_view_app()
    completed = threading.Event()

    def push() -> None:
        httpx.post(
            server.url + "/query",
            json={"ksql": "SELECT * FROM PAGEVIEW_KSTREAM EMIT CHANGES;", "streamsProperties": {}},
            timeout=30,
        )
        completed.set()

    threading.Thread(target=push, daemon=True).start()
    ids = rest.eventually(lambda: _transient_ids(rest, server), bool)
    assert ids
    [entity] = rest.ok(server, f"terminate {ids[0]};")
    assert entity["@type"] == "terminate_query"
    # TerminateQueryEntity carries the QueryId as parsed: an unquoted identifier, upper-cased
    assert entity["queryId"] == ids[0].upper() and entity["wasTerminated"] is True
    assert not _transient_ids(rest, server)
    assert completed.wait(10)


def test_terminate_of_an_unknown_transient_query_fails(rest: Any) -> None:
    """TerminateQueryExecutor.execute: no such push query here or on another server"""
    _, _, server = rest.page_view_app()
    r = rest.ksql(server, "TERMINATE transient_NOPE_1;")
    assert r.status_code == 400
    assert r.json()["message"] == "Failed to terminate query with query ID: 'TRANSIENT_NOPE_1'"


def test_a_closed_push_query_ends_its_streamed_rows_with_query_completed(rest: Any) -> None:
    """QueryStreamHandler.handleQueryPublisher: a transient push query's completionMessage "Query Completed"
    closes the StreamedRow array when /close-query (CloseQueryHandler) ends it, so the body stays JSON"""
    _, driver, server = rest.page_view_app()
    driver.produce("PAGEVIEW_TOPIC", rest.page_view_records(rest.PAGE_VIEWS[:1]))
    body = {"sql": "SELECT * FROM PAGEVIEW_KSTREAM EMIT CHANGES;", "properties": {}}
    with (
        httpx.Client(http2=True, http1=False, timeout=30) as client,
        client.stream(
            "POST", server.url + "/query-stream", json=body, headers={"Accept": "application/vnd.ksql.v1+json"}
        ) as r,
    ):
        lines = r.iter_lines()
        query_id = json.loads(next(lines)[1:-1])["header"]["queryId"]
        assert next(lines) == '{"row":{"columns":["PAGE_1","USER_1",1]}},'
        assert client.post(server.url + "/close-query", json={"queryId": query_id}).status_code == 200
        assert list(lines) == ['{"finalMessage":"Query Completed"}]']
