"""ksqlDB 0.29's KsMaterializedSessionTableIQv2Test (io.confluent.ksql.execution.streams.materialization.ks):
its key-lookup cases are KsMaterializedSessionTableTest's; what both classes add is that a session table
cannot be scanned: get(partition, ...) throws MaterializationException("Table scan unsupported on session
tables"), which HARouting reports as the pull query's error (HARouting.executeRounds /
executeOrRouteQuery)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Streams


def test_table_scan_unsupported_on_session_tables(ks: Streams) -> None:
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE SS AS SELECT K, COUNT(*) AS C FROM S WINDOW SESSION (5 SECONDS) GROUP BY K;")
    ks.insert("S", {"K": "a", "V": 1, "ROWTIME": 0})
    assert ks.pull_error("SELECT * FROM SS;") == (
        "Unable to execute pull query: io.confluent.ksql.util.KsqlException: Error executing query locally at "
        "node http://localhost:8088/: Table scan unsupported on session tables"
    )


def test_scan_by_non_key_filter_also_refused_key_lookup_served(ks: Streams) -> None:
    """PullPhysicalPlanBuilder: a WHERE without a key is a table scan (the store's get(partition, ...));
    a key lookup reads get(key, partition, ...), which a session table serves."""
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE SS AS SELECT K, COUNT(*) AS C FROM S WINDOW SESSION (5 SECONDS) GROUP BY K;")
    ks.insert("S", {"K": "a", "V": 1, "ROWTIME": 0})
    assert "Table scan unsupported on session tables" in ks.pull_error("SELECT * FROM SS WHERE C = 1;")
    assert ks.pull("SELECT K, C FROM SS WHERE K = 'a';") == [["a", 1]]


def test_a_session_windowed_source_table_is_not_scanned_either(ks: Streams) -> None:
    """A CREATE SOURCE TABLE with WINDOW_TYPE='SESSION' is materialised by the same
    KsMaterializedSessionTable(IQv2), so its scan fails alike."""
    ks.sql(
        "CREATE SOURCE TABLE ST (K STRING PRIMARY KEY, C BIGINT) WITH (KAFKA_TOPIC='st', PARTITIONS=1, "
        "FORMAT='JSON', WINDOW_TYPE='SESSION');"
    )
    assert "Table scan unsupported on session tables" in ks.pull_error("SELECT * FROM ST;")
