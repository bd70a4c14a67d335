"""Time windows as ksqlDB (Kafka Streams) defines them, and the windowed key bytes it writes.

Tumbling and hopping windows are aligned to the epoch; a record belongs to every window with
start <= ts < end. A window is closed once stream time (the largest record time seen) reaches
end + grace; records for a closed window are dropped. ksqlDB 0.29's default grace is 24 hours.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ksqlserver.sql import ast

DEFAULT_GRACE_MS = 24 * 60 * 60 * 1000
_LONG = struct.Struct(">q")


@dataclass(frozen=True)
class WindowSpec:
    kind: str  # TUMBLING, HOPPING, SESSION
    size_ms: int  # the session gap for SESSION
    advance_ms: int
    grace_ms: int
    retention_ms: int | None

    @classmethod
    def of(cls, w: ast.WindowClause) -> WindowSpec:
        kind = str(w.kind).upper()
        size = w.size.millis
        advance = w.advance.millis if w.advance is not None else size
        grace = w.grace.millis if w.grace is not None else DEFAULT_GRACE_MS
        retention = w.retention.millis if w.retention is not None else None
        return cls(kind, size, advance, grace, retention)

    @property
    def is_session(self) -> bool:
        return self.kind == "SESSION"

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
        """True once a window ending at `end` no longer accepts records."""
        return end + self.grace_ms <= stream_time


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
