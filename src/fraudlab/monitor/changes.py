"""Change detection on the score stream with River's detectors (ADWIN, Page-Hinkley).

The detectors read each transaction's score rank within the training scores of its hour of day
(`HourlyReference.score_rank`): uniform on [0, 1] while nothing changes, at any hour, so the daily
cycle of the raw scores does not set them off. The ranks are averaged per minute of transaction time
first: fed one transaction at a time, ADWIN (even at delta 1e-9) and Page-Hinkley raised 14-28 alarms
over the two quiet days of the Kaggle file, which really do shift from day to day; on per-minute
means ADWIN at River's default delta raised 3. ADWIN keeps a window whose two parts must agree in
mean (a change in either direction); Page-Hinkley accumulates deviations from the running mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class ChangeConfig:
    detector: str = "adwin"  # "adwin" or "page_hinkley"
    bucket_s: float = 60.0  # the detectors read the mean rank of each bucket of transaction time
    adwin_delta: float = 0.002
    ph_threshold: float = 1.0  # Page-Hinkley's lambda on the per-bucket mean rank
    ph_delta: float = 0.03
    min_buckets: int = 30


@dataclass
class ScoreChangeDetector:
    config: ChangeConfig = field(default_factory=ChangeConfig)
    alarms_s: list[float] = field(default_factory=list)  # transaction times (seconds) of the alarms

    def __post_init__(self) -> None:
        from river import drift

        if self.config.detector == "adwin":
            # clock=1: test for a change at every bucket (River checks every 32nd by default)
            self._detector: Any = drift.ADWIN(delta=self.config.adwin_delta, clock=1,
                                              grace_period=self.config.min_buckets)
        elif self.config.detector == "page_hinkley":
            self._detector = drift.PageHinkley(min_instances=self.config.min_buckets, delta=self.config.ph_delta,
                                               threshold=self.config.ph_threshold, mode="both")
        else:
            raise ValueError(f"unknown change detector {self.config.detector!r} (adwin or page_hinkley)")
        self._bucket: int | None = None
        self._sum = 0.0
        self._count = 0

    def _close_bucket(self) -> float | None:
        if self._bucket is None or self._count == 0:
            return None
        self._detector.update(self._sum / self._count)
        end = (self._bucket + 1) * self.config.bucket_s
        self._sum, self._count = 0.0, 0
        return end if self._detector.drift_detected else None

    def update(self, ranks: np.ndarray, time_s: np.ndarray) -> list[float]:
        """Feed ranks in transaction-time order; returns the transaction times of new alarms (the
        end of the bucket whose mean set the detector off)."""
        ranks = np.asarray(ranks, dtype=np.float64)
        buckets = np.floor(np.asarray(time_s, dtype=np.float64) / self.config.bucket_s).astype(np.int64)
        new: list[float] = []
        if len(ranks) == 0:
            return new
        cuts = np.flatnonzero(np.diff(buckets)) + 1
        for part in np.split(np.arange(len(ranks)), cuts):
            b = int(buckets[part[0]])
            if self._bucket is not None and b != self._bucket:
                alarm = self._close_bucket()
                if alarm is not None:
                    new.append(alarm)
            self._bucket = b
            self._sum += float(ranks[part].sum())
            self._count += len(part)
        self.alarms_s.extend(new)
        return new
