"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.integration.HealthCheckResourceFunctionalTest`."""

from __future__ import annotations

from typing import Any

import httpx


def test_should_check_health(rest: Any) -> None:
    """HealthCheckResourceFunctionalTest.shouldCheckHealth: healthy, the kafka/metastore/commandRunner
    checks healthy, serverState READY"""
    _, _, server = rest.start()
    r = httpx.get(server.url + "/healthcheck", timeout=10)
    assert r.status_code == 200
    body = r.json()
    assert body["isHealthy"] is True
    for check in ("kafka", "metastore", "commandRunner"):
        assert body["details"][check]["isHealthy"] is True
    assert body["serverState"] == "READY"
