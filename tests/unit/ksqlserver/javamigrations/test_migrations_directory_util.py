"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.migrations.util.MigrationsDirectoryUtilTest`: the file
checksum (MD5 of the bytes) and where the migrations directory is. The mocked MigrationConfig is a real
one with the override set or not."""

from __future__ import annotations

import os
from pathlib import Path

from ksqlserver.migrations.config import KSQL_MIGRATIONS_DIR_OVERRIDE, MigrationConfig
from ksqlserver.migrations.files import (
    MIGRATIONS_CONFIG_FILE,
    MIGRATIONS_DIR,
    compute_hash_for_file,
    get_migrations_dir,
)

CUSTOM_DIR = "/path/to/custom/dir"


def test_should_compute_hash_for_file(tmp_path: Path) -> None:
    """shouldComputeHashForFile (PrintWriter.println: the text and a line break)"""
    path = tmp_path / "test_file.txt"
    path.write_text("some text\n", encoding="utf-8")
    assert compute_hash_for_file(str(path)) == "4d93d51945b88325c213640ef59fc50b"


def test_should_default_migrations_dir_based_on_config_path(tmp_path: Path) -> None:
    """shouldDefaultMigrationsDirBasedOnConfigPath"""
    config = MigrationConfig.of({KSQL_MIGRATIONS_DIR_OVERRIDE: ""}, "id")
    config_path = os.path.join(str(tmp_path), MIGRATIONS_CONFIG_FILE)
    assert get_migrations_dir(config_path, config) == os.path.join(str(tmp_path), MIGRATIONS_DIR)


def test_should_override_migrations_dir_from_config(tmp_path: Path) -> None:
    """shouldOverrideMigrationsDirFromConfig"""
    config = MigrationConfig.of({KSQL_MIGRATIONS_DIR_OVERRIDE: CUSTOM_DIR}, "id")
    assert get_migrations_dir(os.path.join(str(tmp_path), MIGRATIONS_CONFIG_FILE), config) == CUSTOM_DIR
