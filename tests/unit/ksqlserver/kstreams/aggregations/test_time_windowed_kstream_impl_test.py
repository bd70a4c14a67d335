"""Kafka Streams 3.5.1's TimeWindowedKStreamImplTest (org.apache.kafka.streams.kstream.internals), as ksqlDB 0.29
tumbling-window aggregations: `TimeWindows.ofSizeWithNoGrace(500)` is `WINDOW TUMBLING (SIZE 500
MILLISECONDS, GRACE PERIOD 0 MILLISECONDS)`, count() COUNT(*), the reducer / TOSTRING_ADDER aggregator
COLLECT_LIST, under EMIT CHANGES (onWindowUpdate) and EMIT FINAL (onWindowClose), the emit interval 0 as the
Java test sets it. The materialized stores are read by pull queries (KsMaterializedWindowTable.get:
WindowStore#fetch): without a record cache, a fetch reads no window starting before the store's observed
stream time (the largest window start it was given) minus its retention (size + grace) + 1
(AbstractRocksDBSegmentedBytesStore.getActualFrom), so after the record at 1000 only [1000,1500) is read.

Ported: shouldCountWindowed, shouldReduceWindowed, shouldAggregateWindowed, shouldMaterializeCount,
shouldMaterializeReduced, shouldMaterializeAggregated (EMIT CHANGES without cache: the pull query's rows;
the cached variants read the record cache's unflushed windows, which ksqlDB's test runner does not have;
EMIT FINAL's time-ordered store is not read by pull queries the same way and is left out).
Skipped: shouldThrowNullPointerOn* (Java API null checks).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ...conftest import pull_rows

WINDOW = "TUMBLING (SIZE 500 MILLISECONDS, GRACE PERIOD 0 MILLISECONDS)"
DATA = [("1", "1", 10), ("1", "2", 15), ("1", "3", 500), ("2", "10", 550), ("2", "20", 500), ("2", "30", 1000)]


@pytest.fixture(params=["CHANGES", "FINAL"])
def emit(request: pytest.FixtureRequest) -> str:
    return request.param


def _ks(make: Callable[..., Any], emit: str) -> Any:
    s = make()
    s.sql("CREATE STREAM S1 (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='topic', PARTITIONS=1, VALUE_FORMAT='JSON');")
    s.sql(f"CREATE TABLE T1 AS SELECT K, COUNT(*) AS N, COLLECT_LIST(V) AS L FROM S1 WINDOW {WINDOW} GROUP BY K EMIT {emit};")
    for key, value, ts in DATA:
        s.pipe("topic", key, {"V": value}, ts)
    return s


def test_count_reduce_aggregate_windowed(make: Any, emit: str) -> None:
    """shouldCountWindowed / shouldReduceWindowed / shouldAggregateWindowed: EMIT FINAL writes the windows
    closed by the record at 1000 ([0,500) of "1", [500,1000) of "1" and "2"), with their last update's
    timestamp; the late "2" @ 500 still counts in [500,1000) (stream time 550 has not closed it)."""
    ks = _ks(make, emit)
    rows = [(k, v["N"], v["L"], ts) for k, v, ts in ks.out("T1")]
    if emit == "FINAL":
        assert rows == [
            (("1", 0), 2, ["1", "2"], 15),
            (("1", 500), 1, ["3"], 500),
            (("2", 500), 2, ["10", "20"], 550),
        ]
        return
    assert rows == [
        (("1", 0), 1, ["1"], 10),
        (("1", 0), 2, ["1", "2"], 15),
        (("1", 500), 1, ["3"], 500),
        (("2", 500), 1, ["10"], 550),
        (("2", 500), 2, ["10", "20"], 550),
        (("2", 1000), 1, ["30"], 1000),
    ]


def test_materialized_windows(make: Any) -> None:
    """shouldMaterializeCount / shouldMaterializeReduced / shouldMaterializeAggregated, no cache: only the
    windows from the store's stream time (start 1000) - retention (500) + 1 on are read."""
    ks = _ks(make, "CHANGES")
    sql = "SELECT K, WINDOWSTART, WINDOWEND, N, L, ROWTIME FROM T1 WHERE K = '{}';"
    assert pull_rows(ks.engine, sql.format("1")) == []
    assert pull_rows(ks.engine, sql.format("2")) == [["2", 1000, 1500, 1, ["30"], 1000]]
