"""Time and session windows as ksqlDB 0.29 (Kafka Streams 3.4) defines them, the windowed key bytes it
writes, and the indexes a windowed store keeps beside its entries.

Tumbling and hopping windows are aligned to the epoch; a record belongs to every window with
start <= ts < end. A window is closed once stream time (the largest record time the aggregation has seen)
reaches end + grace; records for a closed window are dropped. Without GRACE PERIOD ksqlDB builds its
windows with Kafka Streams' deprecated `TimeWindows.of` / `SessionWindows.with`, whose grace is 24 hours
minus the window size (session gap), never below 0.

A windowed store keeps a window for its retention (RETENTION, else size + grace) past its start (time
windows) or end (sessions); Kafka Streams drops whole segments of `max(retention / 2, 60 s)` once they lie
behind stream time minus the retention, which `expired` follows, so memory stays bounded by the windows
still live. `WindowIndex` and `SessionIndex` are what lets the operators find windows by time (expiry,
EMIT FINAL) and a key's sessions by time (merging) without scanning the store.
"""

from __future__ import annotations

import bisect
import heapq
import operator
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ksqlserver.sql import ast

DEFAULT_GRACE_MS = 24 * 60 * 60 * 1000  # Kafka Streams' deprecated default: 24 h minus the window size
_LONG = struct.Struct(">q")
_end_start = operator.itemgetter(0, 1)


def legacy_grace(size_ms: int) -> int:
    """The grace of `TimeWindows.of(size)` / `SessionWindows.with(gap)`: 24 h minus the size, at least 0."""
    return max(DEFAULT_GRACE_MS - size_ms, 0)


def segment_interval(retention_ms: int) -> int:
    """Kafka Streams' RocksDB segment interval for a windowed store of this retention."""
    return max(retention_ms // 2, 60_000)


@dataclass(frozen=True)
class WindowSpec:
    kind: str  # TUMBLING, HOPPING, SESSION
    size_ms: int  # the session gap for SESSION
    advance_ms: int
    grace_ms: int
    retention_ms: int | None  # RETENTION as written (None: the store's default)

    @classmethod
    def of(cls, w: ast.WindowClause) -> WindowSpec:
        kind = str(w.kind).upper()
        size = w.size.millis
        advance = w.advance.millis if w.advance is not None else size
        grace = w.grace.millis if w.grace is not None else legacy_grace(size)
        retention = w.retention.millis if w.retention is not None else None
        return cls(kind, size, advance, grace, retention)

    @property
    def is_session(self) -> bool:
        return self.kind == "SESSION"

    @property
    def retention(self) -> int:
        """How long the store keeps a window: RETENTION, else size (gap) + grace."""
        return self.retention_ms if self.retention_ms is not None else self.size_ms + self.grace_ms

    def windows_for(self, ts: int) -> list[tuple[int, int]]:
        """(start, end) of every time window holding `ts`, oldest first."""
        if self.kind == "TUMBLING":
            start = ts - ts % self.size_ms
            return [(start, start + self.size_ms)]
        start = ts - ts % self.advance_ms
        out = []
        while start > ts - self.size_ms and start >= 0:
            out.append((start, start + self.size_ms))
            start -= self.advance_ms
        out.reverse()
        return out

    def closed(self, end: int, stream_time: int) -> bool:
        """True once a time window ending at `end` no longer accepts records."""
        return end + self.grace_ms <= stream_time

    def min_live_segment(self, stream_time: int) -> int:
        """Windows (by start; sessions by end) in segments below this one have been dropped."""
        return (stream_time - self.retention) // segment_interval(self.retention)

    def expired(self, t: int, stream_time: int) -> bool:
        """True when a window starting (a session ending) at `t` has left the store."""
        return t // segment_interval(self.retention) < self.min_live_segment(stream_time)


def windowed_key_serializer(
    inner: Callable[[Any], bytes | None], session: bool
) -> Callable[[Any, int, int], bytes]:
    """Kafka Streams' windowed key bytes: inner key + start (time windows), or + end + start (session)."""
    if session:
        return lambda kv, start, end: (inner(kv) or b"") + _LONG.pack(end) + _LONG.pack(start)
    return lambda kv, start, end: (inner(kv) or b"") + _LONG.pack(start)


def window_suffix(session: bool) -> Callable[[int, int], bytes]:
    """The bytes a windowed key adds after its inner key: start (time windows), or end then start."""
    if session:
        return lambda start, end: _LONG.pack(end) + _LONG.pack(start)
    return lambda start, end: _LONG.pack(start)


def split_windowed_key(data: bytes, session: bool, size_ms: int | None) -> tuple[bytes, int, int]:
    """(inner key bytes, start, end) of a windowed key (the inverse of `windowed_key_serializer`)."""
    if session:
        end = _LONG.unpack(data[-16:-8])[0]
        start = _LONG.unpack(data[-8:])[0]
        return data[:-16], start, end
    start = _LONG.unpack(data[-8:])[0]
    return data[:-8], start, start + (size_ms or 0)


class WindowIndex:
    """The store keys of a time-windowed store by window start: what expiry and EMIT FINAL visit.

    `track` is called once per new window; keys whose entry is gone by the time they are visited are
    skipped by the caller (the store is the truth, the index only says where to look). With `final`, the
    starts not yet emitted are kept apart for EMIT FINAL."""

    __slots__ = ("_buckets", "_starts", "_unemitted")

    def __init__(self, final: bool = False) -> None:
        self._buckets: dict[int, list[Any]] = {}
        self._starts: list[int] = []  # heap of the bucket starts
        self._unemitted: list[int] | None = [] if final else None  # heap of starts not yet emitted

    def track(self, start: int, key: Any) -> list[Any]:
        """Note `key` under `start`; returns the start's bucket (a caller may append the next keys of the same
        start to it directly, until the next expiry may have removed it)."""
        bucket = self._buckets.get(start)
        if bucket is None:
            bucket = self._buckets[start] = [key]
            heapq.heappush(self._starts, start)
            if self._unemitted is not None:
                heapq.heappush(self._unemitted, start)
        else:
            bucket.append(key)
        return bucket

    def oldest(self) -> int | None:
        return self._starts[0] if self._starts else None

    def expire_through(self, upper: int) -> list[Any]:
        """The keys of every bucket with start <= upper, removed from the index."""
        out: list[Any] = []
        while self._starts and self._starts[0] <= upper:
            out += self._buckets.pop(heapq.heappop(self._starts))
        return out

    def unemitted_through(self, upper: int) -> list[tuple[int, list[Any]]]:
        """(start, keys) of every bucket not yet emitted with start <= upper, oldest first; from now on
        they count as emitted (the buckets stay until they expire)."""
        assert self._unemitted is not None
        out = []
        while self._unemitted and self._unemitted[0] <= upper:
            start = heapq.heappop(self._unemitted)
            keys = self._buckets.get(start)
            if keys is not None:
                out.append((start, keys))
        return out

    def __len__(self) -> int:
        return sum(len(b) for b in self._buckets.values())


class SessionIndex:
    """The live sessions of a session store: per grouping key its sessions ordered by start (they never
    overlap: sessions closer than the gap were merged, so their ends are in order too), and a heap by end
    for expiry (with `final`, a second heap of every session for EMIT FINAL).

    Finding the sessions a record merges with is a bisection in its key's list, not a store scan.

    The expiry heap holds a guard per key, not an entry per session: an entry (end, start, key) whose end
    is at most the end of the key's first (oldest) session. Extending a session - what nearly every record
    does - moves no end below the key's guard, so only a key's first session, or a session put before its
    first one, pushes an entry; an entry is made exact (or dropped, for a key without sessions) when it
    reaches the top. Entries of keys emptied and filled again pile up only in the generic operator, which
    removes a key's last session before adding the merged one; `_compact` then rewrites the heap.

    The generated session loop (plan/fast/aggregate.py) reads and updates `by_key`, `by_end` and `n_live`
    inline for its common cases, as `overlapping`, `remove` and `add` do: a key's list is never empty once a
    record is done, `by_end` stays the same list object (compaction rewrites it in place)."""

    __slots__ = ("_unemitted", "by_end", "by_key", "n_live")

    def __init__(self, final: bool = False) -> None:
        self.by_key: dict[Any, list[tuple[int, int]]] = {}
        self.by_end: list[tuple[int, int, Any]] = []  # heap of (end, start, key): a guard per key
        self._unemitted: list[tuple[int, int, Any]] | None = [] if final else None
        self.n_live = 0  # sessions in the key lists

    def _compact(self) -> None:
        """One exact guard per key with sessions; the EMIT FINAL heap without the sessions merged away."""
        self.by_end[:] = [(ss[0][1], ss[0][0], k) for k, ss in self.by_key.items() if ss]
        heapq.heapify(self.by_end)
        if self._unemitted is not None:
            self._unemitted = [x for x in self._unemitted if self.live(x[2], x[1], x[0])]
            heapq.heapify(self._unemitted)

    def guard(self, key: Any, start: int, end: int) -> None:
        """A guard for a session just put first in the key's list (a new list, or before its first)."""
        heapq.heappush(self.by_end, (end, start, key))
        if len(self.by_end) > 2 * len(self.by_key) + 1024:
            self._compact()

    def overlapping(self, key: Any, lo: int, hi: int) -> list[tuple[int, int]]:
        """(start, end) of the key's sessions with end >= lo and start <= hi, in store order (by end)."""
        sessions = self.by_key.get(key)
        if not sessions:
            return []
        # records mostly come in time order: every session of the key starts before `hi`
        i = len(sessions) if sessions[-1][0] < hi else bisect.bisect_right(sessions, (hi, 1 << 62))
        j = i
        while j > 0 and sessions[j - 1][1] >= lo:
            j -= 1
        return sessions[j:i]

    def add(self, key: Any, start: int, end: int) -> None:
        sessions = self.by_key.get(key)
        first = False
        if sessions is None:
            self.by_key[key] = [(start, end)]
            first = True
        elif not sessions or sessions[-1][0] < start:  # after every session of the key: no bisection
            # (an empty list was emptied by the record's merge: its guard is below the merged end)
            sessions.append((start, end))
        else:
            bisect.insort(sessions, (start, end))
            first = sessions[0][0] == start
        self.n_live += 1
        if first:
            self.guard(key, start, end)
        if self._unemitted is not None:
            heapq.heappush(self._unemitted, (end, start, key))
            if len(self._unemitted) > 2 * self.n_live + 1024:  # EMIT FINAL's heap: an entry per add
                self._compact()

    def remove(self, key: Any, start: int, end: int) -> None:
        sessions = self.by_key.get(key)
        if sessions is None:
            return
        last = sessions[-1]  # the key's latest session (the usual case; a key's list is never empty)
        if last[0] == start and last[1] == end:
            i = len(sessions) - 1
        else:
            i = bisect.bisect_left(sessions, (start, end))
        if i < len(sessions) and sessions[i] == (start, end):
            del sessions[i]
            self.n_live -= 1
            if not sessions:
                del self.by_key[key]

    def live(self, key: Any, start: int, end: int) -> bool:
        sessions = self.by_key.get(key)
        if not sessions:
            return False
        i = bisect.bisect_left(sessions, (start, end))
        return i < len(sessions) and sessions[i] == (start, end)

    def expire_through(self, upper: int) -> list[tuple[int, int, Any]]:
        """Live sessions with end <= upper as (end, start, key), oldest first, removed from the index."""
        out: list[tuple[int, int, Any]] = []
        heap, by_key = self.by_end, self.by_key
        while heap and heap[0][0] <= upper:
            key = heap[0][2]
            sessions = by_key.get(key)
            if not sessions:  # the key's sessions are gone: its guard too
                heapq.heappop(heap)
                continue
            n = 0
            for start, end in sessions:  # the closed ones are a prefix (ends are in order)
                if end > upper:
                    break
                out.append((end, start, key))
                n += 1
            if n:
                del sessions[:n]
                self.n_live -= n
            if sessions:
                heapq.heapreplace(heap, (sessions[0][1], sessions[0][0], key))
            else:
                del by_key[key]
                heapq.heappop(heap)
        out.sort(key=_end_start)  # by end then start; keys are never compared
        return out

    def unemitted_through(self, upper: int) -> list[tuple[int, int, Any]]:
        """Live sessions not yet emitted with end <= upper as (end, start, key), by end; from now on they
        count as emitted (they stay in the key lists until they expire or merge)."""
        assert self._unemitted is not None
        out = []
        while self._unemitted and self._unemitted[0][0] <= upper:
            end, start, key = heapq.heappop(self._unemitted)
            if self.live(key, start, end):
                out.append((end, start, key))
        return out

    def oldest_end(self) -> int | None:
        """The end of the oldest live session: the top guard, made exact first."""
        heap, by_key = self.by_end, self.by_key
        while heap:
            end, _, key = heap[0]
            sessions = by_key.get(key)
            if not sessions:
                heapq.heappop(heap)
            elif sessions[0][1] != end:
                heapq.heapreplace(heap, (sessions[0][1], sessions[0][0], key))
            else:
                return end
        return None

    def __len__(self) -> int:
        return self.n_live

    def heap_size(self) -> int:
        """Entries of the by-end heap, stale ones included (bounded by about twice the keys with sessions)."""
        return len(self.by_end)
