"""Tumbling event-time windows of scoring results, with labels that arrive late.

A window closes once the watermark (the newest event time seen) passes its end plus `label_lag_s`,
so labels that arrive within the lag still count towards its precision and recall.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Window:
    start_ms: int
    scores: list[float] = field(default_factory=list)
    flags: list[bool] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    event_ms: list[int] = field(default_factory=list)
    features: list[np.ndarray] = field(default_factory=list)


def precision_recall(tp: int, fp: int, fn: int, digits: int | None = 4) -> tuple[float | None, float | None]:
    """Precision tp / (tp + fp) and recall tp / (tp + fn), rounded to `digits` (None: not rounded);
    each None when undefined (no alert; no fraud). The one definition the monitor, its run totals,
    the KSQL windows and the notebooks use."""

    def ratio(num: int, den: int) -> float | None:
        if not den:
            return None
        value = num / den
        return value if digits is None else round(value, digits)

    return ratio(tp, tp + fp), ratio(tp, tp + fn)


def confusion(flags: list[bool], ids: list[str], labels: dict[str, int]) -> dict[str, Any]:
    """Precision and recall over the rows whose label has arrived."""
    tp = fp = fn = labelled = 0
    for flag, rid in zip(flags, ids, strict=True):
        label = labels.get(rid)
        if label is None:
            continue
        labelled += 1
        if flag and label:
            tp += 1
        elif flag:
            fp += 1
        elif label:
            fn += 1
    precision, recall = precision_recall(tp, fp, fn)
    return {
        "labelled": labelled,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": precision,
        "recall": recall,
    }


def percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"latency_p50_ms": None, "latency_p99_ms": None}
    p50, p99 = np.percentile(np.asarray(values), [50, 99])
    return {"latency_p50_ms": round(float(p50), 2), "latency_p99_ms": round(float(p99), 2)}
