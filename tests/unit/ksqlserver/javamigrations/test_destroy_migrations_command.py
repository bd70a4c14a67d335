"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.migrations.commands.DestroyMigrationsCommandTest`: the
metadata table's query terminated, then the table and the stream dropped with their topics, on a real
server. The mocked stream / table lists and write queries become sources that exist or not, and a second
query writing to the table; the mocked ServerInfo versions are reported by the spy client."""

from __future__ import annotations

from typing import Any

from ksqlserver.migrations.commands import destroy

MIGRATIONS_STREAM = "migrations_stream"
MIGRATIONS_TABLE = "migrations_table"


def _statements(server: Any) -> list[str]:
    return [sql for client in server.clients for sql, _ in client.of("executeStatement")]


def _ctas_id(server: Any) -> str:
    [entity] = server.ksql(f"DESCRIBE {MIGRATIONS_TABLE};")
    [query] = entity["sourceDescription"]["writeQueries"]
    return str(query["id"])


def test_should_clean_migrations_stream_and_table(server: Any) -> None:
    """shouldCleanMigrationsStreamAndTable; the output the docs show"""
    config = server.initialize()
    query_id = _ctas_id(server)
    ctx = server.context()
    assert destroy(ctx, config) == 0
    assert _statements(server) == [
        f"TERMINATE {query_id};",
        f"DROP TABLE {MIGRATIONS_TABLE} DELETE TOPIC;",
        f"DROP STREAM {MIGRATIONS_STREAM} DELETE TOPIC;",
    ]
    assert server.names("STREAM") == [] and server.names("TABLE") == []
    assert ctx.log.text().split("\n") == [
        "Cleaning migrations metadata stream and table from ksqlDB server",
        f"Found 1 query writing to the metadata table. Query ID: {query_id}",
        f"Terminating query with ID: {query_id}",
        f"Dropping migrations metadata table: {MIGRATIONS_TABLE}",
        f"Dropping migrations metadata stream: {MIGRATIONS_STREAM}",
        "Migrations metadata cleaned successfully",
    ]


def test_should_clean_migrations_stream_even_if_table_doesnt_exist(server: Any) -> None:
    """shouldCleanMigrationsStreamEvenIfTableDoesntExist"""
    config = server.initialize()
    query_id = _ctas_id(server)
    server.ksql(f"TERMINATE {query_id};")
    server.ksql(f"DROP TABLE {MIGRATIONS_TABLE};")
    ctx = server.context()
    assert destroy(ctx, config) == 0
    assert _statements(server) == [f"DROP STREAM {MIGRATIONS_STREAM} DELETE TOPIC;"]
    assert "Metadata table does not exist. Skipping cleanup." in ctx.log.text()


def test_should_clean_migrations_table_even_if_stream_doesnt_exist(server: Any) -> None:
    """shouldCleanMigrationsTableEvenIfStreamDoesntExist: a table of that name over another stream"""
    config = server.config()
    server.ksql("CREATE STREAM OTHER (VERSION_KEY STRING KEY, V STRING) WITH (KAFKA_TOPIC='other', PARTITIONS=1, VALUE_FORMAT='JSON');")
    server.ksql(f"CREATE TABLE {MIGRATIONS_TABLE} AS SELECT VERSION_KEY, LATEST_BY_OFFSET(V) AS V FROM OTHER GROUP BY VERSION_KEY;")
    query_id = _ctas_id(server)
    ctx = server.context()
    assert destroy(ctx, config) == 0
    assert _statements(server) == [f"TERMINATE {query_id};", f"DROP TABLE {MIGRATIONS_TABLE} DELETE TOPIC;"]
    assert "Metadata stream does not exist. Skipping cleanup." in ctx.log.text()


def test_should_clean_migrations_table_even_if_query_doesnt_exist(server: Any) -> None:
    """shouldCleanMigrationsTableEvenIfQueryDoesntExist: a plain table (no query writes to it)"""
    config = server.config()
    server.ksql(f"CREATE STREAM {MIGRATIONS_STREAM} (A STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');")
    server.ksql(f"CREATE TABLE {MIGRATIONS_TABLE} (K STRING PRIMARY KEY, A STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');")
    ctx = server.context()
    assert destroy(ctx, config) == 0
    assert _statements(server) == [
        f"DROP TABLE {MIGRATIONS_TABLE} DELETE TOPIC;",
        f"DROP STREAM {MIGRATIONS_STREAM} DELETE TOPIC;",
    ]
    assert "Found 0 queries writing to the metadata table" in ctx.log.text()


def test_should_fail_if_multiple_queries_writing_to_table(server: Any) -> None:
    """shouldFailIfMultipleQueriesWritingToTable: ksqlDB 0.29 takes no INSERT INTO a table, so only the
    mocked SourceDescription can list a second writer; the spy client adds one to the real description"""
    config = server.initialize()
    ctas = _ctas_id(server)

    def two_writers(description: dict[str, Any]) -> dict[str, Any]:
        return {**description, "writeQueries": [*description["writeQueries"], {"id": "other_query_id"}]}

    ctx = server.context(describe=two_writers)
    assert destroy(ctx, config) == 1
    assert _statements(server) == []
    assert ctx.log.text("ERROR") == (
        f"Found multiple queries writing to the metadata table. Query IDs: '{ctas}', 'other_query_id'."
    )
    assert server.names("TABLE") == [MIGRATIONS_TABLE.upper()]


def test_should_succeed_if_never_initialized(server: Any) -> None:
    """shouldSucceedIfNeverInitialized"""
    ctx = server.context()
    assert destroy(ctx, server.config()) == 0
    assert _statements(server) == []
    assert ctx.log.text().split("\n") == [
        "Cleaning migrations metadata stream and table from ksqlDB server",
        "Metadata table does not exist. Skipping cleanup.",
        "Metadata stream does not exist. Skipping cleanup.",
        "Migrations metadata cleaned successfully",
    ]


def test_should_not_clean_if_server_version_incompatible(server: Any) -> None:
    """shouldNotCleanIfServerVersionIncompatible"""
    config = server.initialize()
    ctx = server.context(server_version="v0.9.0")
    assert destroy(ctx, config) == 1
    assert _statements(server) == []
    assert server.names("STREAM") == [MIGRATIONS_STREAM.upper()]


def test_should_clean_even_if_cant_parse_server_version(server: Any) -> None:
    """shouldCleanEvenIfCantParseServerVersion"""
    config = server.initialize()
    query_id = _ctas_id(server)
    ctx = server.context(server_version="not_a_valid_version")
    assert destroy(ctx, config) == 0
    assert _statements(server) == [
        f"TERMINATE {query_id};",
        f"DROP TABLE {MIGRATIONS_TABLE} DELETE TOPIC;",
        f"DROP STREAM {MIGRATIONS_STREAM} DELETE TOPIC;",
    ]
