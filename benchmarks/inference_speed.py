"""Scoring throughput of a model bundle: Keras vs ONNX Runtime, batch sizes 1, 100 and 10,000; JSON.

    .venv/bin/python benchmarks/inference_speed.py [--model models/fraud] [--threads N]

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
    args = parser.parse_args(argv)

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
