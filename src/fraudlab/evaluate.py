"""Evaluation: ranking metrics, threshold rules and the confusion matrix at a threshold.

Thresholds are always chosen on one set of scores (the validation slice) and then applied,
unchanged, to another (the test set): `choose_threshold` never sees test labels.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

from fraudlab.errors import FraudlabError

ThresholdRule = Literal["precision", "alert_rate", "cost"]


class EvaluationError(FraudlabError):
    def __init__(self, what: str, value: object, reason: str) -> None:
        self.what = what
        self.value = value
        super().__init__(f"{what}={value!r}: {reason}")


def _check(y: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y).astype(np.int64).ravel()
    scores = np.asarray(scores, dtype=np.float64).ravel()
    if y.shape != scores.shape:
        raise EvaluationError("scores", scores.shape, f"need one score per label ({y.shape[0]})")
    if not np.isfinite(scores).all():
        raise EvaluationError("scores", int((~np.isfinite(scores)).sum()), "non-finite scores")
    return y, scores


def recall_at_fpr(y: np.ndarray, scores: np.ndarray, max_fpr: float = 0.01) -> float:
    """The highest true-positive rate reachable by a threshold whose false-positive rate is <= max_fpr."""
    y, scores = _check(y, scores)
    fpr, tpr, _ = roc_curve(y, scores)
    return float(tpr[fpr <= max_fpr].max())


def ranking_metrics(y: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    """`pr_auc` (average precision), `roc_auc`, `recall_at_1pct_fpr`."""
    y, scores = _check(y, scores)
    if y.min() == y.max():
        raise EvaluationError("labels", int(y[0]), "need both classes to compute ranking metrics")
    return {
        "pr_auc": float(average_precision_score(y, scores)),
        "roc_auc": float(roc_auc_score(y, scores)),
        "recall_at_1pct_fpr": recall_at_fpr(y, scores, 0.01),
    }


@dataclass(frozen=True)
class ThresholdChoice:
    """A threshold and how it was chosen (the rule, its parameter, what it achieved where chosen)."""

    value: float
    rule: ThresholdRule
    target: float
    review_cost: float | None
    achieved: dict[str, float]

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def _candidates(scores: np.ndarray) -> np.ndarray:
    """Distinct scores, descending: flagging `scores >= c` for each candidate c."""
    return np.unique(scores)[::-1]


def _counts(y: np.ndarray, scores: np.ndarray, cands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """True and false positives when flagging `scores >= c`, for each candidate c (descending)."""
    order = np.argsort(-scores, kind="stable")
    s_sorted, y_sorted = scores[order], y[order]
    tp_cum = np.cumsum(y_sorted)
    fp_cum = np.cumsum(1 - y_sorted)
    # number flagged at candidate c = count of scores >= c
    n_flag = np.searchsorted(-s_sorted, -cands, side="right")
    return tp_cum[n_flag - 1], fp_cum[n_flag - 1]


def choose_threshold(
    y: np.ndarray,
    scores: np.ndarray,
    rule: ThresholdRule = "precision",
    target: float = 0.8,
    amount: np.ndarray | None = None,
    review_cost: float = 5.0,
) -> ThresholdChoice:
    """Pick the threshold by a rule; flag `score >= threshold`.

    - precision: the lowest threshold (most recall) whose precision is >= target; if none reaches it,
      the threshold of the highest precision.
    - alert_rate: the lowest threshold that flags at most `target` of the rows.
    - cost: minimise missed-fraud amount + `review_cost` x alerts (needs `amount`); `target` unused.
    """
    y, scores = _check(y, scores)
    cands = _candidates(scores)
    tp, fp = _counts(y, scores, cands)
    flagged = tp + fp
    n_pos = int(y.sum())
    if rule == "precision":
        if not 0 < target <= 1:
            raise EvaluationError("target precision", target, "must be in (0, 1]")
        precision = tp / flagged
        ok = np.flatnonzero(precision >= target)
        i = int(ok[-1]) if ok.size else int(np.argmax(precision))
    elif rule == "alert_rate":
        if not 0 < target < 1:
            raise EvaluationError("target alert rate", target, "must be in (0, 1)")
        ok = np.flatnonzero(flagged <= target * len(y))
        i = int(ok[-1]) if ok.size else 0
    elif rule == "cost":
        if amount is None:
            raise EvaluationError("amount", None, "the cost rule needs the transaction amounts")
        amount = np.asarray(amount, dtype=np.float64).ravel()
        order = np.argsort(-scores, kind="stable")
        caught = np.cumsum((amount * y)[order])
        n_flag = np.searchsorted(-scores[order], -cands, side="right")
        missed = float((amount * y).sum()) - caught[n_flag - 1]
        cost = missed + review_cost * flagged
        i = int(np.argmin(cost))
    else:
        raise EvaluationError("rule", rule, "must be 'precision', 'alert_rate' or 'cost'")
    value = float(cands[i])
    achieved = at_threshold(y, scores, value)
    return ThresholdChoice(
        value=value,
        rule=rule,
        target=float(target),
        review_cost=float(review_cost) if rule == "cost" else None,
        achieved={k: v for k, v in achieved.items() if isinstance(v, float)} | {"positives": float(n_pos)},
    )


def at_threshold(y: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, float | int]:
    """Precision, recall, F1, alert rate and the confusion matrix when flagging `score >= threshold`."""
    y, scores = _check(y, scores)
    pred = scores >= threshold
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    tn = int((~pred & (y == 0)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": float(precision),
        "recall": float(recall),
        "f1": float(f1),
        "alert_rate": float(pred.mean()),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }
