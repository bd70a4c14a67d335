"""runtime/state/cache_bypass.py: a windowed aggregation's store as WindowStoreCacheBypass /
SessionStoreCacheBypass (ksqlDB 0.29, ksqldb-streams materialization.ks) read it, below Kafka Streams 3.5's
CachingWindowStore / CachingSessionStore: what the record cache last flushed (at a commit, or when an
eviction flushed every dirty entry: ThreadCache.maybeEvict -> NamedCache.evict -> flush)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.runtime.record_cache import CACHE_CLASSES, CacheSlot
from ksqlserver.runtime.state.base import InMemoryKeyValueStore
from ksqlserver.runtime.state.cache_bypass import CacheBypassStore


def rec(key: bytes, value: bytes | None) -> tuple[Any, ...]:
    return (key, value, 0, 0, 0, (), "t")


@pytest.fixture(params=sorted(CACHE_CLASSES, key=lambda c: c.__name__))
def slot(request: pytest.FixtureRequest) -> CacheSlot:
    s = CacheSlot()
    s.cache = request.param(10_000_000)
    return s


def test_updates_since_the_last_flush_are_not_seen(slot: CacheSlot) -> None:
    """A put (and its output cached) is seen once the cache flushed; until then the previous value is."""
    store = CacheBypassStore(InMemoryKeyValueStore("q", "s"), slot)
    store.put(("a", 0, 10), [1])
    slot.cache.fresh(rec(b"a0", b"1"))
    assert list(store.flushed_items()) == []
    assert list(store.items()) == [(("a", 0, 10), [1])]  # the aggregation reads the current state
    slot.flush()
    assert list(store.flushed_items()) == [(("a", 0, 10), [1])]
    store.put(("a", 0, 10), [2])
    store.delete(("b", 0, 10))
    slot.cache.append(rec(b"a0", b"2"))
    assert list(store.flushed_items()) == [(("a", 0, 10), [1])]
    slot.flush()
    assert list(store.flushed_items()) == [(("a", 0, 10), [2])]


def test_a_deleted_key_shows_until_the_flush(slot: CacheSlot) -> None:
    """A session merged away (deleted) since the last flush is still in the underlying store."""
    store = CacheBypassStore(InMemoryKeyValueStore("q", "s"), slot)
    store.put(("a", 1, 1), [1])
    slot.cache.fresh(rec(b"a1", b"1"))
    slot.flush()
    store.delete(("a", 1, 1))
    store.put(("a", 1, 2), [2])
    slot.cache.append(rec(b"a1", None))
    slot.cache.fresh(rec(b"a2", b"2"))
    assert list(store.flushed_items()) == [(("a", 1, 1), [1])]


def test_an_eviction_flushes_everything_before_it() -> None:
    """A dirty eldest entry evicted flushes the whole cache: the updates before it are below the cache, the
    ones after it are not."""
    slot = CacheSlot()
    slot.install(200)
    store = CacheBypassStore(InMemoryKeyValueStore("q", "s"), slot)
    for i in range(3):
        store.put(("k", i), [i])
        slot.cache.fresh(rec(b"k%d" % i, b"x" * 40))
    assert slot.cache.take()  # the third output evicted the first: all flushed
    store.put(("k", 3), [3])
    slot.cache.fresh(rec(b"k3", b"x"))
    assert sorted(store.flushed_items()) == [(("k", i), [i]) for i in range(3)]


def test_without_a_cache_every_update_is_below() -> None:
    """cache.max.bytes.buffering 0: no cache, the fast path may write inline (put_target)."""
    slot = CacheSlot()
    slot.install(0)
    inner = InMemoryKeyValueStore("q", "s")
    store = CacheBypassStore(inner, slot)
    store.put(("a",), [1])
    assert list(store.flushed_items()) == [(("a",), [1])]
    assert store.put_target() == inner.put_target()
    slot.install(10)
    assert store.put_target() is None
