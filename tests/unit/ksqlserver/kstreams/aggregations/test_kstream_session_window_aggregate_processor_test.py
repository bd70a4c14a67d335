"""Kafka Streams 3.5.1's KStreamSessionWindowAggregateProcessorTest (org.apache.kafka.streams.kstream.internals),
as the ksqlDB 0.29 query that reaches KStreamSessionWindowAggregate: `WINDOW SESSION (gap, GRACE PERIOD g)`
with COUNT(*) (the test's `aggregate + 1` aggregator and `aggOne + aggTwo` merger), EMIT CHANGES or EMIT
FINAL (StreamAggregateBuilder.visitSessionWindowExpression).

The Java test runs EMIT CHANGES over a caching store unless it says otherwise; ksqlDB's test runner has no
cache, so the expected records here are the uncached operator's, derived from KStreamSessionWindowAggregate
.process: a merge forwards a null for each session merged away, timestamped with that session's end
(maybeForwardUpdate), then the merged session at its end; a record whose session is the window it already
had (the same timestamp) forwards no null. EMIT FINAL forwards each session whose end is below stream time
minus gap minus grace, once, at its end (maybeForwardFinalResult / fetchAndEmit).

Ported: shouldCreateSingleSessionWhenWithinGap, shouldMergeSessions, shouldUpdateSessionIfTheSameTime,
shouldHaveMultipleSessionsForSameIdWhenTimestampApartBySessionGap, shouldRemoveMergedSessionsFromStateStore,
shouldHandleMultipleSessionsAndMerging, shouldGetAggregatedValuesFromValueGetter (a pull query),
shouldImmediatelyForwardNewSessionWhenNonCachedStore, shouldImmediatelyForwardRemovedSessionsWhenMerging,
shouldLogAndMeterWhenSkippingLateRecordWithZeroGrace, shouldLogAndMeterWhenSkippingLateRecordWithNonzeroGrace
(their records; log lines and metrics are not observable in ksqlDB).
Skipped:
- shouldLogAndMeterWhenSkippingNullKeyWithBuiltInMetrics: only a log line and a metric.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

GAP = 5 * 60 * 1000  # GAP_MS


@pytest.fixture(params=["CHANGES", "FINAL"])
def emit(request: pytest.FixtureRequest) -> str:
    return request.param


def _ks(
    make: Callable[..., Any], emit: str, gap: str = "5 MINUTES", grace: str = "0 MILLISECONDS", retention: str = ""
) -> Any:
    s = make()
    s.sql("CREATE STREAM S1 (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='topic1', PARTITIONS=1, VALUE_FORMAT='JSON');")
    s.sql(f"CREATE TABLE T1 AS SELECT K, COUNT(*) AS N FROM S1 WINDOW SESSION ({gap}, {retention}GRACE PERIOD {grace}) "
          f"GROUP BY K EMIT {emit};")  # fmt: skip
    return s


def _pipe(ks: Any, records: list[tuple[str, int]]) -> None:
    for key, ts in records:
        ks.pipe("topic1", key, {"V": "v"}, ts)


def _s(key: str, start: int, end: int, n: int | None, ts: int | None = None) -> tuple[Any, Any, int]:
    """A session record: ((key, start, end), count or None, timestamp: the session's end unless given)."""
    return (key, start, end), n, end if ts is None else ts


def test_single_session_within_gap(make: Any, emit: str) -> None:
    """shouldCreateSingleSessionWhenWithinGap: two records 500 ms apart make one session of count 2."""
    ks = _ks(make, emit)
    _pipe(ks, [("john", 0), ("john", 500)])
    expected = [_s("john", 0, 0, 1), _s("john", 0, 0, None), _s("john", 0, 500, 2)]
    assert ks.out("T1", "N") == ([] if emit == "FINAL" else expected)


def test_merge_sessions(make: Any, emit: str) -> None:
    """shouldMergeSessions: a record between two sessions merges both (count 3); the merged-away sessions
    are nulled in end order. EMIT FINAL: the second record's stream time closes [0,0] (end 0 < 1), which is
    emitted before the third record merges it. The Java test's store keeps sessions GAP_MS * 3
    (persistentSessionStore(STORE_NAME, ofMillis(GAP_MS * 3))): with the default retention (gap + grace)
    findSessions would no longer read [0,0] at stream time GAP + 1 (see the retention test below)."""
    ks = _ks(make, emit, retention="RETENTION 15 MINUTES, ")
    _pipe(ks, [("mel", 0), ("mel", GAP + 1), ("mel", GAP // 2)])
    if emit == "FINAL":
        assert ks.out("T1", "N") == [_s("mel", 0, 0, 1)]
        return
    assert ks.out("T1", "N") == [
        _s("mel", 0, 0, 1),
        _s("mel", GAP + 1, GAP + 1, 1),
        _s("mel", 0, 0, None),
        _s("mel", GAP + 1, GAP + 1, None),
        _s("mel", 0, GAP + 1, 3),
    ]


def test_update_session_if_the_same_time(make: Any, emit: str) -> None:
    """shouldUpdateSessionIfTheSameTime: the merged window equals the new record's [0,0]: no null."""
    ks = _ks(make, emit)
    _pipe(ks, [("mel", 0), ("mel", 0)])
    assert ks.out("T1", "N") == ([] if emit == "FINAL" else [_s("mel", 0, 0, 1), _s("mel", 0, 0, 2)])


def test_multiple_sessions_apart_by_gap(make: Any, emit: str) -> None:
    """shouldHaveMultipleSessionsForSameIdWhenTimestampApartBySessionGap."""
    ks = _ks(make, emit)
    t1, t2 = GAP + 1, 2 * (GAP + 1)
    _pipe(ks, [("mel", 0), ("mel", t1), ("mel", t1), ("mel", t2), ("mel", t2), ("mel", t2)])
    if emit == "FINAL":
        assert ks.out("T1", "N") == [_s("mel", 0, 0, 1), _s("mel", t1, t1, 2)]
        return
    assert ks.out("T1", "N") == [
        _s("mel", 0, 0, 1),
        _s("mel", t1, t1, 1), _s("mel", t1, t1, 2),
        _s("mel", t2, t2, 1), _s("mel", t2, t2, 2), _s("mel", t2, t2, 3),
    ]  # fmt: skip


def test_remove_merged_sessions(make: Any, emit: str) -> None:
    """shouldRemoveMergedSessionsFromStateStore / shouldImmediatelyForwardRemovedSessionsWhenMerging: the
    merged-away [0,0] is nulled at its end, then [0,100] (count 2) at 100; a pull query reads only it."""
    ks = _ks(make, emit)
    _pipe(ks, [("a", 0), ("a", 100)])
    if emit == "FINAL":
        assert ks.out("T1", "N") == []
        return
    assert ks.out("T1", "N") == [_s("a", 0, 0, 1), _s("a", 0, 0, None), _s("a", 0, 100, 2)]
    assert _pull(ks, "a") == [["a", 0, 100, 2]]


def test_forward_removed_sessions_when_merging(make: Any) -> None:
    """shouldImmediatelyForwardRemovedSessionsWhenMerging (uncached, EMIT CHANGES): a@0, a@5."""
    ks = _ks(make, "CHANGES")
    _pipe(ks, [("a", 0), ("a", 5)])
    assert ks.out("T1", "N") == [_s("a", 0, 0, 1), _s("a", 0, 0, None), _s("a", 0, 5, 2)]


def test_multiple_sessions_and_merging(make: Any, emit: str) -> None:
    """shouldHandleMultipleSessionsAndMerging. EMIT FINAL: [0,0] of a, b, c once stream time passes gap + 1
    (key order within the same end), then d's [0, gap/2] once it passes gap + 1 + gap/2."""
    ks = _ks(make, emit)
    h = GAP // 2
    _pipe(ks, [
        ("a", 0), ("b", 0), ("c", 0), ("d", 0), ("d", h),
        ("a", GAP + 1), ("b", GAP + 1), ("a", GAP + 1 + h), ("c", GAP + 1 + h),
    ])  # fmt: skip
    if emit == "FINAL":
        assert ks.out("T1", "N") == [_s("a", 0, 0, 1), _s("b", 0, 0, 1), _s("c", 0, 0, 1), _s("d", 0, h, 2)]
        return
    assert ks.out("T1", "N") == [
        _s("a", 0, 0, 1), _s("b", 0, 0, 1), _s("c", 0, 0, 1), _s("d", 0, 0, 1),
        _s("d", 0, 0, None), _s("d", 0, h, 2),
        _s("a", GAP + 1, GAP + 1, 1), _s("b", GAP + 1, GAP + 1, 1),
        _s("a", GAP + 1, GAP + 1, None), _s("a", GAP + 1, GAP + 1 + h, 2),
        _s("c", GAP + 1 + h, GAP + 1 + h, 1),
    ]  # fmt: skip


def _pull(ks: Any, key: str) -> list[list[Any]]:
    from ...conftest import pull_rows  # the shared pull helper of tests/unit/ksqlserver

    return pull_rows(ks.engine, f"SELECT K, WINDOWSTART, WINDOWEND, N FROM T1 WHERE K = '{key}';")


def test_aggregated_values_from_value_getter(make: Any) -> None:
    """shouldGetAggregatedValuesFromValueGetter: the table's store (read by a pull query) holds [0,0] = 1 and
    [gap+1, gap+1] = 2 under the Java test's retention of 3 gaps. Under the default retention (gap + grace)
    [0,0] has left it: Kafka Streams' AbstractRocksDBSegmentedBytesStore.fetch reads no session ending
    before stream time - retention + 1 (getActualFrom)."""
    ks = _ks(make, "CHANGES", retention="RETENTION 15 MINUTES, ")
    _pipe(ks, [("a", 0), ("a", GAP + 1), ("a", GAP + 1)])
    assert _pull(ks, "a") == [["a", 0, 0, 1], ["a", GAP + 1, GAP + 1, 2]]


def test_pull_reads_no_session_past_retention(make: Any) -> None:
    """AbstractRocksDBSegmentedBytesStore.getActualFrom: with the default retention (gap + grace 0), at stream
    time gap + 1 the session [0,0] is no longer read, though its segment is still live."""
    ks = _ks(make, "CHANGES")
    _pipe(ks, [("a", 0), ("a", GAP + 1), ("a", GAP + 1)])
    assert _pull(ks, "a") == [["a", GAP + 1, GAP + 1, 2]]


def test_immediately_forward_new_sessions(make: Any) -> None:
    """shouldImmediatelyForwardNewSessionWhenNonCachedStore."""
    ks = _ks(make, "CHANGES")
    _pipe(ks, [("a", 0), ("b", 0), ("c", 0)])
    assert ks.out("T1", "N") == [_s("a", 0, 0, 1), _s("b", 0, 0, 1), _s("c", 0, 0, 1)]


def test_skipping_late_record_with_zero_grace(make: Any) -> None:
    """shouldLogAndMeterWhenSkippingLateRecordWithZeroGrace: gap 10, grace 0; at stream time 11 a record
    at 0 would make the session [0,0], which ends before 11 - 10 - 0: dropped."""
    ks = _ks(make, "CHANGES", "10 MILLISECONDS", "0 MILLISECONDS")
    _pipe(ks, [("dummy", 0), ("OnTime1", 0), ("dummy", 11), ("Late1", 0)])
    assert ks.out("T1", "N") == [_s("dummy", 0, 0, 1), _s("OnTime1", 0, 0, 1), _s("dummy", 11, 11, 1)]


def test_skipping_late_record_with_nonzero_grace(make: Any) -> None:
    """shouldLogAndMeterWhenSkippingLateRecordWithNonzeroGrace: gap 10, grace 1: at stream time 11 a record
    at 0 is still on time (0 is not below 11 - 11), at 12 it is late."""
    ks = _ks(make, "CHANGES", "10 MILLISECONDS", "1 MILLISECONDS")
    _pipe(ks, [("dummy", 0), ("OnTime1", 0), ("dummy", 11), ("OnTime2", 0), ("dummy", 12), ("Late1", 0)])
    assert ks.out("T1", "N") == [
        _s("dummy", 0, 0, 1),
        _s("OnTime1", 0, 0, 1),
        _s("dummy", 11, 11, 1),
        _s("OnTime2", 0, 0, 1),
        _s("dummy", 11, 11, None),
        _s("dummy", 11, 12, 2),
    ]


def test_emit_final_session_merged_into_its_own_bounds_is_emitted_once(make: Any) -> None:
    """KStreamSessionWindowAggregate.process / fetchAndEmit under EMIT FINAL: a record inside a session
    removes the session and puts the merged one under the same bounds; the time-ordered session store holds
    it once, so closing it emits it once (it used to be queued for emission twice)."""
    ks = _ks(make, "FINAL", "10 MILLISECONDS")
    _pipe(ks, [("a", 0), ("a", 6), ("a", 3), ("a", 3), ("b", 100)])
    assert ks.out("T1", "N") == [_s("a", 0, 6, 4)]


def test_emit_final_session_in_an_expired_segment_is_not_emitted(make: Any) -> None:
    """KStreamSessionWindowAggregate.process under EMIT FINAL (gap 10 s, grace 0: retention 10 s, segments of
    60 s): the record at 200 s is put first, and its put drops every segment below (200 s - 10 s) / 60 s
    (KeyValueSegments.getOrCreateSegmentIfLive -> AbstractSegments.cleanupExpiredSegments), so [0,0] is
    gone before fetchSessions looks for closed sessions. At 30 s its segment is still live: emitted."""
    ks = _ks(make, "FINAL", "10 SECONDS")
    _pipe(ks, [("a", 0), ("b", 200_000)])
    assert ks.out("T1", "N") == []
    ks = _ks(make, "FINAL", "10 SECONDS")
    _pipe(ks, [("a", 0), ("b", 30_000)])
    assert ks.out("T1", "N") == [_s("a", 0, 0, 1)]


def test_session_ending_before_the_store_retention_is_not_merged(make: Any) -> None:
    """KStreamSessionWindowAggregate.process finds the sessions to merge with store.findSessions(key,
    ts - gap, ts + gap), a single-key fetch that reads no session ending before the store's stream time
    (the largest session end put, 25) - retention (gap + grace = 10) + 1 (AbstractRocksDBSegmentedBytesStore
    .fetch / getActualFrom). So a @ 18 does not see [0,10] (its end 10 < 16) and starts its own session,
    which is not late (18 >= 25 - 10)."""
    ks = _ks(make, "CHANGES", "10 MILLISECONDS", "0 MILLISECONDS")
    _pipe(ks, [("a", 0), ("a", 10), ("b", 25), ("a", 18)])
    assert ks.out("T1", "N") == [
        _s("a", 0, 0, 1),
        _s("a", 0, 0, None),
        _s("a", 0, 10, 2),
        _s("b", 25, 25, 1),
        _s("a", 18, 18, 1),
    ]
