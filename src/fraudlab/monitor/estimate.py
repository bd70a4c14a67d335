"""Performance before labels: precision, recall and alert counts estimated from calibrated scores
(NannyML's confidence-based performance estimation, CBPE), and precision@k per day.

With a calibrated probability p_i per transaction, the expected confusion counts of a window are
sums: an alert (p_i >= threshold) is a true positive with probability p_i, a missed fraud below the
threshold with probability p_i. So before a single label is known

    TP ~ sum(p_i, alerts), FP ~ sum(1 - p_i, alerts), FN ~ sum(p_i, no alert)

and precision and recall follow. When the labels arrive the realized figures replace them and the
estimation error is reported. The estimate is only as good as the calibration: it assumes the
scores keep meaning what they meant on the validation slice (no concept drift).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def estimated(scores: np.ndarray, flags: np.ndarray) -> dict[str, Any]:
    p = np.asarray(scores, dtype=np.float64)
    flags = np.asarray(flags, dtype=bool)
    tp = float(p[flags].sum())
    fp = float((1.0 - p[flags]).sum())
    fn = float(p[~flags].sum())
    alerts = int(flags.sum())
    return {
        "estimated_frauds": round(tp + fn, 3),
        "estimated_true_positives": round(tp, 3),
        "estimated_false_positives": round(fp, 3),
        "estimated_precision": round(tp / alerts, 4) if alerts else None,
        "estimated_recall": round(tp / (tp + fn), 4) if tp + fn > 0 else None,
        "alerts": alerts,
    }


def precision_at_k(
    day: np.ndarray, scores: np.ndarray, labels: np.ndarray | None, k: int
) -> list[dict[str, Any]]:
    """Per day, the k highest-scored transactions (an investigators' daily budget of k): estimated
    precision (mean probability) and, with labels, the realized one."""
    day = np.asarray(day)
    scores = np.asarray(scores, dtype=np.float64)
    out = []
    for d in np.unique(day):
        sel = np.flatnonzero(day == d)
        top = sel[np.argsort(-scores[sel], kind="stable")[:k]]
        row: dict[str, Any] = {"day": int(d), "k": k, "transactions": len(sel),
                               "estimated_precision_at_k": round(float(scores[top].mean()), 4) if len(top) else None}
        if labels is not None:
            row["precision_at_k"] = round(float(np.asarray(labels)[top].mean()), 4) if len(top) else None
        out.append(row)
    return out


def totals(windows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Whole-run estimated vs realized precision and recall (counts summed, not rates averaged), and
    the mean absolute per-window error over the windows where both exist."""
    alerts = sum(w["alerts"] for w in windows)
    est_tp = sum(w.get("estimated_true_positives") or 0.0 for w in windows)
    est_frauds = sum(w.get("estimated_frauds") or 0.0 for w in windows)
    tp = sum(w.get("true_positives") or 0 for w in windows)
    fn = sum(w.get("false_negatives") or 0 for w in windows)
    labelled = sum(w.get("labelled") or 0 for w in windows)
    errors_p = [abs(w["estimated_precision"] - w["precision"]) for w in windows
                if w.get("estimated_precision") is not None and w.get("precision") is not None]
    errors_r = [abs(w["estimated_recall"] - w["recall"]) for w in windows
                if w.get("estimated_recall") is not None and w.get("recall") is not None]
    return {
        "alerts": alerts,
        "estimated_precision": round(est_tp / alerts, 4) if alerts else None,
        "realized_precision": round(tp / alerts, 4) if alerts and labelled else None,
        "estimated_recall": round(est_tp / est_frauds, 4) if est_frauds else None,
        "realized_recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "estimated_frauds": round(est_frauds, 1),
        "estimated_vs_realized_precision_mae": round(float(np.mean(errors_p)), 4) if errors_p else None,
        "estimated_vs_realized_recall_mae": round(float(np.mean(errors_r)), 4) if errors_r else None,
        "windows_compared": len(errors_p),
    }
