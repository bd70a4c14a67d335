"""A run's outputs: `metrics.json` (`metrics_document`), the bundle with its model card and plots
(`write_bundle`), and the plain-text comparison of every model (`comparison_table`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fraudlab.data.schema import FEATURES
from fraudlab.evaluate import at_threshold
from fraudlab.features import MODEL_INPUTS, WorkbenchFeatures
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
from fraudlab.model.config import TrainConfig
from fraudlab.model.graph import INPUT_NAME
from fraudlab.model.training.result import BUNDLE_MODEL, WORKBENCH_AE, TrainingResult
from fraudlab.model.trees import TREE_FEATURES, export_trees
from fraudlab.monitor.reference import CARD_KEY as REFERENCE_KEY


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
            "probability by Platt or beta calibration fitted on the validation slice. Output: calibrated fraud probability."
        ),
        "feature_names": list(FEATURES),
        "input": {"name": INPUT_NAME, "dtype": "float32", "shape": [None, len(FEATURES)]},
        "output": {"dtype": "float32", "shape": [None], "higher_is_fraud": True, "calibrated": True},
        "scoring": {
            "kind": "ensemble",
            "combine": "z = trees.weight * trees_margin + autoencoder.weight * logit(autoencoder_probability)",
            "members": members,
            "calibration": ens["calibration"].to_json() | {"fitted_on": "validation slice of the training period",
                                                            "choice": ens.get("calibration_choice")},
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
