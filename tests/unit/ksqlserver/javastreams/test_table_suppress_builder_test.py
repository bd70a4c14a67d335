"""ksqlDB 0.29's TableSuppressBuilderTest (io.confluent.ksql.execution.streams).

TableSuppressBuilder (a table suppressed untilWindowCloses) is built for the `tableSuppressV1` step only,
which 0.29's planner no longer makes: LogicalPlanner adds no SuppressNode, and EMIT FINAL is the windowed
aggregation's own emit strategy (StreamAggregateBuilder: EmitStrategy.onWindowClose). What a user observes of
it is the planner's rule: EMIT FINAL is refused on anything but a windowed aggregation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams

MESSAGE = "EMIT FINAL is only supported for windowed aggregations."


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql("CREATE STREAM S (K STRING KEY, V BIGINT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE T (K STRING PRIMARY KEY, V BIGINT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    return ks


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE A AS SELECT K, COUNT(*) FROM S GROUP BY K EMIT FINAL;",
        "CREATE STREAM B AS SELECT * FROM S EMIT FINAL;",
        "CREATE TABLE C AS SELECT * FROM T EMIT FINAL;",
        "CREATE TABLE D AS SELECT V, COUNT(*) FROM T GROUP BY V EMIT FINAL;",
    ],
)
def test_emit_final_only_on_windowed_aggregations(ks: Streams, sql: str) -> None:
    """LogicalPlanner.buildPersistentLogicalPlan: no suppression of an unwindowed result."""
    assert ks.message(sql) == MESSAGE


def test_should_suppress_source_table(ks: Streams) -> None:
    """shouldSuppressSourceTable: a windowed aggregation with EMIT FINAL is planned; its sink keeps the
    aggregation's schema and windowed key."""
    ks.sql(
        "CREATE TABLE A AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 0 SECONDS) "
        "GROUP BY K EMIT FINAL;"
    )
    assert ks.schema("A") == "`K` STRING PRIMARY KEY, `C` BIGINT"
    assert ks.source("A").window.kind == "TUMBLING"
    # nothing is final before a window closes
    ks.insert("S", {"K": "a", "V": 1, "ROWTIME": 1000})
    assert ks.records("A") == []
