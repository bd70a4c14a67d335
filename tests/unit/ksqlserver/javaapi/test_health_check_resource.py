"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.resources.HealthCheckResourceTest` (shouldCheckHealth;
shouldGetCachedResponse and shouldRecheckHealthIfCachedResponseExpired check the cache's object identity,
which a client cannot see beyond getting the same answer): GET /healthcheck is a HealthCheckResponse."""

from __future__ import annotations

from typing import Any

import httpx


def test_should_check_health(rest: Any) -> None:
    """HealthCheckResourceTest.shouldCheckHealth: 200 and a HealthCheckResponse (isHealthy, the details of
    HealthCheckAgent's checks, serverState)."""
    _, _, server = rest.start()
    r = httpx.get(server.url + "/healthcheck", timeout=10)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"isHealthy", "details", "serverState"}
    assert body["isHealthy"] is True
    assert set(body["details"]) == {"metastore", "kafka", "commandRunner"}


def test_should_get_cached_response(rest: Any) -> None:
    """HealthCheckResourceTest.shouldGetCachedResponse: a second check within the cache's life answers the same."""
    _, _, server = rest.start()
    first = httpx.get(server.url + "/healthcheck", timeout=10).json()
    assert httpx.get(server.url + "/healthcheck", timeout=10).json() == first
