"""Kafka Streams 3.5.1's KStreamAggregationIntegrationTest (org.apache.kafka.streams.integration), its session
scenarios, as ksqlDB 0.29 session aggregations without GRACE PERIOD (StreamAggregateBuilder: the deprecated
SessionWindows.with(gap), grace 24 h - gap, as the Java test's `SessionWindows.with`): count() is COUNT(*),
the ":" reducer COLLECT_LIST. The Java test keeps the last record of each session window (value and
record timestamp: the session's end); the IQ fetch is a pull query.

Ported: shouldCountSessionWindows, shouldReduceSessionWindows.
Skipped:
- shouldReduce, shouldAggregate, shouldCount, shouldCountWithInternalStore, shouldGroupByKey,
  shouldReduceWindowed, shouldAggregateWindowed: the same operators as KStreamWindowAggregateTest /
  TimeWindowedKStreamImplTest (ported there), read through a real cluster with a mock clock.
- shouldReduceSlidingWindows, shouldAggregateSlidingWindows: ksqlDB 0.29 has no sliding windows.
- shouldCountUnlimitedWindows: ksqlDB has no unlimited windows.
"""

from __future__ import annotations

from typing import Any

from ...conftest import pull_rows


def _latest(ks: Any) -> dict[Any, tuple[Any, int]]:
    """The last record of each session window (a merged-away one ends as a null)."""
    out: dict[Any, tuple[Any, int]] = {}
    for k, v, ts in ks.out("T1"):
        out[k] = (None if v is None else (v["N"], v["L"]), ts)
    return out


def _run(make: Any, gap_ms: int, t1: int) -> tuple[Any, dict[Any, tuple[Any, int]], tuple[int, ...]]:
    ks = make()
    ks.sql("CREATE STREAM S1 (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='sessions', PARTITIONS=1, VALUE_FORMAT='JSON');")
    ks.sql(f"CREATE TABLE T1 AS SELECT K, COUNT(*) AS N, COLLECT_LIST(V) AS L FROM S1 WINDOW SESSION ({gap_ms} "
           "MILLISECONDS) GROUP BY K;")  # fmt: skip
    t2 = t1 + gap_ms // 2
    t3 = t1 + gap_ms + 1
    t4 = t3 + gap_ms // 2
    t5 = t4 - 1
    for key, value, ts in [
        ("bob", "start", t1), ("penny", "start", t1), ("jo", "pause", t1), ("emily", "pause", t1),
        ("emily", "resume", t2), ("bob", "pause", t3), ("penny", "stop", t3), ("bob", "resume", t4),
        ("jo", "resume", t4), ("jo", "late", t5),
    ]:  # fmt: skip
        ks.pipe("sessions", key, {"V": value}, ts)
    return ks, _latest(ks), (t1, t2, t3, t4, t5)


def test_count_session_windows(make: Any) -> None:
    """shouldCountSessionWindows (gap 5 min): jo's late record at t4 - 1 joins its session [t5, t4]."""
    _, got, (t1, t2, t3, t4, t5) = _run(make, 5 * 60 * 1000, 1_700_000_000_000)
    assert got[("bob", t1, t1)] == ((1, ["start"]), t1)
    assert got[("penny", t1, t1)] == ((1, ["start"]), t1)
    assert got[("jo", t1, t1)] == ((1, ["pause"]), t1)
    assert got[("jo", t5, t4)] == ((2, ["resume", "late"]), t4)
    assert got[("emily", t1, t2)] == ((2, ["pause", "resume"]), t2)
    assert got[("bob", t3, t4)] == ((2, ["pause", "resume"]), t4)
    assert got[("penny", t3, t3)] == ((1, ["stop"]), t3)


def test_reduce_session_windows(make: Any) -> None:
    """shouldReduceSessionWindows (gap 1 s), then the store's sessions of "bob" by a pull query."""
    ks, got, (t1, t2, t3, t4, t5) = _run(make, 1000, 1_700_000_000_000)
    assert got[("jo", t5, t4)] == ((2, ["resume", "late"]), t4)
    assert got[("emily", t1, t2)] == ((2, ["pause", "resume"]), t2)
    assert got[("bob", t3, t4)] == ((2, ["pause", "resume"]), t4)
    rows = pull_rows(ks.engine, "SELECT WINDOWSTART, WINDOWEND, L FROM T1 WHERE K = 'bob';")
    assert rows == [[t1, t1, ["start"]], [t3, t4, ["pause", "resume"]]]
