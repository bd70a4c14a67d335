"""Kafka Streams 3.5.1's TimeWindowTest and SessionWindowTest (org.apache.kafka.streams.kstream.internals): the
window bounds as a ksqlDB 0.29 aggregation shows them (the windowed key's start, WINDOWSTART / WINDOWEND).

TimeWindow is half-open, [start, end): a record at a window's end belongs to the next window only
(shouldNotOverlapIsOtherWindowIsAfterThisWindow); TimeWindows.windowsFor gives a record's hopping windows
from max(0, ts - size + advance) rounded down to the advance, oldest first
(shouldReturnMatchedWindowsOrderedByTimestamp: size 12, advance 5, record at 21 -> [10,22), [15,27),
[20,32)), and no window starts below 0. SessionWindow is closed, [start, end]: a record `gap` after a
session's end still overlaps it (KStreamSessionWindowAggregate.findSessions(key, ts - gap, ts + gap)),
one more millisecond does not.

Ported: TimeWindowTest.shouldReturnMatchedWindowsOrderedByTimestamp, TimeWindowTest /
SessionWindowTest.shouldNotOverlapIsOtherWindowIsAfterThisWindow and shouldNotOverlapIfOtherWindowIsBeforeThisWindow
(as which windows a record joins).
Skipped: the other overlap cases and endMustBeLargerThanStart / cannotCompare*WithDifferentWindowType
(Window#overlap and constructor checks of the Java API, which no aggregation calls with such windows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

STREAM = "CREATE STREAM S1 (K STRING KEY, V INT) WITH (KAFKA_TOPIC='topic', PARTITIONS=1, VALUE_FORMAT='JSON');"


def _ks(make: Callable[..., Any], window: str) -> Any:
    s = make()
    s.sql(STREAM)
    s.sql(f"CREATE TABLE T1 AS SELECT K, WINDOWSTART AS WS, WINDOWEND AS WE, COUNT(*) AS N FROM S1 WINDOW {window} "
          "GROUP BY K EMIT CHANGES;")  # fmt: skip
    return s


def _bounds(ks: Any) -> list[tuple[Any, Any, Any, Any, int]]:
    """(key, WINDOWSTART, WINDOWEND, count, timestamp) of each record (a tombstone: Nones)."""
    return [(k, *((v["WS"], v["WE"], v["N"]) if v else (None, None, None)), ts) for k, v, ts in ks.out("T1")]


def test_hopping_windows_for_a_record_oldest_first(make: Any) -> None:
    """shouldReturnMatchedWindowsOrderedByTimestamp: size 12, advance 5, record at 21."""
    ks = _ks(make, "HOPPING (SIZE 12 MILLISECONDS, ADVANCE BY 5 MILLISECONDS)")
    ks.pipe("topic", "k", {"V": 1}, 21)
    assert _bounds(ks) == [(("k", 10), 10, 22, 1, 21), (("k", 15), 15, 27, 1, 21), (("k", 20), 20, 32, 1, 21)]


def test_no_hopping_window_starts_below_zero(make: Any) -> None:
    """TimeWindows.windowsFor: max(0, ts - size + advance): a record at 3 is in [0,12) only."""
    ks = _ks(make, "HOPPING (SIZE 12 MILLISECONDS, ADVANCE BY 5 MILLISECONDS)")
    ks.pipe("topic", "k", {"V": 1}, 3)
    assert _bounds(ks) == [(("k", 0), 0, 12, 1, 3)]


def test_time_window_end_is_exclusive(make: Any) -> None:
    """TimeWindow [50,100) does not hold 100: the record at 100 opens [100,150)."""
    ks = _ks(make, "TUMBLING (SIZE 50 MILLISECONDS)")
    ks.pipe("topic", "k", {"V": 1}, 99)
    ks.pipe("topic", "k", {"V": 1}, 100)
    assert _bounds(ks) == [(("k", 50), 50, 100, 1, 99), (("k", 100), 100, 150, 1, 100)]


def test_session_window_end_is_inclusive(make: Any) -> None:
    """SessionWindow [50,100] overlaps a record gap (10) after its end, at 110, and not one at 121 (gap + 1
    after the merged session's end 110)."""
    ks = _ks(make, "SESSION (10 MILLISECONDS)")
    for ts in (50, 100, 110, 121):
        ks.pipe("topic", "k", {"V": 1}, ts)
    assert _bounds(ks) == [
        (("k", 50, 50), 50, 50, 1, 50),
        (("k", 100, 100), 100, 100, 1, 100),
        (("k", 100, 100), None, None, None, 100),
        (("k", 100, 110), 100, 110, 2, 110),
        (("k", 121, 121), 121, 121, 1, 121),
    ]
