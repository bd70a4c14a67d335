"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.computation.InteractiveStatementExecutorTest`
(ksqldb-rest-app): what running a command (and replaying the command topic) leaves for a client: command
statuses (GET /status), started queries, referential integrity of DROP, TERMINATE ALL.

The Java test drives InteractiveStatementExecutor with mocked engines, parsers and query id generators; the
assertions on mocks (start() called, setNextId(offset + 1)) are observable as running queries and query ids
(RecoveryTest's port checks the ids after a replay). shouldBuildQueriesWithPersistedConfig: the server's
ksql.persistent.prefix names the query's application id."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

PAGEVIEW = "CREATE STREAM PAGEVIEW (VIEWTIME BIGINT, PAGEID VARCHAR, USERID VARCHAR) " \
    "WITH (kafka_topic='pageview_topic', KEY_FORMAT='kafka', VALUE_FORMAT='json');"  # fmt: skip
TABLE1 = "CREATE TABLE TABLE1 (ID BIGINT PRIMARY KEY, NAME STRING) WITH (kafka_topic='t1', value_format='json');"
USER1PV = "CREATE STREAM USER1PV AS SELECT * FROM PAGEVIEW WHERE USERID = 'user1';"
JOINED = (
    "CREATE STREAM USER1PV_JOINED AS SELECT * FROM PAGEVIEW P JOIN TABLE1 T ON P.VIEWTIME = T.ID;"
)


def _status(server: Any, command_id: str) -> dict[str, Any]:
    r = httpx.get(server.url + "/status/" + command_id, timeout=10)
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()
    return result


@pytest.fixture()
def first(rest: Any) -> tuple[Any, Any, Any]:
    _, driver, server = rest.start(command_topic=True)
    driver.create_topic("pageview_topic", 1, 1)
    driver.create_topic("t1", 1, 1)
    return rest, driver, server


def test_should_update_status_on_completed_planned_command(first: tuple[Any, Any, Any]) -> None:
    """InteractiveStatementExecutorTest.shouldUpdateStatusOnCompletedPlannedCommand /
    shouldSetCorrectFinalStatusOnCompletedPlannedDDLCommand / shouldCompleteFutureOnSuccess: SUCCESS with the
    statement's message"""
    rest, _, server = first
    rest.ok(server, PAGEVIEW)
    [entity] = rest.ok(server, USER1PV)
    query_id = entity["commandStatus"]["queryId"]
    assert _status(server, "stream/`PAGEVIEW`/create") == {
        "status": "SUCCESS", "message": "Stream created", "queryId": None,
    }  # fmt: skip
    assert _status(server, "stream/`USER1PV`/create") == {
        "status": "SUCCESS", "message": f"Created query with ID {query_id}", "queryId": query_id,
    }  # fmt: skip


def test_should_start_query_for_planned_command(first: tuple[Any, Any, Any]) -> None:
    """InteractiveStatementExecutorTest.shouldStartQueryForPlannedCommand / shouldExecutePlannedCommand"""
    rest, _, server = first
    rest.ok(server, PAGEVIEW)
    rest.ok(server, USER1PV)
    [queries] = rest.ok(server, "SHOW QUERIES;")
    assert [(q["sinks"], q["state"]) for q in queries["queries"]] == [(["USER1PV"], "RUNNING")]


def test_should_handle_prior_statements(first: tuple[Any, Any, Any]) -> None:
    """InteractiveStatementExecutorTest.shouldHandlePriorStatements: after a replay every prior command's
    status is SUCCESS"""
    rest, driver, server = first
    rest.ok(server, PAGEVIEW)
    rest.ok(server, TABLE1)
    rest.ok(server, USER1PV)
    _, _, restarted = rest.start(command_topic=True, driver=driver)
    for command_id in ("stream/`PAGEVIEW`/create", "table/`TABLE1`/create", "stream/`USER1PV`/create"):
        assert _status(restarted, command_id)["status"] == "SUCCESS"
    statuses = httpx.get(restarted.url + "/status", timeout=10).json()["commandStatuses"]
    assert statuses["stream/`USER1PV`/create"] == "SUCCESS"


def test_should_enforce_referential_integrity(first: tuple[Any, Any, Any]) -> None:
    """InteractiveStatementExecutorTest.shouldEnforceReferentialIntegrity: a source queries read cannot be
    dropped; once they are terminated (and the sinks dropped) it can"""
    rest, _, server = first
    rest.ok(server, PAGEVIEW)
    rest.ok(server, TABLE1)
    rest.ok(server, USER1PV)
    rest.ok(server, JOINED)
    r = rest.ksql(server, "DROP STREAM PAGEVIEW;")
    assert r.status_code == 400
    assert r.json()["message"].startswith("Cannot drop PAGEVIEW.")
    rest.ok(server, "TERMINATE ALL;")
    rest.ok(server, "DROP STREAM USER1PV;")
    rest.ok(server, "DROP STREAM USER1PV_JOINED;")
    # CommandIdAssigner: a DROP names the source by its text (no back-quotes), a CREATE by SourceName.toString
    assert _status(server, "stream/USER1PV/drop")["status"] == "SUCCESS"
    rest.ok(server, "DROP TABLE TABLE1;")
    assert _status(server, "table/TABLE1/drop")["status"] == "SUCCESS"
    rest.ok(server, "DROP STREAM PAGEVIEW;")
    assert _status(server, "stream/PAGEVIEW/drop")["status"] == "SUCCESS"


def test_should_terminate_all(first: tuple[Any, Any, Any]) -> None:
    """InteractiveStatementExecutorTest.shouldTerminateAll: every persistent query is closed"""
    rest, _, server = first
    rest.ok(server, PAGEVIEW)
    rest.ok(server, TABLE1)
    rest.ok(server, USER1PV)
    rest.ok(server, JOINED)
    rest.ok(server, "TERMINATE ALL;")
    [queries] = rest.ok(server, "SHOW QUERIES;")
    assert queries["queries"] == []


def test_should_build_queries_with_persisted_config(rest: Any) -> None:
    """InteractiveStatementExecutorTest.shouldBuildQueriesWithPersistedConfig: the query is built with the
    configuration the command was written with (ksql.persistent.prefix)"""
    _, driver, server = rest.start({"ksql.persistent.prefix": "not-the-default"}, command_topic=True)
    driver.create_topic("pageview_topic", 1, 1)
    rest.ok(server, PAGEVIEW)
    rest.ok(server, USER1PV)
    [queries] = rest.ok(server, "SHOW QUERIES EXTENDED;")
    [description] = queries["queryDescriptions"]
    assert description["consumerGroupId"].startswith("_confluent-ksql-default_not-the-default")
