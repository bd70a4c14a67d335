"""One training run (`fit_models`): check the frame, split it, fit every model family in turn, then
score the validation and test rows and choose the threshold on validation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from fraudlab.data.schema import FEATURES, LABEL
from fraudlab.evaluate import choose_threshold, ranking_metrics
from fraudlab.features import WorkbenchFeatures
from fraudlab.model.config import TrainConfig
from fraudlab.model.errors import TrainingError
from fraudlab.model.training.autoencoders import fit_reference, fit_workbench
from fraudlab.model.training.baselines import fit_baselines
from fraudlab.model.training.ensemble import fit_ensemble
from fraudlab.model.training.result import BUNDLE_MODEL, TrainingResult, with_epochs
from fraudlab.splits import make_split


def _check_frame(frame: pd.DataFrame) -> None:
    missing = [c for c in (*FEATURES, LABEL) if c not in frame.columns]
    if missing:
        raise TrainingError("columns", missing, "the training frame lacks these columns")
    if int(frame[LABEL].sum()) < 4:
        raise TrainingError(
            "frauds", int(frame[LABEL].sum()), "need at least 4 fraud rows to split and evaluate"
        )


def fit_models(frame: pd.DataFrame, config: TrainConfig, log_dir: Path | None = None) -> TrainingResult:
    """Train every model on one split, choose and calibrate the deployed ensemble on the validation
    slice, and score the validation and test rows."""
    _check_frame(frame)
    split = make_split(frame, config.split, config.test_fraction, config.val_fraction)
    raw = frame.loc[:, list(FEATURES)].to_numpy(dtype=np.float64)
    y = frame[LABEL].to_numpy(dtype=np.int64)
    for part in ("val", "test"):
        if y[getattr(split, part)].sum() == 0:
            raise TrainingError(f"{part} frauds", 0, f"the {part} slice holds no fraud; use more data")
    result = TrainingResult(split=split, y=y, amount=raw[:, FEATURES.index("Amount")])
    fit, val, test = split.fit, split.val, split.test
    wb_cfg = with_epochs(config.workbench, config.epochs, config.seed)
    with_ae = config.ensemble.autoencoder

    steps = tqdm(
        total=2 + (2 if with_ae else 0) + (1 if config.reference_ae else 0)
        + ((6 if config.xgboost_baseline else 5) if config.baselines else 0),
        desc="train",
        unit="step",
    )
    features = WorkbenchFeatures.fit(raw[fit])
    x = features.transform(raw)
    extra: dict[str, Any] = {"features": features}
    ae_logit: np.ndarray | None = None
    h_in: np.ndarray | None = None
    wb_seconds = 0.0

    if with_ae:
        member = fit_workbench(raw, x, y, split, features, wb_cfg, config, log_dir, steps, result)
        ae_logit, h_in, wb_seconds = member.logit, member.head_inputs, member.seconds
        extra |= member.card

    fit_ensemble(frame, raw, y, split, ae_logit, wb_seconds, config, steps, result, extra)

    if config.reference_ae:
        fit_reference(raw, y, split, config, log_dir, steps, result)

    if config.baselines:
        fit_baselines(x, y, split, h_in, wb_seconds, config, steps, result)
    steps.close()

    for name, scores in result.models.items():
        result.metrics[name] = {
            "test": ranking_metrics(y[test], scores.test),
            "validation": ranking_metrics(y[val], scores.val),
        }
    bundle = result.models[BUNDLE_MODEL]
    tcfg = config.threshold
    result.threshold = choose_threshold(
        y[val], bundle.val, tcfg.rule, tcfg.target, amount=result.amount[val], review_cost=tcfg.review_cost
    )
    result.card = extra
    return result
