"""Kafka Streams 3.5.1's KTableSuppressProcessorTest (org.apache.kafka.streams.kstream.internals.suppress), the
final-results cases, as ksqlDB 0.29's EMIT FINAL (StreamAggregateBuilder: EmitStrategy.onWindowClose, which
ksqlDB uses in place of suppress(untilWindowCloses)): a window is held until stream time reaches its end +
grace, then written once with its last update's timestamp; no null is ever written for it.

Ported: finalResultsSuppressionShouldBufferAndEmitAtGraceExpiration, finalResultsWithZeroGraceShouldStillBufferUntilTheWindowEnd,
finalResultsShouldDropTombstonesForTimeWindows (a windowed result that HAVING rejects: the EMIT CHANGES
query writes its null, the EMIT FINAL query nothing), finalResultsShouldDropTombstonesForSessionWindows
(a merged-away session: EMIT FINAL writes no null for it).
Skipped:
- finalResultsWithZeroGraceAtWindowEndShouldImmediatelyEmit: an aggregation never updates a window with a
  record at its end (the record belongs to the next window).
- zeroTimeLimitShouldImmediatelyEmit, windowedZeroTimeLimitShouldImmediatelyEmit,
  intermediateSuppressionShouldBufferAndEmitLater, suppressShouldNotDropTombstonesForTimeWindows,
  suppressShouldNotDropTombstonesForSessionWindows, suppressShouldNotDropTombstonesForKTable,
  suppressShouldEmitWhenOverRecordCapacity, suppressShouldEmitWhenOverByteCapacity,
  suppressShouldShutDownWhenOverRecordCapacity, suppressShouldShutDownWhenOverByteCapacity:
  Suppressed.untilTimeLimit and buffer limits have no ksqlDB form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

STREAM = "CREATE STREAM S1 (K STRING KEY, V INT) WITH (KAFKA_TOPIC='topic', PARTITIONS=1, VALUE_FORMAT='JSON');"


def _ks(make: Callable[..., Any], window: str, having: str = "", emits: tuple[str, ...] = ("FINAL",)) -> Any:
    s = make()
    s.sql(STREAM)
    for emit in emits:
        s.sql(f"CREATE TABLE {emit} AS SELECT K, COUNT(*) AS N FROM S1 WINDOW {window} GROUP BY K {having}EMIT {emit};")
    return s


def _pipe(ks: Any, records: list[tuple[str, int]]) -> None:
    for key, ts in records:
        ks.pipe("topic", key, {"V": 1}, ts)


def test_buffer_and_emit_at_grace_expiration(make: Any) -> None:
    """finalResultsSuppressionShouldBufferAndEmitAtGraceExpiration: window [99,100), grace 1: still held at
    stream time 100, written at 101."""
    ks = _ks(make, "TUMBLING (SIZE 1 MILLISECONDS, GRACE PERIOD 1 MILLISECONDS)")
    _pipe(ks, [("hey", 99), ("dummyKey1", 100)])
    assert ks.read("FINAL", "N") == []
    _pipe(ks, [("dummyKey2", 101)])
    assert ks.read("FINAL", "N") == [(("hey", 99), 1, 99)]


def test_zero_grace_still_buffers_until_the_window_end(make: Any) -> None:
    """finalResultsWithZeroGraceShouldStillBufferUntilTheWindowEnd: [0,100) updated at 5 is held until
    stream time 100 even with grace 0, then written with timestamp 5."""
    ks = _ks(make, "TUMBLING (SIZE 100 MILLISECONDS, GRACE PERIOD 0 MILLISECONDS)")
    _pipe(ks, [("hey", 5)])
    assert ks.read("FINAL", "N") == []
    _pipe(ks, [("dummyKey", 100)])
    assert ks.read("FINAL", "N") == [(("hey", 0), 1, 5)]


def test_final_results_drop_tombstones_for_time_windows(make: Any) -> None:
    """finalResultsShouldDropTombstonesForTimeWindows: a window that stops passing HAVING is a null under
    EMIT CHANGES (KTableFilter with old values) and nothing under EMIT FINAL (its final result fails)."""
    ks = _ks(make, "TUMBLING (SIZE 100 MILLISECONDS, GRACE PERIOD 0 MILLISECONDS)", "HAVING COUNT(*) < 2 ", ("CHANGES", "FINAL"))
    _pipe(ks, [("hey", 5), ("hey", 6), ("dummyKey", 100)])
    assert ks.out("CHANGES", "N") == [(("hey", 0), 1, 5), (("hey", 0), None, 6), (("dummyKey", 100), 1, 100)]
    assert ks.out("FINAL", "N") == []


def test_final_results_drop_tombstones_for_session_windows(make: Any) -> None:
    """finalResultsShouldDropTombstonesForSessionWindows: the merge's null for [0,0] is written under EMIT
    CHANGES only; EMIT FINAL writes the merged [0,5] once it closes."""
    ks = _ks(make, "SESSION (10 MILLISECONDS, GRACE PERIOD 0 MILLISECONDS)", emits=("CHANGES", "FINAL"))
    _pipe(ks, [("hey", 0), ("hey", 5), ("dummyKey", 100)])
    assert ks.out("CHANGES", "N") == [
        (("hey", 0, 0), 1, 0),
        (("hey", 0, 0), None, 0),
        (("hey", 0, 5), 2, 5),
        (("dummyKey", 100, 100), 1, 100),
    ]
    assert ks.out("FINAL", "N") == [(("hey", 0, 5), 2, 5)]
