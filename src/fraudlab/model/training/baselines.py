"""The honest baselines the deployed model is compared with: Mahalanobis distance, isolation forest,
logistic regression, gradient boosting (optionally XGBoost) on the workbench features, and gradient
boosting on the autoencoder head's inputs."""

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
from fraudlab.model.training.result import ModelScores, TrainingResult, timed
from fraudlab.splits import Split


def fit_baselines(
    x: np.ndarray,
    y: np.ndarray,
    split: Split,
    h_in: np.ndarray | None,
    wb_seconds: float,
    config: TrainConfig,
    steps: Any,
    result: TrainingResult,
) -> None:
    """Fit each baseline (on the fit slice; the unsupervised ones on its normal rows) and record its
    scores in `result`, one progress step each and one for the head-input baseline."""
    fit, val, test = split.fit, split.val, split.test
    normal_fit = fit[y[fit] == 0]
    x_normal = x[normal_fit]
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
    for name, fitter in fitters.items():
        steps.set_postfix_str(name)
        with threadpool_limits(config.threads):
            fitted, seconds = timed(fitter)
        s = fitted.score(x)
        result.models[name] = ModelScores(s[val], s[test], seconds)
        steps.update()
    if h_in is not None:
        steps.set_postfix_str("ae_gradient_boosting")
        with threadpool_limits(config.threads):
            gb, seconds = timed(lambda: GradientBoostingModel.fit(h_in[fit], y[fit], config.seed))
        s = gb.score(h_in)
        result.models["ae_gradient_boosting"] = ModelScores(s[val], s[test], seconds + wb_seconds)
    steps.update()
