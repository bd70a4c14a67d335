"""Calibrated probabilities: a monotone map of the ensemble's log-odds, fitted on the validation slice.

The members' raw outputs rank well but are not probabilities one can add up: the trees' margins
are fitted to the training fraud rate after early stopping, and a blend of log-odds is not
calibrated at all. A map fitted on the validation slice (never on test rows) turns the blend `z`
into a probability whose sum over a window estimates the frauds in it, and whose mean over the
alerts estimates their precision: what the monitor's performance estimate before labels relies on.

Two parametric maps, no isotonic steps (the validation slice holds a few dozen frauds, too few for
a step function that would not overfit; a monotone map keeps the ranking, PR-AUC, unchanged):
- Platt scaling, `p = sigmoid(a z + b)`: one slope for the whole range of `z`;
- beta calibration (Kull, Silva Filho and Flach, 2017) on `s = sigmoid(z)`,
  `p = sigmoid(a log s - b log(1 - s) + c)`, i.e. `sigmoid(-a softplus(-z) + b softplus(z) + c)`: a
  slope `a` for the bulk of legitimate rows (`z` << 0) and another, `b`, for the tail of alerts.
  With hundreds of thousands of legitimate rows and a few dozen frauds, Platt's single slope is
  set by the bulk and under-states the probabilities of the highest-scored rows (the estimated
  precision of the alerts came out several points low on validation and test).
`fit_calibration` keeps the map with the lower log loss on held-out folds of the validation slice.
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


@dataclass(frozen=True)
class Beta:
    """Beta calibration: `p = sigmoid(a log s - b log(1 - s) + c)` with `s = sigmoid(z)`, by maximum
    likelihood (plain targets, as Kull et al. fit it: the three-parameter family does not diverge on
    the overlapping classes of a fraud score)."""

    a: float
    b: float
    c: float

    @staticmethod
    def _features(z: np.ndarray) -> np.ndarray:
        z = np.asarray(z, dtype=np.float64).ravel()
        # log s = -softplus(-z), -log(1 - s) = softplus(z)
        return np.stack([-np.logaddexp(0.0, -z), np.logaddexp(0.0, z), np.ones_like(z)], axis=1)

    @classmethod
    def fit(cls, z: np.ndarray, y: np.ndarray) -> Beta:
        from scipy.optimize import minimize

        x = cls._features(z)
        y = np.asarray(y, dtype=np.float64).ravel()

        def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
            t = x @ w
            return float((np.logaddexp(0.0, t) - y * t).sum()), x.T @ (sigmoid(t) - y)

        # start at the identity map (a = b = 1, c = 0); a, b >= 0 keeps the map monotone
        res = minimize(loss, np.array([1.0, 1.0, 0.0]), jac=True, method="L-BFGS-B",
                       bounds=[(0.0, None), (0.0, None), (None, None)])
        return cls(float(res.x[0]), float(res.x[1]), float(res.x[2]))

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return sigmoid(self._features(z) @ np.array([self.a, self.b, self.c]))

    def to_json(self) -> dict[str, Any]:
        return {"method": "beta", "a": self.a, "b": self.b, "c": self.c}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Beta:
        return cls(float(data["a"]), float(data["b"]), float(data["c"]))


Calibration = Platt | Beta
METHODS: dict[str, type[Platt] | type[Beta]] = {"platt": Platt, "beta": Beta}


def calibration_from_json(data: dict[str, Any]) -> Calibration:
    """The map a model card describes (`method` absent: Platt, as the first calibrated bundles)."""
    method = str(data.get("method", "platt"))
    if method not in METHODS:
        raise ValueError(f"unknown calibration method {method!r} (known: {', '.join(METHODS)})")
    return METHODS[method].from_json(data)


def log_loss(y: np.ndarray, p: np.ndarray, eps: float = 1e-12) -> float:
    y = np.asarray(y, dtype=np.float64).ravel()
    p = np.clip(np.asarray(p, dtype=np.float64).ravel(), eps, 1.0 - eps)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))


def cross_validated(method: str, z: np.ndarray, y: np.ndarray, folds: int = 5) -> np.ndarray:
    """Out-of-fold probabilities of `method` over contiguous folds (the slice is in time order)."""
    z = np.asarray(z, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    out = np.empty(len(z))
    index = np.arange(len(z))
    for part in np.array_split(index, folds):
        rest = np.setdiff1d(index, part, assume_unique=True)
        out[part] = METHODS[method].fit(z[rest], y[rest])(z[part])
    return out


def fit_calibration(
    z: np.ndarray, y: np.ndarray, methods: tuple[str, ...] = ("platt", "beta"), folds: int = 5
) -> tuple[Calibration, dict[str, Any]]:
    """The map of `methods` with the lowest out-of-fold log loss on (z, y), refitted on all of them,
    and the comparison (per method: out-of-fold log loss, and the estimated vs realized frauds)."""
    y = np.asarray(y, dtype=np.float64).ravel()
    compared: dict[str, Any] = {}
    for method in methods:
        oof = cross_validated(method, z, y, folds)
        compared[method] = {"cv_log_loss": log_loss(y, oof), "cv_expected_frauds": round(float(oof.sum()), 2)}
    # ties keep the earlier (simpler) method
    chosen = min(methods, key=lambda m: (compared[m]["cv_log_loss"], methods.index(m)))
    return METHODS[chosen].fit(z, y), {"chosen": chosen, "folds": folds, "observed_frauds": int(y.sum()),
                                       "methods": compared}


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
