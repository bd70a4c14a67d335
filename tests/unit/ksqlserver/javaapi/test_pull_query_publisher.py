"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.resources.streaming.PullQueryPublisherTest`, through
/ws/query, whose pull queries PullQueryPublisher runs: the schema, then each row as a push-style StreamedRow
(shouldCallOnSchemaThenOnNextThenOnCompleteOnSuccess, shouldPassSchema, shouldBuildStreamingRows), then
completion; a query that fails ends with its error (shouldCallOnErrorOnFailure_duringStream, here a failure
as the query starts). shouldSubscribe / shouldOnlyExecuteOnce count mock calls."""

from __future__ import annotations

import json
from typing import Any


def _server(rest: Any) -> Any:
    _, driver, server = rest.page_view_app()
    driver.produce("PAGEVIEW_TOPIC", rest.page_view_records(rest.PAGE_VIEWS))
    rest.ok(
        server, "CREATE TABLE COUNTS AS SELECT USERID, COUNT(*) AS N FROM PAGEVIEW_KSTREAM GROUP BY USERID;"
    )
    return server


def test_should_call_on_schema_then_on_next_then_on_complete_on_success(rest: Any, ws_messages: Any) -> None:
    """PullQueryPublisherTest.shouldCallOnSchemaThenOnNextThenOnCompleteOnSuccess / shouldPassSchema /
    shouldBuildStreamingRows: the key column typed KEY, the row, done."""
    server = _server(rest)
    messages = rest.eventually(
        lambda: ws_messages(server, "SELECT * FROM COUNTS WHERE USERID='USER_2';"), lambda m: len(m) == 4
    )
    assert [(f["name"], f.get("type")) for f in json.loads(messages[0])] == [("USERID", "KEY"), ("N", None)]
    assert json.loads(messages[1]) == {"row": {"columns": ["USER_2", 2]}}
    assert messages[2:] == ['{"error":"done"}', ("close", 1000, "done")]


def test_should_call_on_error_on_failure(rest: Any, ws_messages: Any) -> None:
    """PullQueryPublisherTest.shouldCallOnErrorOnFailure_duringStream: the error, then the socket closes."""
    server = _server(rest)
    [error, close] = ws_messages(server, "SELECT * FROM COUNTS WHERE N > 'x';")
    assert "error" in json.loads(error)
    assert close[0] == "close" and close[1] != 1000
