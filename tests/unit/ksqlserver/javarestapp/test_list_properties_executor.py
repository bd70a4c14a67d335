"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.ListPropertiesExecutorTest` (ksqldb-rest-app):
LIST PROPERTIES' `properties` entity (name, scope, value, editable, level) and its overwritten properties,
over /ksql. The embedded Connect worker's properties (`shouldNotListUnrecognizedConnectProps`) are kept as a
strict xfail: this server runs no embedded Connect worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

# SslConfigs.addClientSslSupport's names (KsqlConfig.SSL_CONFIG_NAMES)
SSL_CONFIG_NAMES = {
    "ssl.protocol", "ssl.provider", "ssl.cipher.suites", "ssl.enabled.protocols", "ssl.keystore.type",
    "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password", "ssl.keystore.key",
    "ssl.keystore.certificate.chain", "ssl.truststore.certificates", "ssl.truststore.type",
    "ssl.truststore.location", "ssl.truststore.password", "ssl.keymanager.algorithm",
    "ssl.trustmanager.algorithm", "ssl.endpoint.identification.algorithm", "ssl.secure.random.implementation",
    "ssl.engine.factory.class",
}  # fmt: skip


def properties(res: Any, **extra: Any) -> dict[str, Any]:
    [entity] = res.ok("LIST PROPERTIES;", **extra)
    assert entity["@type"] == "properties"
    return entity


def by_name(entity: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in entity["properties"]}


def test_should_contain_allow_field(res: Any) -> None:
    """ListPropertiesExecutorTest.shouldContainAllowField: editable"""
    props = by_name(properties(res))
    assert props["ksql.streams.commit.interval.ms"]["editable"] is True
    assert props["ksql.persistent.prefix"]["editable"] is False


def test_should_contain_level_field(res: Any) -> None:
    """ListPropertiesExecutorTest.shouldContainLevelField: SERVER / QUERY"""
    props = by_name(properties(res))
    assert props["ksql.extension.dir"]["level"] == "SERVER"
    assert props["ksql.cast.strings.preserve.nulls"]["level"] == "QUERY"


def test_should_list_properties(res: Any) -> None:
    """ListPropertiesExecutorTest.shouldListProperties: every property with scope KSQL, nothing overwritten"""
    entity = properties(res)
    assert entity["overwrittenProperties"] == []
    props = by_name(entity)
    assert props["ksql.persistent.prefix"]["value"] == "query_"
    assert all(set(p) == {"name", "scope", "value", "editable", "level"} for p in entity["properties"])


def test_should_list_properties_with_overrides(res: Any) -> None:
    """ListPropertiesExecutorTest.shouldListPropertiesWithOverrides"""
    entity = properties(res, streamsProperties={"ksql.streams.auto.offset.reset": "latest"})
    prop = by_name(entity)["ksql.streams.auto.offset.reset"]
    assert (prop["scope"], prop["value"]) == ("KSQL", "latest")
    assert "ksql.streams.auto.offset.reset" in entity["overwrittenProperties"]


def test_should_not_list_ssl_properties(make_resource: Any) -> None:
    """ListPropertiesExecutorTest.shouldNotListSslProperties"""
    res = make_resource(properties={"ssl.truststore.location": "/tmp/x", "ssl.keystore.password": "secret"})
    assert not SSL_CONFIG_NAMES & set(by_name(properties(res)))


def test_should_list_unresolved_streams_topic_properties(make_resource: Any) -> None:
    """ListPropertiesExecutorTest.shouldListUnresolvedStreamsTopicProperties"""
    res = make_resource(properties={"ksql.streams.topic.min.insync.replicas": "2"})
    prop = by_name(properties(res))["ksql.streams.topic.min.insync.replicas"]
    assert (prop["scope"], prop["value"]) == ("KSQL", "2")


@pytest.mark.xfail(strict=True, reason="no embedded Connect worker: ksql.connect.worker.config's file is not read")
def test_should_not_list_unrecognized_connect_props(make_resource: Any, tmp_path: Path) -> None:
    """ListPropertiesExecutorTest.shouldNotListUnrecognizedConnectProps: the worker's recognised properties
    with scope EMBEDDED CONNECT WORKER; unrecognised and sensitive ones left out"""
    worker = tmp_path / "connect.properties"
    worker.write_text(
        "group.id=list_properties_unit_test\n"
        "key.converter=io.confluent.connect.avro.AvroConverter\n"
        "value.converter=io.confluent.connect.avro.AvroConverter\n"
        "offset.storage.topic=topic1\nconfig.storage.topic=topic2\nstatus.storage.topic=topic3\n"
        "other.config=<potentially sensitive data that should not be shown>\n"
        "sasl.jaas.config=<potentially sensitive data>\n"
    )
    res = make_resource(properties={"ksql.connect.worker.config": str(worker)})
    props = by_name(properties(res))
    assert props["ksql.connect.worker.config"]["value"] == str(worker)
    assert props["value.converter"]["scope"] == "EMBEDDED CONNECT WORKER"
    assert "other.config" not in props and "sasl.jaas.config" not in props
