"""Closing windows: the window indexes rebuilt from the store, windows dropped past their retention, and
EMIT FINAL's emission of the windows closed since the last one (Kafka Streams' `onWindowClose`); of time
windows, only those its time-ordered store's fetchAll still reads: starting at or after the latest window
start minus the retention, so a jump of stream time that closes several windows at once emits the latest
only under the default retention (size + grace); of sessions, only those whose store segment is still
live (Kafka Streams drops segments past the retention when the closing record is put).

Stream time is kept per input partition (Kafka Streams: per task), so a partition read ahead of another
(a catch-up after a restart) neither makes the other's records late nor closes its windows. EMIT FINAL
state entries carry their partition and an emitted flag ([accumulators, time, emitted, partition]): the
flag is written through the store, so it goes to the changelog with the query's commits and a restored
store emits only the windows it had not emitted.

The close time of each partition's last emission is the processor metadata Kafka Streams commits with the
input offsets (keyed by the store's name) and restores on assignment: after a restart, emission resumes
above it. The stream time itself starts over, as the windowed aggregation processor's does in Kafka
Streams 3.4 (ksqlDB 0.29): a record that was late before a restart can be counted after it, but its
window is not emitted again when the last emission had already covered it."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any, NamedTuple

from ksqlserver.drivers.base import ProcessorMetadata, Record
from ksqlserver.plan.aggregate_output import Emit, KeyBytes
from ksqlserver.plan.joins import Clock
from ksqlserver.runtime.operators.windows import SessionIndex, WindowIndex, WindowSpec, segment_interval
from ksqlserver.runtime.state.base import KeyValueStore

StreamTimes = dict[int, int]  # input partition -> largest timestamp that reached the aggregation


class WindowClosing(NamedTuple):
    """The window steps of one aggregation, over its store and indexes."""

    build_indexes: Callable[[], None]  # once, at the first batch (after any restore)
    expire: Callable[[], None]  # per record, after stream time moved
    # [stream time]: below it `expire` has nothing to drop, as long as no partition is new since its last
    # call (stream time only moved forward); None when every record must call `expire` (EMIT FINAL, or a
    # retention shorter than size + grace)
    expire_due: list[int] | None
    emit_final: Callable[[Record, list[Any]], None]  # per record under EMIT FINAL
    pending: Callable[[int, tuple[Any, ...]], None]  # EMIT FINAL: a new window of a partition, to emit later
    metadata: Callable[[], ProcessorMetadata]  # EMIT FINAL: per partition, the close time of its last emission
    restore: Callable[[ProcessorMetadata], None]  # ... as committed, when partitions are assigned


def window_closing(
    window: WindowSpec,
    final: bool,
    store: KeyValueStore,
    sessions: SessionIndex | None,
    time_index: WindowIndex | None,
    stream_times: StreamTimes,
    clock: Clock,
    emit_interval: int,
    thaw: Callable[[tuple[Any, ...]], tuple[Any, ...]],
    key_bytes: KeyBytes,
    agg_row: Callable[[tuple[Any, ...], list[Any], int, tuple[int, int] | None], list[Any]],
    passes: Callable[[list[Any]], bool],
    emit: Emit,
) -> WindowClosing:
    """The window steps of an aggregation over `window`; `stream_times` is the per-partition stream time
    the record path advances, `agg_row`/`passes`/`emit` turn a closed window into its output."""
    session = window.is_session
    retention = window.retention
    segment = segment_interval(retention)
    # EMIT FINAL, per partition: windows not yet emitted (time windows by start, sessions by end), the
    # close time of the last emission and the next wall-clock time to look
    waiting_windows: dict[int, WindowIndex] = {}
    waiting_sessions: dict[int, list[tuple[int, int, Any]]] = {}
    last_close: dict[int, int] = {}
    next_look: dict[int, int] = {}
    name = store.name
    # A window enters the index above the horizon: a record is accepted only for windows starting (sessions:
    # ending) after stream time - (size + grace), and the horizon lies below stream time - retention. So,
    # while stream time only moves forward, `expire` has nothing to drop until the horizon moves at the next
    # segment boundary of stream time: `due`. (EMIT FINAL holds expiry back until emission: no shortcut.)
    skippable = not final and retention >= window.size_ms + window.grace_ms
    due = [-(1 << 63)]

    def metadata() -> ProcessorMetadata:
        return {part: {name: close} for part, close in last_close.items()}

    def restore(tasks: ProcessorMetadata) -> None:
        for part, values in tasks.items():
            close = values.get(name)
            if close is not None and close > last_close.get(part, -1):
                last_close[part] = close

    def pending(partition: int, skey: tuple[Any, ...]) -> None:
        if session:
            heapq.heappush(waiting_sessions.setdefault(partition, []), (skey[-1], skey[-2], skey[:-2]))
        else:
            idx = waiting_windows.get(partition)
            if idx is None:
                idx = waiting_windows[partition] = WindowIndex()
            idx.track(skey[-2], skey)

    def build_indexes() -> None:
        for skey, state in store.items():
            if sessions is not None:
                sessions.add(skey[:-2], skey[-2], skey[-1])
            elif time_index is not None:
                time_index.track(skey[-2], skey)
            if final and not state[2]:
                pending(state[3] if len(state) > 3 else 0, skey)

    def oldest_waiting() -> int | None:
        """The oldest start (sessions: end) not yet emitted, over all partitions."""
        if session:
            ends = [h[0][0] for h in waiting_sessions.values() if h]
            return min(ends) if ends else None
        starts = [s for s in (i.oldest() for i in waiting_windows.values()) if s is not None]
        return min(starts) if starts else None

    def expire() -> None:
        """Drop the windows whose segment has left the store's retention (no changelog records: a
        restored store drops them again the same way). The store is shared by the partitions: it expires
        by the slowest partition's stream time, and never a window EMIT FINAL has yet to emit."""
        st = min(stream_times.values()) if len(stream_times) > 1 else next(iter(stream_times.values()), -1)
        # window.min_live_segment(st) * segment - 1, as arithmetic on constants: this runs per record
        horizon = (st - retention) // segment * segment - 1
        if skippable:
            due[0] = retention + ((st - retention) // segment + 1) * segment
        if sessions is not None:
            oldest = sessions.oldest_end()
        elif time_index is not None:
            oldest = time_index.oldest()
        else:
            return
        if oldest is None or oldest > horizon:
            return
        if final:
            waiting = oldest_waiting()
            if waiting is not None:
                horizon = min(horizon, waiting - 1)
        if sessions is not None:
            for end, start, gk in sessions.expire_through(horizon):
                store.evict((*gk, start, end))
        else:
            assert time_index is not None
            for skey in time_index.expire_through(horizon):
                store.evict(skey)

    def emit_final(rec: Record, out: list[Any]) -> None:
        """Kafka Streams' maybeForwardFinalResult, per partition (task): throttled by wall-clock time,
        then every window of the record's partition closed since its last emission, once, by start
        (sessions: end) then key bytes; each is marked emitted in the store."""
        part = rec.partition
        now = clock()
        if now < next_look.get(part, 0):
            return
        next_look[part] = now + emit_interval
        st = stream_times.get(part, -1)
        close = st - window.grace_ms - window.size_ms if session else st - window.grace_ms
        last = last_close.get(part)
        if last is not None and last >= close:
            return
        upper = close - 1 if session else close - window.size_ms
        if upper < 0:
            return
        lower = 0
        # what the last emission covered is not emitted again (Kafka Streams' emitRangeLowerBound): only a
        # record counted after a restart, when stream time starts over, can reach a window below it
        if last is not None:
            lower = max(0, last) if session else max(0, last - window.size_ms) + 1
        ready: list[tuple[int, bytes, int, tuple[Any, ...], tuple[Any, ...], list[Any]]] = []
        if session:
            heap = waiting_sessions.get(part)
            while heap and heap[0][0] <= upper:
                end, start, gk = heapq.heappop(heap)
                skey = (*gk, start, end)
                state = store.get(skey)
                # the time-ordered session store drops whole segments past the retention as the record that
                # closes a session is put (KeyValueSegments.getOrCreateSegmentIfLive ->
                # cleanupExpiredSegments), before fetchSessions reads what to emit: such a session is gone
                if (
                    state is not None
                    and not state[2]
                    and end >= lower
                    and not window.expired(end, st)
                    and sessions is not None
                    and sessions.live(gk, start, end)
                ):
                    gkey = thaw(gk)
                    ready.append((end, key_bytes(gkey), start, skey, gkey, state))
        else:
            # the time-ordered window store's fetchAll reads no window starting before its stream time (the
            # largest window start put: that of the latest record) minus the retention, though its segment
            # is still live (AbstractRocksDBTimeOrderedSegmentedBytesStore.fetchAll / getActualFrom): windows
            # a jump of stream time closed together are not all emitted
            lower = max(lower, st - st % window.advance_ms - retention)
            idx = waiting_windows.get(part)
            for skey in idx.expire_through(upper) if idx is not None else ():
                state = store.get(skey)
                if state is not None and not state[2] and skey[-2] >= lower:
                    gkey = thaw(skey[:-2])
                    ready.append((skey[-2], key_bytes(gkey), skey[-1], skey, gkey, state))
        ready.sort(key=lambda r: (r[0], r[1], r[2]))
        for _, _, _, skey, gkey, state in ready:
            wnd = (skey[-2], skey[-1])
            row = agg_row(gkey, state[0], wnd[1] if session else state[1], wnd)
            if passes(row):  # a window failing HAVING gives nothing: there is no earlier output to undo
                emit(gkey, row, wnd[1] if session else state[1], wnd, rec, out)
            # emitted (or judged): durable with the query's state, so a restore does not emit it again
            store.put(skey, [state[0], state[1], True, *state[3:]])
        last_close[part] = close

    return WindowClosing(build_indexes, expire, due if skippable else None, emit_final, pending, metadata, restore)
