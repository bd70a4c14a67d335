"""The autoencoder family: the workbench autoencoder with its supervised head (the ensemble's autoencoder
member), and the original demo's reference autoencoder (compared only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fraudlab.data.schema import FEATURES
from fraudlab.features import DemoFeatures, WorkbenchFeatures
from fraudlab.model import autoencoder as ae
from fraudlab.model.calibration import logit
from fraudlab.model.config import TrainConfig
from fraudlab.model.errors import TrainingError
from fraudlab.model.graph import scoring_model
from fraudlab.model.head import build_head, fit_head, head_inputs
from fraudlab.model.training.result import (
    AE_HEAD,
    REFERENCE,
    WORKBENCH_AE,
    ModelScores,
    TrainingResult,
    log_subdir,
    timed,
    with_epochs,
)
from fraudlab.splits import Split


@dataclass
class AutoencoderMember:
    """The ensemble's autoencoder member: its log-odds on every row, the head's inputs (for the
    `ae_gradient_boosting` baseline), its training seconds and its entries of the model card."""

    logit: np.ndarray
    head_inputs: np.ndarray
    seconds: float
    card: dict[str, Any]


def _keras_scores(model: Any, raw: np.ndarray) -> np.ndarray:
    out = model.predict(raw.astype(np.float32), batch_size=16_384, verbose=0)
    return np.asarray(out, dtype=np.float64).reshape(-1)


def fit_workbench(
    raw: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    split: Split,
    features: WorkbenchFeatures,
    wb_cfg: Any,
    config: TrainConfig,
    log_dir: Path | None,
    steps: Any,
    result: TrainingResult,
) -> AutoencoderMember:
    """Train the workbench autoencoder on normal rows of the fit slice, then its supervised head; record
    both models' scores and the scoring graph in `result` (two progress steps)."""
    fit, val, test = split.fit, split.val, split.test
    normal_fit, normal_val = fit[y[fit] == 0], val[y[val] == 0]
    # Workbench autoencoder: standardised features, trained on normal rows of the fit slice.
    steps.set_postfix_str(WORKBENCH_AE)

    def train_wb() -> Any:
        model = ae.build_autoencoder(x.shape[1], wb_cfg, name="workbench_autoencoder")
        history = ae.fit_autoencoder(
            model,
            x[normal_fit],
            x[normal_val],
            wb_cfg,
            log_subdir(log_dir, "workbench_autoencoder"),
            config.verbose,
        )
        return model, history

    (wb_model, wb_history), wb_seconds = timed(train_wb)
    steps.update()
    recon = ae.reconstruct(wb_model, x)
    code = ae.reconstruct(ae.encoder(wb_model, wb_cfg), x)
    if wb_cfg.score == "standardized":
        scale = ae.residual_scale(x[normal_fit], recon[normal_fit])
    elif wb_cfg.score == "mse":
        scale = np.ones(x.shape[1])
    else:
        raise TrainingError("score", wb_cfg.score, "must be 'standardized' or 'mse'")
    wb_score = ae.standardized_score(x, recon, scale)
    result.models[WORKBENCH_AE] = ModelScores(wb_score[val], wb_score[test], wb_seconds)

    # Supervised head on the autoencoder's view; early stopping on validation PR-AUC.
    steps.set_postfix_str(AE_HEAD)
    h_in = head_inputs(x, recon, code, scale)
    head_cfg = config.head

    def train_head() -> Any:
        head = build_head(h_in.shape[1], head_cfg)
        histories = fit_head(head, h_in[fit], y[fit], h_in[val], y[val], head_cfg, config.verbose)
        return head, histories

    (head, head_histories), head_seconds = timed(train_head)
    model = scoring_model(features.scaler, wb_model, wb_cfg, scale, head, n_raw=len(FEATURES))
    head_scores = _keras_scores(model, raw)
    result.models[AE_HEAD] = ModelScores(head_scores[val], head_scores[test], wb_seconds + head_seconds)
    result.scoring_model = model
    ae_logit = logit(head_scores)
    steps.update()
    extra = {
        "residual_scale": scale,
        "workbench_config": wb_cfg,
        "workbench_history": wb_history,
        "workbench_seconds": wb_seconds,
        "head_config": head_cfg,
        "head_histories": head_histories,
        "head_seconds": head_seconds,
    }
    return AutoencoderMember(ae_logit, h_in, wb_seconds, extra)


def fit_reference(
    raw: np.ndarray, y: np.ndarray, split: Split, config: TrainConfig, log_dir: Path | None, steps: Any,
    result: TrainingResult,
) -> None:
    """Train the original demo's autoencoder (its features, MSE score) and record its scores (one step)."""
    fit, val, test = split.fit, split.val, split.test
    normal_fit, normal_val = fit[y[fit] == 0], val[y[val] == 0]
    steps.set_postfix_str(REFERENCE)
    demo = DemoFeatures.fit(raw[fit])
    xd = demo.transform(raw)
    ref_cfg = with_epochs(config.reference, config.epochs, config.seed)

    def train_ref() -> Any:
        m = ae.build_autoencoder(xd.shape[1], ref_cfg, name="reference_autoencoder")
        ae.fit_autoencoder(
            m,
            xd[normal_fit],
            xd[normal_val],
            ref_cfg,
            log_subdir(log_dir, "reference_autoencoder"),
            config.verbose,
        )
        return m

    ref_model, ref_seconds = timed(train_ref)
    ref_score = ae.mse_score(xd, ae.reconstruct(ref_model, xd))
    result.models[REFERENCE] = ModelScores(ref_score[val], ref_score[test], ref_seconds)
    steps.update()
