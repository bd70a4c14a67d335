"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.integration.CommandTopicFunctionalTest`, what a client sees
over REST: no warnings and a healthy command runner while the command topic is intact; once it is deleted
under a running server, every /ksql entity carries COMMAND_RUNNER_DEGRADED_CORRUPTED_ERROR_MESSAGE and the
health check reports the command runner unhealthy."""

from __future__ import annotations

from typing import Any

import httpx

# DefaultErrorMessages.COMMAND_RUNNER_DEGRADED_CORRUPTED_ERROR_MESSAGE
CORRUPTED = (
    "The server has detected corruption in the command topic due to modifications performed on it. \n"
    "DDL statements will not be processed any further.\n"
    "Queries may not run properly while the server is in a corrupted state.\n"
    "If a backup of the command topic is available, restore the command topic using the backup file.\n"
    "A server restart is required to restore full functionality."
)


def _start(rest: Any) -> tuple[Any, Any]:
    _, driver, server = rest.start(command_topic=True)
    driver.create_topic("PAGEVIEW_TOPIC", 1, 1)
    rest.ok(
        server,
        f"CREATE STREAM PAGEVIEW_KSTREAM ({rest.PAGE_VIEW_SCHEMA}) "
        "WITH (kafka_topic='PAGEVIEW_TOPIC', value_format='json');",
    )
    rest.ok(server, "CREATE STREAM S AS SELECT * FROM PAGEVIEW_KSTREAM;CREATE STREAM S2 AS SELECT * FROM S;")
    return driver, server


def test_no_warnings_while_the_command_topic_is_intact(rest: Any) -> None:
    """CommandTopicFunctionalTest.shouldReturnWarningsInRestResponseWhenDegradedCommandRunner (first part)"""
    _, server = _start(rest)
    for entity in rest.ok(server, "show streams; show topics; show tables;"):
        assert entity["warnings"] == []
    health = httpx.get(server.url + "/healthcheck", timeout=10).json()
    assert health["details"]["commandRunner"]["isHealthy"] is True


def test_should_return_warnings_in_rest_response_when_degraded_command_runner(rest: Any) -> None:
    """CommandTopicFunctionalTest.shouldReturnWarningsInRestResponseWhenDegradedCommandRunner (the command
    topic deleted while the server runs)"""
    driver, server = _start(rest)
    topic = next(t for t in driver.topics() if t.endswith("command_topic"))
    driver.delete_topic(topic)

    def degraded() -> bool:
        entities = rest.ok(server, "show streams; show topics; show tables;")
        return all([w["message"] for w in e["warnings"]] == [CORRUPTED] for e in entities)

    assert rest.eventually(degraded, bool, timeout=5)
    health = httpx.get(server.url + "/healthcheck", timeout=10).json()
    assert health["details"]["commandRunner"]["isHealthy"] is False
