"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.DescribeConnectorExecutorTest` against the fake
Connect worker: DESCRIBE CONNECTOR's ConnectorDescription (connectorClass, Connect's status, the sources
reading the connector's topics, the topics), the warning of a failed topic listing (none for a 404: an old
worker without the endpoint), and the errors when Connect fails the status or describe call."""

from __future__ import annotations

from typing import Any

JDBC = "io.confluent.connect.jdbc.JdbcSourceConnector"  # a connector ksqlDB knows (ConnectorFactory)
TOPIC = "kafka-topic"


def _given(connect_server: Any, connector_class: str = JDBC) -> Any:
    fake = connect_server.fake
    connect_server.driver.create_topic(TOPIC, 1, 1)
    connect_server.one(
        f"CREATE TABLE SOURCE (ROWKEY STRING PRIMARY KEY, FOO STRING) WITH (kafka_topic='{TOPIC}', value_format='JSON');"
    )
    fake.connectors["connector"] = {"connector.class": connector_class}
    fake.topics["connector"] = [TOPIC]
    return fake


def test_should_describe_known_connector(connect_server: Any) -> None:
    """DescribeConnectorExecutorTest.shouldDescribeKnownConnector"""
    _given(connect_server)
    entity = connect_server.one("DESCRIBE CONNECTOR `connector`;")
    assert entity["@type"] == "connector_description"
    assert entity["connectorClass"] == JDBC
    assert entity["status"]["name"] == "connector"
    assert entity["status"]["connector"]["state"] == "RUNNING"
    [source] = entity["sources"]
    assert (source["name"], source["topic"]) == ("SOURCE", TOPIC)
    assert entity["topics"] == [TOPIC]
    assert entity["warnings"] == []


def test_should_describe_known_connector_if_topic_list_fails(connect_server: Any) -> None:
    """DescribeConnectorExecutorTest.shouldDescribeKnownConnectorIfTopicListFails: no topics, one warning."""
    fake = _given(connect_server)
    fake.fail[("GET", "/connectors/connector/topics")] = (403, "Topic tracking is disabled.")
    entity = connect_server.one("DESCRIBE CONNECTOR `connector`;")
    assert entity["connectorClass"] == JDBC
    assert entity["topics"] == []
    assert entity["warnings"] == [
        {"message": "Could not list related topics due to error: Topic tracking is disabled."}
    ]


def test_should_throw_if_connect_client_fails_status(connect_server: Any) -> None:
    """DescribeConnectorExecutorTest.shouldThrowIfConnectClientFailsStatus: Connect's status code, its
    error code (Errors.toErrorCode), "Failed to query connector status: <error>"."""
    fake = _given(connect_server)
    fake.fail[("GET", "/connectors/connector/status")] = (500, "error")
    body = connect_server.fail("DESCRIBE CONNECTOR `connector`;", 500)
    assert body["error_code"] == 50000
    assert "Failed to query connector status: error" in body["message"]


def test_should_throw_if_connect_client_fails_describe(connect_server: Any) -> None:
    """DescribeConnectorExecutorTest.shouldThrowIfConnectClientFailsDescribe"""
    fake = _given(connect_server)
    fake.fail[("GET", "/connectors/connector")] = (500, "error")
    body = connect_server.fail("DESCRIBE CONNECTOR `connector`;", 500)
    assert body["error_code"] == 50000
    assert "Failed to describe connector: error" in body["message"]


def test_should_not_warn_client_on_missing_topics_endpoint(connect_server: Any) -> None:
    """DescribeConnectorExecutorTest.shouldNotWarnClientOnMissingTopicsEndpoint: a 404 is only logged."""
    fake = _given(connect_server)
    fake.fail[("GET", "/connectors/connector/topics")] = (404, "not found")
    entity = connect_server.one("DESCRIBE CONNECTOR `connector`;")
    assert entity["topics"] == [] and entity["warnings"] == []


def test_should_work_if_unknown_connector(connect_server: Any) -> None:
    """DescribeConnectorExecutorTest.shouldWorkIfUnknownConnector: a class ConnectorFactory does not know
    has no sources (and its topics are not asked for)."""
    fake = _given(connect_server, connector_class="io.confluent.ConnectorClazz")
    entity = connect_server.one("DESCRIBE CONNECTOR `connector`;")
    assert entity["connectorClass"] == "io.confluent.ConnectorClazz"
    assert entity["status"]["connector"]["state"] == "RUNNING"
    assert entity["sources"] == []
    assert ("GET", "/connectors/connector/topics") not in [(m, p) for m, p, _ in fake.requests]
