"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.integration.TransientQueryResourceCleanerIntTest`, on one server:
a transient join query (`select * from PV pv left join U u ... emit changes`) runs until TERMINATE <its id>,
after which nothing of it is left among the topics. In ksqlDB the query also owns two internal topics and a
state directory named after its application id (`_confluent-ksql-default_transient_transient_PV_<n>_<ms>`),
and TransientQueryCleanupService deletes such topics and directories when they outlive their query; this
engine keeps a transient query's state in the process, so it makes no such topics (a strict xfail); its
TransientQueryCleanupService deletes topics of terminated transient queries that reappear."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

JOIN = "select * from PAGEVIEW_KSTREAM pv left join USER_TABLE u on pv.userid=u.userid emit changes;"
# the persistent topics: the command topic, PAGEVIEW_TOPIC, USER_TOPIC
PERSISTENT_TOPICS = {"_confluent-ksql-default__command_topic", "PAGEVIEW_TOPIC", "USER_TOPIC"}


def _server(rest: Any, **properties: str) -> tuple[Any, Any]:
    _, driver, server = rest.start(properties, command_topic=True)
    driver.create_topic("PAGEVIEW_TOPIC", 1, 1)
    driver.create_topic("USER_TOPIC", 1, 1)
    rest.ok(
        server,
        f"CREATE STREAM PAGEVIEW_KSTREAM ({rest.PAGE_VIEW_SCHEMA}) WITH (kafka_topic='PAGEVIEW_TOPIC', value_format='json');"
        "CREATE TABLE USER_TABLE (USERID STRING PRIMARY KEY, REGISTERTIME BIGINT, GENDER STRING, REGIONID STRING) "
        "WITH (kafka_topic='USER_TOPIC', value_format='json');",
    )
    return driver, server


def _transient_topics(driver: Any) -> list[str]:
    return sorted(t for t in driver.topics() if "transient" in t)


def _run_join(server: Any) -> tuple[Any, Any, Any]:
    client = httpx.Client(timeout=30)
    request = client.build_request("POST", server.url + "/query-stream", json={"sql": JOIN})
    response = client.send(request, stream=True)
    lines = response.iter_lines()
    query_id = json.loads(next(lines))["queryId"]
    return client, lines, query_id


def test_should_not_leave_topics_of_a_terminated_query(rest: Any) -> None:
    """TransientQueryResourceCleanerIntTest.shouldCleanupLeakedTopics, its first part: after TERMINATE of the
    transient query no topic of it is left, only the persistent ones."""
    driver, server = _server(rest)
    client, lines, query_id = _run_join(server)
    try:
        [queries] = rest.ok(server, "SHOW QUERIES;")
        assert [q["id"] for q in queries["queries"]] == [query_id]
        rest.ok(server, f"terminate {query_id};")
        assert rest.eventually(lambda: _transient_topics(driver), lambda t: t == []) == []
        assert set(driver.topics()) == PERSISTENT_TOPICS
    finally:
        lines.close()
        client.close()


@pytest.mark.xfail(
    strict=True, reason="a transient query creates no internal topics here (its state is in-process)"
)
def test_should_not_cleanup_topics_of_running_queries(rest: Any) -> None:
    """TransientQueryResourceCleanerIntTest.shouldNotCleanupTopicsOfRunningQueries: the join's repartition and
    changelog topics, named after the query, exist while it runs."""
    driver, server = _server(rest)
    client, lines, query_id = _run_join(server)
    try:
        topics = _transient_topics(driver)
        assert len(topics) == 2 and all(query_id in t for t in topics)
    finally:
        lines.close()
        client.close()


CLEANUP_EVERY_SECOND = {
    "ksql.transient.query.cleanup.service.initial.delay.seconds": "1",
    "ksql.transient.query.cleanup.service.period.seconds": "1",
}


def _app_id(rest: Any, server: Any, query_id: str) -> str:
    [described] = rest.ok(server, f"EXPLAIN {query_id};")
    app_id: str = described["queryDescription"]["consumerGroupId"]
    return app_id


def test_should_cleanup_leaked_topics(rest: Any) -> None:
    """TransientQueryResourceCleanerIntTest.shouldCleanupLeakedTopics: after TERMINATE, topics "leaked" under
    the terminated query's application id (recreated here, as the Java test recreates the query's internal
    topics) are deleted by TransientQueryCleanupService (initial delay and period one second)."""
    driver, server = _server(rest, **CLEANUP_EVERY_SECOND)
    client, lines, query_id = _run_join(server)
    try:
        app_id = _app_id(rest, server, query_id)
        assert app_id.startswith(f"_confluent-ksql-default_transient_{query_id}_")
        rest.ok(server, f"terminate {query_id};")
        leaked = [f"{app_id}-Join-repartition", f"{app_id}-KafkaTopic_Right-Reduce-changelog"]
        for topic in leaked:
            driver.create_topic(topic, 1, 1)
        assert rest.eventually(lambda: _transient_topics(driver), lambda t: t == [], timeout=6) == []
        assert set(driver.topics()) == PERSISTENT_TOPICS
    finally:
        lines.close()
        client.close()


def test_should_not_cleanup_topics_of_live_or_unknown_queries(rest: Any) -> None:
    """TransientQueryCleanupService.isLeaked: a topic of a query still running (isCorrespondingQueryTerminated)
    and one of an application id this server never ran (wasQueryGuaranteedToBeRunningAtSomePoint) stay."""
    driver, server = _server(rest, **CLEANUP_EVERY_SECOND)
    client, lines, query_id = _run_join(server)
    try:
        app_id = _app_id(rest, server, query_id)
        kept = [f"{app_id}-Join-repartition", "_confluent-ksql-default_transient_transient_PV_1_1-Join-repartition"]
        for topic in kept:
            driver.create_topic(topic, 1, 1)
        time.sleep(2.5)
        assert _transient_topics(driver) == sorted(kept)
    finally:
        lines.close()
        client.close()
