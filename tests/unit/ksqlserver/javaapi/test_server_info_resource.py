"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.resources.ServerInfoResourceTest` (shouldReturnServerInfo;
shouldGetKafkaClusterIdWithTimeout and shouldGetKafkaClusterIdOnce verify mock calls, nothing a user sees):
GET /info's ServerInfo wrapped as `KsqlServerInfo`, with the server's version, Kafka cluster id, service id
and the command runner's status."""

from __future__ import annotations

from typing import Any

import httpx

from ksqlserver import __version__


def test_should_return_server_info(rest: Any) -> None:
    """ServerInfoResourceTest.shouldReturnServerInfo: 200, ServerInfo(version, kafka cluster, service id,
    RUNNING)."""
    _, _, server = rest.start(server_options={"service_id": "ksql.foo", "kafka_cluster_id": "kafka.bar"})
    r = httpx.get(server.url + "/info", timeout=10)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {
        "KsqlServerInfo": {
            "version": __version__,
            "kafkaClusterId": "kafka.bar",
            "ksqlServiceId": "ksql.foo",
            "serverStatus": "RUNNING",
        }
    }


def test_should_get_kafka_cluster_id_once(rest: Any) -> None:
    """ServerInfoResourceTest.shouldGetKafkaClusterIdOnce: the id is read once, so every answer is the same."""
    _, _, server = rest.start(server_options={"kafka_cluster_id": "kafka.bar"})
    first = httpx.get(server.url + "/info", timeout=10).json()
    assert httpx.get(server.url + "/info", timeout=10).json() == first
