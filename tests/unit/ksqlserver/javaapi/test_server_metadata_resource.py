"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.resources.ServerMetadataResourceTest`
(shouldReturnServerMetadata, shouldReturnServerClusterId): GET /v1/metadata is ServerMetadata(version,
ServerClusterId.of(kafka cluster id, service id)); GET /v1/metadata/id the ServerClusterId alone."""

from __future__ import annotations

from typing import Any

import httpx

from ksqlserver import __version__

# ServerClusterId.of: an empty scope path, the two clusters by their ids, and an empty id
CLUSTER_ID = {
    "scope": {"path": [], "clusters": {"kafka-cluster": "kafka.bar", "ksql-cluster": "ksql.foo"}},
    "id": "",
}


def _server(rest: Any) -> Any:
    _, _, server = rest.start(server_options={"service_id": "ksql.foo", "kafka_cluster_id": "kafka.bar"})
    return server


def test_should_return_server_metadata(rest: Any) -> None:
    """ServerMetadataResourceTest.shouldReturnServerMetadata"""
    r = httpx.get(_server(rest).url + "/v1/metadata", timeout=10)
    assert r.status_code == 200
    assert r.json() == {"version": __version__, "clusterId": CLUSTER_ID}


def test_should_return_server_cluster_id(rest: Any) -> None:
    """ServerMetadataResourceTest.shouldReturnServerClusterId"""
    r = httpx.get(_server(rest).url + "/v1/metadata/id", timeout=10)
    assert r.status_code == 200
    assert r.json() == CLUSTER_ID
