"""One training run: split, fit every model, choose the threshold on validation, evaluate on test,
export the bundle. `fit_models` + `write_bundle` are what `fraudlab train` and the quality benchmark call.

Protocol: the scaler, the autoencoders and the supervised models are fitted on the `fit` slice of the
training period; early stopping, model choices, the calibration and the threshold use the `val` slice;
the `test` rows are only scored at the end.

The deployed model (`BUNDLE_MODEL`) is a calibrated ensemble: gradient-boosted trees on the raw
columns with the hour of day, and the autoencoder with its supervised head; their log-odds are blended
with the weight (among `EnsembleConfig.ae_weights`) of the highest validation PR-AUC, then mapped to a
probability by Platt scaling fitted on the validation slice. Every candidate's validation and test
figures go into the model card.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from fraudlab.data.schema import FEATURES, LABEL
from fraudlab.evaluate import at_threshold, choose_threshold, ranking_metrics
from fraudlab.features import MODEL_INPUTS, DemoFeatures, WorkbenchFeatures
from fraudlab.model import autoencoder as ae
from fraudlab.model.baselines import (
    GradientBoostingModel,
    IsolationForestModel,
    LogisticModel,
    Mahalanobis,
    XGBoostModel,
)
from fraudlab.model.bundle import (
    AE_MEMBER_FILES,
    CARD_FILE,
    FORMAT_VERSION,
    KERAS_FILE,
    METRICS_FILE,
    ONNX_FILE,
    export_models,
    library_versions,
    write_json,
)
from fraudlab.model.calibration import Platt, calibration_report, logit
from fraudlab.model.config import TrainConfig
from fraudlab.model.errors import TrainingError
from fraudlab.model.graph import INPUT_NAME, scoring_model
from fraudlab.model.head import build_head, fit_head, head_inputs
from fraudlab.model.trees import (
    TREE_FEATURES,
    TreeModel,
    export_trees,
    fit_trees,
    refit_trees,
    tree_features,
)
from fraudlab.monitor.reference import CARD_KEY as REFERENCE_KEY
from fraudlab.monitor.reference import Reference, training_reference
from fraudlab.splits import Split, make_split

BUNDLE_MODEL = "calibrated_ensemble"
AE_HEAD = "workbench_ae_head"
TREES = "trees_hour"
WORKBENCH_AE = "workbench_autoencoder"
REFERENCE = "reference_autoencoder"


@dataclass
class ModelScores:
    val: np.ndarray
    test: np.ndarray
    seconds: float


@dataclass
class TrainingResult:
    split: Split
    y: np.ndarray
    amount: np.ndarray
    models: dict[str, ModelScores] = field(default_factory=dict)
    metrics: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    threshold: Any = None
    scoring_model: Any = None  # the autoencoder member's Keras graph (None: trees alone)
    trees: TreeModel | None = None
    ensemble: dict[str, Any] = field(default_factory=dict)  # weights, calibration, candidates
    card: dict[str, Any] = field(default_factory=dict)
    reference: Reference | None = None  # the drift reference: training rows' inputs and deployed scores

    def summary(self) -> dict[str, Any]:
        return {
            name: m | {"train_seconds": round(self.models[name].seconds, 1)}
            for name, m in self.metrics.items()
        }


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


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
    normal_fit, normal_val = fit[y[fit] == 0], val[y[val] == 0]
    wb_cfg = _with_epochs(config.workbench, config.epochs, config.seed)
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
        # Workbench autoencoder: standardised features, trained on normal rows of the fit slice.
        steps.set_postfix_str(WORKBENCH_AE)

        def train_wb() -> Any:
            model = ae.build_autoencoder(x.shape[1], wb_cfg, name="workbench_autoencoder")
            history = ae.fit_autoencoder(
                model,
                x[normal_fit],
                x[normal_val],
                wb_cfg,
                _sub(log_dir, "workbench_autoencoder"),
                config.verbose,
            )
            return model, history

        (wb_model, wb_history), wb_seconds = _timed(train_wb)
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

        (head, head_histories), head_seconds = _timed(train_head)
        model = scoring_model(features.scaler, wb_model, wb_cfg, scale, head, n_raw=len(FEATURES))
        head_scores = _keras_scores(model, raw)
        result.models[AE_HEAD] = ModelScores(head_scores[val], head_scores[test], wb_seconds + head_seconds)
        result.scoring_model = model
        ae_logit = logit(head_scores)
        steps.update()
        extra |= {
            "residual_scale": scale,
            "workbench_config": wb_cfg,
            "workbench_history": wb_history,
            "workbench_seconds": wb_seconds,
            "head_config": head_cfg,
            "head_histories": head_histories,
            "head_seconds": head_seconds,
        }

    # Gradient-boosted trees on the raw columns and the hour of day; early stopping on validation.
    steps.set_postfix_str(TREES)
    tx = tree_features(raw)
    trees, tree_seconds = _timed(
        lambda: fit_trees(tx[fit], y[fit], tx[val], y[val], config.trees, config.seed, config.threads)
    )
    tree_margin = trees.margin(tx)
    result.trees = trees
    result.models[TREES] = ModelScores(tree_margin[val], tree_margin[test], tree_seconds)
    extra["tree_seconds"] = tree_seconds
    steps.update()

    # The deployed ensemble: the blend weight of the best validation PR-AUC, then Platt scaling.
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
    calibrate = Platt.fit(z[val], y[val])
    deployed = calibrate(z)
    refit_rounds = None
    if config.trees.refit and ae_weight < 1.0:
        # every choice is made: the deployed trees learn from the validation rows too. Validation
        # figures stay those of the early-stopped trees (the refit has seen those rows).
        train = split.train
        refit_rounds = max(1, round(trees.rounds * len(train) / len(fit)))
        steps.set_postfix_str(f"{TREES} refit")
        refit, refit_seconds = _timed(
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
        "candidates": candidates,
        "calibration_validation": calibration_report(y[val], deployed[val]),
        "calibration_test": calibration_report(y[test], deployed[test]),
        "trees_refit_rounds": refit_rounds,
        "trees_early_stopped_rounds": trees.rounds,
    }
    steps.update()

    if config.reference_ae:
        steps.set_postfix_str(REFERENCE)
        demo = DemoFeatures.fit(raw[fit])
        xd = demo.transform(raw)
        ref_cfg = _with_epochs(config.reference, config.epochs, config.seed)

        def train_ref() -> Any:
            m = ae.build_autoencoder(xd.shape[1], ref_cfg, name="reference_autoencoder")
            ae.fit_autoencoder(
                m,
                xd[normal_fit],
                xd[normal_val],
                ref_cfg,
                _sub(log_dir, "reference_autoencoder"),
                config.verbose,
            )
            return m

        ref_model, ref_seconds = _timed(train_ref)
        ref_score = ae.mse_score(xd, ae.reconstruct(ref_model, xd))
        result.models[REFERENCE] = ModelScores(ref_score[val], ref_score[test], ref_seconds)
        steps.update()

    if config.baselines:
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
                fitted, seconds = _timed(fitter)
            s = fitted.score(x)
            result.models[name] = ModelScores(s[val], s[test], seconds)
            steps.update()
        if h_in is not None:
            steps.set_postfix_str("ae_gradient_boosting")
            with threadpool_limits(config.threads):
                gb, seconds = _timed(lambda: GradientBoostingModel.fit(h_in[fit], y[fit], config.seed))
            s = gb.score(h_in)
            result.models["ae_gradient_boosting"] = ModelScores(s[val], s[test], seconds + wb_seconds)
        steps.update()
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


def _keras_scores(model: Any, raw: np.ndarray) -> np.ndarray:
    out = model.predict(raw.astype(np.float32), batch_size=16_384, verbose=0)
    return np.asarray(out, dtype=np.float64).reshape(-1)


def _with_epochs(cfg: Any, epochs: int, seed: int) -> Any:
    from dataclasses import replace

    return replace(cfg, epochs=epochs, seed=seed)


def _sub(log_dir: Path | None, name: str) -> Path | None:
    return None if log_dir is None else log_dir / name


def metrics_document(result: TrainingResult) -> dict[str, Any]:
    """`metrics.json`: the bundle model's test metrics at top level, every other model under baselines."""
    split, y = result.split, result.y
    top = result.metrics[BUNDLE_MODEL]
    doc: dict[str, Any] = {
        "model": BUNDLE_MODEL,
        "split": split.kind,
        **top["test"],
        "at_threshold": at_threshold(y[split.test], result.models[BUNDLE_MODEL].test, result.threshold.value),
        "threshold": result.threshold.to_json(),
        "validation": top["validation"],
        "test_rows": len(split.test),
        "test_frauds": int(y[split.test].sum()),
        "baselines": {},
    }
    for name, m in result.metrics.items():
        if name != BUNDLE_MODEL:
            doc["baselines"][name] = {**m["test"], "validation": m["validation"]}
    return doc


def write_bundle(
    result: TrainingResult, out_dir: Path, config: TrainConfig, data_name: str, data_sha256: str
) -> dict[str, Any]:
    """Export the scoring model, the model card (with the drift reference), metrics.json and the plots;
    returns the card."""
    from fraudlab import plots

    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in AE_MEMBER_FILES:  # a re-export without the autoencoder must not leave an old one behind
        path = out_dir / stale
        if path.is_dir():
            import shutil

            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    if result.scoring_model is not None:
        export_models(result.scoring_model, out_dir)
    assert result.trees is not None
    trees_entry = export_trees(result.trees, out_dir)
    metrics = metrics_document(result)
    write_json(out_dir / METRICS_FILE, metrics)

    created = datetime.now(UTC).replace(microsecond=0)
    extra = result.card
    features: WorkbenchFeatures = extra["features"]
    ens = result.ensemble
    members: dict[str, Any] = {
        "trees": trees_entry | {
            "weight": ens["trees_weight"],
            "train_seconds": round(extra["tree_seconds"], 1),
            "early_stopped_rounds": ens["trees_early_stopped_rounds"],
            "refit_on": "fit + validation rows" if ens["trees_refit_rounds"] else None,
        },
    }
    if result.scoring_model is not None:
        members["autoencoder"] = {
            "weight": ens["ae_weight"],
            "file": ONNX_FILE,
            "keras_file": KERAS_FILE,
            "output": "fraud probability of the autoencoder + head graph (its log-odds are blended)",
        }
    card: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "model_version": f"{BUNDLE_MODEL}-{created:%Y%m%dT%H%M%SZ}-{data_sha256[:8]}",
        "model": BUNDLE_MODEL,
        "description": (
            "Calibrated ensemble: gradient-boosted trees on the raw columns with the hour of day, and an "
            "autoencoder trained on normal transactions whose supervised head reads its code and residuals; "
            "their log-odds blended with the weight of the best validation PR-AUC, mapped to a fraud "
            "probability by Platt scaling fitted on the validation slice. Output: calibrated fraud probability."
        ),
        "feature_names": list(FEATURES),
        "input": {"name": INPUT_NAME, "dtype": "float32", "shape": [None, len(FEATURES)]},
        "output": {"dtype": "float32", "shape": [None], "higher_is_fraud": True, "calibrated": True},
        "scoring": {
            "kind": "ensemble",
            "combine": "z = trees.weight * trees_margin + autoencoder.weight * logit(autoencoder_probability)",
            "members": members,
            "calibration": ens["calibration"].to_json() | {"fitted_on": "validation slice of the training period"},
            "chosen": ens["chosen"],
            "chosen_by": "highest validation PR-AUC among the candidates (ties: fewer autoencoder weight)",
            "candidates": ens["candidates"],
            "calibration_check": {"validation": ens["calibration_validation"], "test": ens["calibration_test"]},
        },
        "preprocessing": {
            "steps": [
                "trees: V1..V28, Amount as is; tod_sin, tod_cos = sin, cos of 2*pi*(Time mod 86400)/86400",
                "autoencoder: V1..V28, log_amount = log(max(Amount, 0) + 1), tod_sin, tod_cos, "
                "standardised: (x - mean) / scale",
            ],
            "tree_inputs": list(TREE_FEATURES),
            "model_inputs": list(MODEL_INPUTS),
            "scaler": features.scaler.to_json(),
        },
        "threshold": result.threshold.to_json() | {"chosen_on": "validation slice of the training period"},
        "metrics": {
            "test": {k: metrics[k] for k in ("pr_auc", "roc_auc", "recall_at_1pct_fpr")},
            "validation": metrics["validation"],
            "at_threshold_test": metrics["at_threshold"],
        },
        "training_data": {
            "file": data_name,
            "sha256": data_sha256,
            "rows": len(result.y),
            "frauds": int(result.y.sum()),
            "split": result.split.kind,
            "fit_rows": len(result.split.fit),
            "val_rows": len(result.split.val),
            "test_rows": len(result.split.test),
        },
        # what `fraudlab monitor --model`, its replay and notebook 05 measure drift against (fraudlab.monitor.reference)
        REFERENCE_KEY: result.reference.to_json() if result.reference is not None else None,
        "train_config": _jsonable(config),
        "library_versions": library_versions(),
        "created_at": created.isoformat().replace("+00:00", "Z"),
    }
    if result.scoring_model is not None:
        card["preprocessing"]["residual_scale"] = extra["residual_scale"].tolist()
        card["autoencoder"] = {
            "config": _jsonable(extra["workbench_config"]),
            "epochs_run": len(extra["workbench_history"]["loss"]),
            "train_seconds": round(extra["workbench_seconds"], 1),
            "final_val_loss": extra["workbench_history"]["val_loss"][-1],
        }
        card["head"] = {
            "config": _jsonable(extra["head_config"]),
            "members_epochs_run": [len(h["loss"]) for h in extra["head_histories"]],
            "members_best_val_pr_auc": [max(h["val_pr_auc"]) for h in extra["head_histories"]],
            "train_seconds": round(extra["head_seconds"], 1),
        }
    write_json(out_dir / CARD_FILE, card)

    y, split = result.y, result.split
    test_scores = {name: m.test for name, m in result.models.items()}
    plots.pr_curves(
        y[split.test], test_scores, out_dir / "pr_curves.png", f"PR curves, test ({split.kind} split)"
    )
    plots.roc_curves(
        y[split.test], test_scores, out_dir / "roc_curves.png", f"ROC curves, test ({split.kind} split)"
    )
    if WORKBENCH_AE in result.models:
        plots.score_by_class(
            y[split.test],
            result.models[WORKBENCH_AE].test,
            out_dir / "reconstruction_error.png",
            "workbench autoencoder: log standardised reconstruction error, test",
        )
    plots.score_by_class(
        y[split.test],
        result.models[BUNDLE_MODEL].test,
        out_dir / "score_by_class.png",
        "bundle model score by class, test",
        result.threshold.value,
    )
    plots.threshold_tradeoffs(
        y[split.test],
        result.models[BUNDLE_MODEL].test,
        result.amount[split.test],
        config.threshold.review_cost,
        out_dir / "threshold_tradeoffs.png",
        result.threshold.value,
    )
    return card


def _jsonable(obj: Any) -> Any:
    from dataclasses import asdict, is_dataclass

    if is_dataclass(obj):
        obj = asdict(obj)
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, Path):
        return obj.as_posix()
    return obj


def comparison_table(result: TrainingResult) -> str:
    """Plain-text table of all models, test and validation metrics."""
    head = f"{'model':26s} {'test PR-AUC':>11s} {'ROC-AUC':>8s} {'R@1%FPR':>8s} | {'val PR-AUC':>10s} {'secs':>6s}"
    lines = [head, "-" * len(head)]
    for name, m in sorted(result.metrics.items(), key=lambda kv: -kv[1]["test"]["pr_auc"]):
        t, v = m["test"], m["validation"]
        lines.append(
            f"{name:26s} {t['pr_auc']:11.3f} {t['roc_auc']:8.3f} {t['recall_at_1pct_fpr']:8.3f} | "
            f"{v['pr_auc']:10.3f} {result.models[name].seconds:6.1f}"
        )
    return "\n".join(lines)
