"""Every model on the real Kaggle data, with both splits; prints JSON.

    .venv/bin/python benchmarks/model_quality.py [--data PATH] [--epochs 20] [--split time random]
        [--out DIR]   # also write the bundle of each split to DIR/<split>

The data path defaults to $FRAUDLAB_SHARED_DIR/data/creditcard.csv.gz, else <repo>/../shared/data/.
Test-split metrics are the figures to quote; validation metrics are what every choice was made on.
The load average is reported because other processes share the CPU during training.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def default_data() -> Path:
    from fraudlab.stack import shared_dir

    return shared_dir(os.environ, REPO) / "data" / "creditcard.csv.gz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--threads", type=int, default=None, help="cap the scikit-learn/boosting models' threads"
    )
    parser.add_argument("--split", nargs="+", choices=["time", "random"], default=["time", "random"])
    parser.add_argument("--reference-ae", action="store_true",
                        help="also train the original demo's autoencoder (batch 32: the slowest and weakest model)")
    parser.add_argument("--no-baselines", action="store_true", help="only the deployed ensemble's candidates")
    parser.add_argument("--xgboost-baseline", action="store_true",
                        help="also the old XGBoost baseline on the autoencoder's standardised features")
    parser.add_argument(
        "--out", type=Path, default=None, help="write each split's bundle under this directory"
    )
    args = parser.parse_args(argv)

    from fraudlab.data import csv_sha256, load_creditcard
    from fraudlab.model.config import TrainConfig
    from fraudlab.model.training import (
        BUNDLE_MODEL,
        comparison_table,
        fit_models,
        metrics_document,
        write_bundle,
    )

    frame = load_creditcard(args.data)
    report: dict[str, object] = {
        "data": args.data.name,
        "rows": len(frame),
        "frauds": int(frame["Class"].sum()),
        "epochs": args.epochs,
        "seed": args.seed,
        "cpu_count": os.cpu_count(),
        "splits": {},
    }
    for split in args.split:
        config = TrainConfig(split=split, epochs=args.epochs, seed=args.seed, verbose=0, threads=args.threads,  # type: ignore[arg-type]
                             reference_ae=args.reference_ae, baselines=not args.no_baselines,
                             xgboost_baseline=args.xgboost_baseline)
        load_before = os.getloadavg()
        cpu_before = time.process_time()
        start = time.perf_counter()
        result = fit_models(frame, config)
        seconds = time.perf_counter() - start
        doc = metrics_document(result)
        ens = result.ensemble
        entry = {
            "bundle_model": BUNDLE_MODEL,
            "deployed": {
                "chosen_on_validation": ens["chosen"],
                "ae_weight": ens["ae_weight"],
                "test": result.metrics[BUNDLE_MODEL]["test"],
                "validation": result.metrics[BUNDLE_MODEL]["validation"],
                "calibration": ens["calibration"].to_json(),
                "calibration_check": {"validation": ens["calibration_validation"], "test": ens["calibration_test"]},
                "trees_early_stopped_rounds": ens["trees_early_stopped_rounds"],
                "trees_refit_rounds": ens["trees_refit_rounds"],
                "trees_train_seconds": round(result.card["tree_seconds"], 1),
            },
            "candidates": ens["candidates"],
            "models": result.summary(),
            "bundle_at_threshold_test": doc["at_threshold"],
            "threshold": doc["threshold"],
            "test_rows": doc["test_rows"],
            "test_frauds": doc["test_frauds"],
            "validation_frauds": int(result.y[result.split.val].sum()),
            "workbench_autoencoder_train_seconds": round(result.card.get("workbench_seconds", 0.0), 1),
            "workbench_autoencoder_epochs_run": len(result.card["workbench_history"]["loss"])
            if "workbench_history" in result.card else 0,
            "head_members": result.card["head_config"].members if "head_config" in result.card else 0,
            "head_members_epochs_run": [len(h["loss"]) for h in result.card.get("head_histories", [])],
            "head_train_seconds": round(result.card.get("head_seconds", 0.0), 1),
            "total_seconds": round(seconds, 1),
            "loadavg_1m_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
            "cpu_seconds": round(time.process_time() - cpu_before, 1),
        }
        report["splits"][split] = entry  # type: ignore[index]
        print(f"\n[{split} split]\n{comparison_table(result)}", file=sys.stderr)
        if args.out is not None:
            write_bundle(
                result,
                args.out / split,
                replace(config, out_dir=args.out / split),
                args.data.name,
                csv_sha256(args.data),
            )
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
