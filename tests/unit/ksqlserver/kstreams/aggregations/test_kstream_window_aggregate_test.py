"""Kafka Streams 3.5.1's KStreamWindowAggregateTest (org.apache.kafka.streams.kstream.internals), as the ksqlDB
0.29 queries that reach KStreamWindowAggregate: a HOPPING / TUMBLING windowed aggregation with a GRACE
PERIOD (StreamAggregateBuilder.WindowedAggregator: TimeWindows.of(size).advanceBy(advance).grace(grace)),
EMIT CHANGES (EmitStrategy.onWindowUpdate) or EMIT FINAL (EmitStrategy.onWindowClose), with and without
the record cache (the TopologyTestDriver commits after every record, as commit.interval.ms 0 does here).

MockAggregator.TOSTRING_ADDER's "0+1+1" is COLLECT_LIST's ["1", "1"]; the aggregate's record timestamp is
the largest of its window's records (KStreamWindowAggregate: max(oldTimestamp, record timestamp)), and
EMIT FINAL forwards each window once stream time minus grace passes its end, in window-start order per
emission (KStreamWindowAggregate.maybeForwardFinalResult / fetchAll(emitRangeLow, emitRangeUpper)).

Ported: testAggBasic, shouldLogAndMeterWhenSkippingExpiredWindow, shouldLogAndMeterWhenSkippingExpiredWindowByGrace
(the records; the log lines and metrics are not observable in ksqlDB), shouldNotEmitFinalIfNotProgressEnough,
shouldEmitWithInterval0.
Skipped:
- testJoin: a windowed-table join (KTable<Windowed<K>>.join) has no ksqlDB form (a windowed table cannot be
  joined: JoinNode refuses windowed sources other than stream-stream).
- shouldLogAndMeterWhenSkippingNullKey: only a log line and a metric (a null key is dropped: the records
  of the ported scenarios show it).
- shouldEmitWithLargeInterval: wall-clock pacing; the ksqlDB runner's clock is not a user's observable.
- shouldEmitFromLastEmitTime: a second processor instance over the same store; covered for ksqlDB by
  tests/unit/ksqlserver/plan/test_window_partitions.py (emission progress restored after a restart).
- showThrowIfEmitFinalUsedWithUnlimitedWindow: ksqlDB has no unlimited windows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

CACHED = {"ksql.streams.cache.max.bytes.buffering": "10000000"}


def _query(window: str, emit: str) -> str:
    return (f"CREATE TABLE T1 AS SELECT K, COLLECT_LIST(V) AS L FROM S1 WINDOW {window} "
            f"GROUP BY K EMIT {emit};")  # fmt: skip


@pytest.fixture(params=["CHANGES", "FINAL"])
def emit(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(params=[False, True], ids=["nocache", "cache"])
def ks(make: Callable[..., Any], request: pytest.FixtureRequest) -> Any:
    s = make(CACHED if request.param else None)
    s.sql("CREATE STREAM S1 (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='topic1', PARTITIONS=1, VALUE_FORMAT='JSON');")
    return s


def _agg(key: str, start: int, agg: str, ts: int) -> tuple[Any, list[str], int]:
    """Kafka's KeyValueTimestamp(Windowed(key, TimeWindow(start, ...)), "0+1+1", ts) as a sink record."""
    return (key, start), agg.split("+")[1:], ts


def _pipe(ks: Any, records: list[tuple[str, str, int]]) -> None:
    for key, value, ts in records:
        ks.pipe("topic1", key, {"V": value}, ts)


def test_agg_basic(ks: Any, emit: str) -> None:
    """testAggBasic: TimeWindows.ofSizeAndGrace(10, 100).advanceBy(5); late records within grace update their
    window with the window's largest timestamp; EMIT FINAL emits nothing, no window closing under grace 100."""
    ks.sql(_query("HOPPING (SIZE 10 MILLISECONDS, ADVANCE BY 5 MILLISECONDS, GRACE PERIOD 100 MILLISECONDS)", emit))
    _pipe(ks, [
        ("A", "1", 0), ("B", "2", 1), ("C", "3", 2), ("D", "4", 3), ("A", "1", 4),
        ("A", "1", 5), ("B", "2", 6), ("D", "4", 7), ("B", "2", 8), ("C", "3", 9),
        ("A", "1", 10), ("B", "2", 11), ("D", "4", 12), ("B", "2", 13), ("C", "3", 14),
        ("B", "1", 3), ("B", "2", 2), ("B", "3", 9),
    ])  # fmt: skip
    if emit == "FINAL":
        assert ks.out("T1", "L") == []
        return
    assert ks.out("T1", "L") == [
        _agg("A", 0, "0+1", 0), _agg("B", 0, "0+2", 1), _agg("C", 0, "0+3", 2), _agg("D", 0, "0+4", 3),
        _agg("A", 0, "0+1+1", 4),
        _agg("A", 0, "0+1+1+1", 5), _agg("A", 5, "0+1", 5),
        _agg("B", 0, "0+2+2", 6), _agg("B", 5, "0+2", 6),
        _agg("D", 0, "0+4+4", 7), _agg("D", 5, "0+4", 7),
        _agg("B", 0, "0+2+2+2", 8), _agg("B", 5, "0+2+2", 8),
        _agg("C", 0, "0+3+3", 9), _agg("C", 5, "0+3", 9),
        _agg("A", 5, "0+1+1", 10), _agg("A", 10, "0+1", 10),
        _agg("B", 5, "0+2+2+2", 11), _agg("B", 10, "0+2", 11),
        _agg("D", 5, "0+4+4", 12), _agg("D", 10, "0+4", 12),
        _agg("B", 5, "0+2+2+2+2", 13), _agg("B", 10, "0+2+2", 13),
        _agg("C", 5, "0+3+3", 14), _agg("C", 10, "0+3", 14),
        _agg("B", 0, "0+2+2+2+1", 8),
        _agg("B", 0, "0+2+2+2+1+2", 8),
        _agg("B", 0, "0+2+2+2+1+2+3", 9), _agg("B", 5, "0+2+2+2+2+3", 13),
    ]  # fmt: skip


def test_skipping_expired_window(ks: Any, emit: str) -> None:
    """shouldLogAndMeterWhenSkippingExpiredWindow: size 10, advance 5, grace 90, retention 100; records of
    windows whose end + grace <= stream time (100) are dropped; EMIT FINAL emits [5,15) once 105 arrives."""
    window = ("HOPPING (SIZE 10 MILLISECONDS, ADVANCE BY 5 MILLISECONDS, RETENTION 100 MILLISECONDS, "
              "GRACE PERIOD 90 MILLISECONDS)")  # fmt: skip
    ks.sql(_query(window, emit))
    _pipe(ks, [("k", str(t), t) for t in (100, 0, 1, 2, 3, 4, 5, 6, 105, 106)])
    if emit == "FINAL":
        assert ks.out("T1", "L") == [_agg("k", 5, "+5+6", 6)]
        return
    assert ks.out("T1", "L") == [
        _agg("k", 95, "+100", 100),
        _agg("k", 100, "+100", 100),
        _agg("k", 5, "+5", 5),
        _agg("k", 5, "+5+6", 6),
        _agg("k", 100, "+100+105", 105),
        _agg("k", 105, "+105", 105),
        _agg("k", 100, "+100+105+106", 106),
        _agg("k", 105, "+105+106", 106),
    ]


def test_skipping_expired_window_by_grace(ks: Any, emit: str) -> None:
    """shouldLogAndMeterWhenSkippingExpiredWindowByGrace: tumbling 10 (advance 10), grace 90: every record of
    a window ending at or before 200 - 90 is dropped; only [200,210) is written (EMIT FINAL: still open)."""
    ks.sql(_query("TUMBLING (SIZE 10 MILLISECONDS, GRACE PERIOD 90 MILLISECONDS)", emit))
    _pipe(ks, [("k", "100", 200)] + [("k", str(v), 100 + v) for v in range(6)] + [("k", "6", 6)])
    assert ks.out("T1", "L") == ([] if emit == "FINAL" else [_agg("k", 200, "+100", 200)])


def test_should_not_emit_final_if_not_progress_enough(ks: Any, emit: str) -> None:
    """shouldNotEmitFinalIfNotProgressEnough: size 10, advance 5, grace 5. EMIT FINAL emits the windows
    ending at or before stream time - grace once, and nothing while stream time does not reach the next
    window's close."""
    ks.sql(_query("HOPPING (SIZE 10 MILLISECONDS, ADVANCE BY 5 MILLISECONDS, GRACE PERIOD 5 MILLISECONDS)", emit))
    _pipe(ks, [("A", "1", 0), ("B", "2", 5), ("C", "3", 15)])
    if emit == "FINAL":
        assert ks.read("T1", "L") == [_agg("A", 0, "0+1", 0), _agg("B", 0, "0+2", 5)]
    else:
        assert ks.read("T1", "L") == [
            _agg("A", 0, "0+1", 0), _agg("B", 0, "0+2", 5), _agg("B", 5, "0+2", 5),
            _agg("C", 10, "0+3", 15), _agg("C", 15, "0+3", 15),
        ]  # fmt: skip
    _pipe(ks, [("D", "4", 15)])
    assert ks.read("T1", "L") == ([] if emit == "FINAL" else [_agg("D", 10, "0+4", 15), _agg("D", 15, "0+4", 15)])
    _pipe(ks, [("E", "5", 19)])
    assert ks.read("T1", "L") == ([] if emit == "FINAL" else [_agg("E", 10, "0+5", 19), _agg("E", 15, "0+5", 19)])


def test_should_emit_with_interval_0(ks: Any, emit: str) -> None:
    """shouldEmitWithInterval0: with the emit interval 0 every record looks for closed windows; they come
    out in window-start order, then key order."""
    ks.sql(_query("HOPPING (SIZE 10 MILLISECONDS, ADVANCE BY 5 MILLISECONDS, GRACE PERIOD 5 MILLISECONDS)", emit))
    _pipe(ks, [("A", "1", 0), ("A", "1", 5), ("B", "2", 10), ("C", "3", 15), ("D", "4", 20)])
    if emit == "FINAL":
        assert ks.out("T1", "L") == [_agg("A", 0, "0+1+1", 5), _agg("A", 5, "0+1", 5), _agg("B", 5, "0+2", 10)]
        return
    assert ks.out("T1", "L") == [
        _agg("A", 0, "0+1", 0), _agg("A", 0, "0+1+1", 5), _agg("A", 5, "0+1", 5),
        _agg("B", 5, "0+2", 10), _agg("B", 10, "0+2", 10),
        _agg("C", 10, "0+3", 15), _agg("C", 15, "0+3", 15),
        _agg("D", 15, "0+4", 20), _agg("D", 20, "0+4", 20),
    ]  # fmt: skip
