"""`ksql-migrations` (ksqlDB 0.29's ksqldb-tools, io.confluent.ksql.tools.migrations): schema migrations
for a ksqlDB server, talking to it over HTTP only (like `ksqlserver.console`, it reaches no engine stage).

Modules: `config` (MigrationConfig), `files` (MigrationsDirectoryUtil, MigrationFile), `parser`
(CommandParser), `client` (the subset of the Java Client the tool calls), `versions` (ServerVersionUtil),
`metadata` (MetadataUtil, MigrationVersionInfo and its formatter), `commands` / `apply` (the commands),
`cli` (Migrations: the command line, its help and exit codes).
"""

from __future__ import annotations

import sys
from typing import TextIO

MIGRATIONS_COMMAND = "ksql-migrations"  # MigrationsUtil.MIGRATIONS_COMMAND


class MigrationError(Exception):
    """MigrationException: the one error of this package; its text is what the tool prints."""


class Log:
    """The tool's log4j console appender: the PatternLayout's pattern is set on a misspelt appender name
    (`consoleAppender`) in ksql-migrations-log4j.properties, so every level prints as the bare message
    (`%m%n`) on standard output."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out if out is not None else sys.stdout
        self.lines: list[tuple[str, str]] = []  # (level, message), for callers that check what was said

    def _emit(self, level: str, message: str) -> None:
        self.lines.append((level, message))
        self.out.write(message + "\n")
        self.out.flush()

    def info(self, message: str) -> None:
        self._emit("INFO", message)

    def warn(self, message: str) -> None:
        self._emit("WARN", message)

    def error(self, message: str) -> None:
        self._emit("ERROR", message)

    def text(self, level: str | None = None) -> str:
        return "\n".join(m for lv, m in self.lines if level is None or lv == level)


__all__ = ["MIGRATIONS_COMMAND", "Log", "MigrationError"]
