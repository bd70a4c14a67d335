"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.ConnectExecutorTest` against the fake Connect
worker: CREATE ... CONNECTOR validates the config (with the connector's name added) by its class, then
creates it; a connector that exists is a 409 unless IF NOT EXISTS (a WarningEntity); validation errors and a
missing or empty connector type are "Validation error: ..."; Connect refusing the create is an error."""

from __future__ import annotations

from typing import Any

CREATE = "CREATE SOURCE CONNECTOR foo WITH ('connector.class'='FileStreamSource');"
CREATE_IF_NOT_EXISTS = (
    "CREATE SOURCE CONNECTOR IF NOT EXISTS foo WITH ('connector.class'='FileStreamSource');"
)


def _valid(cls: str, config: dict[str, Any]) -> dict[str, Any]:
    return {"name": cls, "error_count": 0, "groups": [], "configs": []}


def _calls(fake: Any, method: str) -> list[tuple[str, Any]]:
    return [(p, body) for m, p, body in fake.requests if m == method]


def test_should_pass_in_correct_args_to_connect_client_on_execute(connect_server: Any) -> None:
    """ConnectExecutorTest.shouldPassInCorrectArgsToConnectClientOnExecute: create("foo", config with
    connector.class and name)."""
    fake = connect_server.fake
    fake.validate = _valid
    connect_server.one(CREATE)
    [(_, body)] = _calls(fake, "POST")
    assert body["name"] == "FOO"  # an unquoted name is upper-cased by the parser
    assert body["config"]["connector.class"] == "FileStreamSource"
    assert body["config"]["name"] == "FOO"


def test_should_pass_in_correct_args_to_connect_client_on_validate(connect_server: Any) -> None:
    """ConnectExecutorTest.shouldPassInCorrectArgsToConnectClientOnValidate: validate("FileStreamSource", ...)."""
    fake = connect_server.fake
    fake.validate = _valid
    connect_server.one(CREATE)
    [(path, body)] = _calls(fake, "PUT")
    assert path == "/connector-plugins/FileStreamSource/config/validate"
    assert body["connector.class"] == "FileStreamSource" and body["name"] == "FOO"


def test_should_return_connector_info_entity_on_success(connect_server: Any) -> None:
    """ConnectExecutorTest.shouldReturnConnectorInfoEntityOnSuccess: a CreateConnectorEntity."""
    connect_server.fake.validate = _valid
    entity = connect_server.one(CREATE)
    assert entity["@type"] == "connector_info"
    assert entity["info"]["name"] == "FOO"


def test_should_throw_on_creation_error(connect_server: Any) -> None:
    """ConnectExecutorTest.shouldThrowOnCreationError: Connect's 400 is the answer's status."""
    fake = connect_server.fake
    fake.validate = _valid
    fake.fail[("POST", "/connectors")] = (400, "error!")
    body = connect_server.fail(CREATE, 400)
    assert body["message"] == "Failed to create connector: error!"


def test_should_throw_on_validation_error(connect_server: Any) -> None:
    """ConnectExecutorTest.shouldThrowOnValidationError: each config's errors, joined as
    ConnectExecutor.validate words them."""

    def invalid(cls: str, config: dict[str, Any]) -> dict[str, Any]:
        def info(name: str, errors: list[str]) -> dict[str, Any]:
            return {
                "definition": {"name": name},
                "value": {"name": name, "value": None, "errors": errors, "visible": True},
            }

        configs = [
            info("name", ["Name is missing"]),
            info("hostname", ["Hostname is required", "Some other error"]),
            info("port", []),
        ]
        return {"name": "foo", "error_count": 2, "groups": [], "configs": configs}

    connect_server.fake.validate = invalid
    body = connect_server.fail(CREATE, 400)
    assert body["message"] == (
        "Validation error: name - Name is missing\nhostname - Hostname is required. Some other error"
    )


def test_should_return_warning_on_execute_when_if_not_exists_set_connector_exists(
    connect_server: Any,
) -> None:
    """ConnectExecutorTest.shouldReturnWarningOnExecuteWhenIfNotExistsSetConnectorExists (and
    shouldNotThrowOnValidateWhenIfNotExistsSetConnectorExists: the config is still validated first)"""
    fake = connect_server.fake
    fake.validate = _valid
    fake.connectors.update({"FOO": {"connector.class": "FileStreamSource"}, "bar": {"connector.class": "x"}})
    entity = connect_server.one(CREATE_IF_NOT_EXISTS)
    assert entity["@type"] == "warning_entity"
    assert entity["message"] == "Connector FOO already exists"


def test_should_throw_on_validate_if_connector_exists(connect_server: Any) -> None:
    """ConnectExecutorTest.shouldThrowOnValidateIfConnectorExists: 409 / 40900 "Connector foo already exists"."""
    fake = connect_server.fake
    fake.connectors.update({"FOO": {"connector.class": "FileStreamSource"}, "bar": {"connector.class": "x"}})
    body = connect_server.fail(CREATE, 409)
    assert body["error_code"] == 40900
    assert "Connector FOO already exists" in body["message"]


def test_should_throw_if_connector_type_is_missing(connect_server: Any) -> None:
    """ConnectExecutorTest.shouldThrowIfConnectorTypeIsMissing"""
    body = connect_server.fail("CREATE SOURCE CONNECTOR `connector-name` WITH ('foo'='bar');", 400)
    assert (
        body["message"]
        == "Validation error: Connector config {name=connector-name, foo=bar} contains no connector type"
    )


def test_should_throw_if_connector_type_is_empty(connect_server: Any) -> None:
    """ConnectExecutorTest.shouldThrowIfConnectorTypeIsEmpty"""
    body = connect_server.fail("CREATE SOURCE CONNECTOR foo WITH ('connector.class'=' ');", 400)
    assert body["message"] == "Validation error: Connector type cannot be empty"
