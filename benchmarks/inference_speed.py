"""Scoring throughput of a model bundle: Keras vs ONNX Runtime, batch sizes 1, 100 and 10,000; JSON.

    .venv/bin/python benchmarks/inference_speed.py [--model models/fraud] [--threads N]
    .venv/bin/python benchmarks/inference_speed.py --trees [--model models/fraud]

--trees measures the bundle's tree member three ways, on one thread, in rows per CPU-second (process
CPU time, so other jobs on the machine matter less than for wall-clock rates): XGBoost's
inplace_predict (what the scorer uses), the same trees compiled to C by TL2cgen (Treelite), and ONNX
Runtime's TreeEnsemble operator (onnxmltools conversion); it checks that all three give the same
margins, and times the whole bundle (`load(...).score`) beside them.

Without --model (or if it does not exist) a bundle with the default architecture is trained for
2 epochs on synthetic data in a temporary directory: throughput depends on the graph, not the weights.
Rows are raw (unscaled) Kaggle columns, as the scoring service sends them. Medians of repeated runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def _rows_per_second(
    fn: Callable[[np.ndarray], object], x: np.ndarray, min_seconds: float, repeats: int
) -> float:
    fn(x)  # warm-up (graph tracing, allocations)
    rates = []
    for _ in range(repeats):
        n, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < min_seconds:
            fn(x)
            n += 1
        rates.append(n * len(x) / elapsed)
    return statistics.median(rates)


def _rows_per_cpu_second(fn: Callable[[np.ndarray], object], x: np.ndarray, batch: int, seconds: float,
                         repeats: int) -> float:
    fn(x[:batch])
    rates = []
    for _ in range(repeats):
        n, start = 0, time.process_time()
        while (elapsed := time.process_time() - start) < seconds:
            for i in range(0, len(x), batch):
                fn(x[i : i + batch])
            n += len(x)
        rates.append(n / elapsed)
    return statistics.median(rates)


def tree_runtimes(model_dir: Path, batches: list[int], seconds: float, repeats: int) -> dict[str, object]:
    """The tree member on XGBoost inplace_predict, TL2cgen-compiled C and ONNX Runtime TreeEnsemble."""
    import onnxruntime as ort
    import tl2cgen
    import treelite
    import xgboost as xgb
    from onnxmltools import convert_xgboost
    from onnxmltools.convert.common.data_types import FloatTensorType

    from fraudlab.data import synthetic
    from fraudlab.model import load
    from fraudlab.model.bundle import read_card
    from fraudlab.model.trees import TREE_FEATURES, tree_features

    card = read_card(model_dir)
    entry = card["scoring"]["members"]["trees"]
    booster = xgb.Booster(model_file=str(model_dir / entry["file"]))
    booster.set_param({"nthread": 1})
    raw = synthetic(20_000, 0.01, seed=2)[card["feature_names"]].to_numpy(np.float32)
    x = tree_features(raw)
    with tempfile.TemporaryDirectory(prefix="fraudlab-trees-") as tmp:
        lib = Path(tmp) / "trees.so"
        tl2cgen.export_lib(treelite.frontend.from_xgboost(booster), toolchain="gcc", libpath=str(lib),
                           params={"parallel_comp": 4})
        predictor = tl2cgen.Predictor(str(lib), nthread=1)
        onx = convert_xgboost(booster, initial_types=[("x", FloatTensorType([None, len(TREE_FEATURES)]))],
                              target_opset=15)
        options = ort.SessionOptions()
        options.intra_op_num_threads, options.inter_op_num_threads = 1, 1
        session = ort.InferenceSession(onx.SerializeToString(), options, providers=["CPUExecutionProvider"])
        runtimes: dict[str, Callable[[np.ndarray], np.ndarray]] = {
            "xgboost_inplace_predict": lambda a: booster.inplace_predict(a, predict_type="margin"),
            "tl2cgen_compiled": lambda a: predictor.predict(tl2cgen.DMatrix(a, dtype="float32"), pred_margin=True),
            "onnxruntime_tree_ensemble": lambda a: session.run(None, {"x": a})[1],
        }
        ref = np.asarray(runtimes["xgboost_inplace_predict"](x), dtype=np.float64).reshape(-1)
        agree = {
            "tl2cgen_max_abs_margin_diff": float(np.abs(np.asarray(runtimes["tl2cgen_compiled"](x)).reshape(-1) - ref).max()),
            "onnxruntime_max_abs_prob_diff": float(np.abs(np.asarray(runtimes["onnxruntime_tree_ensemble"](x))[:, 1]
                                                          - 1 / (1 + np.exp(-ref))).max()),
        }
        scorer = load(model_dir, threads=1)
        rates = {name: {str(b): round(_rows_per_cpu_second(fn, x, b, seconds, repeats)) for b in batches}
                 for name, fn in runtimes.items()}
        rates["whole_bundle_score"] = {str(b): round(_rows_per_cpu_second(scorer.score, raw, b, seconds, repeats))
                                       for b in batches}
    return {"trees": entry["rounds"], "max_depth": card["train_config"]["trees"]["max_depth"],
            "rows_per_cpu_second": rates, "agreement": agree, "bundle_members": scorer.runtimes,
            "member_weights": {k: v["weight"] for k, v in card["scoring"]["members"].items()}}


def _build_bundle(out: Path) -> Path:
    from fraudlab.data import synthetic
    from fraudlab.model.config import TrainConfig
    from fraudlab.model.training import fit_models, write_bundle

    config = TrainConfig(epochs=2, verbose=0, baselines=False, reference_ae=False, out_dir=out)
    result = fit_models(synthetic(20_000, 0.01, seed=1), config)
    write_bundle(result, out, config, "synthetic", "0" * 64)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, default=REPO / "models" / "fraud")
    parser.add_argument(
        "--threads", type=int, default=None, help="ONNX Runtime intra-op threads (default: all)"
    )
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 100, 10_000])
    parser.add_argument("--seconds", type=float, default=1.0, help="minimum time per measurement")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--trees", action="store_true", help="measure the tree member's runtimes instead")
    args = parser.parse_args(argv)
    if args.trees:
        report = tree_runtimes(args.model, [b for b in args.batch if b >= 100] or [5000], args.seconds,
                               args.repeats)
        report |= {"cpu_count": os.cpu_count(), "loadavg_1m": round(os.getloadavg()[0], 2),
                   "statistic": f"median of {args.repeats} runs of >= {args.seconds} CPU-s each, one thread"}
        print(json.dumps(report, indent=2))
        return 0

    from fraudlab.data import synthetic
    from fraudlab.model import load

    tmp = None
    model_dir = args.model
    if not (model_dir / "model.json").is_file():
        tmp = tempfile.TemporaryDirectory(prefix="fraudlab-bench-")
        model_dir = _build_bundle(Path(tmp.name) / "bundle")
    onnx = load(model_dir, threads=args.threads)
    keras_scorer = load(model_dir, backend="keras")
    raw = synthetic(max(args.batch), 0.01, seed=2)[onnx.feature_names].to_numpy(np.float32)
    results: dict[str, dict[str, float]] = {"onnxruntime": {}, "keras": {}}
    for batch in args.batch:
        x = np.ascontiguousarray(raw[:batch])
        results["onnxruntime"][str(batch)] = round(
            _rows_per_second(onnx.score, x, args.seconds, args.repeats)
        )
        results["keras"][str(batch)] = round(
            _rows_per_second(keras_scorer.score, x, args.seconds, max(1, args.repeats // 2))
        )
    report = {
        "model_version": onnx.model_version,
        "bundle": "trained-for-benchmark (synthetic, 2 epochs)" if tmp else str(model_dir),
        "rows_per_second": results,
        "onnx_speedup_over_keras": {
            b: round(results["onnxruntime"][b] / results["keras"][b], 1) for b in results["onnxruntime"]
        },
        "onnx_threads": args.threads or "all",
        "cpu_count": os.cpu_count(),
        "loadavg_1m": round(os.getloadavg()[0], 2),
        "statistic": f"median of {args.repeats} runs of >= {args.seconds}s each",
    }
    print(json.dumps(report, indent=2))
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
