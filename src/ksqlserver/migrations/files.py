"""MigrationsDirectoryUtil and MigrationFile: the migrations directory, `V<six digits>__<name>.sql` files,
their MD5 checksums."""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ksqlserver.migrations import Log, MigrationError
from ksqlserver.migrations.config import KSQL_MIGRATIONS_DIR_OVERRIDE, MigrationConfig

MIGRATIONS_DIR = "migrations"
MIGRATIONS_CONFIG_FILE = "ksql-migrations.properties"
# Matcher.find, not matches: a name with text around the pattern still counts (as in Java)
_MIGRATION_FILE = re.compile(r"V([0-9]{6})__(.+)\.sql")


@dataclass(frozen=True)
class MigrationFile:
    version: int
    name: str
    filepath: str

    def __post_init__(self) -> None:
        if self.version < 1:
            raise MigrationError(f"Version must be positive, received {self.version}")


def get_migrations_dir(config_file: str, config: MigrationConfig) -> str:
    """getMigrationsDir: the override, else `migrations` beside the config file."""
    override = config.get(KSQL_MIGRATIONS_DIR_OVERRIDE)
    if override:
        return str(override)
    return get_migrations_dir_from_config_file(config_file)


def get_migrations_dir_from_config_file(config_file: str) -> str:
    parent = _parent(config_file)
    if parent is None:
        raise MigrationError(
            f"Could not find parent directory for config file '{config_file}': no parent dir exists."
        )
    return os.path.join(parent, MIGRATIONS_DIR)


def _parent(path: str) -> str | None:
    """Paths.get(path).getParent(): None for a bare file name."""
    head, tail = os.path.split(path.rstrip("/") or path)
    if not tail or not head:
        return "/" if head == "/" and tail else None
    return head


def file_prefix_for_version(version: str) -> str:
    return "V" + version.rjust(6, "0")


def _list(migrations_dir: str) -> list[str]:
    if not os.path.isdir(migrations_dir):
        raise MigrationError(f"{migrations_dir} is not a directory.")
    try:
        return os.listdir(migrations_dir)
    except OSError as e:
        raise MigrationError(f"Failed to retrieve files from {migrations_dir}: {e.strerror}") from None


def migration_for_version(version: str, migrations_dir: str, log: Log | None = None) -> MigrationFile | None:
    prefix = file_prefix_for_version(version)
    matches = [
        m
        for name in _list(migrations_dir)
        if name.startswith(prefix)
        for m in [_from_filename(migrations_dir, name, log)]
        if m is not None
    ]
    _validate_unique(matches)
    return matches[0] if matches else None


def file_contents(filename: str) -> str:
    try:
        return Path(filename).read_text(encoding="utf-8")
    except OSError as e:
        raise MigrationError(f"Failed to read {filename}: {e.strerror}") from None


def compute_hash_for_file(filename: str) -> str:
    try:
        return hashlib.md5(Path(filename).read_bytes()).hexdigest()
    except OSError as e:
        raise MigrationError(f"Could not compute hash for file '{filename}': {e.strerror}") from None


def all_versions(migrations_dir: str, log: Log | None = None) -> list[int]:
    return [m.version for m in all_migrations(migrations_dir, log)]


def all_migrations(migrations_dir: str, log: Log | None = None) -> list[MigrationFile]:
    """Every migration file, sorted by name; other files are skipped with a warning. Java tests
    `new File(name).isDirectory()` against the working directory, not the migrations directory, so
    a sub-directory named like a migration is not skipped there; we skip real sub-directories."""
    names = sorted(n for n in _list(migrations_dir) if not os.path.isdir(os.path.join(migrations_dir, n)))
    migrations = [m for n in names for m in [_from_filename(migrations_dir, n, log)] if m is not None]
    _validate_unique(migrations)
    return migrations


def _from_filename(migrations_dir: str, filename: str, log: Log | None) -> MigrationFile | None:
    match = _MIGRATION_FILE.search(filename)
    if match is None:
        if log is not None:
            log.warn(
                "Skipping file does not match expected migration file pattern "
                f"'V<six digit number>__<name>.sql': {filename}"
            )
        return None
    version = int(match.group(1))
    if version <= 0:
        raise MigrationError(f"MigrationFile file versions must be positive. Found: {filename}")
    return MigrationFile(version, match.group(2).replace("_", " "), os.path.join(migrations_dir, filename))


def _validate_unique(migrations: list[MigrationFile]) -> None:
    for previous, current in itertools.pairwise(migrations):
        if current.version == previous.version:
            raise MigrationError(
                "Found multiple migration files with the same version. "
                f"Version: {current.version}. Files: '{current.filepath}', '{previous.filepath}'"
            )
