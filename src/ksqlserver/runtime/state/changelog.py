"""A state store backed by a compacted changelog topic, with an optional local snapshot.

The store is the in-memory dict plus a log of what changed: `put`/`delete` note the key and the input
partition being processed (`PartitionContext`); `emit()` turns the changes noted since the last call into
changelog records (the latest value per key, a tombstone for a deleted key), in the changelog partition of
the input partition that caused them, as Kafka Streams does. Each record carries a sequence header so a
restore that reads several partitions keeps the newest value of a key that moved between partitions.

`restore()` rebuilds the store from the local snapshot (if any) plus the changelog from the snapshot's
positions (or from the beginning); `catch_up(p)` reads what other servers wrote to partition `p` since, when
this server is newly assigned `p`.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import filterfalse, repeat
from pathlib import Path
from typing import Any

from ksqlserver.drivers.base import ChangelogIO, Record
from ksqlserver.runtime.state import codec as state_codec
from ksqlserver.runtime.state.base import InMemoryKeyValueStore, StoreKey

log = logging.getLogger("ksqlserver.runtime.state")

SEQ_HEADER = "ksqlserver.seq"
_new = tuple.__new__  # skips NamedTuple's Python-level constructor



class PartitionContext:
    """The input partition a query is processing right now (-1: unknown, e.g. synchronous tests)."""

    __slots__ = ("partition",)

    def __init__(self) -> None:
        self.partition = -1


@dataclass(frozen=True)
class SnapshotConfig:
    """Where and how often a store writes its local snapshot (None dir: changelog only)."""

    directory: Path | None = None
    interval_s: float = 30.0


class SeqClock:
    """Increasing across restarts and (within clock skew) across servers: wall-clock nanoseconds."""

    def __init__(self) -> None:
        self._last = 0

    def __call__(self) -> int:
        self._last = max(self._last + 1, time.time_ns())
        return self._last

    def take(self, n: int) -> int:
        """The first of `n` consecutive values: what `n` calls would give, in one."""
        first = max(self._last + 1, time.time_ns())
        self._last = first + max(n, 1) - 1
        return first


class DurableKeyValueStore(InMemoryKeyValueStore):
    """In memory while running; every change reaches the changelog through `emit()` before a commit."""

    def __init__(self, query_id: str, name: str) -> None:
        super().__init__(query_id, name)
        self.topic = ""  # set by `attach`; until then the store is a plain in-memory store
        self.ctx = PartitionContext()
        self._pending: dict[StoreKey, int] | None = None  # key -> partition, None while not attached
        self._dropped = False  # a key was deleted or evicted since the last emit (it may be in _pending only)
        # pending keys evicted since the last emit -> (last value, partition), in eviction order
        self._evicted: dict[StoreKey, tuple[Any, int]] = {}
        self._meta: dict[StoreKey, tuple[int, int]] = {}  # key -> (seq, partition) of its last record
        self.positions: dict[int, int] = {}  # changelog partition -> next offset read
        self._io: ChangelogIO | None = None
        self._clock = SeqClock()
        self.snapshot = SnapshotConfig()
        self._last_snapshot = time.monotonic()

    # --- the KeyValueStore interface ----------------------------------------------------------------
    def put(self, key: StoreKey, value: Any) -> None:
        self._data[key] = value
        if self._pending is not None:
            self._pending[key] = self.ctx.partition

    def put_target(self) -> tuple[dict[StoreKey, Any], dict[StoreKey, int] | None, int] | None:
        if type(self).put is not DurableKeyValueStore.put:
            return None
        return self._data, self._pending, self.ctx.partition

    def delete(self, key: StoreKey) -> None:
        self._data.pop(key, None)
        if self._pending is not None:
            self._pending[key] = self.ctx.partition
            self._dropped = True

    def deletes_inline(self) -> bool:
        return type(self).delete is DurableKeyValueStore.delete and self.put_target() is not None

    def mark_deleted(self) -> None:
        if self._pending is not None:
            self._dropped = True

    def logged_keys(self) -> dict[StoreKey, Any] | None:
        # `emit` drops a pending key gone from the store without a `_meta` entry: taken out at the delete
        return self._meta if self.deletes_inline() else None

    def evict(self, key: StoreKey) -> None:
        value = self._data.pop(key, None)
        pending = self._pending
        if pending is not None and key in pending:
            if value is None:  # deleted since the last commit: the tombstone stays (a window store's remove)
                self._dropped = True
                return
            # changed since the last commit: Kafka Streams 3.5's ChangeLoggingWindowBytesStore /
            # ChangeLoggingSessionBytesStore log every put that reaches them (at once, or when the caching
            # store flushes it at the commit) and AbstractRocksDBSegmentedBytesStore drops an expired
            # segment without a changelog record: the commit logs the window's last value, no tombstone.
            # Taken out of the pending keys (in eviction order, which every aggregation path shares)
            self._evicted.pop(key, None)
            self._evicted[key] = (value, pending.pop(key))
            return
        self._meta.pop(key, None)

    def close(self) -> None:
        super().close()
        self._meta.clear()
        self._evicted = {}
        self._pending = None if self._pending is None else {}

    # --- durability ---------------------------------------------------------------------------------
    def attach(self, io: ChangelogIO, topic: str, snapshot: SnapshotConfig, clock: SeqClock) -> None:
        self._io, self.topic, self.snapshot, self._clock = io, topic, snapshot, clock
        self._pending = {}

    def partition_count(self) -> int:
        return 1 if self._io is None else max(1, self._io.partitions(self.topic))

    def partition_of(self, key: StoreKey) -> int:
        """The changelog (= input) partition a key lives in; -1 when unknown."""
        if self._pending and key in self._pending:
            return self._pending[key]
        meta = self._meta.get(key)
        return -1 if meta is None else meta[1]

    def emit(self) -> list[Record]:
        """The changelog records for every change since the last call (the latest value per key): the last
        values of the keys evicted since, then the pending keys."""
        evicted = self._evicted
        if evicted:
            self._evicted = {}
            entries = evicted.values()
            records = self._records(list(evicted), [v for v, _ in entries], [p for _, p in entries])
            meta = self._meta
            for k in evicted:  # gone from the store: no `_meta` entry, unless it was put again
                if k not in self._data and (self._pending is None or k not in self._pending):
                    meta.pop(k, None)
            return records + self._emit_pending()
        return self._emit_pending()

    def _emit_pending(self) -> list[Record]:
        if not self._pending:
            return []
        pending, self._pending = self._pending, {}
        # A key put and deleted again since the last call never reached the changelog: it needs no
        # tombstone (a session window extended several times in one commit interval goes through as many
        # keys, each replacing the one before). A key with a changelog record has its `_meta` entry.
        # Only a delete or an evict takes a pending key out of the store: without one, no key to look for.
        data, meta = self._data, self._meta
        if self._dropped:
            self._dropped = False
            # C-level passes (a session aggregation leaves one such key per merge): the keys no longer in
            # the store, of those the ones without a changelog record, out of `pending` (order kept). Not
            # `pending.keys() - data.keys()`: that set difference iterates over the whole store
            gone = list(filterfalse(data.__contains__, pending))
            if gone:
                deque(map(pending.__delitem__, filterfalse(meta.__contains__, gone)), maxlen=0)
        if not pending:
            return []
        # this runs for every state change (an aggregation changes one entry per input): the records are
        # built by C-level iteration (map/zip), one encoder call per key and value
        keys = list(pending)
        return self._records(keys, list(map(self._data.get, keys)), pending.values())

    def _records(self, keys: list[StoreKey], current: list[Any], partitions: Iterable[int]) -> list[Record]:
        """One changelog record per key: its value (None: a tombstone), in its input partition's changelog
        partition, each with the next sequence number; `_meta` notes them."""
        n = max(1, self._io.partitions(self.topic)) if self._io is not None else 1
        # one changelog partition (the common case): every record goes to 0, no pass over the partitions
        parts = [0] * len(keys) if n == 1 else [part % n if part >= 0 else 0 for part in partitions]
        first = self._clock.take(len(keys))
        seqs = range(first, first + len(keys))
        native = state_codec.native()
        if native is not None:  # the same (seq, partition) pairs, without a tuple pass in Python
            native.note_meta(self._meta, keys, first, parts)
        else:
            self._meta.update(zip(keys, zip(seqs, parts, strict=True), strict=True))
        values: list[bytes | None]
        if self.plain_values and None not in current:  # no deleted key: the batch in one check
            values = list(state_codec.encode_plain_values(current))
        elif self.plain_values:  # the live values in one batch, tombstones for the deleted keys
            live = [i for i, v in enumerate(current) if v is not None]
            values = [None] * len(current)
            for i, data in zip(live, state_codec.encode_plain_values([current[i] for i in live]), strict=True):
                values[i] = data
        elif None not in current:
            values = list(state_codec.encode_values(current))
        else:  # the live values in one batch, tombstones for the deleted keys
            live = [i for i, v in enumerate(current) if v is not None]
            values = [None] * len(current)
            for i, data in zip(live, state_codec.encode_values([current[i] for i in live]), strict=True):
                values[i] = data
        now = int(time.time() * 1000)
        if native is not None:  # the same Records, each with its ((SEQ_HEADER, seq text),), built in C
            return native.changelog_records(  # type: ignore[no-any-return]
                Record, state_codec.encode_keys(keys), values, now, parts, first, SEQ_HEADER, ""
            )
        # ((SEQ_HEADER, seq text),) per record, built by C-level iteration: the texts cut from the list's
        # repr ("[s1, s2, ...]", the numbers written as str writes them)
        texts = str(list(seqs))[1:-1].encode().split(b", ")
        headers = list(zip(zip(repeat(SEQ_HEADER), texts)))
        fields = zip(
            state_codec.encode_keys(keys), values, repeat(now), parts, repeat(0), headers, repeat(""),
            strict=False,
        )  # fmt: skip
        return list(map(_new, repeat(Record, len(keys)), fields))

    def apply(self, rec: Record) -> None:
        """One changelog record read back: newer than what the store holds for its key, or ignored."""
        key = state_codec.decode(rec.key) if rec.key is not None else None
        if not isinstance(key, tuple):
            return
        seq = next((int(v) for k, v in rec.headers if k == SEQ_HEADER and v), 0)
        meta = self._meta.get(key)
        if meta is not None and seq <= meta[0]:
            return
        self._meta[key] = (seq, rec.partition)
        if rec.value is None:
            self._data.pop(key, None)
        else:
            self._data[key] = state_codec.decode(rec.value)

    def catch_up(self, partition: int) -> int:
        """Apply what the changelog partition holds beyond this store's position; returns the count."""
        assert self._io is not None
        records, nxt = self._io.read(self.topic, partition, self.positions.get(partition, 0))
        for r in records:
            self.apply(r)
        self.positions[partition] = nxt
        return len(records)

    def restore(self) -> int:
        """Snapshot (if any) + changelog tail of every partition; returns the changelog records applied."""
        assert self._io is not None
        self._data.clear()
        self._meta.clear()
        self.positions = {}
        self._pending = {}
        self._load_snapshot()
        return sum(self.catch_up(p) for p in range(self._io.partitions(self.topic)))

    # --- local snapshot -----------------------------------------------------------------------------
    def _snapshot_path(self) -> Path | None:
        d = self.snapshot.directory
        return None if d is None else d / self.query_id / f"{self.name}.json"

    def _load_snapshot(self) -> None:
        path = self._snapshot_path()
        if path is None or not path.exists():
            return
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("topic") != self.topic:
                return
            for k, v, seq, p in doc["entries"]:
                key = state_codec.from_json(k)
                self._data[key] = state_codec.from_json(v)
                self._meta[key] = (seq, p)
            self.positions = {int(p): int(o) for p, o in doc["positions"].items()}
        except (OSError, ValueError, KeyError, TypeError, state_codec.StateCodecError) as e:
            # a torn or foreign snapshot only costs time: the changelog alone rebuilds the store
            log.warning("store %s: ignoring snapshot %s (%s)", self.full_name, path, e)
            self._data.clear()
            self._meta.clear()
            self.positions = {}

    def maybe_snapshot(self, owned: set[int] | None, force: bool = False) -> bool:
        """Write the snapshot when due. Call only when everything emitted is committed: the positions of
        the partitions this server owns are then the changelog's end (it is their only writer)."""
        path = self._snapshot_path()
        if path is None or self._io is None or self._pending or self._evicted:
            return False
        if not force and time.monotonic() - self._last_snapshot < self.snapshot.interval_s:
            return False
        self._last_snapshot = time.monotonic()
        positions = dict(self.positions)
        for p in owned or ():
            positions[p] = self._io.end_offset(self.topic, p)
        entries = [
            [state_codec.to_json(k), state_codec.to_json(v), *self._meta.get(k, (0, -1))]
            for k, v in list(self._data.items())
        ]
        doc = {"topic": self.topic, "positions": {str(p): o for p, o in positions.items()}, "entries": entries}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc), encoding="utf-8")
        os.replace(tmp, path)
        return True

    def owned_items(self, partitions: set[int] | None) -> Iterator[tuple[StoreKey, Any]]:
        """Entries whose partition is in `partitions` (all, when None; keys of unknown partition always)."""
        for k, v in self.items():
            if partitions is None:
                yield k, v
                continue
            p = self.partition_of(k)
            if p < 0 or p in partitions:
                yield k, v
