"""Closing windows: the window indexes rebuilt from the store, windows dropped past their retention, and
EMIT FINAL's emission of the windows closed since the last one (Kafka Streams' `onWindowClose`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ksqlserver.drivers.base import Record
from ksqlserver.plan.aggregate_output import Emit, KeyBytes
from ksqlserver.plan.joins import Clock
from ksqlserver.runtime.operators.windows import SessionIndex, WindowIndex, WindowSpec, segment_interval
from ksqlserver.runtime.state.base import KeyValueStore


class WindowClosing(NamedTuple):
    """The window steps of one aggregation, over its store and indexes."""

    build_indexes: Callable[[], None]  # once, at the first batch (after any restore)
    expire: Callable[[], None]  # per record, after stream time moved
    emit_final: Callable[[Record, list[Any]], None]  # per record under EMIT FINAL


def window_closing(
    window: WindowSpec,
    final: bool,
    store: KeyValueStore,
    sessions: SessionIndex | None,
    time_index: WindowIndex | None,
    stream_time: list[int],
    clock: Clock,
    emit_interval: int,
    thaw: Callable[[tuple[Any, ...]], tuple[Any, ...]],
    key_bytes: KeyBytes,
    agg_row: Callable[[tuple[Any, ...], list[Any], int, tuple[int, int] | None], list[Any]],
    passes: Callable[[list[Any]], bool],
    emit: Emit,
) -> WindowClosing:
    """The window steps of an aggregation over `window`; `stream_time` is the one cell the record path
    advances, `agg_row`/`passes`/`emit` turn a closed window into its output."""
    session = window.is_session
    emit_state = {"last_close": None, "next_look": 0}
    retention = window.retention
    segment = segment_interval(retention)

    def build_indexes() -> None:
        for skey, _ in store.items():
            if sessions is not None:
                sessions.add(skey[:-2], skey[-2], skey[-1])
            elif time_index is not None:
                time_index.track(skey[-2], skey)

    def expire() -> None:
        """Drop the windows whose segment has left the store's retention (no changelog records: a
        restored store drops them again the same way)."""
        # window.min_live_segment(stream_time) * segment - 1, as arithmetic on constants: this runs per record
        horizon = (stream_time[0] - retention) // segment * segment - 1
        if sessions is not None:
            oldest = sessions.oldest_end()
            if oldest is None or oldest > horizon:
                return
            for end, start, gk in sessions.expire_through(horizon):
                store.evict((*gk, start, end))
        elif time_index is not None:
            oldest = time_index.oldest()
            if oldest is None or oldest > horizon:
                return
            if final:  # never before a window had its chance to be emitted
                last = emit_state["last_close"]
                horizon = min(horizon, -1 if last is None else last - window.size_ms)
            for skey in time_index.expire_through(horizon):
                store.evict(skey)

    def emit_final(rec: Record, out: list[Any]) -> None:
        """Kafka Streams' maybeForwardFinalResult: throttled by wall-clock time, then every window closed
        since the last emission, once, by start (sessions: end) then key bytes."""
        now = clock()
        if now < emit_state["next_look"]:
            return
        emit_state["next_look"] = now + emit_interval
        if session:
            close = stream_time[0] - window.grace_ms - window.size_ms
        else:
            close = stream_time[0] - window.grace_ms
        last = emit_state["last_close"]
        if last is not None and last >= close:
            return
        upper = close - 1 if session else close - window.size_ms
        if upper < 0:
            return
        ready: list[tuple[int, bytes, int, tuple[Any, ...], tuple[Any, ...], list[Any]]] = []
        if sessions is not None:
            for end, start, gk in sessions.unemitted_through(upper):
                skey = (*gk, start, end)
                state = store.get(skey)
                if state is not None:
                    gkey = thaw(gk)
                    ready.append((end, key_bytes(gkey), start, skey, gkey, state))
        elif time_index is not None:
            for start, keys in time_index.unemitted_through(upper):
                for skey in keys:
                    state = store.get(skey)
                    if state is not None:
                        gkey = thaw(skey[:-2])
                        ready.append((start, key_bytes(gkey), skey[-1], skey, gkey, state))
        ready.sort(key=lambda r: (r[0], r[1], r[2]))
        for _, _, _, skey, gkey, state in ready:
            wnd = (skey[-2], skey[-1])
            row = agg_row(gkey, state[0], wnd[1] if session else state[1], wnd)
            if passes(row):  # a window failing HAVING gives nothing: there is no earlier output to undo
                emit(gkey, row, wnd[1] if session else state[1], wnd, rec, out)
        emit_state["last_close"] = close

    return WindowClosing(build_indexes, expire, emit_final)
