"""Change detection on the score stream with River's detectors (ADWIN, Page-Hinkley).

The detectors read each transaction's score rank within the training scores of its hour of day
(`HourlyReference.score_rank`): uniform on [0, 1] while nothing changes, at any hour, so the daily
cycle of the raw scores does not set them off. ADWIN keeps a window whose two halves must agree in
mean (a change in either direction); Page-Hinkley accumulates deviations from the running mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class ChangeConfig:
    detector: str = "adwin"  # "adwin" or "page_hinkley"
    adwin_delta: float = 1e-5  # ADWIN's confidence: lower = fewer false alarms, later detection
    ph_threshold: float = 50.0  # Page-Hinkley's lambda on the rank stream
    ph_delta: float = 0.005
    min_instances: int = 2000  # no alarm before this many transactions (the detector's warm-up)


@dataclass
class ScoreChangeDetector:
    config: ChangeConfig = field(default_factory=ChangeConfig)
    alarms_s: list[float] = field(default_factory=list)  # transaction times (seconds) of the alarms

    def __post_init__(self) -> None:
        from river import drift

        if self.config.detector == "adwin":
            self._detector: Any = drift.ADWIN(delta=self.config.adwin_delta,
                                              min_window_length=50, grace_period=self.config.min_instances)
        elif self.config.detector == "page_hinkley":
            self._detector = drift.PageHinkley(min_instances=self.config.min_instances,
                                               delta=self.config.ph_delta, threshold=self.config.ph_threshold,
                                               mode="both")
        else:
            raise ValueError(f"unknown change detector {self.config.detector!r} (adwin or page_hinkley)")

    def update(self, ranks: np.ndarray, time_s: np.ndarray) -> list[float]:
        """Feed ranks in transaction-time order; returns the transaction times of new alarms."""
        new = []
        update = self._detector.update
        det = self._detector
        for r, t in zip(np.asarray(ranks, dtype=np.float64).tolist(), np.asarray(time_s).tolist(), strict=True):
            update(r)
            if det.drift_detected:
                new.append(float(t))
        self.alarms_s.extend(new)
        return new
