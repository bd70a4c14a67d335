"""ApplyMigrationCommand: validate the applied history, then run the chosen migration files in order,
recording RUNNING / MIGRATED / ERROR events for each in the metadata stream."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ksqlserver.migrations import Log, MigrationError, files, metadata
from ksqlserver.migrations import parser as command_parser
from ksqlserver.migrations.client import ClientError, KsqlClient
from ksqlserver.migrations.commands import Context, validate
from ksqlserver.migrations.config import MigrationConfig
from ksqlserver.migrations.files import MigrationFile
from ksqlserver.sql import ast

MAX_RETRIES = 10


@dataclass
class ApplyOptions:
    """The command's options: exactly one of all / next / until / version (airline's RequireOnlyOne)."""

    all: bool = False
    next: bool = False
    until: int = 0
    version: int = 0
    dry_run: bool = False
    define: list[str] | None = None
    headers: str | None = None


@dataclass
class Apply:
    ctx: Context
    options: ApplyOptions
    clock: Callable[[], int] = field(default=lambda: int(time.time() * 1000))
    sleep: Callable[[float], None] = time.sleep  # RetryUtil's backoff between checks of the previous version

    @property
    def log(self) -> Log:
        return self.ctx.log

    def run(self, config: MigrationConfig, migrations_dir: str) -> int:
        client = self.ctx.client(config, self.options.headers)
        if client is None:
            return 1
        if not self.ctx.validate_metadata_initialized(client, config):
            client.close()
            return 1
        if self.options.dry_run:
            self.log.info("This is a dry run. No ksqlDB statements will be submitted to the ksqlDB server.")
        try:
            self.log.info("Validating current migration state before applying new migrations")
            ok = validate(config, migrations_dir, client, self.log) and self._apply(config, client, migrations_dir)
        except MigrationError as e:
            self.log.error(str(e))
            ok = False
        finally:
            client.close()
        return 0 if ok else 1

    def _apply(self, config: MigrationConfig, client: KsqlClient, migrations_dir: str) -> bool:
        previous = metadata.get_latest_migrated_version(config, client)
        self.log.info("Loading migration files")
        try:
            migrations = self._to_apply(migrations_dir, previous)
        except MigrationError as e:
            self.log.error(str(e))
            return False
        if not migrations:
            self.log.info("No eligible migrations found.")
        else:
            self.log.info(f"{len(migrations)} migration file(s) loaded.")
        for migration in migrations:
            if not self._apply_migration(config, client, migration, previous):
                return False
            previous = str(migration.version)
        return True

    def _to_apply(self, migrations_dir: str, previous: str) -> list[MigrationFile]:
        minimum = 1 if previous == metadata.NONE_VERSION else int(previous) + 1
        version = self.options.version
        if version > 0:
            found = files.migration_for_version(str(version), migrations_dir, self.log)
            if found is None:
                raise MigrationError(f"No migration file with version {version} exists.")
            if version < minimum:
                raise MigrationError(
                    "Version must be newer than the last version migrated. Last version migrated was " + previous)
            return [found]
        until = self.options.until
        migrations = [
            m for m in files.all_migrations(migrations_dir, self.log)
            if m.version >= minimum and (until <= 0 or m.version <= until)
        ]
        if self.options.next:
            if not migrations:
                raise MigrationError("No eligible migrations found.")
            return migrations[:1]
        return migrations

    def _apply_migration(self, config: MigrationConfig, client: KsqlClient, migration: MigrationFile, previous: str) -> bool:
        self.log.info(f"Applying migration version {migration.version}: {migration.name}")
        content = files.file_contents(migration.filepath)
        self.log.info(f"{migration.filepath} contents:\n{content}")
        if self.options.dry_run:
            self.log.info("Dry run complete. No migrations were actually applied.")
            return True
        if not self._verify_migrated(config, client, previous):
            self.log.error("Failed to verify status of version " + previous)
            return False
        start = str(self.clock())
        if not self._update_state(config, client, "RUNNING", start, migration, previous, None):
            return False
        try:
            commands = command_parser.split_sql(content)
            # first pass: parse everything, running only DEFINE / UNDEFINE; second: run everything
            self._execute(commands, client, config, start, migration, previous, validate_only=True)
            self._execute(commands, client, config, start, migration, previous, validate_only=False)
        except MigrationError as e:
            self.log.error(str(e))
            return False
        if not self._update_state(config, client, "MIGRATED", start, migration, previous, None):
            return False
        self.log.info("Successfully migrated")
        return True

    def _execute(self, commands: list[str], client: KsqlClient, config: MigrationConfig, start: str,
                 migration: MigrationFile, previous: str, validate_only: bool) -> None:
        self._set_up_variables(client)
        properties: dict[str, Any] = {}
        for command in commands:
            try:
                variables = {k: str(v) for k, v in client.get_variables().items()}
                parsed = command_parser.parse(command, variables)
                self._execute_command(parsed, client, properties, validate_only)
            except MigrationError as e:
                action = "parse" if validate_only else "execute"
                message = f"Failed to {action} sql: {command}. Error: {e}"
                self._update_state(config, client, "ERROR", start, migration, previous, message)
                raise MigrationError(message) from None

    def _set_up_variables(self, client: KsqlClient) -> None:
        for name in list(client.get_variables()):
            client.undefine(name)
        for pair in self.options.define or []:
            parts = pair.split("=")
            while len(parts) > 1 and parts[-1] == "":  # String.split drops trailing empty strings
                parts.pop()
            if len(parts) != 2:
                raise MigrationError(
                    f"Failed to parse argument {pair}: variables must be defined using '=' (i.e. var=val).")
            client.define(parts[0], parts[1])

    def _execute_command(self, parsed: command_parser.ParsedCommand, client: KsqlClient,
                         properties: dict[str, Any], validate_only: bool) -> None:
        stmt = parsed.statement
        if isinstance(stmt, ast.DefineVariable):
            client.define(stmt.name, stmt.value)
        elif isinstance(stmt, ast.UndefineVariable):
            client.undefine(stmt.name)
        elif not validate_only:
            _run(stmt, parsed.command, client, properties)


    def _verify_migrated(self, config: MigrationConfig, client: KsqlClient, previous: str) -> bool:
        return verify_migrated(config, client, previous, MAX_RETRIES, self.log, self.sleep)


    def _update_state(self, config: MigrationConfig, client: KsqlClient, state: str, start: str,
                      migration: MigrationFile, previous: str, error_reason: str | None) -> bool:
        """updateState: the event under CURRENT, then under the version."""
        end = str(self.clock()) if state in ("MIGRATED", "ERROR") else ""
        checksum = files.compute_hash_for_file(migration.filepath)
        try:
            for key in (metadata.CURRENT_VERSION_KEY, str(migration.version)):
                metadata.write_row(config, client, key, state, start, end, migration, previous, checksum, error_reason)
        except ClientError as e:
            self.log.error(str(e))
            return False
        return True


def _run(stmt: ast.Statement | None, sql: str, client: KsqlClient, properties: dict[str, Any]) -> None:
    """executeNonVariableCommands: everything but DEFINE / UNDEFINE."""
    preserve = command_parser.preserve_case
    if stmt is None:
        client.execute_statement(sql, dict(properties))
    elif isinstance(stmt, ast.InsertValues):
        target = preserve(stmt.target)
        fields = [f["name"] for f in client.describe_source(target).get("fields", [])]
        client.insert_into(target, _row(fields, list(stmt.columns), list(stmt.values)))
    elif isinstance(stmt, ast.CreateConnector):
        client.create_connector(preserve(stmt.name), stmt.connector_type == "SOURCE",
                                {k: _property_value(v) for k, v in stmt.properties.items()}, stmt.if_not_exists)
    elif isinstance(stmt, ast.DropConnector):
        client.drop_connector(preserve(stmt.name), stmt.if_exists)
    elif isinstance(stmt, ast.SetProperty):
        properties[stmt.name] = stmt.value
    elif isinstance(stmt, ast.UnsetProperty):
        properties.pop(stmt.name, None)
    elif isinstance(stmt, ast.AssertTopic):
        configs = {k: _property_value(v) for k, v in stmt.properties.items()}
        client.assert_topic(stmt.topic, configs, stmt.exists, _seconds(stmt.timeout))
    elif isinstance(stmt, ast.AssertSchema):
        if stmt.subject is None and stmt.schema_id is None:
            return  # executeAsssertSchema: neither subject nor id sends nothing
        client.assert_schema(stmt.subject, stmt.schema_id, stmt.exists, _seconds(stmt.timeout))


def _property_value(value: Any) -> Any:
    return command_parser.to_field_type(value) if isinstance(value, ast.Expression) else value


_UNIT_SECONDS = {"MILLISECOND": 0.001, "SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400}


def _seconds(timeout: Any) -> int | None:
    """WindowTimeClause.toDuration().getSeconds(), as the client puts it in its statement."""
    if timeout is None:
        return None
    return int(timeout.value * _UNIT_SECONDS[timeout.unit])


def _row(fields: list[str], columns: list[str], values: list[ast.Expression]) -> dict[str, Any]:
    """getRow: the named columns, else every column of the source in order; names kept as they are."""
    names = columns if columns else fields
    if len(names) != len(values):
        raise MigrationError(
            "Invalid `INSERT VALUES` statement. Number of columns and values must match. "
            f"Got: Columns: {len(names)}. Values: {len(values)}.")
    return {command_parser.preserve_case(n): command_parser.to_field_type(v) for n, v in zip(names, values, strict=True)}


def verify_migrated(config: MigrationConfig, client: KsqlClient, version: str, retries: int, log: Log,
                    sleep: Callable[[float], None]) -> bool:
    """verifyMigrated: the previous version is MIGRATED (RetryUtil.retryWithBackoff: `retries` more tries,
    a second apart)."""
    if version == metadata.NONE_VERSION:
        return True
    for attempt in range(retries + 1):
        try:
            state = metadata.get_info_for_version(version, config, client).state
            if state != "MIGRATED":
                raise MigrationError(f"Expected status MIGRATED for version {version}. Got {state}")
            return True
        except MigrationError as e:
            if attempt == retries:
                log.error(str(e))
                return False
            sleep(1.0)
    return False
