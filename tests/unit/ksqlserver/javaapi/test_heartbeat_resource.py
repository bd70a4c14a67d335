"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.resources.HeartbeatResourceTest` (shouldSendHeartbeat):
POST /heartbeat with a HeartbeatMessage answers HeartbeatResponse(true), `{"isOk":true}`. Without a
HeartbeatAgent (`ksql.heartbeat.enable=false`, KsqlRestConfig's default) KsqlServerEndpoints.executeHeartbeat
answers `EndpointResponse.failed(404)`: a 404 with no body; the same for /lag (LagReportingResource,
`ksql.lag.reporting.enable`)."""

from __future__ import annotations

from typing import Any

import httpx

HEARTBEAT = {"hostInfo": {"host": "localhost", "port": 8080}, "timestamp": 1}


def test_should_send_heartbeat(rest: Any) -> None:
    """HeartbeatResourceTest.shouldSendHeartbeat: 200, HeartbeatResponse (its getIsOk is the JSON `isOk`)."""
    _, _, server = rest.start(server_options={"heartbeat_enabled": True})
    r = httpx.post(server.url + "/heartbeat", json=HEARTBEAT, timeout=10)
    assert r.status_code == 200
    assert r.json() == {"isOk": True}


def test_heartbeat_is_not_found_without_a_heartbeat_agent(rest: Any) -> None:
    """KsqlServerEndpoints.executeHeartbeat: no HeartbeatResource, EndpointResponse.failed(NOT_FOUND), which
    OldApiUtils.handleOldApiResponse ends with no body."""
    _, _, server = rest.start()
    r = httpx.post(server.url + "/heartbeat", json=HEARTBEAT, timeout=10)
    assert (r.status_code, r.content) == (404, b"")


def test_lag_report(rest: Any) -> None:
    """LagReportingResource.receiveHostLag: LagReportingResponse(true); KsqlServerEndpoints.executeLagReport
    answers a bare 404 without a LagReportingAgent."""
    message = {
        "ksqlHost": {"host": "localhost", "port": 8080},
        "hostStoreLags": {"stateStoreLags": {}, "updateTimeMs": 1},
    }
    _, _, server = rest.start()
    r = httpx.post(server.url + "/lag", json=message, timeout=10)
    assert (r.status_code, r.content) == (404, b"")
    _, _, server = rest.start(server_options={"lag_reporting_enabled": True})
    r = httpx.post(server.url + "/lag", json=message, timeout=10)
    assert r.status_code == 200
    assert r.json() == {"isOk": True}


def test_heartbeat_with_bad_json(rest: Any) -> None:
    """ServerUtils.deserialiseObject: a body Jackson cannot read is 400 "Invalid JSON in request: ..."."""
    _, _, server = rest.start(server_options={"heartbeat_enabled": True})
    r = httpx.post(server.url + "/heartbeat", content=b"{not json", timeout=10)
    assert r.status_code == 400
    assert r.json()["error_code"] == 40000
    assert r.json()["message"].startswith("Invalid JSON in request: ")
