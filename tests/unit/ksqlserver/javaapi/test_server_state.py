"""Port of ksqlDB 0.29 `io.confluent.ksql.api.ServerStateTest` (shouldReturn503IfTerminating,
shouldReturn503IfTerminated; shouldReturn503IfInitializing needs a precondition a server here never waits
on): ServerStateHandler answers every request but the container health checks with 503 and the state's
KsqlErrorMessage."""

from __future__ import annotations

from typing import Any

import httpx

PUSH = {"sql": "select * from foo emit changes;", "properties": {"prop1": "val1", "prop2": 23}}


def test_should_return_503_if_terminating(rest: Any) -> None:
    """ServerStateTest.shouldReturn503IfTerminating: ERROR_CODE_SERVER_SHUTTING_DOWN (50303)."""
    _, _, server = rest.start()
    server._server.routes.shutting_down = True  # ServerState.setTerminating, as the test sets it
    r = httpx.post(server.url + "/query-stream", json=PUSH, timeout=10)
    assert r.status_code == 503
    assert r.json()["error_code"] == 50303
    assert r.json()["message"].startswith("The server is shutting down")


def test_should_return_503_if_terminated(rest: Any) -> None:
    """ServerStateTest.shouldReturn503IfTerminated: after TERMINATE CLUSTER, ERROR_CODE_SERVER_SHUT_DOWN
    (50304); the container health checks still answer."""
    _, _, server = rest.start()
    assert httpx.post(server.url + "/ksql/terminate", json={}, timeout=30).status_code == 200
    r = httpx.post(server.url + "/query-stream", json=PUSH, timeout=10)
    assert r.status_code == 503
    assert r.json()["error_code"] == 50304
    assert r.json()["message"].startswith("The server is shut down")
    assert httpx.get(server.url + "/chc/live", timeout=10).status_code == 200
