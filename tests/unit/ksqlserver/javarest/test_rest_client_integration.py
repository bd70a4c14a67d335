"""Port of ksqlDB 0.29 `io.confluent.ksql.api.client.integration.RestClientIntegrationTest`: the REST client
(KsqlRestClient.makeQueryRequestStreamed: POST /query with a KsqlRequest and Accept: application/json)
running several push queries at once."""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any

import httpx


def test_should_stream_multiple_push_queries_rest(rest: Any) -> None:
    """RestClientIntegrationTest.shouldStreamMultiplePushQueriesRest: five concurrent /query push queries (each
    naming commandSequenceNumber i) all answer 200 and stream their StreamedRow header"""
    _, driver, server = rest.page_view_app()
    driver.produce("PAGEVIEW_TOPIC", rest.page_view_records(rest.PAGE_VIEWS))
    with ExitStack() as stack:
        client = stack.enter_context(httpx.Client(timeout=30))
        headers = []
        for i in range(5):
            body = {"ksql": "SELECT * FROM PAGEVIEW_KSTREAM EMIT CHANGES;", "streamsProperties": {},
                    "requestProperties": {}, "commandSequenceNumber": i}  # fmt: skip
            r = stack.enter_context(
                client.stream("POST", server.url + "/query", json=body, headers={"Accept": "application/json"})
            )
            assert r.status_code == 200
            lines = r.iter_lines()
            headers.append(json.loads(next(lines)[1:-1])["header"])
            assert next(lines) == '{"row":{"columns":["PAGE_1","USER_1",1]}},'
    assert len({h["queryId"] for h in headers}) == 5
    assert {h["schema"] for h in headers} == {"`PAGEID` STRING, `USERID` STRING, `VIEWTIME` BIGINT"}
