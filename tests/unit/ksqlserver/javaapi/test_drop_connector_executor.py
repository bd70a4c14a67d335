"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.DropConnectorExecutorTest` against the fake
Connect worker: DROP CONNECTOR deletes the named connector and answers DropConnectorEntity; Connect's error is
"Failed to drop connector: <error>" with its status; IF EXISTS turns a 404 into a WarningEntity."""

from __future__ import annotations

from typing import Any

FILE_SOURCE = "org.apache.kafka.connect.file.FileStreamSourceConnector"


def test_should_pass_in_correct_args_to_connect_client(connect_server: Any) -> None:
    """DropConnectorExecutorTest.shouldPassInCorrectArgsToConnectClient: DELETE /connectors/foo."""
    fake = connect_server.fake
    fake.connectors["foo"] = {"connector.class": FILE_SOURCE}
    connect_server.one('DROP CONNECTOR "foo";')
    assert ("DELETE", "/connectors/foo") in [(m, p) for m, p, _ in fake.requests]
    assert "foo" not in fake.connectors


def test_should_return_on_success(connect_server: Any) -> None:
    """DropConnectorExecutorTest.shouldReturnOnSuccess: the DropConnectorEntity names the connector."""
    connect_server.fake.connectors["foo"] = {"connector.class": FILE_SOURCE}
    entity = connect_server.one('DROP CONNECTOR "foo";')
    assert entity == {
        "@type": "drop_connector",
        "statementText": 'DROP CONNECTOR "foo";',
        "warnings": [],
        "connectorName": "foo",
    }


def test_should_throw_on_error(connect_server: Any) -> None:
    """DropConnectorExecutorTest.shouldThrowOnError: with or without IF EXISTS, a 500 is an error."""
    fake = connect_server.fake
    fake.connectors["foo"] = {"connector.class": FILE_SOURCE}
    fake.fail[("DELETE", "/connectors/foo")] = (500, "Danger Mouse!")
    for sql in ('DROP CONNECTOR "foo";', 'DROP CONNECTOR IF EXISTS "foo";'):
        body = connect_server.fail(sql, 500)
        assert body["error_code"] == 50000
        assert "Failed to drop connector: Danger Mouse!" in body["message"]


def test_should_return_warning_if_not_exist(connect_server: Any) -> None:
    """DropConnectorExecutorTest.shouldReturnWarningIfNotExist: IF EXISTS and a 404, a WarningEntity."""
    entity = connect_server.one('DROP CONNECTOR IF EXISTS "foo";')
    assert entity["@type"] == "warning_entity"
