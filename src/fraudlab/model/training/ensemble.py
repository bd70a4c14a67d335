"""The deployed model: gradient-boosted trees on the raw columns with the hour of day, blended with the
autoencoder member's log-odds at the weight of the best validation PR-AUC, calibrated (Platt or beta
calibration, chosen by cross-validated log loss on the validation slice),
the trees refitted on the validation rows once every choice is made; and the monitor's drift reference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fraudlab.evaluate import ranking_metrics
from fraudlab.model.calibration import calibration_report, fit_calibration
from fraudlab.model.config import TrainConfig
from fraudlab.model.training.result import AE_HEAD, BUNDLE_MODEL, TREES, ModelScores, TrainingResult, timed
from fraudlab.model.trees import TreeModel, fit_trees, refit_trees, tree_features
from fraudlab.monitor.reference import training_reference
from fraudlab.splits import Split


@dataclass
class TreeMember:
    """The early-stopped trees, their inputs and margins on every row, and their training seconds."""

    features: np.ndarray
    trees: TreeModel
    margin: np.ndarray
    seconds: float


def fit_tree_member(raw: np.ndarray, y: np.ndarray, split: Split, config: TrainConfig) -> TreeMember:
    """Gradient-boosted trees on the raw columns and the hour of day, early-stopped on validation
    (independent of the autoencoder: the run fits them on a worker thread while it trains)."""
    fit, val = split.fit, split.val
    tx = tree_features(raw)
    trees, seconds = timed(
        lambda: fit_trees(tx[fit], y[fit], tx[val], y[val], config.trees, config.seed, config.threads)
    )
    return TreeMember(tx, trees, trees.margin(tx), seconds)


def fit_ensemble(
    frame: pd.DataFrame,
    member: TreeMember,
    y: np.ndarray,
    split: Split,
    ae_logit: np.ndarray | None,
    wb_seconds: float,
    config: TrainConfig,
    steps: Any,
    result: TrainingResult,
    extra: dict[str, Any],
) -> None:
    """Choose the blend of the fitted trees (`fit_tree_member`) and the autoencoder member, and its
    calibration, on the validation slice; record the trees', the candidates' and the deployed model's
    scores, the ensemble and the drift reference in `result`, the trees' seconds in `extra` (two
    progress steps)."""
    fit, val, test = split.fit, split.val, split.test
    steps.set_postfix_str(TREES)
    tx, trees, tree_margin, tree_seconds = member.features, member.trees, member.margin, member.seconds
    result.trees = trees
    result.models[TREES] = ModelScores(tree_margin[val], tree_margin[test], tree_seconds)
    extra["tree_seconds"] = tree_seconds
    steps.update()

    # The deployed ensemble: the blend weight of the best validation PR-AUC, then the calibration map.
    steps.set_postfix_str(BUNDLE_MODEL)
    weights = config.ensemble.ae_weights if ae_logit is not None else (0.0,)
    candidates: list[dict[str, Any]] = []
    best: tuple[float, float, np.ndarray] | None = None
    for w in weights:
        z = tree_margin if w == 0.0 else (1.0 - w) * tree_margin + w * ae_logit  # type: ignore[operator]
        name = TREES if w == 0.0 else AE_HEAD if w == 1.0 else f"blend_ae_{w:g}"
        val_metrics = ranking_metrics(y[val], z[val])
        candidates.append({
            "name": name,
            "ae_weight": float(w),
            "trees_weight": float(1.0 - w),
            "validation": val_metrics,
            "test": ranking_metrics(y[test], z[test]),
        })
        if name not in result.models:
            result.models[name] = ModelScores(z[val], z[test], tree_seconds + wb_seconds)
        # strictly better only: on a tie the earlier (fewer autoencoder) candidate, the faster one, stays
        if best is None or val_metrics["pr_auc"] > best[1]:
            best = (float(w), val_metrics["pr_auc"], z)
    assert best is not None
    ae_weight, _, z = best
    calibrate, calibration_choice = fit_calibration(z[val], y[val])
    deployed = calibrate(z)
    refit_rounds = None
    if config.trees.refit and ae_weight < 1.0:
        # every choice is made: the deployed trees learn from the validation rows too. Validation
        # figures stay those of the early-stopped trees (the refit has seen those rows).
        train = split.train
        refit_rounds = max(1, round(trees.rounds * len(train) / len(fit)))
        steps.set_postfix_str(f"{TREES} refit")
        refit, refit_seconds = timed(
            lambda: refit_trees(tx[train], y[train], refit_rounds, config.trees, config.seed, config.threads)
        )
        tree_seconds += refit_seconds
        result.trees = refit
        z_test = (1.0 - ae_weight) * refit.margin(tx[test])
        if ae_weight:
            z_test = z_test + ae_weight * ae_logit[test]  # type: ignore[index]
        deployed = deployed.copy()
        deployed[test] = calibrate(z_test)
        extra["tree_seconds"] = tree_seconds
    result.models[BUNDLE_MODEL] = ModelScores(
        deployed[val], deployed[test], tree_seconds + (wb_seconds if ae_weight else 0.0)
    )
    # the monitor's drift reference: the training rows and the deployed model's scores on them
    train = split.train
    z_train = (1.0 - ae_weight) * result.trees.margin(tx[train])  # type: ignore[union-attr]
    if ae_weight:
        z_train = z_train + ae_weight * ae_logit[train]  # type: ignore[index]
    result.reference = training_reference(frame, train, calibrate(z_train))
    result.ensemble = {
        "ae_weight": ae_weight,
        "trees_weight": 1.0 - ae_weight,
        "chosen": next(c["name"] for c in candidates if c["ae_weight"] == ae_weight),
        "calibration": calibrate,
        "calibration_choice": calibration_choice,
        "candidates": candidates,
        "calibration_validation": calibration_report(y[val], deployed[val]),
        "calibration_test": calibration_report(y[test], deployed[test]),
        "trees_refit_rounds": refit_rounds,
        "trees_early_stopped_rounds": trees.rounds,
    }
    steps.update()
