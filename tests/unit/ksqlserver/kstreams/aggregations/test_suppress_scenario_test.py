"""Kafka Streams 3.5.1's SuppressScenarioTest (org.apache.kafka.streams.kstream.internals), the final-results
scenarios, as ksqlDB 0.29 writes them: the raw output is the windowed aggregation with EMIT CHANGES, the
suppressed output the same aggregation with EMIT FINAL. ksqlDB 0.29 does not build KTable#suppress for EMIT
FINAL but the aggregation's EmitStrategy.onWindowClose (StreamAggregateBuilder; TableSuppressBuilder is only
for the old tableSuppressV1 step), whose emission matches untilWindowCloses here: a time window once stream
time reaches its end + grace, a session once its end + gap + grace is below stream time, each window once,
with its last update's timestamp (a session: its end), nulls of merged sessions never written.

One difference: suppress buffers every window until it closes, but onWindowClose reads the closed windows
back from its time-ordered store with fetchAll, which reads no window starting before the store's stream
time (the latest window start) minus the retention (AbstractRocksDBTimeOrderedSegmentedBytesStore.fetchAll /
getActualFrom; Kafka Streams' TimeWindowedKStreamIntegrationTest.shouldAggregateWindowedWithNoGrace shows
the loss). With the default retention (size + grace) a window closed together with later ones by a jump of
stream time is not emitted; with a RETENTION long enough, EMIT FINAL writes what suppress writes. The
expected records below are derived from that code, and each time-window scenario runs both ways.

`TimeWindows.of(2).grace(1)` is `WINDOW TUMBLING (SIZE 2 MILLISECONDS, GRACE PERIOD 1 MILLISECONDS)`;
count() is COUNT(*). Both queries read the same input in one engine, as the Java test's two sinks do.

Ported: shouldSupportFinalResultsForTimeWindows, shouldSupportFinalResultsForTimeWindowsWithLargeJump,
shouldSupportFinalResultsForSessionWindows.
Skipped:
- shouldImmediatelyEmitEventsWithZeroEmitAfter, shouldSuppressIntermediateEventsWithTimeLimit,
  shouldSuppressIntermediateEventsWithRecordLimit, shouldSuppressIntermediateEventsWithBytesLimit,
  shouldWorkBeforeGroupBy, shouldWorkBeforeJoinRight, shouldWorkBeforeJoinLeft: Suppressed.untilTimeLimit has
  no ksqlDB form (EMIT FINAL is untilWindowCloses only).
- shouldSupportFinalResultsForSlidingWindows: ksqlDB 0.29 has no sliding windows.
- shouldWorkWithCogrouped: ksqlDB has no cogroup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

STREAM = "CREATE STREAM S1 (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='input', PARTITIONS=1, VALUE_FORMAT='JSON');"


def _ks(make: Callable[..., Any], window: str) -> Any:
    s = make()
    s.sql(STREAM)
    for name, emit in (("RAW", "CHANGES"), ("SUPPRESSED", "FINAL")):
        s.sql(f"CREATE TABLE {name} AS SELECT K, COUNT(*) AS N FROM S1 WINDOW {window} GROUP BY K EMIT {emit};")
    return s


def _pipe(ks: Any, records: list[tuple[str, int]]) -> None:
    for key, ts in records:
        ks.pipe("input", key, {"V": "v1"}, ts)


@pytest.mark.parametrize("retention", ["", "RETENTION 1 SECOND, "], ids=["default", "retained"])
def test_final_results_for_time_windows(make: Any, retention: str) -> None:
    """shouldSupportFinalResultsForTimeWindows: the last record at 0 is beyond the grace of [0,2) (stream
    time 5): dropped from both. The record at 5 closes [0,2) and [2,4) together; under the default
    retention (3) the store's fetchAll starts at 4 - 3 = 1, so [0,2) is not emitted."""
    ks = _ks(make, f"TUMBLING (SIZE 2 MILLISECONDS, {retention}GRACE PERIOD 1 MILLISECONDS)")
    _pipe(ks, [("k1", 0), ("k1", 1), ("k1", 2), ("k1", 1), ("k1", 0), ("k1", 5), ("k1", 0)])
    assert ks.out("RAW", "N") == [
        (("k1", 0), 1, 0),
        (("k1", 0), 2, 1),
        (("k1", 2), 1, 2),
        (("k1", 0), 3, 1),
        (("k1", 0), 4, 1),
        (("k1", 4), 1, 5),
    ]
    emitted = [(("k1", 0), 4, 1), (("k1", 2), 1, 2)]
    assert ks.out("SUPPRESSED", "N") == (emitted if retention else emitted[1:])


@pytest.mark.parametrize("retention", ["", "RETENTION 1 SECOND, "], ids=["default", "retained"])
def test_final_results_for_time_windows_with_large_jump(make: Any, retention: str) -> None:
    """shouldSupportFinalResultsForTimeWindowsWithLargeJump: grace 2; the jump to 30 closes [2,4) and [4,6)
    together, emitted by window start when retained; under the default retention (4) fetchAll starts at
    30 - 4 = 26 and neither is emitted."""
    ks = _ks(make, f"TUMBLING (SIZE 2 MILLISECONDS, {retention}GRACE PERIOD 2 MILLISECONDS)")
    _pipe(ks, [("k1", 0), ("k1", 1), ("k1", 2), ("k1", 0), ("k1", 3), ("k1", 0), ("k1", 4), ("k1", 0), ("k1", 30)])
    assert ks.out("RAW", "N") == [
        (("k1", 0), 1, 0),
        (("k1", 0), 2, 1),
        (("k1", 2), 1, 2),
        (("k1", 0), 3, 1),
        (("k1", 2), 2, 3),
        (("k1", 0), 4, 1),
        (("k1", 4), 1, 4),
        (("k1", 30), 1, 30),
    ]
    emitted = [(("k1", 0), 4, 1), (("k1", 2), 2, 3), (("k1", 4), 1, 4)]
    assert ks.out("SUPPRESSED", "N") == (emitted if retention else emitted[:1])


def test_final_results_for_session_windows(make: Any) -> None:
    """shouldSupportFinalResultsForSessionWindows: gap 5, grace 0; a record of another key moves stream time
    and closes k1's [0,5], so the late k1 @ 5 is dropped; the merged-away sessions' nulls are raw only."""
    ks = _ks(make, "SESSION (5 MILLISECONDS, GRACE PERIOD 0 MILLISECONDS)")
    _pipe(ks, [("k1", 0), ("k1", 5), ("k1", 1), ("k2", 11), ("k1", 5), ("k1", 30)])
    assert ks.out("RAW", "N") == [
        (("k1", 0, 0), 1, 0),
        (("k1", 0, 0), None, 0),
        (("k1", 0, 5), 2, 5),
        (("k1", 0, 5), None, 5),
        (("k1", 0, 5), 3, 5),
        (("k2", 11, 11), 1, 11),
        (("k1", 30, 30), 1, 30),
    ]
    assert ks.out("SUPPRESSED", "N") == [(("k1", 0, 5), 3, 5), (("k2", 11, 11), 1, 11)]
