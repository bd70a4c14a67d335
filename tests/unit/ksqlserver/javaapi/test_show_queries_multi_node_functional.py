"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.integration.ShowQueriesMultiNodeFunctionalTest`, on one server
(the second node's answers need a second server in the cluster): with basic authentication, SHOW QUERIES
lists the persistent query with its status count, and SHOW QUERIES EXTENDED its hosts' status and the Kafka
Streams tasks it runs (one per partition of its 2-partition source: 0_0 and 0_1)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ksqlserver.config import Secret

AUTH = ("harry", "changeme")


def _server(rest: Any) -> Any:
    _, driver, server = rest.start(server_options={"credentials": {"harry": Secret("changeme")}})
    driver.create_topic("PAGEVIEW_TOPIC", 2, 1)
    driver.produce("PAGEVIEW_TOPIC", rest.page_view_records(rest.PAGE_VIEWS))
    for sql in (
        f"CREATE STREAM PAGEVIEW_KSTREAM ({rest.PAGE_VIEW_SCHEMA}) WITH (kafka_topic='PAGEVIEW_TOPIC', value_format='json');",
        "CREATE STREAM S AS SELECT * FROM PAGEVIEW_KSTREAM;",
    ):
        r = httpx.post(server.url + "/ksql", json={"ksql": sql}, auth=AUTH, timeout=30)
        assert r.status_code == 200, r.text
    return server


def _one(server: Any, sql: str) -> dict[str, Any]:
    r = httpx.post(server.url + "/ksql", json={"ksql": sql}, auth=AUTH, timeout=30)
    assert r.status_code == 200, r.text
    [entity] = r.json()
    return dict(entity)


def test_should_show_all_queries(rest: Any) -> None:
    """ShowQueriesMultiNodeFunctionalTest.shouldShowAllQueries: one query, RUNNING on every host (here one)."""
    server = _server(rest)
    [query] = _one(server, "Show Queries;")["queries"]
    assert query["statusCount"] == {"RUNNING": 1}


def test_should_show_all_queries_extended_hosts(rest: Any) -> None:
    """ShowQueriesMultiNodeFunctionalTest.shouldShowAllQueriesExtended: ksqlHostQueryStatus by host:port."""
    server = _server(rest)
    [description] = _one(server, "Show Queries Extended;")["queryDescriptions"]
    assert list(description["ksqlHostQueryStatus"]) == [f"127.0.0.1:{server.port}"]


@pytest.mark.xfail(
    strict=True,
    reason="QueryDescription.tasksMetadata is always empty: the engine keeps no Kafka Streams task "
    "metadata (StreamsTaskMetadata: taskId, topicOffsets, timeCurrentIdlingStarted)",
)
def test_should_show_all_queries_extended_tasks(rest: Any) -> None:
    """ShowQueriesMultiNodeFunctionalTest.shouldShowAllQueriesExtended: the tasks 0_0 and 0_1."""
    server = _server(rest)
    [description] = _one(server, "Show Queries Extended;")["queryDescriptions"]
    assert sorted(t["taskId"] for t in description["tasksMetadata"]) == ["0_0", "0_1"]
