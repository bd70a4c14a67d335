"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.resources.streaming.PollingSubscriptionTest`, through
/ws/query (whose push queries and prints poll through PollingSubscription): the schema first, the elements in
order, then the subscription completes and closes once (testBasicFlow, testMultithreaded; testEmpty with
no elements). testErrorDrainsNextElement and testReentrantNextElement inject an error between two polls,
which no request can do."""

from __future__ import annotations

import json
from typing import Any

DONE = ['{"error":"done"}', ("close", 1000, "done")]


def test_basic_flow(rest: Any, ws_messages: Any) -> None:
    """PollingSubscriptionTest.testBasicFlow / testMultithreaded: every element, in order, then done."""
    _, driver, server = rest.page_view_app()
    driver.produce("PAGEVIEW_TOPIC", rest.page_view_records(rest.PAGE_VIEWS))
    messages = ws_messages(server, "SELECT PAGEID FROM PAGEVIEW_KSTREAM EMIT CHANGES LIMIT 7;")
    assert [f["name"] for f in json.loads(messages[0])] == ["PAGEID"]
    assert [json.loads(m)["row"]["columns"][0] for m in messages[1:-2]] == [p for p, _, _ in rest.PAGE_VIEWS]
    assert messages[-2:] == DONE


def test_empty(rest: Any, ws_messages: Any) -> None:
    """PollingSubscriptionTest.testEmpty: done at once, no element, no error."""
    _, _, server = rest.page_view_app()
    messages = ws_messages(server, "SELECT * FROM PAGEVIEW_KSTREAM;")
    assert len(json.loads(messages[0])) == 3
    assert messages[1:] == DONE
