"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.resources.ClusterStatusResourceTest`
(shouldReturnClusterStatus; shouldReturnEmptyLagsForDeadHost needs a second, dead host, which one server
cannot show): GET /clusterStatus is a ClusterStatusResponse, each host `host:port` (KsqlHostInfoEntity's
JSON value) mapped to a HostStatusEntity. ClusterStatusResource exists only with a HeartbeatAgent
(KsqlRestApplication): without `ksql.heartbeat.enable` the endpoint answers a bare 404."""

from __future__ import annotations

from typing import Any

import httpx


def test_should_return_cluster_status(rest: Any) -> None:
    """ClusterStatusResourceTest.shouldReturnClusterStatus: 200; the live host's HostStatusEntity (hostAlive,
    lastStatusUpdateMs, activeStandbyPerQuery, hostStoreLags)."""
    _, _, server = rest.start(server_options={"heartbeat_enabled": True})
    r = httpx.get(server.url + "/clusterStatus", timeout=10)
    assert r.status_code == 200
    [(host, status)] = r.json()["clusterStatus"].items()
    assert host.endswith(f":{server.port}")
    assert status["hostAlive"] is True
    assert set(status) == {"hostAlive", "lastStatusUpdateMs", "activeStandbyPerQuery", "hostStoreLags"}
    assert set(status["hostStoreLags"]) == {"stateStoreLags", "updateTimeMs"}


def test_cluster_status_is_not_found_without_heartbeats(rest: Any) -> None:
    """KsqlServerEndpoints.executeClusterStatus: EndpointResponse.failed(NOT_FOUND) without the resource."""
    _, _, server = rest.start()
    r = httpx.get(server.url + "/clusterStatus", timeout=10)
    assert (r.status_code, r.content) == (404, b"")
