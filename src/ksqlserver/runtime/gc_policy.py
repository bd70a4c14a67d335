"""The server process's garbage-collector policy.

Queries allocate a few container objects per record (decoded rows, records) that die young and hold no
reference cycles, yet with CPython's default threshold (700) they trigger a generation-0 collection
every few hundred records, and older generations traverse every live object, consumer messages
included: about a sixth of a stateless query's CPU time. A larger threshold keeps cycle collection
(rare here) while making its cost negligible; freezing moves the objects alive after start-up (modules,
functions, the metastore) out of every later collection.

`paused()` holds collections off while a burst of short-lived objects is alive: a commit builds one
changelog record (a record tuple and its header tuples) per changed store key, tens of thousands at
once, and hands them to the producer, after which they are freed by reference counting. A collection
triggered in the middle traverses every one of them (and promotes them, so the next older collection
traverses them again): in py-spy samples of a session aggregation on Kafka, a fifth of the commit's time.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

DEFAULT_THRESHOLD = 100_000

_lock = threading.Lock()
_depth = 0  # paused() blocks running now, over every thread
_disabled_here = False  # whether the outermost paused() disabled the collector (it was enabled)


def apply(threshold: int = DEFAULT_THRESHOLD) -> None:
    """Collect generation 0 every `threshold` net allocations (0: keep Python's defaults)."""
    if threshold <= 0:
        return
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(threshold, gen1, gen2)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside the block (any thread's); the collector's state is restored when the
    last block running ends. A collector disabled by someone else stays disabled."""
    global _depth, _disabled_here
    with _lock:
        if _depth == 0:
            _disabled_here = gc.isenabled()
            if _disabled_here:
                gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _disabled_here:
                _disabled_here = False
                gc.enable()
