"""PNG plots of a training run: PR and ROC curves of all models, the anomaly score by class, and
the threshold trade-offs of the bundle's model. Uses the non-interactive Agg backend."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve


def pr_curves(y: np.ndarray, scores: Mapping[str, np.ndarray], path: Path, title: str) -> Path:
    fig, ax = plt.subplots(figsize=(7, 5))
    for name, s in scores.items():
        # only the corners of the step curve: the same picture from ~100 points instead of one per row
        p, r, _ = precision_recall_curve(y, s, drop_intermediate=True)
        ax.plot(r, p, label=f"{name} (AP {average_precision_score(y, s):.3f})", lw=1.3)
    ax.axhline(y.mean(), color="grey", ls=":", lw=1, label=f"base rate {y.mean():.4f}")
    ax.set(xlabel="recall", ylabel="precision", title=title, xlim=(0, 1), ylim=(0, 1.02))
    ax.legend(fontsize=7, loc="lower left")
    return _save(fig, path)


def roc_curves(y: np.ndarray, scores: Mapping[str, np.ndarray], path: Path, title: str) -> Path:
    fig, ax = plt.subplots(figsize=(7, 5))
    for name, s in scores.items():
        fpr, tpr, _ = roc_curve(y, s)
        ax.plot(fpr, tpr, label=f"{name} (AUC {roc_auc_score(y, s):.3f})", lw=1.3)
    ax.axvline(0.01, color="grey", ls=":", lw=1, label="1% FPR")
    ax.set(xlabel="false-positive rate (log)", ylabel="true-positive rate", title=title, xscale="log")
    ax.set_xlim(1e-4, 1)
    ax.legend(fontsize=7, loc="lower right")
    return _save(fig, path)


def score_by_class(
    y: np.ndarray, score: np.ndarray, path: Path, title: str, threshold: float | None = None
) -> Path:
    fig, ax = plt.subplots(figsize=(7, 4))
    bins = np.linspace(np.percentile(score, 0.1), score.max(), 80)
    ax.hist(score[y == 0], bins=bins, alpha=0.6, density=True, label=f"normal ({int((y == 0).sum())})")
    ax.hist(score[y == 1], bins=bins, alpha=0.6, density=True, label=f"fraud ({int((y == 1).sum())})")
    if threshold is not None:
        ax.axvline(threshold, color="black", ls="--", lw=1, label="threshold")
    ax.set(xlabel="score", ylabel="density", title=title, yscale="log")
    ax.legend(fontsize=8)
    return _save(fig, path)


def threshold_tradeoffs(
    y: np.ndarray, score: np.ndarray, amount: np.ndarray, review_cost: float, path: Path, threshold: float
) -> Path:
    """Precision, recall and alert rate against the threshold, and the cost curve."""
    qs = np.unique(np.quantile(score, np.linspace(0.90, 0.99999, 300)))
    prec, rec, rate, cost = [], [], [], []
    fraud_amount = amount * y
    for t in qs:
        flag = score >= t
        tp = int((flag & (y == 1)).sum())
        prec.append(tp / max(int(flag.sum()), 1))
        rec.append(tp / max(int(y.sum()), 1))
        rate.append(float(flag.mean()))
        cost.append(float(fraud_amount[~flag].sum() + review_cost * flag.sum()))
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    ax1.plot(qs, prec, label="precision")
    ax1.plot(qs, rec, label="recall")
    ax1.axvline(threshold, color="black", ls="--", lw=1, label="chosen threshold")
    ax1.set(xlabel="threshold", ylim=(0, 1.02), title="precision / recall / alert rate")
    rate_ax = ax1.twinx()  # alert rates span decades: their own log axis
    rate_ax.plot(qs, np.asarray(rate) * 100, color="tab:green", label="alert rate (%)")
    rate_ax.set(ylabel="alert rate (%)", yscale="log")
    lines = ax1.get_legend_handles_labels()
    more = rate_ax.get_legend_handles_labels()
    ax1.legend(lines[0] + more[0], lines[1] + more[1], fontsize=8, loc="center right")
    ax2.plot(qs, cost)
    ax2.axvline(threshold, color="black", ls="--", lw=1)
    ax2.set(
        xlabel="threshold",
        ylabel="missed fraud amount + review cost",
        title=f"cost (review {review_cost}/alert)",
    )
    return _save(fig, path)


def _save(fig: plt.Figure, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
