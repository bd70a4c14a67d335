"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.migrations.commands.ValidateMigrationsCommandTest`: the
checksums saved for the applied versions against the files, from the latest migrated version back along
`previous`. The mocked pull-query rows are events in a real metadata stream; the pull queries the Java
test verifies in order are the ones the spy client sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ksqlserver.migrations.commands import validate_command
from ksqlserver.migrations.files import compute_hash_for_file, file_prefix_for_version

MIGRATIONS_TABLE = "migrations_table"
CURRENT = f"SELECT VERSION FROM {MIGRATIONS_TABLE} WHERE version_key = 'CURRENT';"
INFO = "SELECT version, checksum, previous, state, name, started_on, completed_on, error_reason FROM "


def _files(migrations_dir: Path, versions: list[str]) -> list[str]:
    """givenExistingMigrationFiles: `sql_<version>` in each; their checksums."""
    checksums = []
    for version in versions:
        path = migrations_dir / f"{file_prefix_for_version(version)}__awesome_migration.sql"
        path.write_text(f"sql_{version}\n", encoding="utf-8")  # PrintWriter.println
        checksums.append(compute_hash_for_file(str(path)))
    return checksums


def _applied(server: Any, versions: list[str], checksums: list[str], states: list[str] | None = None) -> None:
    """givenAppliedMigrations: each version's event, then CURRENT at the last."""
    states = states or ["MIGRATED"] * len(versions)
    previous = "<none>"
    for version, checksum, state in zip(versions, checksums, states, strict=True):
        server.insert_event(version, version, "name", state, checksum, previous=previous, error="no_error")
        previous = version
    if versions:
        v, c, s = versions[-1], checksums[-1], states[-1]
        server.insert_event("CURRENT", v, "name", s, c, previous=versions[-2] if len(versions) > 1 else "<none>")


def _queries_for(versions: list[str], latest_migrated: str | None = None) -> list[str]:
    """verifyClientCallsForVersions: CURRENT, then each version newest first (the latest migrated twice)."""
    latest = latest_migrated if latest_migrated is not None else (versions[-1] if versions else "N/A")
    out = [CURRENT]
    for version in reversed(versions):
        out += [f"{INFO}{MIGRATIONS_TABLE} WHERE version_key = '{version}';"] * (2 if version == latest else 1)
    return out


def _run(server: Any, migrations_dir: Path) -> tuple[int, list[str], str]:
    ctx = server.context()
    status = validate_command(ctx, server.config(), str(migrations_dir))
    [client] = server.clients
    return status, client.of("executeQuery"), ctx.log.text()


def test_should_validate_single_migration(server: Any, tmp_path: Path) -> None:
    """shouldValidateSingleMigration"""
    server.initialize()
    _applied(server, ["1"], _files(tmp_path, ["1"]))
    status, queries, output = _run(server, tmp_path)
    assert status == 0
    assert queries == _queries_for(["1"])
    assert output == "Successfully validated checksums for migrations that have already been applied"


def test_should_validate_multiple_migrations(server: Any, tmp_path: Path) -> None:
    """shouldValidateMultipleMigrations"""
    server.initialize()
    _applied(server, ["1", "2", "3"], _files(tmp_path, ["1", "2", "3"]))
    status, queries, _ = _run(server, tmp_path)
    assert status == 0
    assert queries == _queries_for(["1", "2", "3"])


def test_should_validate_no_migrations(server: Any, tmp_path: Path) -> None:
    """shouldValidateNoMigrations"""
    server.initialize()
    status, queries, _ = _run(server, tmp_path)
    assert status == 0
    assert queries == _queries_for([])


def test_should_validate_with_extra_migration_files(server: Any, tmp_path: Path) -> None:
    """shouldValidateWithExtraMigrationFiles"""
    server.initialize()
    checksums = _files(tmp_path, ["1", "2", "3", "4", "5"])
    _applied(server, ["1", "2", "4"], [checksums[0], checksums[1], checksums[3]])
    status, queries, _ = _run(server, tmp_path)
    assert status == 0
    assert queries == _queries_for(["1", "2", "4"])


def test_should_fail_on_missing_migration_file(server: Any, tmp_path: Path) -> None:
    """shouldFailOnMissingMigrationFile: verification stops at version 2, version 1 is never queried"""
    server.initialize()
    checksums = _files(tmp_path, ["1", "3"])
    _applied(server, ["1", "2", "3"], [checksums[0], "missing", checksums[1]])
    status, queries, output = _run(server, tmp_path)
    assert status == 1
    assert queries == _queries_for(["2", "3"])
    assert output == "No migrations file found for version with status MIGRATED. Version: 2"


def test_should_fail_on_checksum_mismatch(server: Any, tmp_path: Path) -> None:
    """shouldFailOnChecksumMismatch"""
    server.initialize()
    checksums = _files(tmp_path, ["1", "2", "3"])
    _applied(server, ["1", "2", "3"], [checksums[0], "mismatched_checksum", checksums[2]])
    status, queries, output = _run(server, tmp_path)
    assert status == 1
    assert queries == _queries_for(["2", "3"])
    path = tmp_path / "V000002__awesome_migration.sql"
    assert output == (
        "Migrations file found for version 2 does not match the checksum saved for this version. "
        f"Expected checksum: mismatched_checksum. Actual checksum: {checksums[1]}. File name: {path}"
    )


def test_should_not_validate_current_version_if_not_migrated(server: Any, tmp_path: Path) -> None:
    """shouldNotValidateCurrentVersionIfNotMigrated"""
    server.initialize()
    _applied(server, ["1", "2", "3"], _files(tmp_path, ["1", "2", "3"]), ["MIGRATED", "MIGRATED", "ERROR"])
    status, queries, _ = _run(server, tmp_path)
    assert status == 0
    assert queries == _queries_for(["1", "2", "3"], "2")


def test_should_fail_if_metadata_not_initialized(server: Any, tmp_path: Path) -> None:
    """shouldFailIfMetadataNotInitialized"""
    status, queries, output = _run(server, tmp_path)
    assert status == 1
    assert queries == []
    assert "Did you run `ksql-migrations initialize-metadata`?" in output
