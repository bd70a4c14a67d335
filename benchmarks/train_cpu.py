"""Notebook 03's training (`fit_models` + `write_bundle`) on the real data, in CPU seconds per part; prints JSON.

    .venv/bin/python benchmarks/train_cpu.py [--data PATH] [--epochs 20] [--threads 1] [--no-baselines]
        [--reference-ae] [--out DIR]

The defaults are `notebooks/params/full.yaml` (20 epochs, one scikit-learn/XGBoost thread, the baselines
on, the original demo's autoencoder off); the frame is `train_notebook.notebook_frame` (the labelled rows
notebook 03 reads after `make demo DATA=...`). On a shared machine wall seconds say little, so each part
is timed in CPU seconds of the whole process (TensorFlow's and OpenMP's threads included): the run is
made sequential (`TrainConfig.parallel=False`) so the parts do not overlap, and the functions the run
calls are wrapped in place. The notebook itself runs the worker-thread parts beside the Keras networks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_notebook import default_data, notebook_frame


class CpuParts:
    """Process CPU and wall seconds per named part; nested parts are charged to the innermost one only."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.wall: dict[str, float] = defaultdict(float)
        self._stack: list[list[float]] = []  # per open part: [child cpu, child wall]

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append([0.0, 0.0])
            c0, w0 = time.process_time(), time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                dc, dw = time.process_time() - c0, time.perf_counter() - w0
                child = self._stack.pop()
                self.cpu[name] += dc - child[0]
                self.wall[name] += dw - child[1]
                if self._stack:
                    self._stack[-1][0] += dc
                    self._stack[-1][1] += dw

        return timed

    def patch(self, name: str, owner: Any, attr: str) -> None:
        setattr(owner, attr, self.wrap(name, getattr(owner, attr)))


def instrument(parts: CpuParts) -> None:
    """Wrap the training run's parts where `fit_models` and `write_bundle` look them up."""
    from fraudlab import plots
    from fraudlab.model import autoencoder, baselines, bundle, head
    from fraudlab.model.training import autoencoders, card, ensemble, run

    parts.patch("workbench features", run.WorkbenchFeatures, "fit")
    parts.patch("autoencoder fit", autoencoders.ae, "fit_autoencoder")
    parts.patch("autoencoder predict", autoencoder, "reconstruct")
    parts.patch("head fit", autoencoders, "fit_head")
    parts.patch("head graph + scores", autoencoders, "_keras_scores")
    parts.patch("head graph + scores", autoencoders, "scoring_model")
    parts.patch("trees fit", ensemble, "fit_trees")
    parts.patch("trees refit", ensemble, "refit_trees")
    parts.patch("ensemble choice + calibration", ensemble, "fit_calibration")
    parts.patch("drift reference", ensemble, "training_reference")
    parts.patch("metrics", run, "ranking_metrics")
    parts.patch("metrics", ensemble, "ranking_metrics")
    for name, cls in (("mahalanobis", baselines.Mahalanobis), ("isolation forest", baselines.IsolationForestModel),
                      ("logistic regression", baselines.LogisticModel),
                      ("gradient boosting (2 baselines)", baselines.GradientBoostingModel)):
        parts.patch(f"baseline {name}", cls, "fit")
        parts.patch(f"baseline {name}", cls, "score")
    parts.patch("export keras/saved_model/onnx", card, "export_models")
    parts.patch("export trees", card, "export_trees")
    for fn in ("pr_curves", "roc_curves", "score_by_class", "threshold_tradeoffs"):
        parts.patch("plots", plots, fn)
    del bundle, head  # imported for their side effect of being loaded before the wrapping


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1, help="scikit-learn/XGBoost threads (0: library default)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--reference-ae", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="the bundle's folder (default: a temporary one)")
    args = parser.parse_args(argv)

    from fraudlab.model.config import TrainConfig
    from fraudlab.model.training import BUNDLE_MODEL, comparison_table, fit_models, write_bundle

    frame = notebook_frame(args.data, args.seed)
    config = TrainConfig(epochs=args.epochs, seed=args.seed, verbose=0, baselines=not args.no_baselines,
                         reference_ae=args.reference_ae, threads=args.threads or None)
    config = replace(config, parallel=False)
    parts = CpuParts()
    instrument(parts)
    load_before = os.getloadavg()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = fit_models(frame, config)
    fit_cpu = time.process_time() - cpu0
    with tempfile.TemporaryDirectory(prefix="fraudlab-train-cpu-") as tmp:
        out = args.out or Path(tmp) / "model"
        c1 = time.process_time()
        write_bundle(result, out, config, args.data.name, "0" * 64)
        bundle_cpu = time.process_time() - c1
    wall = time.perf_counter() - wall0
    card = result.card
    total = fit_cpu + bundle_cpu
    named = sum(parts.cpu.values())
    report = {
        "rows": len(frame),
        "epochs": args.epochs,
        "threads": args.threads,
        "fit_models_cpu": round(fit_cpu, 1),
        "write_bundle_cpu": round(bundle_cpu, 1),
        "total_cpu": round(total, 1),
        "total_wall": round(wall, 1),
        "parts_cpu": {k: round(v, 1) for k, v in sorted(parts.cpu.items(), key=lambda kv: -kv[1])},
        "other_cpu": round(total - named, 1),
        "parts_wall": {k: round(v, 1) for k, v in sorted(parts.wall.items(), key=lambda kv: -kv[1])},
        "loadavg_before": [round(v, 2) for v in load_before],
        "loadavg_after": [round(v, 2) for v in os.getloadavg()],
        "deployed": {
            "chosen": result.ensemble["chosen"],
            "test": result.metrics[BUNDLE_MODEL]["test"],
            "validation": result.metrics[BUNDLE_MODEL]["validation"],
        },
        "workbench_epochs_run": len(card["workbench_history"]["loss"]) if "workbench_history" in card else 0,
        "head_members_epochs_run": [len(h["loss"]) for h in card.get("head_histories", [])],
        "trees_rounds": result.ensemble.get("trees_early_stopped_rounds"),
        "trees_refit_rounds": result.ensemble.get("trees_refit_rounds"),
    }
    print(comparison_table(result), file=sys.stderr)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
