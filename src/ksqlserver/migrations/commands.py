"""The commands besides `apply` (ksqldb-tools' commands/*Command.java): new-project, create,
initialize-metadata, destroy-metadata, info, validate; and what they share (BaseCommand: the config file,
the metadata check; MigrationsUtil: the client)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ksqlserver.config import ConfigError
from ksqlserver.migrations import MIGRATIONS_COMMAND, Log, MigrationError, files, metadata
from ksqlserver.migrations import config as cfg
from ksqlserver.migrations.client import ClientError, KsqlClient, create_client_options
from ksqlserver.migrations.config import DEFAULT_CONFIG, MigrationConfig
from ksqlserver.migrations.versions import get_server_info, server_version_compatible
from ksqlserver.properties_file import load_properties

NEW_COMMAND_NAME = "new-project"
INITIALIZE_COMMAND_NAME = "initialize-metadata"

ClientFactory = Callable[[MigrationConfig, "str | None"], KsqlClient]


def load_request_headers(headers_file: str | None) -> dict[str, str] | None:
    if headers_file is None or not headers_file.strip():
        return None
    try:
        return load_properties([headers_file.strip()])
    except ConfigError:
        raise MigrationError(f"Could not parse headers file '{headers_file}'.") from None


def get_ksql_client(config: MigrationConfig, headers_file: str | None = None) -> KsqlClient:
    """MigrationsUtil.getKsqlClient."""
    options = create_client_options(
        config.server_url,
        config.get(cfg.KSQL_BASIC_AUTH_USERNAME), config.get(cfg.KSQL_BASIC_AUTH_PASSWORD),
        config.get(cfg.SSL_TRUSTSTORE_LOCATION), config.get(cfg.SSL_TRUSTSTORE_PASSWORD),
        config.get(cfg.SSL_KEYSTORE_LOCATION), config.get(cfg.SSL_KEYSTORE_PASSWORD),
        config.get(cfg.SSL_KEY_PASSWORD), config.get(cfg.SSL_KEY_ALIAS),
        config.get(cfg.SSL_ALPN), config.get(cfg.SSL_VERIFY_HOST),
        load_request_headers(headers_file),
    )
    return KsqlClient(options)


def service_id(configs: Mapping[str, str]) -> str:
    """MigrationConfig.getServiceId: the server's ksqlServiceId, asked with the raw settings."""
    url = configs[cfg.KSQL_SERVER_URL]
    options = create_client_options(
        url, configs.get(cfg.KSQL_BASIC_AUTH_USERNAME), configs.get(cfg.KSQL_BASIC_AUTH_PASSWORD),
        configs.get(cfg.SSL_TRUSTSTORE_LOCATION), configs.get(cfg.SSL_TRUSTSTORE_PASSWORD),
        configs.get(cfg.SSL_KEYSTORE_LOCATION), configs.get(cfg.SSL_KEYSTORE_PASSWORD),
        configs.get(cfg.SSL_KEY_PASSWORD), configs.get(cfg.SSL_KEY_ALIAS),
        configs.get(cfg.SSL_ALPN, "false").lower() == "true",
        configs.get(cfg.SSL_VERIFY_HOST, "true").lower() == "true",
        None,
    )
    client = KsqlClient(options)
    try:
        return str(get_server_info(client, url).get("ksqlServiceId", ""))
    finally:
        client.close()


@dataclass
class Context:
    """What a command runs with: where it prints, how it gets a client, the config file option."""

    log: Log = field(default_factory=Log)
    client_factory: ClientFactory = get_ksql_client
    config_file: str | None = None

    def validate_config_file_present(self) -> bool:
        if self.config_file is None or not self.config_file.strip():
            self.log.error(
                "Migrations config file required but not specified. "
                "Specify with --config-file (or, equivalently, -c)."
            )
            return False
        return True

    def load_config(self) -> MigrationConfig | None:
        """The config file checks every command but `new-project` starts with."""
        if not self.validate_config_file_present():
            return None
        try:
            return MigrationConfig.load(str(self.config_file), service_id)
        except MigrationError as e:
            self.log.error(str(e))
            return None

    def client(self, config: MigrationConfig, headers_file: str | None = None) -> KsqlClient | None:
        try:
            return self.client_factory(config, headers_file)
        except MigrationError as e:
            self.log.error(str(e))
            return None

    def validate_metadata_initialized(self, client: KsqlClient, config: MigrationConfig) -> bool:
        return self._describe(client, config.stream_name, "stream") and self._describe(client, config.table_name, "table")

    def _describe(self, client: KsqlClient, name: str, kind: str) -> bool:
        try:
            client.describe_source(name)
        except ClientError as e:
            self.log.error(
                f"Failed to verify existence of migrations metadata {kind} '{name}'. "
                f"Did you run `{MIGRATIONS_COMMAND} {INITIALIZE_COMMAND_NAME}`? Error message: {e}"
            )
            return False
        return True


# ---- new-project -------------------------------------------------------------------------------------------

_METADATA_CONFIGS = (cfg.KSQL_MIGRATIONS_STREAM_NAME, cfg.KSQL_MIGRATIONS_TABLE_NAME,
                     cfg.KSQL_MIGRATIONS_STREAM_TOPIC_NAME, cfg.KSQL_MIGRATIONS_TABLE_TOPIC_NAME,
                     cfg.KSQL_MIGRATIONS_TOPIC_REPLICAS)
_TLS_CONFIGS = (cfg.SSL_TRUSTSTORE_LOCATION, cfg.SSL_TRUSTSTORE_PASSWORD, cfg.SSL_KEYSTORE_LOCATION,
                cfg.SSL_KEYSTORE_PASSWORD, cfg.SSL_KEY_PASSWORD, cfg.SSL_KEY_ALIAS, cfg.SSL_ALPN,
                cfg.SSL_VERIFY_HOST)
_AUTH_CONFIGS = (cfg.KSQL_BASIC_AUTH_USERNAME, cfg.KSQL_BASIC_AUTH_PASSWORD)
_STRUCTURE_CONFIGS = (cfg.KSQL_MIGRATIONS_DIR_OVERRIDE,)


def initial_config(server_url: str) -> str:
    """NewMigrationCommand.createInitialConfig: the URL, then every other setting commented out with its
    default (passwords empty)."""
    out = [f"{cfg.KSQL_SERVER_URL}={server_url}"]
    for header, names in (("Migrations metadata configs", _METADATA_CONFIGS), ("TLS configs", _TLS_CONFIGS),
                          ("ksqlDB server authentication configs", _AUTH_CONFIGS),
                          ("Migrations directory configs", _STRUCTURE_CONFIGS)):
        out.append(f"\n\n# {header}:")
        for name in names:
            value = DEFAULT_CONFIG.get(name)
            if cfg.DEFINITIONS[name][0] == "PASSWORD" or value is None:
                text = ""
            elif isinstance(value, bool):
                text = "true" if value else "false"
            else:
                text = str(value)
            out.append(f"\n# {name}={text}")
    return "".join(out)


def new_project(ctx: Context, args: list[str]) -> int:
    log = ctx.log
    if ctx.config_file:
        log.error("This command does not expect a config file to be passed. "
                  "Rather, this command will create one as part of preparing the migrations directory.")
        return 1
    if len(args) != 2:
        log.error(f"Unexpected number of arguments to `{MIGRATIONS_COMMAND} {NEW_COMMAND_NAME}`. Expected: 2. "
                  f"Got: {len(args)}. See `{MIGRATIONS_COMMAND} help {NEW_COMMAND_NAME}` for usage.")
        return 1
    project, url = args
    log.info(f"Creating new migrations project at {project}")
    if (_try_create_directory(log, project)
            and _try_create_directory(log, os.path.join(project, files.MIGRATIONS_DIR))
            and _try_create_properties_file(log, os.path.join(project, files.MIGRATIONS_CONFIG_FILE), url)):
        log.info("Migrations project directory created successfully")
        return 0
    return 1


def _try_create_directory(log: Log, path: str) -> bool:
    if os.path.isdir(path):
        log.warn(f"{path} already exists. Skipping directory creation.")
        return True
    if os.path.exists(path):
        log.error(f"{path} already exists as a file. Cannot create directory.")
        return False
    try:
        log.info(f"Creating directory: {path}")
        os.makedirs(path)
    except PermissionError:
        log.error(f"Permission denied: create directory {path}")
        return False
    except OSError as e:
        log.error(f"Failed to create directory {path}: {e.strerror}")
        return False
    return True


def _try_create_properties_file(log: Log, path: str, url: str) -> bool:
    try:
        if not os.path.exists(path):
            log.info(f"Creating file: {path}")
        with open(path, "x", encoding="utf-8"):
            pass
    except FileExistsError:
        log.error(f"Failed to create file. File already exists: {path}")
        return False
    except OSError as e:
        log.error(f"Failed to create file {path}: {e.strerror}")
        return False
    text = initial_config(url)
    log.info(f"Writing to config file: {text}")
    try:
        with open(path, "w", encoding="utf-8") as out:
            out.write(text + "\n")  # PrintWriter.println
    except OSError as e:
        log.error(f"Failed to write to config file {path}: {e.strerror}")
        return False
    return True


# ---- create ------------------------------------------------------------------------------------------------

_INVALID_FILENAME_CHARS = r"\s|/|\\|:|\*|\?|\"|<|>|\|"


def create(ctx: Context, description: str, version: int = 0, migrations_dir: str | None = None) -> int:
    """CreateMigrationCommand: an empty `V<version>__<description>.sql`."""
    if migrations_dir is None:
        config = ctx.load_config()
        if config is None:
            return 1
        migrations_dir = files.get_migrations_dir(str(ctx.config_file), config)
    return create_in(ctx.log, migrations_dir, description, version)


def create_in(log: Log, migrations_dir: str, description: str, version: int = 0) -> int:
    """CreateMigrationCommand.command(migrationsDir)."""
    if version != 0:
        try:
            existing = files.migration_for_version(str(version), migrations_dir, log)
        except MigrationError as e:
            log.error(str(e))
            return 1
        if existing is not None:
            log.error(f"Found existing migrations file for version {version}: {existing.filepath}")
            return 1
    if not description:
        log.error("Description cannot be empty.")
        return 1
    try:
        if version == 0:
            versions = files.all_versions(migrations_dir, log)
            version = (versions[-1] if versions else 0) + 1
        if version <= 0:
            raise MigrationError(f"Invalid version file version: {version}. Version must be a positive integer.")
        if version > 999999:
            raise MigrationError(f"Invalid version file version: {version}. Version must fit into a six-digit integer.")
        name = files.file_prefix_for_version(str(version)) + "__" + re.sub(_INVALID_FILENAME_CHARS, "_", description) + ".sql"
        path = os.path.join(migrations_dir, name)
        log.info("Creating migration file: " + path)
        try:
            with open(path, "x", encoding="utf-8"):
                pass
        except FileExistsError:
            raise MigrationError(f"Failed to create file {path}: File should not exist") from None
        except OSError as e:
            raise MigrationError(f"Failed to create file {path}: {e.strerror}") from None
        log.info("Migration file successfully created")
    except MigrationError as e:
        log.error(str(e))
        return 1
    return 0


# ---- initialize-metadata / destroy-metadata ----------------------------------------------------------------


def create_event_stream(name: str, topic: str, replicas: int) -> str:
    return (
        f"CREATE STREAM {name} (\n"
        "  version_key  STRING KEY,\n"
        "  version      STRING,\n"
        "  name         STRING,\n"
        "  state        STRING,  \n"
        "  checksum     STRING,\n"
        "  started_on   STRING,\n"
        "  completed_on STRING,\n"
        "  previous     STRING,\n"
        "  error_reason STRING\n"
        ") WITH (  \n"
        f"  KAFKA_TOPIC='{topic}',\n"
        "  VALUE_FORMAT='JSON',\n"
        "  PARTITIONS=1,\n"
        f"  REPLICAS= {replicas} \n"
        ");\n"
    )


def create_version_table(table: str, stream: str, topic: str) -> str:
    return (
        f"CREATE TABLE {table}\n"
        "  WITH (\n"
        f"    KAFKA_TOPIC='{topic}'\n"
        "  )\n"
        "  AS SELECT \n"
        "    version_key, \n"
        "    latest_by_offset(version) as version, \n"
        "    latest_by_offset(name) AS name, \n"
        "    latest_by_offset(state) AS state,     \n"
        "    latest_by_offset(checksum) AS checksum, \n"
        "    latest_by_offset(started_on) AS started_on, \n"
        "    latest_by_offset(completed_on) AS completed_on, \n"
        "    latest_by_offset(previous) AS previous, \n"
        "    latest_by_offset(error_reason) AS error_reason \n"
        f"  FROM {stream} \n"
        "  GROUP BY version_key;\n"
    )


def initialize(ctx: Context, config: MigrationConfig) -> int:
    log = ctx.log
    stream, table = config.stream_name, config.table_name
    stream_sql = create_event_stream(stream, config.get(cfg.KSQL_MIGRATIONS_STREAM_TOPIC_NAME),
                                     config.get(cfg.KSQL_MIGRATIONS_TOPIC_REPLICAS))
    table_sql = create_version_table(table, stream, config.get(cfg.KSQL_MIGRATIONS_TABLE_TOPIC_NAME))
    client = ctx.client(config)
    if client is None:
        return 1
    log.info("Initializing migrations metadata")
    try:
        ok = (server_version_compatible(client, config.server_url, log)
              and _try_create(log, client, stream_sql, stream, "stream")
              and _try_create(log, client, table_sql, table, "table"))
    finally:
        client.close()
    if ok:
        log.info("Migrations metadata initialized successfully")
    return 0 if ok else 1


def _try_create(log: Log, client: KsqlClient, sql: str, name: str, kind: str) -> bool:
    try:
        log.info(f"Creating {kind}: {name}")
        client.execute_statement(sql)
    except ClientError as e:
        log.error(f"Failed to create {kind} {name}: {e}")
        return False
    return True


def destroy(ctx: Context, config: MigrationConfig) -> int:
    log = ctx.log
    client = ctx.client(config)
    if client is None:
        return 1
    log.info("Cleaning migrations metadata stream and table from ksqlDB server")
    try:
        ok = (server_version_compatible(client, config.server_url, log)
              and _delete_table(log, client, config.table_name)
              and _delete_stream(log, client, config.stream_name))
    finally:
        client.close()
    if ok:
        log.info("Migrations metadata cleaned successfully")
    return 0 if ok else 1


def _delete_table(log: Log, client: KsqlClient, table: str) -> bool:
    try:
        if not _source_exists(client, table, True):
            log.info("Metadata table does not exist. Skipping cleanup.")
            return True
        try:
            description = client.describe_source(table)
        except ClientError as e:
            raise MigrationError(f"Failed to describe metadata table '{table}': {e}") from None
        _terminate_query_for_table(log, client, description)
        _drop_source(log, client, table, True)
        return True
    except MigrationError as e:
        log.error(str(e))
        return False


def _delete_stream(log: Log, client: KsqlClient, stream: str) -> bool:
    try:
        if not _source_exists(client, stream, False):
            log.info("Metadata stream does not exist. Skipping cleanup.")
            return True
        _drop_source(log, client, stream, False)
        return True
    except MigrationError as e:
        log.error(str(e))
        return False


def _source_exists(client: KsqlClient, name: str, is_table: bool) -> bool:
    try:
        sources = client.list_tables() if is_table else client.list_streams()
    except ClientError as e:
        kind = "table" if is_table else "stream"
        raise MigrationError(f"Failed to check for presence of metadata {kind} '{name}': {e}") from None
    return any(str(s.get("name", "")).upper() == name.upper() for s in sources)


def _terminate_query_for_table(log: Log, client: KsqlClient, description: Mapping[str, object]) -> None:
    queries = list(description.get("writeQueries") or [])  # type: ignore[call-overload]
    if not queries:
        log.info("Found 0 queries writing to the metadata table")
        return
    if len(queries) > 1:
        ids = "', '".join(str(q.get("id")) for q in queries)
        raise MigrationError(f"Found multiple queries writing to the metadata table. Query IDs: '{ids}'.")
    query_id = str(queries[0].get("id"))
    log.info(f"Found 1 query writing to the metadata table. Query ID: {query_id}")
    log.info(f"Terminating query with ID: {query_id}")
    try:
        client.execute_statement(f"TERMINATE {query_id};")
    except ClientError as e:
        raise MigrationError(
            f"Failed to terminate query populating metadata table. Query ID: {query_id}. Error: {e}") from None


def _drop_source(log: Log, client: KsqlClient, name: str, is_table: bool) -> None:
    kind = "table" if is_table else "stream"
    log.info(f"Dropping migrations metadata {kind}: {name}")
    try:
        client.execute_statement(f"DROP {kind.upper()} {name} DELETE TOPIC;")
    except ClientError as e:
        raise MigrationError(f"Failed to drop metadata {kind} '{name}': {e}") from None


# ---- info / validate ---------------------------------------------------------------------------------------


def info(ctx: Context, config: MigrationConfig, migrations_dir: str) -> int:
    log = ctx.log
    client = ctx.client(config)
    if client is None:
        return 1
    try:
        if not ctx.validate_metadata_initialized(client, config):
            return 1
        log.info(f"Current migration version: {metadata.get_current_version(config, client)}")
        migrations = files.all_migrations(migrations_dir, log)
        if migrations:
            infos = metadata.get_optional_info_for_versions([m.version for m in migrations], config, client, log)
            rows = [infos.get(m.version) or metadata.MigrationVersionInfo.pending(m.version, m.name) for m in migrations]
            log.info(metadata.format_version_infos(rows))
        else:
            log.info("No migrations files found")
        return 0
    except MigrationError as e:
        log.error(str(e))
        return 1
    finally:
        client.close()


def validate_command(ctx: Context, config: MigrationConfig, migrations_dir: str) -> int:
    log = ctx.log
    client = ctx.client(config)
    if client is None:
        return 1
    try:
        if not ctx.validate_metadata_initialized(client, config):
            return 1
        ok = validate(config, migrations_dir, client, log)
    except MigrationError as e:
        log.error(str(e))
        ok = False
    finally:
        client.close()
    if ok:
        log.info("Successfully validated checksums for migrations that have already been applied")
    return 0 if ok else 1


def validate(config: MigrationConfig, migrations_dir: str, client: KsqlClient, log: Log) -> bool:
    """ValidateMigrationsCommand.validate: from the latest migrated version back along `previous`, each
    version MIGRATED and its file's checksum the one saved."""
    version = metadata.get_latest_migrated_version(config, client)
    next_version: str | None = None
    while version != metadata.NONE_VERSION:
        info_ = metadata.get_info_for_version(version, config, client)
        if next_version is not None:
            metadata.validate_version_is_migrated(version, info_, next_version)
        try:
            found = files.migration_for_version(version, migrations_dir, log)
        except MigrationError:
            found = None
        if found is None:
            log.error(f"No migrations file found for version with status MIGRATED. Version: {version}")
            return False
        digest = files.compute_hash_for_file(found.filepath)
        if info_.expected_hash != digest:
            log.error(
                f"Migrations file found for version {version} does not match the checksum saved for this "
                f"version. Expected checksum: {info_.expected_hash}. Actual checksum: {digest}. "
                f"File name: {found.filepath}"
            )
            return False
        next_version = version
        version = info_.prev_version
    return True
