"""Keyed state for stateful queries (aggregations, windows, tables), behind one small key-value interface.

Every stateful operator reaches its state only through a `KeyValueStore` opened from a `StateStores`
provider, by query id and store name (ksqlDB's names: `Aggregate-Aggregate-Materialize`,
`KsqlTopic-Reduce`, ...). The in-memory backend is the default; a durable backend (changelog topic plus
local files) implements the same interface and is chosen by configuration.

Keys are tuples of column values (a windowed store appends the window start and end); values are plain
Python data (lists, dicts, numbers, strings, Decimal, bytes). Operators never mutate a value in place
without `put`-ting it back, so a backend that logs changes sees every update.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from typing import Any

StoreKey = tuple[Any, ...]


class KeyValueStore(ABC):
    """One named store of one query."""

    # True when no value holds a tuple (only lists, str, int, float, bool, None, dicts): a changelog then
    # writes values with one orjson call where that gives the same bytes (state_codec.encode_plain)
    plain_values = False

    def __init__(self, query_id: str, name: str) -> None:
        self.query_id = query_id
        self.name = name

    @property
    def full_name(self) -> str:
        """`<query id>-<store name>`: the prefix of the changelog topic ksqlDB would create."""
        return f"{self.query_id}-{self.name}"

    @abstractmethod
    def get(self, key: StoreKey) -> Any | None:
        """The value for `key`, or None."""

    @abstractmethod
    def put(self, key: StoreKey, value: Any) -> None:
        """Insert or replace; `value` must not be None (use `delete`)."""

    @abstractmethod
    def delete(self, key: StoreKey) -> None:
        """Remove `key` (no error when absent)."""

    def evict(self, key: StoreKey) -> None:
        """Drop `key` because it left the store's retention (a window too old to change or be read): no
        changelog record of its own, as Kafka Streams drops old segments locally (a durable store still logs
        the last value of a key changed since its last commit: the change-logging layer logged that put)."""
        self.delete(key)

    @abstractmethod
    def items(self) -> Iterator[tuple[StoreKey, Any]]:
        """Every entry, in insertion order of the keys (a snapshot: the store may change meanwhile)."""

    def range(
        self, lower: StoreKey | None = None, upper: StoreKey | None = None
    ) -> Iterator[tuple[StoreKey, Any]]:
        """Entries with lower <= key <= upper (inclusive, either bound optional), in key order.

        Keys holding None or values of mixed types are compared through `sort_key`, so a scan never fails on
        an incomparable pair.
        """
        lo = None if lower is None else sort_key(lower)
        hi = None if upper is None else sort_key(upper)
        hits = []
        for k, v in self.items():
            sk = sort_key(k)
            if (lo is None or sk >= lo) and (hi is None or sk <= hi):
                hits.append((sk, k, v))
        hits.sort(key=lambda t: t[0])
        for _, k, v in hits:
            yield k, v

    def __len__(self) -> int:
        return sum(1 for _ in self.items())

    def getter(self) -> Callable[[StoreKey], Any | None]:
        """A function doing `get` (per-record loops bind it once; a backend may return a cheaper one)."""
        return self.get

    def put_target(self) -> tuple[dict[StoreKey, Any], dict[StoreKey, int] | None, int] | None:
        """(entries, changes, partition) when `put(k, v)` is exactly `entries[k] = v` and, with `changes`,
        `changes[k] = partition`: a per-batch loop then writes inline (fetch it again per batch: `changes`
        is replaced when the changes are taken). None: call `put`."""
        return None

    def deletes_inline(self) -> bool:
        """True when `delete(k)` is exactly `entries.pop(k, None)` and, with `changes`, `changes[k] =
        partition` (of `put_target`), followed by one `mark_deleted()` before the batch ends: a per-batch
        loop then deletes inline too."""
        return False

    def mark_deleted(self) -> None:
        """What `delete` does beyond the inline steps, once for any number of them (see `deletes_inline`)."""
        return None

    def logged_keys(self) -> dict[StoreKey, Any] | None:
        """With inline deletes (`deletes_inline`) over a store noting changes: the keys that have a
        changelog record (a dict, never replaced). An inline delete of a key not among them may take the
        key out of `changes` instead of noting it (it was put since the changes were last taken, and a
        changelog gets nothing for it), and then needs no `mark_deleted`. None: not supported."""
        return None

    def flush(self) -> None:
        """Make every update so far durable (no-op in memory); called before offsets are committed."""
        return None

    def close(self) -> None:
        """Release resources; the store is not used afterwards."""
        return None


def sort_key(key: StoreKey) -> tuple[Any, ...]:
    """A total order over store keys: None first, then by type name, then by value."""
    return tuple((0, "", 0) if v is None else (1, type(v).__name__, v) for v in key)


class InMemoryKeyValueStore(KeyValueStore):
    """A dict: the default backend (tests, conformance, and queries without durability)."""

    def __init__(self, query_id: str, name: str) -> None:
        super().__init__(query_id, name)
        self._data: dict[StoreKey, Any] = {}

    def get(self, key: StoreKey) -> Any | None:
        return self._data.get(key)

    def getter(self) -> Callable[[StoreKey], Any | None]:
        if type(self).get is not InMemoryKeyValueStore.get:
            return self.get
        return self._data.get  # the dict is never replaced (restore and close clear it in place)

    def put(self, key: StoreKey, value: Any) -> None:
        self._data[key] = value

    def put_target(self) -> tuple[dict[StoreKey, Any], dict[StoreKey, int] | None, int] | None:
        return (self._data, None, 0) if type(self).put is InMemoryKeyValueStore.put else None

    def delete(self, key: StoreKey) -> None:
        self._data.pop(key, None)

    def deletes_inline(self) -> bool:
        return type(self).delete is InMemoryKeyValueStore.delete and self.put_target() is not None

    def items(self) -> Iterator[tuple[StoreKey, Any]]:
        # list(dict.items()) runs in C under the GIL: a consistent snapshot while the query thread writes
        return iter(list(self._data.items()))

    def __len__(self) -> int:
        return len(self._data)

    def close(self) -> None:
        self._data.clear()


StoreFactory = Callable[[str, str], KeyValueStore]  # (query id, store name) -> store


class StateStores:
    """Opens and tracks the stores of every query; one per engine, chosen by configuration."""

    def __init__(self, factory: StoreFactory = InMemoryKeyValueStore) -> None:
        self._factory = factory
        self._stores: dict[tuple[str, str], KeyValueStore] = {}
        self._lock = threading.Lock()

    def open(self, query_id: str, name: str) -> KeyValueStore:
        """The store `name` of `query_id`, created on first use (the same object afterwards)."""
        with self._lock:
            store = self._stores.get((query_id, name))
            if store is None:
                store = self._stores[(query_id, name)] = self._factory(query_id, name)
            return store

    def find(self, query_id: str, name: str) -> KeyValueStore | None:
        return self._stores.get((query_id, name))

    def of_query(self, query_id: str) -> list[KeyValueStore]:
        return [s for (q, _), s in self._stores.items() if q == query_id]

    def attach_query(self, q: Any, topics: Sequence[str]) -> None:
        """Called once a persistent query `q` reading `topics` is built, before it starts: durable stores
        (runtime/state/durable.py) restore its state and hook into its commits here."""

    def cleanup(self, query_id: str) -> None:
        """Forget a terminated query's state for good (durable backends also delete local snapshots)."""
        self.drop(query_id)

    def drop(self, query_id: str) -> None:
        """Close and forget every store of a query (TERMINATE / DROP)."""
        with self._lock:
            for key in [k for k in self._stores if k[0] == query_id]:
                self._stores.pop(key).close()

    def flush(self) -> None:
        for s in list(self._stores.values()):
            s.flush()
