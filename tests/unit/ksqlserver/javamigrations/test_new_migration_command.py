"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.migrations.commands.NewMigrationCommandTest`: the
project directory, its `migrations` directory and the commented-out config file; the run goes through the
command line (`ksql-migrations new-project <path> <url>`), as the Java test's parsed command does."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from ksqlserver.migrations.cli import main
from ksqlserver.migrations.files import MIGRATIONS_CONFIG_FILE, MIGRATIONS_DIR

KSQL_SERVER_URL = "http://localhost:8088"
DEFAULT_CONFIGS = (
    "ksql.server.url=" + KSQL_SERVER_URL + "\n"
    "\n"
    "# Migrations metadata configs:\n"
    "# ksql.migrations.stream.name=MIGRATION_EVENTS\n"
    "# ksql.migrations.table.name=MIGRATION_SCHEMA_VERSIONS\n"
    "# ksql.migrations.stream.topic.name=ksql-service-idksql_MIGRATION_EVENTS\n"
    "# ksql.migrations.table.topic.name=ksql-service-idksql_MIGRATION_SCHEMA_VERSIONS\n"
    "# ksql.migrations.topic.replicas=1\n"
    "\n"
    "# TLS configs:\n"
    "# ssl.truststore.location=\n"
    "# ssl.truststore.password=\n"
    "# ssl.keystore.location=\n"
    "# ssl.keystore.password=\n"
    "# ssl.key.password=\n"
    "# ssl.key.alias=\n"
    "# ssl.alpn=false\n"
    "# ssl.verify.host=true\n"
    "\n"
    "# ksqlDB server authentication configs:\n"
    "# ksql.auth.basic.username=\n"
    "# ksql.auth.basic.password=\n"
    "\n"
    "# Migrations directory configs:\n"
    "# ksql.migrations.dir.override=\n"
)


@pytest.fixture()
def test_dir(tmp_path: Path) -> str:
    return os.path.join(str(tmp_path), "test_dir")


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["new-project", *args], out), out.getvalue()


def test_should_create_root_directory(test_dir: str) -> None:
    """shouldCreateRootDirectory"""
    assert _run(test_dir, KSQL_SERVER_URL)[0] == 0
    assert os.path.isdir(test_dir)


def test_should_create_migrations_directory(test_dir: str) -> None:
    """shouldCreateMigrationsDirectory"""
    assert _run(test_dir, KSQL_SERVER_URL)[0] == 0
    assert os.path.isdir(os.path.join(test_dir, MIGRATIONS_DIR))


def test_should_create_and_write_to_config_file(test_dir: str) -> None:
    """shouldCreateAndWriteToConfigFile; and what the command prints (the docs' "Initial Setup")"""
    status, output = _run(test_dir, KSQL_SERVER_URL)
    assert status == 0
    path = Path(test_dir, MIGRATIONS_CONFIG_FILE)
    assert path.is_file()
    assert path.read_text(encoding="utf-8") == DEFAULT_CONFIGS
    lines = output.split("\n")
    assert lines[:5] == [
        f"Creating new migrations project at {test_dir}",
        f"Creating directory: {test_dir}",
        f"Creating directory: {os.path.join(test_dir, MIGRATIONS_DIR)}",
        f"Creating file: {path}",
        f"Writing to config file: ksql.server.url={KSQL_SERVER_URL}",
    ]
    assert "Migrations project directory created successfully" in lines
    assert lines[-2].startswith("Execution time: ") and lines[-2].endswith(" seconds")


@pytest.mark.parametrize("suffix", ["/", "/sub_test_dir"], ids=["trailing_slash", "sub_dir"])
def test_should_handle_arg_with_trailing_slash_or_sub_dir(test_dir: str, suffix: str) -> None:
    """shouldHandleArgWithTrailingSlash, shouldHandleArgWithSubDir"""
    root = test_dir if suffix == "/" else test_dir + suffix
    assert _run(test_dir + suffix, KSQL_SERVER_URL)[0] == 0
    assert os.path.isdir(root)
    assert os.path.isdir(os.path.join(root, MIGRATIONS_DIR))
    assert os.path.isfile(os.path.join(root, MIGRATIONS_CONFIG_FILE))


def test_should_not_fail_if_directories_already_exist(test_dir: str) -> None:
    """shouldNotFailIfDirectoriesAlreadyExist"""
    os.makedirs(os.path.join(test_dir, MIGRATIONS_DIR))
    status, output = _run(test_dir, KSQL_SERVER_URL)
    assert status == 0
    assert os.path.isfile(os.path.join(test_dir, MIGRATIONS_CONFIG_FILE))
    assert f"{test_dir} already exists. Skipping directory creation." in output


def test_should_fail_if_config_file_already_exists(test_dir: str) -> None:
    """shouldFailIfConfigFileAlreadyExists"""
    os.makedirs(test_dir)
    path = os.path.join(test_dir, MIGRATIONS_CONFIG_FILE)
    Path(path).touch()
    status, output = _run(test_dir, KSQL_SERVER_URL)
    assert status == 1
    assert f"Failed to create file. File already exists: {path}" in output


def test_should_fail_if_root_dir_exists_as_file(test_dir: str) -> None:
    """shouldFailIfRootDirExistsAsFile"""
    Path(test_dir).touch()
    status, output = _run(test_dir, KSQL_SERVER_URL)
    assert status == 1
    assert f"{test_dir} already exists as a file. Cannot create directory." in output


@pytest.mark.parametrize("extra", [["other_arg"], None], ids=["too_many", "too_few"])
def test_should_fail_on_wrong_number_of_args(test_dir: str, extra: list[str] | None) -> None:
    """shouldFailIfTooManyArgs, shouldFailIfTooFewArgs"""
    args = [test_dir, KSQL_SERVER_URL, *extra] if extra else [test_dir]
    status, output = _run(*args)
    assert status == 1
    assert (
        f"Unexpected number of arguments to `ksql-migrations new-project`. Expected: 2. Got: {len(args)}. "
        "See `ksql-migrations help new-project` for usage." in output
    )
