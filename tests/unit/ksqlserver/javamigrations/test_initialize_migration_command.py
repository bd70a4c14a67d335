"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.migrations.commands.InitializeMigrationCommandTest`: the
metadata stream and table statements, sent to a real server (the mocked Client's `executeStatement` calls
are what `SpyClient` recorded; the server's DESCRIBE shows what they created). The mocked ServerInfo
versions are reported by the spy client instead of the server's own."""

from __future__ import annotations

from typing import Any

from ksqlserver.migrations import config as cfg
from ksqlserver.migrations.commands import initialize

MIGRATIONS_STREAM = "migrations_stream"
MIGRATIONS_TABLE = "migrations_table"
MIGRATIONS_STREAM_TOPIC = "migrations_stream_topic"
MIGRATIONS_TABLE_TOPIC = "migrations_table_topic"
TOPIC_REPLICAS = 2
EXPECTED_CS_STATEMENT = (
    "CREATE STREAM " + MIGRATIONS_STREAM + " (\n"
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
    "  KAFKA_TOPIC='" + MIGRATIONS_STREAM_TOPIC + "',\n"
    "  VALUE_FORMAT='JSON',\n"
    "  PARTITIONS=1,\n"
    "  REPLICAS= " + str(TOPIC_REPLICAS) + " \n"
    ");\n"
)
EXPECTED_CTAS_STATEMENT = (
    "CREATE TABLE " + MIGRATIONS_TABLE + "\n"
    "  WITH (\n"
    "    KAFKA_TOPIC='" + MIGRATIONS_TABLE_TOPIC + "'\n"
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
    "  FROM " + MIGRATIONS_STREAM + " \n"
    "  GROUP BY version_key;\n"
)


def _config(server: Any) -> Any:
    return server.config(**{
        cfg.KSQL_MIGRATIONS_STREAM_TOPIC_NAME: MIGRATIONS_STREAM_TOPIC,
        cfg.KSQL_MIGRATIONS_TABLE_TOPIC_NAME: MIGRATIONS_TABLE_TOPIC,
        cfg.KSQL_MIGRATIONS_TOPIC_REPLICAS: str(TOPIC_REPLICAS),
    })


def _statements(server: Any) -> list[str]:
    return [sql for client in server.clients for sql, _ in client.of("executeStatement")]


def test_should_create_migrations_stream_and_table(server: Any) -> None:
    """shouldCreateMigrationsStream, shouldCreateMigrationsTable; the output the docs show"""
    ctx = server.context()
    assert initialize(ctx, _config(server)) == 0
    assert _statements(server) == [EXPECTED_CS_STATEMENT, EXPECTED_CTAS_STATEMENT]
    [stream] = server.ksql(f"DESCRIBE {MIGRATIONS_STREAM};")
    assert stream["sourceDescription"]["topic"] == MIGRATIONS_STREAM_TOPIC
    [table] = server.ksql(f"DESCRIBE {MIGRATIONS_TABLE};")
    assert table["sourceDescription"]["topic"] == MIGRATIONS_TABLE_TOPIC
    assert ctx.log.text().split("\n") == [
        "Initializing migrations metadata",
        "Creating stream: migrations_stream",
        "Creating table: migrations_table",
        "Migrations metadata initialized successfully",
    ]


def test_should_not_create_table_if_failed_to_create_stream(server: Any) -> None:
    """shouldNotCreateTableIfFailedToCreateStream: the stream's name is taken"""
    server.ksql(f"CREATE STREAM {MIGRATIONS_STREAM} (A STRING) WITH (KAFKA_TOPIC='taken', PARTITIONS=1, VALUE_FORMAT='JSON');")
    ctx = server.context()
    assert initialize(ctx, _config(server)) == 1
    assert EXPECTED_CTAS_STATEMENT not in _statements(server)
    assert server.names("TABLE") == []
    assert ctx.log.text("ERROR") == (
        "Failed to create stream migrations_stream: io.confluent.ksql.api.client.exception.KsqlClientException: "
        "Received 400 response from server: Cannot add stream 'MIGRATIONS_STREAM': A stream with the same name "
        "already exists. Error code: 40001"
    )


def test_should_not_initialize_if_server_version_incompatible(server: Any) -> None:
    """shouldNotInitializeIfServerVersionIncompatible"""
    ctx = server.context(server_version="v0.9.0")
    assert initialize(ctx, _config(server)) == 1
    assert _statements(server) == []
    assert server.names("STREAM") == []


def test_should_initialize_even_if_cant_parse_server_version(server: Any) -> None:
    """shouldInitializeEvenIfCantParseServerVersion"""
    ctx = server.context(server_version="not_a_valid_version")
    assert initialize(ctx, _config(server)) == 0
    assert _statements(server) == [EXPECTED_CS_STATEMENT, EXPECTED_CTAS_STATEMENT]
    assert ctx.log.text("WARN") == (
        "Could not parse ksqlDB server version to verify compatibility. Version: not_a_valid_version. Proceeding anyway."
    )
