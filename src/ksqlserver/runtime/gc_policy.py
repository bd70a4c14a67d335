"""The server process's garbage-collector policy.

Queries allocate a few container objects per record (decoded rows, records) that die young and hold no
reference cycles, yet with CPython's default threshold (700) they trigger a generation-0 collection
every few hundred records, and older generations traverse every live object, consumer messages
included: about a sixth of a stateless query's CPU time. A larger threshold keeps cycle collection
(rare here) while making its cost negligible; freezing moves the objects alive after start-up (modules,
functions, the metastore) out of every later collection.
"""

from __future__ import annotations

import gc

DEFAULT_THRESHOLD = 100_000


def apply(threshold: int = DEFAULT_THRESHOLD) -> None:
    """Collect generation 0 every `threshold` net allocations (0: keep Python's defaults)."""
    if threshold <= 0:
        return
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(threshold, gen1, gen2)
