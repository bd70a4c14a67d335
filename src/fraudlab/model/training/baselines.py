"""The honest baselines the deployed model is compared with: Mahalanobis distance, isolation forest,
logistic regression, gradient boosting (optionally XGBoost) on the workbench features, and gradient
boosting on the autoencoder head's inputs.

Each baseline is a job (`baseline_jobs`, `head_input_job`): a function that fits it and returns its
scores, so the run can fit them on a worker thread while the autoencoders train (`run.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from fraudlab.model.baselines import (
    GradientBoostingModel,
    IsolationForestModel,
    LogisticModel,
    Mahalanobis,
    XGBoostModel,
)
from fraudlab.model.config import TrainConfig
from fraudlab.model.training.result import ModelScores, timed
from fraudlab.splits import Split

HEAD_INPUT_BASELINE = "ae_gradient_boosting"

Job = Callable[[], ModelScores]


def _job(fitter: Callable[[], Any], data: np.ndarray, split: Split, threads: int | None,
         extra_seconds: float = 0.0) -> Job:
    def run() -> ModelScores:
        # the limit is set in the thread that fits: OpenMP's thread count is a per-thread setting. Scoring
        # runs under it too (gradient boosting's prediction is OpenMP-parallel: two threads took 1.7x the
        # CPU of one on a busy machine), and only on the rows that are reported: the validation and test
        # rows, 40 % of the frame (scoring every row took as long as fitting the logistic regression)
        with threadpool_limits(threads):
            fitted, seconds = timed(fitter)
            s = fitted.score(data[np.concatenate([split.val, split.test])])
        n_val = len(split.val)
        return ModelScores(s[:n_val], s[n_val:], seconds + extra_seconds)

    return run


def baseline_jobs(x: np.ndarray, y: np.ndarray, split: Split, config: TrainConfig) -> dict[str, Job]:
    """One job per baseline on the workbench features, in the order they are reported; each fits on
    the fit slice (the unsupervised ones on its normal rows)."""
    fit, val = split.fit, split.val
    x_normal = x[fit[y[fit] == 0]]
    fitters: dict[str, Callable[[], Any]] = {
        "mahalanobis": lambda: Mahalanobis.fit(x_normal),
        "isolation_forest": lambda: IsolationForestModel.fit(x_normal, config.seed),
        "logistic_regression": lambda: LogisticModel.fit(x[fit], y[fit], config.seed),
        "gradient_boosting": lambda: GradientBoostingModel.fit(x[fit], y[fit], config.seed),
    }
    # The XGBoost baseline on the autoencoder's standardised features is not trained by default any
    # more: the ensemble's tree member (`trees_hour`) is XGBoost on the raw columns, and the baseline
    # took as long to train again (`TrainConfig.xgboost_baseline` brings it back).
    if config.xgboost_baseline:
        fitters["xgboost"] = lambda: XGBoostModel.fit(x[fit], y[fit], x[val], y[val], config.seed, config.threads)
    return {name: _job(fitter, x, split, config.threads) for name, fitter in fitters.items()}


def head_input_job(h_in: np.ndarray, y: np.ndarray, split: Split, wb_seconds: float, config: TrainConfig) -> Job:
    """Gradient boosting on the autoencoder head's inputs (its seconds include the autoencoder's)."""
    fit = split.fit
    return _job(lambda: GradientBoostingModel.fit(h_in[fit], y[fit], config.seed), h_in, split, config.threads,
                wb_seconds)
