"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.migrations.commands.CreateMigrationCommandTest`: the empty
`V<six digits>__<description>.sql` file, its version (next after the latest, or `-v`), and the command line's
checks (airline's ParseOptionOutOfRangeException, ParseArgumentsMissingException,
ParseTooManyArgumentsException)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from ksqlserver.migrations import Log, MigrationError
from ksqlserver.migrations.cli import parse_args
from ksqlserver.migrations.commands import create_in
from ksqlserver.migrations.files import file_prefix_for_version

DESCRIPTION = "migration file description"
EXPECTED_FILE_SUFFIX = "migration_file_description.sql"


def _given_versions_exist(migrations_dir: Path, *versions: str) -> None:
    for version in versions:
        (migrations_dir / f"{file_prefix_for_version(version)}__some_desc_{version}.sql").touch()


def _command(migrations_dir: Path, *args: str) -> tuple[int, str]:
    """The parsed command run on a migrations directory (CreateMigrationCommand.command(migrationsDir))."""
    parsed = parse_args(["create", *args], io.StringIO())
    assert parsed is not None
    log = Log(io.StringIO())
    version = int(parsed.options.get("version", 0))  # type: ignore[call-overload]
    status = create_in(log, str(migrations_dir), parsed.arguments[0], version)
    return status, log.text()


def test_should_create_with_no_explicit_version_and_non_empty_migrations_dir(tmp_path: Path) -> None:
    """shouldCreateWithNoExplicitVersionAndNonEmptyMigrationsDir"""
    _given_versions_exist(tmp_path, "1", "2", "4")
    status, output = _command(tmp_path, DESCRIPTION)
    assert status == 0
    expected = tmp_path / f"V000005__{EXPECTED_FILE_SUFFIX}"
    assert expected.is_file()
    assert output.split("\n") == [f"Creating migration file: {expected}", "Migration file successfully created"]


def test_should_create_with_no_explicit_version_and_empty_migrations_dir(tmp_path: Path) -> None:
    """shouldCreateWithNoExplicitVersionAndEmptyMigrationsDir"""
    assert _command(tmp_path, DESCRIPTION)[0] == 0
    assert (tmp_path / f"V000001__{EXPECTED_FILE_SUFFIX}").is_file()


def test_should_create_with_explicit_version(tmp_path: Path) -> None:
    """shouldCreateWithExplicitVersion"""
    assert _command(tmp_path, DESCRIPTION, "-v", "12")[0] == 0
    assert (tmp_path / f"V000012__{EXPECTED_FILE_SUFFIX}").is_file()


def test_should_fail_if_version_already_exists(tmp_path: Path) -> None:
    """shouldFailIfVersionAlreadyExists"""
    _given_versions_exist(tmp_path, "12")
    status, output = _command(tmp_path, DESCRIPTION, "-v", "12")
    assert status == 1
    assert output == f"Found existing migrations file for version 12: {os.path.join(tmp_path, 'V000012__some_desc_12.sql')}"


@pytest.mark.parametrize("version", ["-1", "0", "10000000"])
def test_should_fail_on_version_out_of_range(version: str) -> None:
    """shouldFailOnNegativeVersion, shouldFailOnZeroVersion, shouldFailIfVersionTooLarge"""
    with pytest.raises(MigrationError) as e:
        parse_args(["create", DESCRIPTION, "-v", version], io.StringIO())
    assert str(e.value) == (
        f"Value for option 'version' was given as '{version}' which is not in the acceptable range: 1 <= value <= 999999"
    )


def test_should_fail_on_missing_description() -> None:
    """shouldFailOnMissingDescription"""
    with pytest.raises(MigrationError) as e:
        parse_args(["create"], io.StringIO())
    assert str(e.value) == "Required arguments are missing: 'description'"


def test_should_fail_on_empty_description(tmp_path: Path) -> None:
    """shouldFailOnEmptyDescription"""
    assert _command(tmp_path, "") == (1, "Description cannot be empty.")


def test_should_fail_on_too_many_arguments() -> None:
    """shouldFailOnTooManyArguments"""
    with pytest.raises(MigrationError) as e:
        parse_args(["create", "arg1", "arg2"], io.StringIO())
    assert str(e.value) == "At most 1 arguments may be specified but 2 were found"
