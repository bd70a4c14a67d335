"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.ListConnectorsExecutorTest` against the fake
Connect worker: SHOW CONNECTORS' ConnectorList of SimpleConnectorInfo (name, type, className, state as
`<connector state> (<n>/<m> tasks RUNNING)`, or WARNING when no task runs), the scope filter, and a
connector Connect cannot describe listed with an UNKNOWN type and a warning."""

from __future__ import annotations

from typing import Any

CONNECTOR_CLASS = "class"


def _given(fake: Any, name: str, tasks: list[str]) -> None:
    fake.connectors[name] = {"connector.class": CONNECTOR_CLASS}
    fake.states[name] = ("RUNNING", tasks)


def test_should_list_valid_connector(connect_server: Any) -> None:
    """ListConnectorsExecutorTest.shouldListValidConnector: RUNNING (1/2 tasks RUNNING)."""
    _given(connect_server.fake, "connector", ["RUNNING", "FAILED"])
    entity = connect_server.one("SHOW CONNECTORS;")
    assert entity == {
        "@type": "connector_list",
        "statementText": "SHOW CONNECTORS;",
        "warnings": [],
        "connectors": [
            {
                "name": "connector",
                "type": "source",
                "className": CONNECTOR_CLASS,
                "state": "RUNNING (1/2 tasks RUNNING)",
            }
        ],
    }


def test_should_label_connectors_with_no_running_tasks_as_warning(connect_server: Any) -> None:
    """ListConnectorsExecutorTest.shouldLabelConnectorsWithNoRunningTasksAsWarning"""
    _given(connect_server.fake, "connector", ["FAILED", "FAILED"])
    [info] = connect_server.one("SHOW CONNECTORS;")["connectors"]
    assert info["state"] == "WARNING (0/2 tasks RUNNING)"


def test_should_filter_non_matching_connectors(connect_server: Any) -> None:
    """ListConnectorsExecutorTest.shouldFilterNonMatchingConnectors: SHOW SINK CONNECTORS keeps no source
    connector, nor one Connect cannot describe."""
    fake = connect_server.fake
    _given(fake, "connector", ["RUNNING"])
    _given(fake, "connector2", ["RUNNING"])
    fake.fail[("GET", "/connectors/connector2")] = (404, "DANGER WILL ROBINSON.")
    entity = connect_server.one("SHOW SINK CONNECTORS;")
    assert entity["connectors"] == []


def test_should_list_invalid_connector_with_no_info(connect_server: Any) -> None:
    """ListConnectorsExecutorTest.shouldListInvalidConnectorWithNoInfo: SimpleConnectorInfo(name, UNKNOWN,
    null, null) and the KsqlWarning "Could not describe connector <name>: <error>"."""
    fake = connect_server.fake
    _given(fake, "connector2", ["RUNNING"])
    fake.fail[("GET", "/connectors/connector2")] = (404, "DANGER WILL ROBINSON.")
    entity = connect_server.one("SHOW CONNECTORS;")
    assert entity["warnings"] == [
        {"message": "Could not describe connector connector2: DANGER WILL ROBINSON."}
    ]
    assert entity["connectors"] == [{"name": "connector2", "type": "unknown"}]
