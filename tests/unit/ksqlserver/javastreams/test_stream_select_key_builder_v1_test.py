"""ksqlDB 0.29's StreamSelectKeyBuilderV1Test (io.confluent.ksql.execution.streams).

StreamSelectKeyBuilderV1 serves the `streamSelectKeyV1` step of plans persisted before 0.10's key columns:
it set ROWKEY from the expression and left the column in the value. 0.29's planner makes only
StreamSelectKey (V2), and this engine replays statements, not old plans, so the V1 builder has nothing of
its own to observe; what differs is checked here as 0.29 plans it: the PARTITION BY column is the key and
leaves the value, and the key keeps its name (no ROWKEY)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Streams


def test_partition_by_column_moves_to_the_key(ks: Streams) -> None:
    """StreamSelectKeyBuilderV1Test.shouldReturnCorrectSchema's V2 counterpart."""
    ks.sql("CREATE STREAM S (K DOUBLE KEY, BIG BIGINT, BOI BIGINT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE STREAM O AS SELECT * FROM S PARTITION BY BOI;")
    assert ks.schema("O") == "`BOI` BIGINT KEY, `BIG` BIGINT, `K` DOUBLE"
    ks.insert("S", {"K": 0.5, "BIG": 1, "BOI": 7, "ROWTIME": 3})
    assert ks.records("O") == [(7, {"BIG": 1, "K": 0.5}, 3)]
