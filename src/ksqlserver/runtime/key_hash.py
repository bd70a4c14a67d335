"""The hashCode of a pull query's KeyConstraint (ksqldb-engine planner/plan/KeyConstraint), which decides
the order a multi-key lookup reads its keys in: KsLocator.locate puts the keys of more than one lookup in a
HashSet (Sets.newHashSet), and KeyedTableLookupOperator reads them in that set's iteration order.

KeyConstraint.hashCode is Objects.hash(key, windowBounds): the GenericKey (Objects.hash(values), values a
List) and an Optional<WindowBounds> (empty for a non-windowed table, 0). WindowBounds hashes its two
WindowRanges, each Objects.hash(equal, upper, lower) over Guava Ranges of Instants. A range with an
unbounded side hashes by identity in Java (Cut.BelowAll / AboveAll), so only the ranges written here have a
hash: absent, or an `=` bound (Range.singleton). Every hash is a Java int, kept here as an unsigned 32-bit
value."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ksqlserver.catalog.types import SqlType
from ksqlserver.formats.javamap import bucket_order, java_hash, table_size_for

_MASK = 0xFFFFFFFF


def _objects_hash(*hashes: int) -> int:
    """Objects.hash / Arrays.hashCode over element hashCodes."""
    h = 1
    for e in hashes:
        h = (31 * h + e) & _MASK
    return h


def value_hash(value: Any, t: SqlType) -> int | None:
    """The hashCode of a key value as its Java type holds it (BIGINT a Long); None when not modelled."""
    if value is None:
        return 0
    if t.base == "BIGINT" and isinstance(value, int) and not isinstance(value, bool):
        bits = value & 0xFFFFFFFFFFFFFFFF
        return (bits ^ (bits >> 32)) & _MASK  # Long.hashCode
    if t.base in ("STRING", "INTEGER", "DOUBLE", "BOOLEAN"):
        return java_hash(float(value) if t.base == "DOUBLE" else value)
    return None


def _instant_hash(ms: int) -> int:
    """Instant.hashCode of Instant.ofEpochMilli(ms): (int) (seconds ^ (seconds >>> 32)) + 51 * nanos."""
    seconds, millis = divmod(ms, 1000)
    bits = seconds & 0xFFFFFFFFFFFFFFFF
    return ((bits ^ (bits >> 32)) + 51 * millis * 1_000_000) & _MASK


def _range_hash(window_range: Any) -> int | None:
    """WindowRange.hashCode: Objects.hash(equal, upper, lower); `equal` is Range.singleton(instant), whose
    hash is belowValue's (the instant's) * 31 + aboveValue's (its complement)."""
    if window_range.upper is not None or window_range.lower is not None:
        return None
    equal = 0
    if window_range.equal is not None:
        h = _instant_hash(window_range.equal)
        equal = (h * 31 + (~h & _MASK)) & _MASK
    return _objects_hash(equal, 0, 0)


def constraint_hash(key: Sequence[Any], types: Sequence[SqlType], bounds: Any) -> int | None:
    """KeyConstraint.hashCode of a lookup (its key values and window bounds, None for a non-windowed
    table); None when it cannot be known."""
    hashes = []
    for v, t in zip(key, types, strict=False):
        h = value_hash(v, t)
        if h is None:
            return None
        hashes.append(h)
    generic_key = _objects_hash(_objects_hash(*hashes))  # Objects.hash(values): the list's hash, wrapped
    window = 0
    if bounds is not None:
        start, end = _range_hash(bounds.start), _range_hash(bounds.end)
        if start is None or end is None:
            return None
        window = _objects_hash(start, end)
    return _objects_hash(generic_key, window)


def hash_set_order(hashes: Sequence[int]) -> list[int]:
    """The positions of distinct elements (in insertion order) as `new HashSet<>(collection)` iterates them:
    its table is tableSizeFor(max(size / .75 + 1, 16))."""
    table = table_size_for(max(int(len(hashes) / 0.75) + 1, 16))
    return bucket_order(hashes, table)
