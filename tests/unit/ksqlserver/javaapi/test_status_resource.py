"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.resources.StatusResourceTest` (testGetAllStatuses,
testGetStatus, testGetStatusNotFound), with statements run through /ksql in place of the mocked
InteractiveStatementExecutor: GET /status is CommandStatuses (command id -> status), GET
/status/<type>/<entity>/<action> the CommandStatus of one, found by `new CommandId(type, entity, action)`
(type and action upper-cased into their enums)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx


def _server(rest: Any) -> Any:
    _, driver, server = rest.start()
    driver.create_topic("test_topic", 1, 1)
    rest.ok(
        server,
        "CREATE STREAM TEST_STREAM (ID INT KEY, V STRING) WITH (kafka_topic='test_topic', value_format='json');",
    )
    rest.ok(server, "CREATE TYPE ADDRESS AS STRUCT<STREET STRING>;")
    return server


def test_get_all_statuses(rest: Any) -> None:
    """StatusResourceTest.testGetAllStatuses: CommandStatuses.fromFullStatuses, each id's status only."""
    r = httpx.get(_server(rest).url + "/status", timeout=10)
    assert r.status_code == 200
    assert r.json() == {
        "commandStatuses": {"stream/`TEST_STREAM`/create": "SUCCESS", "type/ADDRESS/create": "SUCCESS"}
    }


def test_get_status(rest: Any) -> None:
    """StatusResourceTest.testGetStatus: each command's full CommandStatus, by type, entity and action in any
    case (CommandId's String constructor upper-cases the enums)."""
    server = _server(rest)
    entity = quote("`TEST_STREAM`")
    for path in (f"stream/{entity}/create", f"STREAM/{entity}/CREATE"):
        r = httpx.get(f"{server.url}/status/{path}", timeout=10)
        assert r.status_code == 200
        assert r.json() == {"status": "SUCCESS", "message": "Stream created", "queryId": None}
    r = httpx.get(server.url + "/status/TYPE/ADDRESS/CREATE", timeout=10)
    assert r.json()["status"] == "SUCCESS"


def test_get_status_not_found(rest: Any) -> None:
    """StatusResourceTest.testGetStatusNotFound: Errors.notFound("Command not found"), 404 / 40400."""
    r = httpx.get(_server(rest).url + "/status/STREAM/foo/CREATE", timeout=10)
    assert r.status_code == 404
    assert r.json() == {"@type": "generic_error", "error_code": 40400, "message": "Command not found"}


def test_get_status_of_an_unknown_type(rest: Any) -> None:
    """CommandId(String, String, String): Type.valueOf's IllegalArgumentException, which
    OldApiUtils.mapException turns into a 500 KsqlErrorMessage(ERROR_CODE_SERVER_ERROR, e)."""
    server = _server(rest)
    r = httpx.get(server.url + "/status/QUERY/foo/CREATE", timeout=10)
    assert r.status_code == 500
    assert r.json()["error_code"] == 50000
    assert r.json()["message"] == "No enum constant io.confluent.ksql.rest.entity.CommandId.Type.QUERY"
    r = httpx.get(server.url + "/status/STREAM/foo/RUN", timeout=10)
    assert r.json()["message"] == "No enum constant io.confluent.ksql.rest.entity.CommandId.Action.RUN"
