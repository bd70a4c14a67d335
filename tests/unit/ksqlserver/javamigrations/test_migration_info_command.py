"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.migrations.commands.MigrationInfoCommandTest`: the current
version and the table of applied and pending migrations. The mocked pull-query rows are events written
into a real metadata stream (the docs' repair INSERT); the log captor is the command's output. Which pull
queries the tool issues (one multi-key query from 6.1 / 0.14 on, else one per version) is what the spy
client recorded, the mocked server versions what it reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ksqlserver.migrations.commands import info
from ksqlserver.migrations.files import file_prefix_for_version

MIGRATIONS_TABLE = "migrations_table"
INFO = "SELECT version, checksum, previous, state, name, started_on, completed_on, error_reason FROM "


def _given_migrations(server: Any, migrations_dir: Path, applied: list[str], states: list[str],
                      errors: list[str], unapplied: list[str]) -> None:
    for version in applied + unapplied:
        (migrations_dir / f"{file_prefix_for_version(version)}__some_name_{version}.sql").touch()
    previous = "<none>"
    for version, state, error in zip(applied, states, errors, strict=True):
        for key in (version, "CURRENT"):
            server.insert_event(key, version, f"some_name_{version}", state, "checksum", previous=previous, error=error)
        previous = version


def test_should_print_info(server: Any, tmp_path: Path) -> None:
    """shouldPrintInfo"""
    config = server.initialize()
    _given_migrations(server, tmp_path, ["1", "3"], ["MIGRATED", "ERROR"], ["N/A", "error reason"], ["4"])
    ctx = server.context()
    assert info(ctx, config, str(tmp_path)) == 0
    output = ctx.log.text()
    assert "Current migration version: 3" in output
    assert (
        " Version | Name        | State    | Previous Version | Started On | Completed On | Error Reason \n"
        "------------------------------------------------------------------------------------------------\n"
        " 1       | some_name_1 | MIGRATED | <none>           | N/A        | N/A          | N/A          \n"
        " 3       | some_name_3 | ERROR    | 1                | N/A        | N/A          | error reason \n"
        " 4       | some name 4 | PENDING  | N/A              | N/A        | N/A          | N/A          \n"
        "------------------------------------------------------------------------------------------------"
    ) in output


def test_should_print_info_for_empty_migrations_dir(server: Any, tmp_path: Path) -> None:
    """shouldPrintInfoForEmptyMigrationsDir"""
    config = server.initialize()
    ctx = server.context()
    assert info(ctx, config, str(tmp_path)) == 0
    assert ctx.log.text().split("\n") == ["Current migration version: <none>", "No migrations files found"]


def test_should_fail_if_metadata_not_initialized(server: Any, tmp_path: Path) -> None:
    """shouldFailIfMetadataNotInitialized"""
    ctx = server.context()
    assert info(ctx, server.config(), str(tmp_path)) == 1
    assert ctx.log.text("ERROR") == (
        "Failed to verify existence of migrations metadata stream 'migrations_stream'. Did you run "
        "`ksql-migrations initialize-metadata`? Error message: "
        "io.confluent.ksql.api.client.exception.KsqlClientException: Received 400 response from server: "
        "Could not find STREAM/TABLE 'MIGRATIONS_STREAM' in the Metastore. Error code: 40001"
    )


def test_should_issue_multi_key_pull_query_if_supported(server: Any, tmp_path: Path) -> None:
    """shouldIssueMultiKeyPullQueryIfSupported"""
    config = server.initialize()
    _given_migrations(server, tmp_path, ["1", "3"], ["MIGRATED", "MIGRATED"], ["N/A", "N/A"], [])
    ctx = server.context(server_version="v0.14.0")
    assert info(ctx, config, str(tmp_path)) == 0
    [client] = server.clients
    assert f"{INFO}{MIGRATIONS_TABLE} WHERE version_key IN ('1', '3');" in client.of("executeQuery")
    assert " 3       | some_name_3 | MIGRATED | 1 " in ctx.log.text()


def test_should_fall_back_to_single_key_pull_queries_if_needed(server: Any, tmp_path: Path) -> None:
    """shouldFallBackToSingleKeyPullQueriesIfNeeded"""
    config = server.initialize()
    _given_migrations(server, tmp_path, ["1", "3"], ["MIGRATED", "MIGRATED"], ["N/A", "N/A"], [])
    ctx = server.context(server_version="v0.13.0")
    assert info(ctx, config, str(tmp_path)) == 0
    [client] = server.clients
    queries = client.of("executeQuery")
    assert f"{INFO}{MIGRATIONS_TABLE} WHERE version_key = '1';" in queries
    assert f"{INFO}{MIGRATIONS_TABLE} WHERE version_key = '3';" in queries
    assert not any(" IN (" in q for q in queries)
    assert " 3       | some_name_3 | MIGRATED | 1 " in ctx.log.text()
