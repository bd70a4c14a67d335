"""One window's monitoring figures, shared by the live `Monitor` and the offline replay: alert rate,
score PSI and its band, feature drift (like hours, test by sample size, corrected), the share of
drifted features, estimated precision/recall before labels, realized ones when labels are there,
and change-detector alarms on the score stream."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fraudlab.monitor.changes import ChangeConfig, ScoreChangeDetector
from fraudlab.monitor.drift_tests import DriftConfig, drifted, psi_band
from fraudlab.monitor.estimate import estimated
from fraudlab.monitor.reference import Reference
from fraudlab.monitor.windows import precision_recall


@dataclass(frozen=True)
class AnalysisConfig:
    drift: DriftConfig = field(default_factory=DriftConfig)
    change: ChangeConfig = field(default_factory=ChangeConfig)
    budget_k: int = 100  # investigators' alerts per day, for precision@k


class WindowAnalyzer:
    """Stateful across windows only through the change detector (fed in transaction-time order)."""

    def __init__(self, reference: Reference | None, feature_names: Sequence[str],
                 config: AnalysisConfig | None = None) -> None:
        """`reference`: the training reference; its score bins give the score PSI, its like-hours
        view (`reference.hourly`) the drift tests and the change detector's ranks."""
        self.reference = reference
        self.hourly = reference.hourly if reference is not None else None
        self.feature_names = tuple(feature_names)
        self.config = config or AnalysisConfig()
        self.detector = (ScoreChangeDetector(self.config.change)
                         if self.hourly is not None and self.hourly.score_quantiles is not None else None)

    def window(
        self,
        start_ms: int,
        end_ms: int,
        scores: np.ndarray,
        flags: np.ndarray,
        score_time_s: np.ndarray,
        labels: np.ndarray | None = None,
        features: np.ndarray | None = None,
        feature_time_s: np.ndarray | None = None,
    ) -> dict[str, Any]:
        """`labels[i]` is the label of score i, or -1 when it has not arrived; `features` rows in
        `feature_names` order with their transactions' times of day (seconds)."""
        scores = np.asarray(scores, dtype=np.float64)
        flags = np.asarray(flags, dtype=bool)
        n = len(scores)
        m: dict[str, Any] = {
            "window_start": int(start_ms), "window_end": int(end_ms), "records": n,
            "alerts": int(flags.sum()), "alert_rate": round(float(flags.mean()), 5) if n else None,
            "score_mean": round(float(scores.mean()), 6) if n else None,
        }
        if n:
            p50, p99 = np.percentile(scores, [50, 99])
            m["score_p50"], m["score_p99"] = round(float(p50), 6), round(float(p99), 6)
        m.update({k: v for k, v in estimated(scores, flags).items() if k != "alerts"})
        if labels is not None:
            labels = np.asarray(labels, dtype=np.int64)
            known = labels >= 0
            tp = int((flags & known & (labels == 1)).sum())
            fp = int((flags & known & (labels == 0)).sum())
            fn = int((~flags & known & (labels == 1)).sum())
            precision, recall = precision_recall(tp, fp, fn)
            m.update({"labelled": int(known.sum()), "true_positives": tp, "false_positives": fp,
                      "false_negatives": fn, "precision": precision, "recall": recall})
            if m["precision"] is not None and m["estimated_precision"] is not None:
                m["precision_estimation_error"] = round(m["estimated_precision"] - m["precision"], 4)
        if self.reference is not None and n:
            psi = self.reference.score_psi(scores)
            m["score_psi"] = None if psi is None else round(psi, 4)
            m["score_psi_band"] = psi_band(psi)
        hourly = self.hourly
        if self.detector is not None and hourly is not None and n:
            order = np.argsort(score_time_s, kind="stable")
            ranks = hourly.score_rank(scores[order], np.asarray(score_time_s)[order])
            alarms = self.detector.update(ranks, np.asarray(score_time_s)[order])
            m["score_change_alarms_s"] = alarms
            m["score_rank_mean"] = round(float(ranks.mean()), 4)
        if hourly is not None and features is not None and len(features):
            assert feature_time_s is not None
            results = hourly.compare(features, self.feature_names, feature_time_s, self.config.drift)
            flagged = drifted(results, self.config.drift)
            m["feature_drift"] = {k: {"test": v["test"], "p_value": float(f"{v['p_value']:.3g}"),
                                      "ks": round(v["ks"], 4), "wasserstein": round(v["wasserstein"], 4),
                                      "threshold": round(v["threshold"], 4)}
                                  for k, v in results.items()}
            m["drifted_features"] = flagged
            m["drift_share"] = round(len(flagged) / len(results), 4) if results else 0.0
            m["dataset_drift"] = bool(results) and m["drift_share"] >= self.config.drift.dataset_drift_share
        return m
