"""Baselines trained on the same split and the same standardised features as the workbench models.

Unsupervised ones (Mahalanobis, IsolationForest) fit on the normal rows of the fitting slice, like
the autoencoders; supervised ones (logistic regression, gradient boosting) fit on all fitting rows.
Every model exposes `score(x) -> higher is more suspicious`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest
from sklearn.linear_model import LogisticRegression


class Scoring(Protocol):
    def score(self, x: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class Mahalanobis:
    mean: np.ndarray
    precision: np.ndarray

    @classmethod
    def fit(cls, x_normal: np.ndarray) -> Mahalanobis:
        cov = np.cov(x_normal, rowvar=False)
        return cls(mean=x_normal.mean(axis=0), precision=np.linalg.pinv(cov))

    def score(self, x: np.ndarray) -> np.ndarray:
        d = x - self.mean
        return np.einsum("ij,jk,ik->i", d, self.precision, d)


@dataclass(frozen=True)
class IsolationForestModel:
    model: IsolationForest

    @classmethod
    def fit(cls, x_normal: np.ndarray, seed: int) -> IsolationForestModel:
        return cls(IsolationForest(n_estimators=200, random_state=seed, n_jobs=2).fit(x_normal))

    def score(self, x: np.ndarray) -> np.ndarray:
        return -self.model.score_samples(x)


@dataclass(frozen=True)
class LogisticModel:
    model: LogisticRegression

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, seed: int) -> LogisticModel:
        return cls(LogisticRegression(max_iter=2000, C=1.0, random_state=seed).fit(x, y))

    def score(self, x: np.ndarray) -> np.ndarray:
        # the decision function ranks like the probability but does not saturate to exact 1.0 ties
        return self.model.decision_function(x)


@dataclass(frozen=True)
class GradientBoostingModel:
    model: HistGradientBoostingClassifier

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, seed: int) -> GradientBoostingModel:
        model = HistGradientBoostingClassifier(
            max_iter=300,
            learning_rate=0.05,
            max_leaf_nodes=15,
            min_samples_leaf=40,
            l2_regularization=1.0,
            early_stopping=False,
            random_state=seed,
        )
        return cls(model.fit(x, y))

    def score(self, x: np.ndarray) -> np.ndarray:
        return self.model.decision_function(x)
