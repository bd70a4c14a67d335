"""Port of ksqlDB 0.29 `io.confluent.ksql.api.server.OldApiUtilsTest`: shouldMaskKsqlRequestQuery
(ApiServerUtils.setMaskedSql: a CREATE CONNECTOR's statement with its comment dropped and every config value
but connector.class masked, as the statement text the connector's entity carries);
shouldReturnEmbeddedResponseForKsqlRestException (an executor's own status and entity, here Connect's 409);
shouldReturnCorrectResponseForUnspecificException maps an unexpected exception to 500 / 50000, which no
request reaches on purpose here."""

from __future__ import annotations

from typing import Any

QUERY = (
    "--this is a comment. \n"
    "CREATE SOURCE CONNECTOR `test-connector` WITH ("
    "    \"connector.class\" = 'PostgresSource', \n"
    "    'connection.url' = 'jdbc:postgresql://localhost:5432/my.db',\n"
    "    \"mode\"='bulk',\n"
    "    \"topic.prefix\"='jdbc-',\n"
    "    \"table.whitelist\"='users',\n"
    "    \"key\"='username');"
)
MASKED = (
    "CREATE SOURCE CONNECTOR `test-connector` WITH "
    "(\"connector.class\"='PostgresSource', "
    "'connection.url'='[string]', "
    "\"mode\"='[string]', "
    "\"topic.prefix\"='[string]', "
    "\"table.whitelist\"='[string]', "
    "\"key\"='[string]');"
)


def _valid(cls: str, config: dict[str, Any]) -> dict[str, Any]:
    return {"name": cls, "error_count": 0, "groups": [], "configs": []}


def test_should_mask_ksql_request_query(connect_server: Any) -> None:
    """OldApiUtilsTest.shouldMaskKsqlRequestQuery"""
    connect_server.fake.validate = _valid
    entity = connect_server.one(QUERY)
    assert entity["@type"] == "connector_info"
    assert entity["statementText"] == MASKED


def test_should_return_embedded_response_for_ksql_rest_exception(connect_server: Any) -> None:
    """OldApiUtilsTest.shouldReturnEmbeddedResponseForKsqlRestException: a KsqlRestException's response is
    the answer as it is (ConnectExecutor.validate's 409 for a connector that exists)."""
    connect_server.fake.validate = _valid
    connect_server.fake.connectors["test-connector"] = {"connector.class": "PostgresSource"}
    body = connect_server.fail(QUERY, 409)
    assert body == {
        "@type": "generic_error",
        "error_code": 40900,
        "message": "Connector test-connector already exists",
    }
