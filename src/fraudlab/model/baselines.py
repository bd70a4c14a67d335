"""Baselines trained on the same split and the same standardised features as the workbench models.

Unsupervised ones (Mahalanobis, IsolationForest) fit on the normal rows of the fitting slice, like
the autoencoders; supervised ones (logistic regression, gradient boosting, XGBoost) fit on all fitting
rows. Every model exposes `score(x) -> higher is more suspicious`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

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
        # C chosen on the time split's validation slice among 1e-4..10, with and without class weights
        # and on raw-standardised vs workbench features: strong L2 (C=1e-3) lifted validation PR-AUC
        # from 0.63 (C=1) to 0.77; balanced class weights reached the same 0.77 at C>=1.
        return cls(LogisticRegression(max_iter=2000, C=1e-3, random_state=seed).fit(x, y))

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


@dataclass(frozen=True)
class XGBoostModel:
    """Shallow boosted trees, early-stopped on the validation slice's average precision.

    Configuration chosen on the time split's validation slice: depth 3 beat 4 and 6, unweighted classes
    beat scale_pos_weight 5 and 30 (weighting stopped the boosting after ~120 rounds at lower PR-AUC).
    """

    booster: Any
    rounds: int

    @classmethod
    def fit(
        cls,
        x: np.ndarray,
        y: np.ndarray,
        x_val: np.ndarray,
        y_val: np.ndarray,
        seed: int,
        threads: int | None = None,
        max_rounds: int = 1500,
        patience: int = 150,
    ) -> XGBoostModel:
        import xgboost as xgb

        params = {
            "objective": "binary:logistic",
            "eta": 0.03,
            "max_depth": 3,
            "subsample": 0.8,
            "colsample_bytree": 0.7,
            "min_child_weight": 1.0,
            "eval_metric": "aucpr",
            "tree_method": "hist",
            "seed": seed,
            "nthread": threads or 0,
        }
        train, valid = xgb.DMatrix(x, y), xgb.DMatrix(x_val, y_val)
        booster = xgb.train(
            params,
            train,
            max_rounds,
            evals=[(valid, "val")],
            early_stopping_rounds=patience,
            verbose_eval=False,
        )
        return cls(booster, int(booster.best_iteration) + 1)

    def score(self, x: np.ndarray) -> np.ndarray:
        import xgboost as xgb

        return self.booster.predict(xgb.DMatrix(x), iteration_range=(0, self.rounds), output_margin=True)
