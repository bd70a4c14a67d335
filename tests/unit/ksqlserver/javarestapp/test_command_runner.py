"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.computation.CommandRunnerTest` (ksqldb-rest-app), as a
client sees the command runner: the commands of the command topic restored when a server starts
(processPriorCommands) and followed while it runs (fetchAndRunCommands), and its DEGRADED state. The Java test
mocks the command store and the statement executor; here commands are records in the in-memory command topic
and a second server, or a record written to the topic directly, stands for another node.

A record that is not a command (SerializationException) or of a newer version
(IncompatibleKsqlCommandVersionException) stops the runner: the commands before it run, none after, and the
runner is DEGRADED with INCOMPATIBLE_COMMAND; a command topic deleted under a running server makes it DEGRADED
with CORRUPTED. While DEGRADED every /ksql entity carries the reason's message as a warning
(KsqlResource.addCommandRunnerWarning), a statement that would be distributed fails
(DistributingExecutor.execute) and the health check reports the command runner unhealthy. Mock-only cases
(retries, thread-pool shutdown order, the ERROR state of a stuck command, metric names) are not ported;
a TERMINATE CLUSTER command found on restore (shouldEarlyOutIfRestoreContainsTerminate) is not implemented
here (TERMINATE CLUSTER deletes the command topic, so a restart finds none)."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from ksqlserver.cluster.command_log import VERSION, Command, command_topic
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver

TOPIC = command_topic("default_")
# DefaultErrorMessages
INCOMPATIBLE = (
    "The server has encountered an incompatible entry in its log and cannot process further DDL statements.\n"
    "This is most likely due to the service being rolled back to an earlier version."
)
CORRUPTED = (
    "The server has detected corruption in the command topic due to modifications performed on it. \n"
    "DDL statements will not be processed any further.\n"
    "Queries may not run properly while the server is in a corrupted state.\n"
    "If a backup of the command topic is available, restore the command topic using the backup file.\n"
    "A server restart is required to restore full functionality."
)


def _create(name: str) -> str:
    return f"CREATE STREAM {name} (K STRING KEY, V INT) WITH (kafka_topic='t', value_format='json');"


def _driver(*records: Record) -> MemoryDriver:
    driver = MemoryDriver()
    driver.create_topic("t", 1, 1)
    driver.create_topic(TOPIC, 1, 1)
    driver.produce(TOPIC, list(records))
    return driver


def _streams(rest: Any, server: Any) -> set[str]:
    [streams] = rest.ok(server, "SHOW STREAMS;")
    return {s["name"] for s in streams["streams"]}


def _newer_version(statement: str) -> Record:
    value = json.loads(Command(statement).to_record().value or b"")
    value["version"] = VERSION + 1
    return Record(None, json.dumps(value).encode())


def _assert_degraded(rest: Any, server: Any, message: str) -> None:
    """getCommandRunnerDegradedWarning as a client meets it"""
    entities = rest.ok(server, "SHOW STREAMS; SHOW TOPICS;")
    assert all(e["warnings"] == [{"message": message}] for e in entities)
    r = rest.ksql(server, _create("REFUSED"))
    assert r.status_code == 500, r.text
    assert r.json() == {
        "@type": "statement_error",
        "error_code": 50000,
        "message": "Failed to handle Ksql Statement.\n" + message,
        "statementText": _create("REFUSED"),
        "entities": [],
    }
    health = httpx.get(server.url + "/healthcheck", timeout=10).json()
    assert health["isHealthy"] is False
    assert health["details"]["commandRunner"]["isHealthy"] is False
    assert health["details"]["metastore"]["isHealthy"] is True


def test_should_run_the_prior_commands_correctly(rest: Any) -> None:
    """CommandRunnerTest.shouldRunThePriorCommandsCorrectly / shouldPullAndRunStatements: no warning, healthy"""
    driver = _driver(Command(_create("A")).to_record(), Command(_create("B")).to_record())
    _, _, server = rest.start(command_topic=True, driver=driver)
    assert {"A", "B"} <= _streams(rest, server)
    assert all(e["warnings"] == [] for e in rest.ok(server, "SHOW STREAMS;"))
    assert httpx.get(server.url + "/healthcheck", timeout=10).json()["details"]["commandRunner"]["isHealthy"]


def test_should_process_partial_list_of_commands_on_deserialization_exception_in_restore(rest: Any) -> None:
    """CommandRunnerTest.shouldProcessPartialListOfCommandsOnDeserializationExceptionInRestore /
    shouldNotStartCommandRunnerThreadIfSerializationExceptionInRestore"""
    driver = _driver(
        Command(_create("A")).to_record(), Command(_create("B")).to_record(), Record(None, b"not a command"),
        Command(_create("C")).to_record(),
    )  # fmt: skip
    _, _, server = rest.start(command_topic=True, driver=driver)
    streams = _streams(rest, server)
    assert {"A", "B"} <= streams and "C" not in streams
    _assert_degraded(rest, server, INCOMPATIBLE)


def test_should_process_partial_list_of_commands_on_incompatible_command_in_restore(rest: Any) -> None:
    """CommandRunnerTest.shouldProcessPartialListOfCommandsOnIncompatibleCommandInRestore: a command of a newer
    version (Command's IncompatibleKsqlCommandVersionException)"""
    driver = _driver(
        Command(_create("A")).to_record(), _newer_version(_create("B")), Command(_create("C")).to_record()
    )
    _, _, server = rest.start(command_topic=True, driver=driver)
    streams = _streams(rest, server)
    assert "A" in streams and not {"B", "C"} & streams
    _assert_degraded(rest, server, INCOMPATIBLE)


def _eventually_degraded(rest: Any, server: Any) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not rest.ok(server, "SHOW STREAMS;")[0]["warnings"]:
        time.sleep(0.1)


def test_should_process_partial_list_of_commands_on_deserialization_exception_in_fetch(rest: Any) -> None:
    """CommandRunnerTest.shouldProcessPartialListOfCommandsOnDeserializationExceptionInFetch /
    shouldCloseEarlyWhenSerializationExceptionInFetch: records another node wrote while this one runs"""
    driver = _driver()
    _, _, server = rest.start(command_topic=True, driver=driver)
    driver.produce(
        TOPIC, [Command(_create("A")).to_record(), Record(None, b"{}"), Command(_create("B")).to_record()]
    )
    _eventually_degraded(rest, server)
    streams = _streams(rest, server)
    assert "A" in streams and "B" not in streams
    _assert_degraded(rest, server, INCOMPATIBLE)


def test_should_process_partial_list_of_commands_on_incompatible_command_in_fetch(rest: Any) -> None:
    """CommandRunnerTest.shouldProcessPartialListOfCommandsOnIncompatibleCommandInFetch"""
    driver = _driver()
    _, _, server = rest.start(command_topic=True, driver=driver)
    driver.produce(TOPIC, [Command(_create("A")).to_record(), _newer_version(_create("B"))])
    _eventually_degraded(rest, server)
    streams = _streams(rest, server)
    assert "A" in streams and "B" not in streams
    _assert_degraded(rest, server, INCOMPATIBLE)


def test_should_enter_degraded_state_if_command_topic_missing(rest: Any) -> None:
    """CommandRunnerTest.shouldEnterDegradedStateIfCommandTopicMissing: a poll that finds nothing and no topic"""
    driver = _driver()
    _, _, server = rest.start(command_topic=True, driver=driver)
    rest.ok(server, _create("A"))
    driver.delete_topic(TOPIC)
    _eventually_degraded(rest, server)
    _assert_degraded(rest, server, CORRUPTED)
    assert TOPIC not in driver.topics()  # the refused statement wrote nothing


def test_degraded_runner_still_answers_statements_that_are_not_commands(rest: Any) -> None:
    """DistributingExecutor only: CustomExecutors' statements (SHOW, DESCRIBE, SET, INSERT VALUES) still run,
    each entity with the warning; TERMINATE of a transient query is not distributed either"""
    driver = _driver(Command(_create("A")).to_record(), Record(None, b"[]"))
    _, _, server = rest.start(command_topic=True, driver=driver)
    [entity] = rest.ok(server, "DESCRIBE A;")
    assert entity["@type"] == "sourceDescription"
    assert entity["warnings"] == [{"message": INCOMPATIBLE}]
    r = rest.ksql(server, "INSERT INTO A (K, V) VALUES ('k', 1);")
    assert r.status_code == 200, r.text
    assert r.json() == []
    assert [rec.value for rec in driver.records("t")] == [b'{"V":1}']
