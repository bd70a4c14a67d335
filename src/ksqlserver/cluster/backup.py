"""The command topic's local backup (`ksql.metastore.backup.location`), as ksqlDB's CommandTopicBackupImpl and
BackupReplayFile keep it: every command-topic record the server reads is appended to
`<location>/backup_<command topic>_<epoch ms>` as `<key>:<value>\\n`. When the server starts, the records it
reads must match the latest backup file record by record; a mismatch, or a backup with records while the
command topic is gone, is corruption: the command runner goes DEGRADED (CORRUPTED) and
`ksql-restore-command-topic` (cluster/restore.py) writes the backup back into the topic."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from ksqlserver.errors import KsqlError

log = logging.getLogger(__name__)

PREFIX = "backup_"
KEY_VALUE_SEPARATOR = b":"
BACKUP_LOCATION = "ksql.metastore.backup.location"  # KsqlConfig.KSQL_METASTORE_BACKUP_LOCATION
_DIR_HINT = (
    "\n Make sure the directory exists and is readable/writable for KSQL server "
    "\n or its parent directory is readable/writable by KSQL server"
    f"\n or change it to a readable/writable directory by setting '{BACKUP_LOCATION}' config in the properties file."
)


class BackupError(KsqlError):
    """The backup directory or file cannot be used; names the path."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class CommandTopicCorruptionError(BackupError):
    """CommandTopicCorruptionException: a record that does not match the backup being restored."""


class BackupReplayFile:
    """BackupReplayFile: appends go to a `.dirty` copy first, which then atomically replaces the file."""

    def __init__(self, path: Path, writable: bool = True) -> None:
        self.path = path
        self.writable = writable
        if writable:
            self._init_files()

    @property
    def dirty(self) -> Path:
        return Path(str(self.path) + ".dirty")

    @property
    def tmp(self) -> Path:
        return Path(str(self.path) + ".tmp")

    def _init_files(self) -> None:
        self.dirty.unlink(missing_ok=True)
        self.tmp.unlink(missing_ok=True)
        if not self.path.exists():
            self.path.touch()
            log.info("created new backup replay file %s", self.path)
        self.dirty.write_bytes(self.path.read_bytes())

    @staticmethod
    def _append(path: Path, key: bytes, value: bytes) -> None:
        with path.open("ab") as f:
            f.write(key + KEY_VALUE_SEPARATOR + value + b"\n")

    def write(self, key: bytes, value: bytes) -> None:
        if not self.writable:
            raise BackupError("Write permission denied.", str(self.path))
        self._append(self.dirty, key, value)
        os.link(self.path, self.tmp)  # the live copy survives as the next dirty copy
        os.replace(self.dirty, self.path)
        os.replace(self.tmp, self.dirty)
        self._append(self.dirty, key, value)

    def read_records(self) -> list[tuple[bytes, bytes]]:
        """BackupReplayFile.readRecords: each line split at its first ':' into key and value."""
        records = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition(":")
            records.append((key.encode(), value.encode()))
        return records


def ensure_directory(location: Path) -> None:
    """CommandTopicBackupImpl.ensureDirectoryExists: created rwx------ if missing, else usable."""
    if not location.exists():
        try:
            location.mkdir(parents=True)
        except OSError as e:
            raise BackupError(
                f"Couldn't create the backups directory: {location}{_DIR_HINT}", str(location)
            ) from e
        try:
            location.chmod(0o700)
        except OSError as e:
            raise BackupError(
                f"Couldn't set POSIX permissions on the backups directory: {location}. Error = {e.strerror}",
                str(location),
            ) from e
    if not location.is_dir():
        raise BackupError(f"{location} is not a directory.{_DIR_HINT}", str(location))
    if not os.access(location, os.R_OK | os.W_OK | os.X_OK):
        raise BackupError(
            f"The backups directory is not readable/writable for KSQL server: {location}"
            "\n Make sure the directory exists and is readable/writable for KSQL server "
            f"\n or change it to a readable/writable directory by setting '{BACKUP_LOCATION}' "
            "config in the properties file.",
            str(location),
        )


def has_backup_files(location: str) -> bool:
    """CommandTopicBackupUtil.commandTopicMissingWithValidBackup's test of the directory."""
    path = Path(location)
    return bool(location) and path.is_dir() and any(path.iterdir())


class CommandTopicBackup:
    """CommandTopicBackupImpl over one command topic."""

    def __init__(
        self,
        location: str,
        topic: str,
        topic_exists: Callable[[], bool],
        ticker: Callable[[], int] = lambda: int(time.time() * 1000),
    ) -> None:
        self.location = Path(location)
        self.topic = topic
        self._topic_exists = topic_exists
        self._ticker = ticker
        ensure_directory(self.location)
        self.replay_file: BackupReplayFile | None = None
        self._latest: list[tuple[bytes, bytes]] = []
        self._index = 0
        self.corruption_detected = False

    def initialize(self) -> None:
        self.replay_file = self._open_or_create()
        try:
            self._latest = self.replay_file.read_records()
        except (OSError, UnicodeDecodeError) as e:
            log.warning(
                "Failed to read the latest backup from %s. Continue with a new file. Error = %s",
                self.replay_file.path,
                e,
            )
            self.replay_file = self._new_file()
            self._latest = []
        self._index = 0
        self.corruption_detected = bool(self._latest) and not self._topic_exists()
        log.info("Command topic will be backup on file: %s", self.replay_file.path)

    def _new_file(self) -> BackupReplayFile:
        return BackupReplayFile(self.location / f"{PREFIX}{self.topic}_{self._ticker()}")

    def _open_or_create(self) -> BackupReplayFile:
        """The file with the latest timestamp (names whose timestamp is not a number are ignored)."""
        prefix = f"{PREFIX}{self.topic}_"
        latest: tuple[int, Path] | None = None
        for f in self.location.iterdir():
            if not f.name.lower().startswith(prefix):
                continue
            stamp = f.name[len(prefix) :]
            if not stamp.isdigit():
                log.warning(
                    "Invalid timestamp '%s' found in backup replay file (file ignored): %s", stamp, f.name
                )
                continue
            if latest is None or int(stamp) > latest[0]:
                latest = (int(stamp), f)
        return BackupReplayFile(latest[1]) if latest is not None else self._new_file()

    @property
    def restoring(self) -> bool:
        return self._index < len(self._latest)

    def write_record(self, key: bytes | None, value: bytes | None, partition: int, offset: int) -> None:
        """CommandTopicBackupImpl.writeRecord: a record the backup already holds is skipped while restoring;
        any other record then is corruption (raised), as is any record once corruption was found."""
        where = f"partition={partition}, offset={offset}"
        if self.corruption_detected:
            raise CommandTopicCorruptionError(
                f"Failed to write record due to out of sync command topic and backup file. {where}"
            )
        if key is None or value is None:
            log.warning("Can't backup a command topic record with a null key/value: %s", where)
        k, v = key or b"", value or b""
        if self.restoring:
            if (k, v) == self._latest[self._index]:
                self._index += 1
                return
            self.corruption_detected = True
            raise CommandTopicCorruptionError(
                f"Failed to write record due to out of sync command topic and backup file. {where}"
            )
        self._latest = []
        assert self.replay_file is not None
        try:
            self.replay_file.write(k, v)
        except (OSError, BackupError) as e:
            log.warning(
                "Failed to write to file %s. The command topic backup is not complete. Make sure the file "
                "exists and has permissions to write. KSQL must be restarted afterwards to complete the "
                "backup process. Error = %s",
                self.replay_file.path,
                e,
            )
