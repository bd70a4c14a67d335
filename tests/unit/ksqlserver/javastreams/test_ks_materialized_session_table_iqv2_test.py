"""ksqlDB 0.29's KsMaterializedSessionTableIQv2Test (io.confluent.ksql.execution.streams.materialization.ks):
its key-lookup cases are KsMaterializedSessionTableTest's; what both classes add is that a session table
cannot be scanned: get(partition, ...) throws MaterializationException("Table scan unsupported on session
tables"), which HARouting reports as the pull query's error."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams


@pytest.mark.xfail(
    strict=True,
    reason="a session table scan is served; ksqlDB fails it with 'Table scan unsupported on session tables' "
    "(wrapped by HARouting as 'Unable to execute pull query: ...Error executing query locally at node <url>: "
    "...', whose node part this engine does not model)",
)
def test_table_scan_unsupported_on_session_tables(ks: Streams) -> None:
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE SS AS SELECT K, COUNT(*) AS C FROM S WINDOW SESSION (5 SECONDS) GROUP BY K;")
    ks.insert("S", {"K": "a", "V": 1, "ROWTIME": 0})
    assert "Table scan unsupported on session tables" in ks.pull_error("SELECT * FROM SS;")
