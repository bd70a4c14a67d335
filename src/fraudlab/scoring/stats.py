"""The service's running figures: records in/out, rate, consumer lag and latency percentiles."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ServiceReport:
    """One periodic report; `latency_*` is input record timestamp -> result produced, in ms."""

    records_in: int
    scored: int
    alerts: int
    dead_lettered: int
    records_per_s: float
    lag: int | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    latency_p99_ms: float | None
    uptime_s: float

    def as_dict(self) -> dict[str, float | int | None]:
        return dict(self.__dict__)


class ServiceStats:
    """Counters plus a bounded window of recent per-record latencies."""

    def __init__(self, window: int = 200_000) -> None:
        self.started = time.monotonic()
        self.records_in = 0
        self.scored = 0
        self.alerts = 0
        self.dead_lettered = 0
        self._latencies: deque[np.ndarray] = deque()
        self._window_len = 0
        self._window = window
        self._last_time = self.started
        self._last_in = 0
        self.first_input_at: float | None = None  # monotonic times of the first and latest batch
        self.last_input_at: float | None = None

    def add_batch(self, records: int, scored: int, alerts: int, dead: int, latencies_ms: np.ndarray) -> None:
        now = time.monotonic()
        if self.first_input_at is None:
            self.first_input_at = now
        self.last_input_at = now
        self.records_in += records
        self.scored += scored
        self.alerts += alerts
        self.dead_lettered += dead
        if latencies_ms.size:
            self._latencies.append(latencies_ms)
            self._window_len += latencies_ms.size
            while self._window_len - self._latencies[0].size >= self._window:
                self._window_len -= self._latencies.popleft().size

    def report(self, lag: int | None) -> ServiceReport:
        """Rate since the previous report; percentiles over the recent window (then cleared)."""
        now = time.monotonic()
        rate = (self.records_in - self._last_in) / max(now - self._last_time, 1e-9)
        self._last_time, self._last_in = now, self.records_in
        p50 = p95 = p99 = None
        if self._latencies:
            lat = np.concatenate(list(self._latencies))
            p50, p95, p99 = (float(v) for v in np.percentile(lat, [50, 95, 99]))
            self._latencies.clear()
            self._window_len = 0
        return ServiceReport(
            self.records_in, self.scored, self.alerts, self.dead_lettered, round(rate, 1), lag,
            p50, p95, p99, round(now - self.started, 3),
        )
