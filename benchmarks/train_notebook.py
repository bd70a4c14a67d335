"""Notebook 03's training cell on the real data, outside the notebook; prints JSON.

    .venv/bin/python benchmarks/train_notebook.py [--data PATH] [--epochs 5] [--head-epochs 0]
        [--threads 1] [--no-reference-ae] [--no-baselines] [--out DIR]

The frame is the one notebook 03 reads from the labelled topic after `make demo DATA=...`: the Kaggle
rows whose label notebook 01 kept (`extended_frame`, 2 % unlabelled with the run's seed), in time
order. The defaults are the demo's parameters (epochs 5, one scikit-learn/XGBoost thread, the head's
default epochs, the baselines and the reference autoencoder). `fit_models` and `write_bundle` are timed
apart; the load average is reported because other processes share the CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def default_data() -> Path:
    from fraudlab.stack import shared_dir

    return shared_dir(os.environ, REPO) / "data" / "creditcard.csv.gz"


def notebook_frame(data: Path, seed: int) -> object:
    """The labelled rows notebook 03 trains on, in time order."""
    from fraudlab.data import COLUMNS, load_creditcard
    from fraudlab.pipeline.data import extended_frame

    ext = extended_frame(load_creditcard(data), seed, unlabelled_fraction=0.02)
    labelled = ext[ext["Class"] != ""].loc[:, list(COLUMNS)].copy()
    labelled["Class"] = labelled["Class"].astype("int64")
    return labelled.sort_values("Time", kind="stable").reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--head-epochs", type=int, default=0, help="0: HeadConfig's default")
    parser.add_argument("--threads", type=int, default=1, help="scikit-learn/XGBoost threads (0: library default)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--head-seed", type=int, default=None,
                        help="the head members' seed alone (default: HeadConfig's), to see its spread")
    parser.add_argument("--no-reference-ae", action="store_true")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="the bundle's folder (default: a temporary one)")
    args = parser.parse_args(argv)

    from fraudlab.model.config import HeadConfig, TrainConfig
    from fraudlab.model.training import BUNDLE_MODEL, comparison_table, fit_models, write_bundle

    t0 = time.perf_counter()
    frame = notebook_frame(args.data, args.seed)
    load_seconds = time.perf_counter() - t0
    config = TrainConfig(
        epochs=args.epochs, seed=args.seed, verbose=0, baselines=not args.no_baselines,
        reference_ae=not args.no_reference_ae, threads=args.threads or None,
        head=HeadConfig(epochs=args.head_epochs) if args.head_epochs else HeadConfig(),
    )
    if args.head_seed is not None:
        config = replace(config, head=replace(config.head, seed=args.head_seed))
    load_before = os.getloadavg()
    cpu_before = time.process_time()
    start = time.perf_counter()
    result = fit_models(frame, config)
    fit_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="fraudlab-train-bench-") as tmp:
        out = args.out or Path(tmp) / "model"
        start = time.perf_counter()
        write_bundle(result, out, config, args.data.name, "0" * 64)
        bundle_seconds = time.perf_counter() - start
    load_after = os.getloadavg()
    card = result.card
    report = {
        "rows": len(frame),
        "frauds": int(frame["Class"].sum()),
        "epochs": args.epochs,
        "head_epochs": config.head.epochs,
        "threads": args.threads,
        "head_seed": config.head.seed,
        "baselines": config.baselines,
        "reference_ae": config.reference_ae,
        "frame_seconds": round(load_seconds, 1),
        "fit_models_seconds": round(fit_seconds, 1),
        "write_bundle_seconds": round(bundle_seconds, 1),
        "total_seconds": round(fit_seconds + bundle_seconds, 1),
        "cpu_seconds": round(time.process_time() - cpu_before, 1),
        "loadavg_before": [round(v, 2) for v in load_before],
        "loadavg_after": [round(v, 2) for v in load_after],
        "deployed": {
            "chosen": result.ensemble["chosen"],
            "test": result.metrics[BUNDLE_MODEL]["test"],
            "validation": result.metrics[BUNDLE_MODEL]["validation"],
        },
        "model_seconds": {name: round(m.seconds, 1) for name, m in result.models.items()},
        "workbench_epochs_run": len(card["workbench_history"]["loss"]) if "workbench_history" in card else 0,
        "head_members_epochs_run": [len(h["loss"]) for h in card.get("head_histories", [])],
        "head_seconds": round(card.get("head_seconds", 0.0), 1),
        "tree_seconds": round(card.get("tree_seconds", 0.0), 1),
    }
    print(comparison_table(result), file=sys.stderr)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
