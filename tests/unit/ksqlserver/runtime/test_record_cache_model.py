"""The record cache (runtime/record_cache.py) against a plain model of Kafka Streams 3.5's NamedCache and
ThreadCache: an LRU map plus a separate dirty set, as NamedCache keeps them (`dirtyKeys`, a LinkedHashSet
whose put removes and re-adds the key). The cache keeps no dirty set (its dirty entries are the last ones of
the LRU order); on random updates, takes and flushes, with budgets that evict, its outputs, sizes and LRU
order must be the model's after every step."""

from __future__ import annotations

import random
import sys
from collections import OrderedDict
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.runtime import record_cache
from ksqlserver.runtime.record_cache import _NODE_OVERHEAD, _ROW_VALUE_BYTES, RecordCache

# every rule holds for both classes: the C one (runtime/_recordcache.c) and the Python one it replaces
_IMPLS = [record_cache.PyRecordCache] + (
    [] if record_cache.RecordCache is record_cache.PyRecordCache else [record_cache.RecordCache]
)


@pytest.fixture(autouse=True, params=_IMPLS, ids=lambda c: c.__module__)
def _impl(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "RecordCache", request.param)
    monkeypatch.setattr(record_cache, "RecordCache", request.param)



class ModelCache:
    """NamedCache.put / flush / evict and ThreadCache.maybeEvict, with CachingKeyValueStore's null-over-null
    rule, written plainly: entries [item, live, base, size] in LRU order, dirty keys in dirty order."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.size = max_bytes, 0
        self.entries: OrderedDict[Any, list[Any]] = OrderedDict()
        self.dirty: dict[Any, None] = {}
        self.evicted: list[Any] = []

    def sink(self, rec: Record, fresh: bool) -> None:
        size = _NODE_OVERHEAD + len(rec[0] or b"") + (0 if rec[1] is None else len(rec[1])) + len(rec[6])
        self.put(rec[0], rec, rec[1] is not None, not fresh, size)

    def keyed(self, key: Any, row: list[Any] | None, fresh: bool) -> None:
        size = _NODE_OVERHEAD + len(repr(key)) + (0 if row is None else _ROW_VALUE_BYTES * len(row))
        self.put(key, row, row is not None, not fresh, size)

    def put(self, key: Any, item: Any, live: bool, base_if_absent: bool, size: int) -> None:
        entry = self.entries.get(key)
        if entry is None:
            if not live and not base_if_absent:
                return
            self.entries[key] = [item, live, base_if_absent, size]
            self.size += size
        elif not live and not entry[2]:
            del self.entries[key]
            self.dirty.pop(key, None)
            self.size -= entry[3]
            return
        else:
            self.size += size - entry[3]
            entry[0], entry[1], entry[3] = item, live, size
            self.entries.move_to_end(key)
            self.dirty.pop(key, None)
        self.dirty[key] = None
        while self.size > self.max_bytes and self.entries:
            k, e = self.entries.popitem(last=False)
            self.size -= e[3]
            if k in self.dirty:
                del self.dirty[k]
                if e[0] is not None:
                    self.evicted.append(e[0])
                self.flush_into(self.evicted)

    def flush_into(self, out: list[Any]) -> None:
        dirty, self.dirty = self.dirty, {}
        for k in dirty:
            e = self.entries[k]
            if e[0] is not None:
                out.append(e[0])
            if e[1]:
                e[2] = True
            else:
                del self.entries[k]
                self.size -= e[3]

    def take(self) -> list[Any]:
        out, self.evicted = self.evicted, []
        return out

    def flush(self) -> list[Any]:
        out = self.take()
        self.flush_into(out)
        return out


@pytest.mark.parametrize("seed", range(60))
def test_record_cache_matches_the_named_cache_model(seed: int) -> None:
    """NamedCache.put/flush/evict, ThreadCache.maybeEvict, CachingKeyValueStore.putAndMaybeForward (null
    over null forwards nothing): the same outputs in the same order, sizes, LRU order and dirtiness."""
    rnd = random.Random(seed)
    budget = rnd.choice([1, 200, 400, 1000, 5000, 10**9])
    n_keys = rnd.choice([2, 5, 30])
    cache, model = RecordCache(budget), ModelCache(budget)
    got: list[Any] = []
    want: list[Any] = []
    for step in range(300):
        op = rnd.random()
        if op < 0.8:
            value = None if rnd.random() < 0.35 else b"v%d" % step
            r = Record(b"k%d" % rnd.randrange(n_keys), value, step, 0, 0, (), "T")
            fresh = op < 0.4
            (cache.fresh if fresh else cache.append)(r)
            model.sink(r, fresh)
        elif op < 0.9:
            key, row = ("g", rnd.randrange(n_keys)), None if rnd.random() < 0.3 else [step, 1]
            fresh = rnd.random() < 0.5
            cache.keyed(key, row, fresh)
            model.keyed(key, row, fresh)
        elif op < 0.95:
            got += cache.take()
            want += model.take()
        else:
            got += cache.flush()
            want += model.flush()
        assert (cache.size, len(cache), cache.dirty()) == (model.size, len(model.entries), bool(model.dirty or model.evicted))
        assert list(cache._entries) == list(model.entries)
        assert got == want
    assert got + cache.flush() == want + model.flush()
