"""Kafka Streams' record cache in front of an aggregation's output (`cache.max.bytes.buffering`).

ksqlDB runs every query with Kafka Streams' caching on (KsqlConfig: 10,000,000 bytes, commit.interval.ms
2000): an aggregation's store is a CachingKeyValueStore / CachingWindowStore / CachingSessionStore over a
ThreadCache, and its updates reach the downstream only when the cache flushes them, at each commit or when
the cache outgrows its budget. A key updated many times between two flushes goes downstream once, with its
latest value.

Here the cache holds the aggregation's outputs (the sink record, or a push query's row), one entry per
output key (the sink's key bytes, which carry the window; a push query's grouping values and window). The
rules it keeps, each from the Kafka Streams 3.5 class named:

- NamedCache.put: an update replaces the key's entry and moves the key to the end of the dirty order (the
  arrival order of the latest updates) and of the LRU order.
- NamedCache.flush: each dirty key goes downstream once, in dirty order, with its latest value and that
  update's timestamp (the output records are stamped as TimestampedCacheFlushListener / SessionCacheFlushListener
  stamp them: the value's timestamp, a session's end); flushed entries stay in the cache, clean, except the
  deleted ones.
- CachingKeyValueStore.putAndMaybeForward: a key whose new value and last flushed value are both null
  forwards nothing (a session created and merged away between two flushes leaves no tombstone). The entry
  remembers whether its last flushed output was live (`base`); a key not in the cache was last flushed live
  unless the caller says the update is `fresh` (the aggregation had no live output for it).
- ThreadCache.maybeEvict / NamedCache.evict: while the size estimate exceeds the budget the least recently
  used entry leaves; when it is dirty, the whole cache flushes (the evicted entry first).
- LRUNode.size / LRUCacheEntry: an entry's size estimate is its key and value bytes plus Kafka Streams'
  fixed overheads (node pointers, dirty flag, record context).

The budget is per query: ksqlDB gives each persistent query its own Kafka Streams runtime
(ksql.runtime.feature.shared.enabled is false in 0.29), whose threads split cache.max.bytes.buffering
between them; this engine runs a query's partitions on one thread, which gets the whole budget. A budget
of 0 means no cache: the query writes straight to its output list, one output per update, as before.

`RecordCache` is the C class of `_recordcache.c` (beside this file, built at first use by `nativebuild`) when
it builds, else `PyRecordCache`: the same rules, the same outputs in the same order (a differential test
runs both). Per aggregation output the Python class costs a method of about fifteen lines and a list per
entry that every garbage collection walks; in a session aggregation, where each input updates two keys
(the merged-away session and the new one), that was about a quarter of the query's time.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from itertools import islice
from pathlib import Path
from types import ModuleType
from typing import Any

from nativebuild import BuildError, NativeSpec, load_extension

log = logging.getLogger("ksqlserver.native")

# LRUNode.size: key bytes + 3 references (entry, previous, next); LRUCacheEntry: the dirty flag; the record
# context (ProcessorRecordContext.residentMemorySizeEstimate): timestamp, offset, partition
_NODE_OVERHEAD = 8 + 8 + 8 + 1 + 8 + 8 + 4
_ROW_VALUE_BYTES = 16  # a push query's row: an estimate per column (its output is not serialised here)

# an entry: [item, live, base (last flushed output live), size, dirty]
_ITEM, _LIVE, _BASE, _SIZE, _DIRTY = 0, 1, 2, 3, 4


class PyRecordCache:
    """One query's cache of aggregation outputs. `append` / `fresh` take sink records (key bytes at [0],
    value at [1]); `keyed` takes a push query's rows. Outputs flushed by an eviction collect in `evicted`
    until `take` hands them downstream (with the batch that caused them); `flush` returns every dirty one.

    Every update moves its key to the end of the LRU order and makes it dirty; only a flush makes entries
    clean, and evictions take the eldest. So the dirty entries are always the last `n_dirty` of the LRU
    order, in dirty order (NamedCache's dirty set, without a second structure to keep in step), and the
    eldest entry is dirty exactly when every entry is. `append` and `fresh`, called once per output, do
    NamedCache.put inline."""

    __slots__ = ("_entries", "_evicted", "flushes", "max_bytes", "n_dirty", "size")

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.n_dirty = 0
        self.flushes = 0  # flushes so far (a commit's or an eviction's): what a store below the cache saw
        self._entries: OrderedDict[Any, list[Any]] = OrderedDict()  # LRU order, eldest first
        self._evicted: list[Any] = []

    # --- updates ----------------------------------------------------------------------------------------
    def append(self, rec: Any) -> None:
        """A sink record (row or tombstone) for a key whose last output was live: `put(key, rec, live,
        True, size)`, inline."""
        key, value = rec[0], rec[1]
        size = _NODE_OVERHEAD + len(key or b"") + (0 if value is None else len(value)) + len(rec[6])
        entries = self._entries
        entry = entries.get(key)
        if entry is None:
            entries[key] = [rec, value is not None, True, size, True]
            self.size += size
            self.n_dirty += 1
        elif value is None and not entry[_BASE]:
            del entries[key]  # back to what was last flushed (nothing): see `put`
            self.size -= entry[_SIZE]
            self.n_dirty -= 1  # (an entry with base False is dirty: a flush keeps only live ones)
            return
        else:
            self.size += size - entry[_SIZE]
            entry[_ITEM], entry[_LIVE], entry[_SIZE] = rec, value is not None, size
            entries.move_to_end(key)
            if not entry[_DIRTY]:
                entry[_DIRTY] = True
                self.n_dirty += 1
        if self.size > self.max_bytes:
            self._evict()

    def fresh(self, rec: Any) -> None:
        """A sink row for a key with no live output before (a new group, window or session): `put(key,
        rec, True, False, size)`, inline."""
        key, value = rec[0], rec[1]
        if value is None:
            self.put(key, rec, False, False, _NODE_OVERHEAD + len(key or b"") + len(rec[6]))
            return
        size = _NODE_OVERHEAD + len(key or b"") + len(value) + len(rec[6])
        entries = self._entries
        entry = entries.get(key)
        if entry is None:
            entries[key] = [rec, True, False, size, True]
            self.size += size
            self.n_dirty += 1
        else:
            self.size += size - entry[_SIZE]
            entry[_ITEM], entry[_LIVE], entry[_SIZE] = rec, True, size
            entries.move_to_end(key)
            if not entry[_DIRTY]:
                entry[_DIRTY] = True
                self.n_dirty += 1
        if self.size > self.max_bytes:
            self._evict()

    def keyed(self, key: Any, row: list[Any] | None, fresh: bool) -> None:
        """A push query's row (None: the key's row is gone, which a push query does not show)."""
        try:
            hash(key)
        except TypeError:  # grouping values holding lists or maps
            key = repr(key)
        size = _NODE_OVERHEAD + len(repr(key)) + (0 if row is None else _ROW_VALUE_BYTES * len(row))
        self.put(key, row, row is not None, not fresh, size)

    def put(self, key: Any, item: Any, live: bool, base_if_absent: bool, size: int) -> None:
        """NamedCache.put of the key's latest output, then ThreadCache.maybeEvict."""
        entries = self._entries
        entry = entries.get(key)
        if entry is None:
            if not live and not base_if_absent:
                return  # null over null: nothing to forward, now or at the flush
            entries[key] = [item, live, base_if_absent, size, True]
            self.size += size
            self.n_dirty += 1
        elif not live and not entry[_BASE]:
            # back to what was last flushed (nothing): CachingKeyValueStore forwards nothing for it
            del entries[key]
            self.size -= entry[_SIZE]
            self.n_dirty -= 1  # (an entry with base False is dirty: a flush keeps only live ones)
            return
        else:
            self.size += size - entry[_SIZE]
            entry[_ITEM], entry[_LIVE], entry[_SIZE] = item, live, size
            entries.move_to_end(key)
            if not entry[_DIRTY]:
                entry[_DIRTY] = True
                self.n_dirty += 1
        if self.size > self.max_bytes:
            self._evict()

    def _evict(self) -> None:
        """ThreadCache.maybeEvict: the least recently used entries leave until the cache fits its budget;
        a dirty one flushes the whole cache first (NamedCache.evict -> flush(eldest))."""
        entries = self._entries
        while self.size > self.max_bytes and entries:
            dirty = self.n_dirty == len(entries)  # the eldest is dirty when every entry is
            _, entry = entries.popitem(last=False)
            self.size -= entry[_SIZE]
            if dirty:
                self.n_dirty -= 1
                if entry[_ITEM] is not None:  # (a push query's deleted row shows nothing)
                    self._evicted.append(entry[_ITEM])
                self._flush_into(self._evicted)

    # --- flushing ---------------------------------------------------------------------------------------
    def _flush_into(self, out: list[Any]) -> None:
        """NamedCache.flush: every dirty key once, in dirty order; deleted keys leave the cache."""
        self.flushes += 1
        n = self.n_dirty
        if not n:
            return
        self.n_dirty = 0
        entries = self._entries
        dirty = list(islice(reversed(entries), n))  # the last n entries: the dirty ones, newest first
        dirty.reverse()
        for key in dirty:
            entry = entries[key]
            entry[_DIRTY] = False
            item = entry[_ITEM]
            if item is not None:  # a push query's deleted row: nothing to show
                out.append(item)
            if entry[_LIVE]:
                entry[_BASE] = True
            else:
                del entries[key]
                self.size -= entry[_SIZE]

    def take(self) -> list[Any]:
        """The outputs evictions flushed since the last call."""
        out, self._evicted = self._evicted, []
        return out

    def flush(self) -> list[Any]:
        """The outputs an eviction flushed, then every dirty entry (the commit's flush)."""
        out = self.take()
        self._flush_into(out)
        return out

    def dirty(self) -> bool:
        """Whether outputs wait for a flush."""
        return bool(self.n_dirty or self._evicted)

    def __len__(self) -> int:
        return len(self._entries)


SPEC = NativeSpec(namespace="ksqlserver", sources=(Path(__file__).with_name("_recordcache.c"),), python=True)


def _load() -> ModuleType | None:
    try:
        module = load_extension(SPEC)
    except BuildError as exc:
        log.warning("C record cache unavailable (%s); using the Python one", exc)
        return None
    if (module.NODE_OVERHEAD, module.ROW_VALUE_BYTES) != (_NODE_OVERHEAD, _ROW_VALUE_BYTES):
        log.warning("C record cache built with other size estimates; using the Python one")
        return None
    return module


_native = _load()
RecordCache: Any = PyRecordCache if _native is None else _native.RecordCache
# untrack(obj): a list or tuple of atomic values leaves the garbage collector's lists (_recordcache.c's
# untrack_rec: an aggregation's state entries, which live as long as their window); None without the C module
untrack: Any = None if _native is None else _native.untrack
# what an aggregation's `out` is when it is a cache, not a list (either class: tests run both)
CACHE_CLASSES = frozenset({PyRecordCache, RecordCache})


class CacheSlot:
    """Where a compiled aggregation looks for its cache: set by the query once it knows its properties
    (`install`), None while caching is off."""

    __slots__ = ("cache",)

    def __init__(self) -> None:
        self.cache: Any = None  # RecordCache

    def install(self, max_bytes: int) -> None:
        self.cache = RecordCache(max_bytes) if max_bytes > 0 else None

    def reset(self) -> None:
        """Drop what the cache holds (a restart reads the uncommitted records again, as Kafka Streams
        closes a task dirty and rebuilds its cache)."""
        if self.cache is not None:
            self.cache = self.cache.__class__(self.cache.max_bytes)

    def flush(self) -> list[Any]:
        return [] if self.cache is None else self.cache.flush()

    def dirty(self) -> bool:
        return self.cache is not None and self.cache.dirty()
