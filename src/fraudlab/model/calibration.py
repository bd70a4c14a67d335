"""Calibrated probabilities: Platt scaling of the ensemble's log-odds, fitted on the validation slice.

The members' raw outputs rank well but are not probabilities one can add up: the trees' margins
are fitted to the training fraud rate after early stopping, and a blend of log-odds is not
calibrated at all. One logistic map `p = 1 / (1 + exp(-(a z + b)))`, fitted on the validation slice
(never on test rows), turns the blend `z` into a probability whose sum over a window estimates the
frauds in it: what the monitor's performance estimate before labels relies on. Platt's two
parameters rather than isotonic steps: the validation slice holds a few dozen frauds, too few for a
step function that would not overfit, and a monotone map keeps the ranking (PR-AUC) unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


def logit(p: np.ndarray, eps: float = 1e-7) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), eps, 1.0 - eps)
    return np.log(p / (1.0 - p))


def sigmoid(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # no overflow warnings for large |z|


@dataclass(frozen=True)
class Platt:
    a: float
    b: float

    @classmethod
    def fit(cls, z: np.ndarray, y: np.ndarray) -> Platt:
        """Maximum-likelihood (a, b) with Platt's smoothed targets (no infinite slope on separable data)."""
        from scipy.optimize import minimize

        z = np.asarray(z, dtype=np.float64).ravel()
        y = np.asarray(y, dtype=np.float64).ravel()
        n_pos, n_neg = y.sum(), len(y) - y.sum()
        target = np.where(y > 0, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))

        def loss(ab: np.ndarray) -> tuple[float, np.ndarray]:
            t = ab[0] * z + ab[1]
            # log(1 + e^t) - target * t, stably
            ll = np.logaddexp(0.0, t) - target * t
            g = sigmoid(t) - target
            return float(ll.sum()), np.array([float((g * z).sum()), float(g.sum())])

        res = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B")
        return cls(float(res.x[0]), float(res.x[1]))

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return sigmoid(self.a * np.asarray(z, dtype=np.float64) + self.b)

    def to_json(self) -> dict[str, Any]:
        return {"method": "platt", "a": self.a, "b": self.b}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Platt:
        return cls(float(data["a"]), float(data["b"]))


def calibration_report(y: np.ndarray, p: np.ndarray, bins: int = 10) -> dict[str, float]:
    """Expected vs observed frauds, Brier score and the expected calibration error (equal-mass bins of
    the highest-scored rows matter most here, so bins are over the top 1 % and the rest)."""
    y = np.asarray(y, dtype=np.float64).ravel()
    p = np.asarray(p, dtype=np.float64).ravel()
    order = np.argsort(-p)
    top = order[: max(1, len(p) // 100)]
    ece = 0.0
    for part in np.array_split(top, bins):
        if len(part):
            ece += len(part) / len(p) * abs(p[part].mean() - y[part].mean())
    rest = order[len(top) :]
    if len(rest):
        ece += len(rest) / len(p) * abs(p[rest].mean() - y[rest].mean())
    return {
        "expected_frauds": round(float(p.sum()), 2),
        "observed_frauds": int(y.sum()),
        "brier": float(np.mean((p - y) ** 2)),
        "ece": float(ece),
    }
