"""The record cache (runtime/record_cache.py) rule by rule, each against the Kafka Streams 3.5 class it
follows."""

from __future__ import annotations

import sys

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.runtime import record_cache
from ksqlserver.runtime.record_cache import CacheSlot, RecordCache

# every rule holds for both classes: the C one (runtime/_recordcache.c) and the Python one it replaces
_IMPLS = [record_cache.PyRecordCache] + (
    [] if record_cache.RecordCache is record_cache.PyRecordCache else [record_cache.RecordCache]
)


@pytest.fixture(autouse=True, params=_IMPLS, ids=lambda c: c.__module__)
def _impl(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "RecordCache", request.param)
    monkeypatch.setattr(record_cache, "RecordCache", request.param)



def rec(key: bytes, value: bytes | None, ts: int = 0) -> Record:
    return Record(key, value, ts, 0, 0, (), "sink")


def keys_values(out: list[Record]) -> list[tuple[bytes | None, bytes | None, int]]:
    return [(r.key, r.value, r.timestamp) for r in out]


def test_flush_forwards_each_dirty_key_once_in_dirty_order_with_its_latest_value() -> None:
    """NamedCache.put moves an updated key to the end of the dirty keys (remove, then add); NamedCache.flush
    forwards each dirty key once, in that order, with its latest value and that update's timestamp."""
    c = RecordCache(10_000_000)
    c.fresh(rec(b"a", b"1", 10))
    c.fresh(rec(b"b", b"1", 11))
    c.append(rec(b"a", b"2", 12))
    c.fresh(rec(b"c", b"1", 13))
    c.append(rec(b"b", b"2", 9))  # the latest update's timestamp, even when it is older
    assert c.take() == []  # nothing leaves before a flush
    assert keys_values(c.flush()) == [(b"a", b"2", 12), (b"c", b"1", 13), (b"b", b"2", 9)]
    assert c.flush() == [] and not c.dirty()


def test_flushed_entries_stay_clean_and_update_again() -> None:
    """NamedCache.flush marks the flushed entries clean (they stay cached); a later update makes the key
    dirty again and the next flush forwards only it."""
    c = RecordCache(10_000_000)
    c.fresh(rec(b"a", b"1"))
    c.fresh(rec(b"b", b"1"))
    c.flush()
    assert len(c) == 2
    c.append(rec(b"b", b"2"))
    assert keys_values(c.flush()) == [(b"b", b"2", 0)]


def test_null_over_null_forwards_nothing() -> None:
    """CachingKeyValueStore.putAndMaybeForward (and CachingSessionStore's flush) forward nothing for a key
    whose new value and last flushed value are both null: a session created and merged away between two
    flushes leaves no tombstone."""
    c = RecordCache(10_000_000)
    c.fresh(rec(b"s1", b"1", 5))
    c.append(rec(b"s1", None, 5))  # merged away before any flush
    c.fresh(rec(b"s2", b"2", 7))
    assert keys_values(c.flush()) == [(b"s2", b"2", 7)]
    assert len(c) == 1  # s1 is gone entirely


def test_a_tombstone_for_a_flushed_key_is_forwarded_and_leaves_the_cache() -> None:
    """A key whose last flushed value is live forwards its tombstone; NamedCache.flush then deletes the
    entries it flushed as null."""
    c = RecordCache(10_000_000)
    c.fresh(rec(b"s1", b"1", 5))
    c.flush()
    c.append(rec(b"s1", None, 6))
    assert keys_values(c.flush()) == [(b"s1", None, 6)]
    assert len(c) == 0
    # a key not in the cache whose last output was live (flushed, then evicted clean): its tombstone counts
    c.append(rec(b"s9", None, 8))
    assert keys_values(c.flush()) == [(b"s9", None, 8)]


def test_a_tombstone_then_a_row_within_an_interval_forwards_the_row() -> None:
    """KStreamSessionWindowAggregate removes a session a record falls into and puts it again under the same
    key: the cache keeps the latest value (the row), whatever was flushed before."""
    c = RecordCache(10_000_000)
    c.fresh(rec(b"s", b"1"))
    c.flush()
    c.append(rec(b"s", None))
    c.fresh(rec(b"s", b"2"))
    assert keys_values(c.flush()) == [(b"s", b"2", 0)]
    c.append(rec(b"s", None))
    c.fresh(rec(b"s", b"3"))
    c.append(rec(b"s", None))  # the last flushed value (b"2") is live: the tombstone goes out
    assert keys_values(c.flush()) == [(b"s", None, 0)]


def test_size_eviction_of_a_dirty_entry_flushes_the_whole_cache_eldest_first() -> None:
    """ThreadCache.maybeEvict evicts the least recently used entry while the size estimate exceeds the
    budget; NamedCache.evict of a dirty entry flushes every dirty entry, the evicted one first."""
    one = RecordCache(10_000_000)
    one.fresh(rec(b"a", b"1"))
    size = one.size  # LRUNode.size of this entry
    c = RecordCache(3 * size)
    c.fresh(rec(b"a", b"1"))
    c.fresh(rec(b"b", b"1"))
    c.fresh(rec(b"c", b"1"))
    c.append(rec(b"a", b"2"))  # a is now the most recently used, b the eldest
    assert c.take() == []
    c.fresh(rec(b"d", b"1"))  # over budget: b leaves, and flushes c, a and d with it
    assert keys_values(c.take()) == [(b"b", b"1", 0), (b"c", b"1", 0), (b"a", b"2", 0), (b"d", b"1", 0)]
    assert len(c) == 3 and c.size <= 3 * size
    assert not c.dirty() and c.flush() == []


def test_size_eviction_of_a_clean_entry_forwards_nothing() -> None:
    """NamedCache.evict flushes only when the evicted entry is dirty."""
    one = RecordCache(10_000_000)
    one.fresh(rec(b"a", b"1"))
    c = RecordCache(2 * one.size)
    c.fresh(rec(b"a", b"1"))
    c.fresh(rec(b"b", b"1"))
    c.flush()
    c.fresh(rec(b"c", b"1"))  # a (clean) leaves
    assert c.take() == []
    assert keys_values(c.flush()) == [(b"c", b"1", 0)]


def test_entry_size_follows_lru_node_size() -> None:
    """LRUNode.size: key bytes + 24 (three references) + LRUCacheEntry.size (1 for the dirty flag, the
    value bytes and the record context: timestamp, offset, partition, topic)."""
    c = RecordCache(10_000_000)
    c.fresh(rec(b"key", b"value"))
    assert c.size == 3 + 24 + 1 + 5 + 8 + 8 + 4 + len("sink")
    c.flush()
    c.append(rec(b"key", None))
    assert c.size == 3 + 24 + 1 + 8 + 8 + 4 + len("sink")


def test_push_query_rows_are_cached_by_key_and_tombstones_show_nothing() -> None:
    """A push query's rows go through the same cache, keyed by grouping values and window; a deleted row
    withdraws the cached one and shows nothing itself."""
    c = RecordCache(10_000_000)
    c.keyed((("a",), None), ["a", 1], True)
    c.keyed((("a",), None), ["a", 2], False)
    c.keyed((("b",), (0, 5)), ["b", 1], True)
    c.keyed((("b",), (0, 5)), None, False)
    c.keyed(([1, 2], None), [[1, 2], 1], True)  # unhashable grouping values
    assert c.flush() == [["a", 2], [[1, 2], 1]]
    c.keyed((("a",), None), None, False)
    assert c.flush() == [] and len(c) == 1


def test_a_slot_with_zero_bytes_has_no_cache() -> None:
    """cache.max.bytes.buffering 0: no cache at all (the aggregation writes one output per update)."""
    slot = CacheSlot()
    slot.install(0)
    assert slot.cache is None and slot.flush() == [] and not slot.dirty()
    slot.install(100)
    assert slot.cache is not None and slot.cache.max_bytes == 100


def test_a_reset_drops_what_the_cache_holds() -> None:
    """A restart reads the records since the last commit again: their cached outputs are dropped (Kafka
    Streams closes the task dirty, its cache with it), the budget kept."""
    slot = CacheSlot()
    slot.install(1000)
    assert slot.cache is not None
    slot.cache.fresh(rec(b"a", b"1"))
    slot.reset()
    assert slot.cache is not None and slot.cache.max_bytes == 1000 and not slot.dirty() and slot.flush() == []
