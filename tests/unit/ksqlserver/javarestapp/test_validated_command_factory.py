"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.computation.ValidatedCommandFactoryTest` (ksqldb-rest-app):
which commands ValidatedCommandFactory writes and which it refuses, as /ksql answers them. The Java test mocks
the execution context; here statements run on a server with a source table (whose CST query may not be
terminated or paused) and a CSAS. The shared-runtime ALTER SYSTEM cases (shouldNotRaiseException...) need
ksqlDB's shared runtimes, which this engine does not have; shouldCreateCommandForPlannedQuery... compare Java
plan objects."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.cluster.command_log import Command, command_topic


class App:
    def __init__(self, rest: Any) -> None:
        self.rest = rest
        _, self.driver, self.server = rest.start(command_topic=True)
        self.driver.create_topic("t", 1, 1)
        self.ok(
            "CREATE SOURCE TABLE ST (K STRING PRIMARY KEY, V INT) WITH (kafka_topic='t', value_format='json');"
        )
        self.ok("CREATE STREAM S (K STRING KEY, V INT) WITH (kafka_topic='t', value_format='json');")
        self.ok("CREATE STREAM S2 AS SELECT * FROM S;")

    def ok(self, sql: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.rest.ok(self.server, sql)
        return result

    def fail(self, sql: str, status: int = 400) -> dict[str, Any]:
        r = self.rest.ksql(self.server, sql)
        assert r.status_code == status, r.text
        body: dict[str, Any] = r.json()
        return body

    def last_command(self) -> Command:
        return Command.from_record(self.driver.records(command_topic("default_"))[-1])

    def query_id(self, prefix: str) -> str:
        [queries] = self.ok("SHOW QUERIES;")
        return next(q["id"] for q in queries["queries"] if q["id"].startswith(prefix))


@pytest.fixture()
def app(rest: Any) -> Iterator[App]:
    yield App(rest)


def test_should_validate_terminate_cluster(app: App) -> None:
    """ValidatedCommandFactoryTest.shouldValidateTerminateCluster: TERMINATE CLUSTER is a command"""
    r = app.rest.post(app.server, "/ksql/terminate", {"deleteTopicList": []})
    assert r.status_code == 200, r.text
    [entity] = r.json()
    assert entity["statementText"] == "TERMINATE CLUSTER;"
    assert entity["commandId"] == "cluster/TerminateCluster/terminate"


def test_should_raise_exception_when_feature_flag_is_turned_off(app: App) -> None:
    """ValidatedCommandFactoryTest.shouldRaiseExceptionWhenFeatureFlagIsTurnedOff: KsqlServerException, which
    DistributingExecutor turns into "Could not write the statement ... into the command topic." (500)"""
    sql = "ALTER SYSTEM 'ksql.streams.upgrade.from'='TEST';"
    assert app.fail(sql, 500) == {
        "@type": "statement_error",
        "error_code": 50000,
        "message": f"Could not write the statement '{sql}' into the command topic.\n"
        "Caused by: Cannot alter system configs when KSQL_SHARED_RUNTIME_ENABLED is\n\tturned off.",
        "statementText": sql,
        "entities": [],
    }


@pytest.mark.parametrize("verb", ["TERMINATE", "PAUSE", "RESUME"])
def test_should_fail_for_unknown_query(app: App, verb: str) -> None:
    """ValidatedCommandFactoryTest.shouldFailValidationForTerminateUnknownQuery (and PAUSE / RESUME)"""
    error = app.fail(f"{verb} X;")
    assert error["message"] == "Unknown queryId: X"
    assert error["statementText"] == f"{verb} X;"


@pytest.mark.parametrize(
    ("verb", "word"), [("TERMINATE", "terminate"), ("PAUSE", "pause"), ("RESUME", "resume")]
)
def test_should_fail_on_source_table_query(app: App, verb: str, word: str) -> None:
    """ValidatedCommandFactoryTest.shouldFailTerminateSourceTableQuery (createForPauseQuery / ...Resume too)"""
    query_id = app.query_id("CST_ST")
    error = app.fail(f"{verb} {query_id};")
    assert error["message"] == f"Cannot {word} query '{query_id}' because it is linked to a source table."


@pytest.mark.parametrize(
    ("sql", "command_id", "message"),
    [
        ("PAUSE {id};", "pause/{id}/execute", "Query paused."),
        ("RESUME {id};", "resume/{id}/execute", "Query resumed."),
        ("PAUSE ALL;", "pause/ALL/execute", "Query paused."),
        ("RESUME ALL;", "resume/ALL/execute", "Query resumed."),
        ("TERMINATE {id};", "terminate/{id}/execute", "Query terminated."),
        ("TERMINATE ALL;", "terminate/ALL/execute", "Query terminated."),
    ],
)
def test_should_create_command_for_pause_resume_terminate(
    app: App, sql: str, command_id: str, message: str
) -> None:
    """ValidatedCommandFactoryTest.shouldCreateCommandFor{Pause,Resume,Terminate,TerminateAll}Query /
    shouldValidate{Pause,Resume,Terminate,TerminateAll}Query: the command written, its status"""
    query_id = app.query_id("CSAS_S2")
    statement = sql.format(id=query_id)
    [entity] = app.ok(statement)
    assert entity["commandId"] == command_id.format(id=query_id)
    assert entity["commandStatus"] == {"status": "SUCCESS", "message": message, "queryId": None}
    command = app.last_command()
    assert command.statement == statement
    assert command.command_id == command_id.format(id=query_id)
    assert json.loads(app.driver.records(command_topic("default_"))[-1].key or b"") == command.command_id
