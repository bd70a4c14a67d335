"""The pull-query rate limit, `ksql.query.pull.max.qps` (ksqlDB's rest.util.RateLimiter over Guava's
RateLimiter.create(permitsPerSecond), a SmoothBursty limiter that may store up to one second of permits)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ksqlserver.formats.javatext import py_java_double
from ksqlserver.server.errors import HttpError


class PullRateLimiter:
    """`check()` takes a permit or raises the 429 ServerUtils.handleEndpointException makes of the
    KsqlRateLimitException RateLimiter.checkLimit throws."""

    def __init__(self, permits_per_second: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = float(permits_per_second)
        self._interval = 1.0 / self.rate
        self._max_stored = self.rate  # SmoothBursty's maxBurstSeconds of 1.0
        self._stored = 0.0
        self._clock = clock
        self._next_free = clock()
        self._lock = threading.Lock()

    def try_acquire(self) -> bool:
        """Guava's tryAcquire(): a permit only if one is free now (no waiting)."""
        with self._lock:
            now = self._clock()
            if now < self._next_free:
                return False
            # resync: permits stored while idle, up to a second's worth
            self._stored = min(self._max_stored, self._stored + (now - self._next_free) / self._interval)
            self._next_free = now
            from_stored = min(1.0, self._stored)
            self._next_free += (1.0 - from_stored) * self._interval  # stored permits are free (bursty)
            self._stored -= from_stored
            return True

    def check(self) -> None:
        if not self.try_acquire():
            raise HttpError(
                429,
                42900,
                f"Host is at rate limit for pull queries. Currently set to {py_java_double(self.rate)} qps.",
            )
