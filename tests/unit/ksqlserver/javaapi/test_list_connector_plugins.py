"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.ListConnectorPluginsTest`
(shouldListValidConnectorPlugins): SHOW CONNECTOR PLUGINS' ConnectorPluginsList of SimpleConnectorPluginInfo
(className, type, version) as the Connect worker lists them."""

from __future__ import annotations

from typing import Any

FILE_SINK = "org.apache.kafka.connect.file.FileStreamSinkConnector"
FILE_SOURCE = "org.apache.kafka.connect.file.FileStreamSourceConnector"


def test_should_list_valid_connector_plugins(connect_server: Any) -> None:
    """ListConnectorPluginsTest.shouldListValidConnectorPlugins"""
    entity = connect_server.one("SHOW CONNECTOR PLUGINS;")
    assert entity == {
        "@type": "connector_plugins_list",
        "statementText": "SHOW CONNECTOR PLUGINS;",
        "warnings": [],
        "connectorsPlugins": [
            {"className": FILE_SINK, "type": "sink", "version": "4.3.1"},
            {"className": FILE_SOURCE, "type": "source", "version": "4.3.1"},
        ],
    }
