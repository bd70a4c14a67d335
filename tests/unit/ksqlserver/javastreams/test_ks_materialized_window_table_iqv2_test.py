"""ksqlDB 0.29's KsMaterializedWindowTableIQv2Test (io.confluent.ksql.execution.streams.materialization.ks):
the `_fetchAll` cases, table scans of a windowed table with WINDOWSTART / WINDOWEND bounds
(shouldReturnValuesForClosedStartBounds_fetchAll, ...OpenEndBounds_fetchAll, shouldSupportRangeAll_fetchAll,
shouldReturnEmptyIfKeyNotPresent_fetchAll). 0.29 serves them with KsMaterializedWindowTable.get(partition,
...): WindowStoreCacheBypass.fetchAll over the RocksDB window store, whose segments come in time order
(segment = start // max(retention / 2, 60 s)) and each segment in store-key order (serialized key, then
start)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    return ks


def test_scan_bounds(ks: Streams) -> None:
    ks.sql("CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY K;")
    for k, ts in [("a", 0), ("b", 10000), ("a", 10000), ("a", 20000), ("c", 20000)]:
        ks.insert("S", {"K": k, "V": 1, "ROWTIME": ts})
    scan = lambda bounds: [(r[0], r[1]) for r in ks.pull(f"SELECT * FROM W {bounds};")]
    # one 12 h segment (the 24 h default retention): key order, then window start
    assert scan("") == [("a", 0), ("a", 10000), ("a", 20000), ("b", 10000), ("c", 20000)]
    assert scan("WHERE WINDOWSTART >= 10000") == [("a", 10000), ("a", 20000), ("b", 10000), ("c", 20000)]
    assert scan("WHERE WINDOWSTART > 10000") == [("a", 20000), ("c", 20000)]
    assert scan("WHERE WINDOWEND <= 20000") == [("a", 0), ("a", 10000), ("b", 10000)]
    assert scan("WHERE WINDOWEND < 20000") == [("a", 0)]
    assert scan("WHERE WINDOWSTART > 30000") == []


def test_scan_order_follows_segments(ks: Streams) -> None:
    """With a 2-minute retention the segments are 60 s long: the windows of the first minute (by key, then
    start) come before those of the second."""
    ks.sql(
        "CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM S "
        "WINDOW TUMBLING (SIZE 1 SECOND, RETENTION 2 MINUTES, GRACE PERIOD 1 MINUTE) GROUP BY K;"
    )
    for k, ts in [("b", 1000), ("a", 61000), ("a", 2000), ("c", 59000)]:
        ks.insert("S", {"K": k, "V": 1, "ROWTIME": ts})
    assert [(r[0], r[1]) for r in ks.pull("SELECT * FROM W;")] == [("a", 2000), ("b", 1000), ("c", 59000), ("a", 61000)]


def test_emit_final_store_is_time_ordered(ks: Streams) -> None:
    """EMIT FINAL aggregates into Kafka Streams' time-ordered window store (KIP-825's onWindowClose): its scan
    comes by window start, then key."""
    ks.sql(
        "CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM S "
        "WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 1 HOUR) GROUP BY K EMIT FINAL;"
    )
    for k, ts in [("b", 0), ("a", 10000), ("a", 0), ("c", 0)]:
        ks.insert("S", {"K": k, "V": 1, "ROWTIME": ts})
    assert [(r[0], r[1]) for r in ks.pull("SELECT * FROM W;")] == [("a", 0), ("b", 0), ("c", 0), ("a", 10000)]
