"""The iteration order of Java's java.util.HashMap, the map ksqlDB 0.29 builds its map values as.

A HashMap iterates its table's buckets in index order, each bucket's entries in the order they were put
(a resize splits a bucket keeping that order); the index of a key is `(h ^ (h >>> 16)) & (table - 1)` with h
its hashCode. The table is allocated at the first put (16 by default, HashMap(n): tableSizeFor(n), an empty
map's putAll: tableSizeFor(size / 0.75 + 1)) and doubles whenever the size passes 3/4 of it. Serializing a
map (Jackson, Connect's JsonConverter) and its toString follow that order, so a map built here in that order
writes as ksqlDB writes it. Not modelled: bins of 8 or more colliding keys, which HashMap turns into trees.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Hashable, Sequence
from functools import lru_cache
from typing import Any

DEFAULT_TABLE = 16  # HashMap.DEFAULT_INITIAL_CAPACITY
_MAX_TABLE = 1 << 30
_INT_MIN, _INT_MAX = -(1 << 31), (1 << 31) - 1


def table_size_for(capacity: int) -> int:
    """HashMap.tableSizeFor: the table of `new HashMap<>(capacity)`, the smallest power of two not below it
    (1 for 0)."""
    size = 1
    while size < capacity and size < _MAX_TABLE:
        size <<= 1
    return size


def put_all_table(size: int) -> int:
    """The table an empty HashMap allocates for putAll of `size` entries (HashMap.putMapEntries)."""
    return table_size_for(int(size / 0.75 + 1.0))


def java_hash(key: Hashable) -> int | None:
    """The key's hashCode as an unsigned 32-bit int (null: 0); None for a key type not modelled. Integers
    hash as Integer within its range, as Long beyond it."""
    if key is None:
        return 0
    if isinstance(key, str):
        return _string_hash(key)
    if isinstance(key, bool):
        return 1231 if key else 1237
    if isinstance(key, int):
        if _INT_MIN <= key <= _INT_MAX:
            return key & 0xFFFFFFFF
        bits = key & 0xFFFFFFFFFFFFFFFF
        return (bits ^ (bits >> 32)) & 0xFFFFFFFF
    if isinstance(key, float):
        # Double.hashCode over doubleToLongBits (every NaN the canonical one)
        bits = 0x7FF8000000000000 if math.isnan(key) else struct.unpack(">q", struct.pack(">d", key))[0]
        bits &= 0xFFFFFFFFFFFFFFFF
        return (bits ^ (bits >> 32)) & 0xFFFFFFFF
    return None


@lru_cache(maxsize=1 << 16)
def _string_hash(key: str) -> int:
    """String.hashCode over the UTF-16 code units."""
    h = 0
    data = key.encode("utf-16-be", "surrogatepass")
    for i in range(0, len(data), 2):
        h = (31 * h + (data[i] << 8 | data[i + 1])) & 0xFFFFFFFF
    return h


def final_table(size: int, table: int) -> int:
    """The table after `size` distinct puts into one first allocated at `table` (HashMap.resize doubles it
    whenever the size passes its threshold, (int) (table * 0.75))."""
    while size > int(table * 0.75) and table < _MAX_TABLE:
        table <<= 1
    return table


def bucket_order(hashes: Sequence[int], table: int = DEFAULT_TABLE) -> list[int]:
    """The positions of distinct keys with these hashCodes (in put order) in the order a HashMap whose table
    was first allocated at `table` iterates them: by bucket, put order within one."""
    size = final_table(len(hashes), table)
    spread = [(h & 0xFFFFFFFF) ^ ((h & 0xFFFFFFFF) >> 16) for h in hashes]
    return sorted(range(len(hashes)), key=lambda i: (spread[i] & (size - 1), i))


def hashmap_order(entries: dict[Any, Any], table: int = DEFAULT_TABLE) -> dict[Any, Any]:
    """`entries` (in the order they were put) in the order a HashMap whose table was first allocated at
    `table` iterates them; unchanged when a key's type is not modelled."""
    if len(entries) < 2:
        return entries
    hashes = []
    for key in entries:
        h = java_hash(key)
        if h is None:
            return entries
        hashes.append(h)
    order = bucket_order(hashes, table)
    if all(pos == i for i, pos in enumerate(order)):
        return entries
    keys = list(entries)
    return {keys[i]: entries[keys[i]] for i in order}
