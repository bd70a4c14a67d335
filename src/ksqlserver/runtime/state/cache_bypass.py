"""A windowed aggregation's store as a pull query reads it: below Kafka Streams' record cache.

ksqlDB 0.29's KsMaterializedWindowTable and KsMaterializedSessionTable read a windowed store through
WindowStoreCacheBypass / SessionStoreCacheBypass (fetch, fetchRange, fetchAll on the innermost store that
getInnermostStore unwraps, past the CachingWindowStore / CachingSessionStore): they see what the record cache
has flushed to the underlying store, at a commit or when an eviction flushed the whole cache, and not the
updates it still holds. (A non-windowed table is read through its cache: KsMaterializedTable.)

Here the aggregation writes its state store at once and only its outputs wait in the query's record cache
(runtime/record_cache.py). `CacheBypassStore` wraps the store: while the cache holds dirty outputs, the first
update of a key since the last flush keeps the key's previous value (what the underlying store still holds);
`flushed_items` serves those values in place of the current ones. The cache's flush count says when the
kept values are stale: a flush (a commit's, or an eviction's, which flushes every dirty entry) wrote every
update so far to the underlying store. (Keyed by the cache object too: a restart installs a new cache.)

Writers that update the inner store's dict inline keep the values themselves before each write, as `keep`
does: the tumbling C step and the generated session loop (`keeping_writes`: the same `_below` dict and
`_since` mark, which are never replaced, so either path sees what the other kept).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ksqlserver.runtime.state.base import KeyValueStore, StoreKey


class CacheBypassStore(KeyValueStore):
    """`inner` (the aggregation's store) seen below the cache that `slot.cache` is (None: no cache, so
    every update is flushed at once). Updates and reads by the aggregation go to `inner`; attributes this
    class does not define (a durable store's) are `inner`'s."""

    def __init__(self, inner: KeyValueStore, slot: Any) -> None:
        super().__init__(inner.query_id, inner.name)
        self.inner = inner
        self.slot = slot  # record_cache.CacheSlot
        # key -> its value when the cache last flushed (None: absent), for keys updated since; never
        # replaced (cleared in place), as inline writers hold it for a batch
        self._below: dict[StoreKey, Any] = {}
        self._since: list[Any] = [None, -1]  # [cache, its flush count] when `_below` was started (in place)

    def __getattr__(self, name: str) -> Any:
        if name == "inner":  # (not set yet: copy / pickle probing)
            raise AttributeError(name)
        return getattr(self.inner, name)

    # --- the aggregation's side ---------------------------------------------------------------------
    def _rebase(self, cache: Any) -> None:
        """Forget the kept values when `cache` flushed (or replaced the one they were kept under) since."""
        since = self._since
        if since[0] is not cache or since[1] != cache.flushes:
            self._below.clear()  # everything was flushed since these were kept
            since[0], since[1] = cache, cache.flushes

    def _keep(self, key: StoreKey) -> None:
        """Remember what the underlying store holds for `key` before its first update since a flush."""
        cache = self.slot.cache
        if cache is None:
            return
        self._rebase(cache)
        if key not in self._below:
            self._below[key] = self.inner.get(key)

    def get(self, key: StoreKey) -> Any | None:
        return self.inner.get(key)

    def getter(self) -> Callable[[StoreKey], Any | None]:
        return self.inner.getter()

    def put(self, key: StoreKey, value: Any) -> None:
        self._keep(key)
        self.inner.put(key, value)

    def delete(self, key: StoreKey) -> None:
        self._keep(key)
        self.inner.delete(key)

    def evict(self, key: StoreKey) -> None:
        """Past the retention: gone from the underlying store too (its segment is dropped)."""
        self._below.pop(key, None)
        self.inner.evict(key)

    def put_target(self) -> tuple[dict[StoreKey, Any], dict[StoreKey, int] | None, int] | None:
        # inline writes would skip `_keep`: with a cache, a writer goes through `put` (and a loop that
        # deletes inline does so only with a put target: `delete` then too), or keeps the values itself
        # (keeping_writes)
        return self.inner.put_target() if self.slot.cache is None else None

    def keeping_writes(
        self,
    ) -> tuple[tuple[dict[StoreKey, Any], dict[StoreKey, int] | None, int], dict[StoreKey, Any], list[Any], Any,
               Callable[[Any], None]] | None:  # fmt: skip
        """For a writer that keeps inline (the generated session loop, the tumbling C step), while a cache
        holds outputs: the inner store's put target, the kept values `below` and the `since` mark (both never
        replaced), the cache, and `rebase`. Before each inline write (or delete) of `key` whose value was `old`, the writer
        does what `keep` does: `if cache.flushes != since[1]: rebase(cache)`, then `if key not in below:
        below[key] = old`. The mark is rebased here, so within the batch only the flush count can move."""
        cache = self.slot.cache
        target = self.inner.put_target() if cache is not None else None
        if target is None:
            return None
        self._rebase(cache)
        return target, self._below, self._since, cache, self._rebase

    def deletes_inline(self) -> bool:
        return self.inner.deletes_inline()

    def mark_deleted(self) -> None:
        self.inner.mark_deleted()

    def logged_keys(self) -> dict[StoreKey, Any] | None:
        return self.inner.logged_keys()

    def items(self) -> Iterator[tuple[StoreKey, Any]]:
        return self.inner.items()

    def __len__(self) -> int:
        return len(self.inner)

    def flush(self) -> None:
        self.inner.flush()

    def close(self) -> None:
        self._below.clear()
        self._since[:] = [None, -1]
        self.inner.close()

    # --- the pull query's side ------------------------------------------------------------------------
    def flushed_items(self) -> Iterator[tuple[StoreKey, Any]]:
        """Every entry as the underlying store holds it: a key updated since the last flush shows its value
        then (or is absent, when it was)."""
        cache, since = self.slot.cache, self._since
        fresh = cache is not None and since[0] is cache and since[1] == cache.flushes
        below = dict(self._below) if fresh else {}
        if not below:
            return self.inner.items()
        out = [(k, below.pop(k) if k in below else v) for k, v in self.inner.items()]
        out += below.items()  # keys deleted since the flush
        return iter([(k, v) for k, v in out if v is not None])
