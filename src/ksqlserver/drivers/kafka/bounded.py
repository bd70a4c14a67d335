"""`bounded`: a blocking librdkafka call waited for at most so long.

Some librdkafka calls can wait forever for a coordinator that went away with its broker, whatever timeout
they are given (librdkafka issues 3740 and 5511: a consumer's close and synchronous commit, a transactional
producer's send_offsets_to_transaction). A query thread stuck in one stops its output for good. Such calls
run on a daemon thread here; the caller waits `timeout_s` and then goes on without it (the thread, and the
client it holds, are left behind and never used again: a daemon thread does not hold the server's exit).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Unfinished(Exception):
    """The call did not return within its time; its client must not be used again."""

    def __init__(self, what: str, timeout_s: float) -> None:
        super().__init__(f"{what} did not return within {timeout_s:.0f} s (librdkafka hung in it)")
        self.what = what
        self.timeout_s = timeout_s


def bounded(what: str, fn: Callable[..., Any], timeout_s: float, *args: Any, **kwargs: Any) -> Any:
    """`fn(*args, **kwargs)`'s result or exception, or Unfinished after `timeout_s`."""
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, fn(*args, **kwargs)))
        except BaseException as e:  # handed to the caller's thread
            outcome.append((False, e))

    worker = threading.Thread(target=run, name=what, daemon=True)
    worker.start()
    worker.join(timeout_s)
    if not outcome:
        raise Unfinished(what, timeout_s)
    ok, value = outcome[0]
    if not ok:
        raise value
    return value
