"""`ksql.server.command.topic.rate.limit`: DistributingExecutor takes a permit of a Guava RateLimiter
(SmoothBursty, up to one second of stored permits) for each command it writes, waiting up to one second
(tryAcquire(1, SECONDS)); without one the statement fails with 429."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ksqlserver.errors import KsqlBadRequestError

RATE_LIMIT = "ksql.server.command.topic.rate.limit"  # KsqlRestConfig.KSQL_COMMAND_TOPIC_RATE_LIMIT_CONFIG


class CommandRateLimitError(KsqlBadRequestError):
    """Errors.tooManyRequests: ERROR_CODE_TOO_MANY_REQUESTS."""

    error_code = 42900


class CommandRateLimiter:
    def __init__(
        self,
        permits_per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = 1.0 / permits_per_second
        self._max_stored = permits_per_second  # maxBurstSeconds 1.0
        self._stored = 0.0
        self._clock, self._sleep = clock, sleep
        self._next_free = clock()
        self._lock = threading.Lock()

    def try_acquire(self, timeout: float = 1.0) -> bool:
        """Guava's tryAcquire(1, timeout): False at once if no permit is due within `timeout`, else waits."""
        with self._lock:
            now = self._clock()
            if now > self._next_free:  # resync: permits stored while idle
                self._stored = min(self._max_stored, self._stored + (now - self._next_free) / self._interval)
                self._next_free = now
            if self._next_free - timeout > now:
                return False
            wait = self._next_free - now
            from_stored = min(1.0, self._stored)
            self._next_free += (1.0 - from_stored) * self._interval
            self._stored -= from_stored
        if wait > 0:
            self._sleep(wait)
        return True

    def check(self) -> None:
        if not self.try_acquire():
            raise CommandRateLimitError("DDL/DML rate is crossing the configured rate limit of statements/second")
