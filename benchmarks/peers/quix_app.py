"""The Quix Streams applications of the peer benchmark; run by benchmarks/peers/quix.py inside the Quix
virtualenv (.cache/peers/quix-venv), so this file imports nothing of fraudlab.

    quix-venv/bin/python quix_app.py --mode csas|scoring --bootstrap-servers H:P --source T --sink T
        --group G --state-dir DIR [--alerts T --model BUNDLE] [--producer k=v ...] [--consumer k=v ...]

- csas: DELIMITED rows, `Amount > 0`, the projection TIME, V1..V4, AMOUNT, CLASS as JSON (what
  ksql_throughput's CSAS does);
- scoring: each row's features (the bundle's feature_names) through the bundle's model.onnx with ONNX
  Runtime on one thread, one JSON result per row with the fields fraudlab's scoring service writes (id,
  score, is_fraud, threshold, model_version, event_time, scored_at), keyed by the id, and the frauds again
  to the alerts topic. Quix Streams processes one record per callback, so the model runs once per record.

Prints `ready` once the application is built (and the model loaded), starts on a `go` line on stdin,
prints `first <epoch seconds>` when the first record is processed, and stops on SIGTERM (Quix's own
graceful stop: it commits and closes).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from quixstreams import Application, message_context

COLUMNS = ["Time", *[f"V{i}" for i in range(1, 29)], "Amount", "Class"]
AMOUNT = 29
CLASS = 30


def settings(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        out[key] = value
    return out


def first_record_marker() -> Callable[[Any], Any]:
    """A pass-through step that prints when the first record arrives (one flag test per record)."""
    seen = False

    def mark(value: Any) -> Any:
        nonlocal seen
        if not seen:
            seen = True
            print(f"first {time.time():.6f}", flush=True)
        return value

    return mark


def fields(value: bytes) -> list[str] | None:
    parts = value.decode("utf-8", errors="replace").split(",")
    return parts if len(parts) == 31 else None


def projection(f: list[str]) -> dict[str, Any]:
    return {
        "TIME": float(f[0]),
        "V1": float(f[1]),
        "V2": float(f[2]),
        "V3": float(f[3]),
        "V4": float(f[4]),
        "AMOUNT": float(f[AMOUNT]),
        "CLASS": f[CLASS].strip('"'),
    }


def scorer(bundle: Path) -> Callable[[Any, Any, int, Any], dict[str, Any] | None]:
    import onnxruntime as ort

    card = json.loads((bundle / "model.json").read_text())
    threshold = float(card["threshold"]["value"])
    version = str(card["model_version"])
    index = [COLUMNS.index(name) for name in card["feature_names"]]
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # as fraudlab's scoring service (ScoringConfig.onnx_threads)
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(bundle / "model.onnx"), options, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name

    def score(value: bytes, key: Any, timestamp: int, headers: Any) -> dict[str, Any] | None:
        f = fields(value)
        if f is None:
            return None
        x = np.array([[float(f[i]) for i in index]], dtype=np.float32)
        s = float(session.run(None, {input_name: x})[0].reshape(-1)[0])
        ctx = message_context()
        return {
            "id": f"{ctx.topic}-{ctx.partition}-{ctx.offset}",
            "score": round(s, 7),
            "is_fraud": s >= threshold,
            "threshold": threshold,
            "model_version": version,
            "event_time": timestamp,
            "scored_at": time.time_ns() // 1_000_000,
        }

    return score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["csas", "scoring"], required=True)
    parser.add_argument("--bootstrap-servers", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--sink", required=True)
    parser.add_argument("--alerts", default=None)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--group", required=True)
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("--commit-interval", type=float, default=1.0)
    parser.add_argument("--producer", action="append", default=[], help="librdkafka producer setting k=v")
    parser.add_argument("--consumer", action="append", default=[], help="librdkafka consumer setting k=v")
    args = parser.parse_args()

    app = Application(
        broker_address=args.bootstrap_servers,
        consumer_group=args.group,
        auto_offset_reset="earliest",
        processing_guarantee="at-least-once",
        commit_interval=args.commit_interval,
        producer_extra_config=settings(args.producer),
        consumer_extra_config=settings(args.consumer),
        state_dir=args.state_dir,
        loglevel="WARNING",
    )
    source = app.topic(args.source, value_deserializer="bytes", key_deserializer="bytes")
    sdf = app.dataframe(source).apply(first_record_marker())
    if args.mode == "csas":
        sink = app.topic(args.sink, value_serializer="json")
        sdf = sdf.apply(fields).filter(lambda f: f is not None and float(f[AMOUNT]) > 0).apply(projection)
        sdf.to_topic(sink)
    else:
        if args.model is None or args.alerts is None:
            parser.error("--mode scoring needs --model and --alerts")
        sink = app.topic(args.sink, value_serializer="json", key_serializer="string")
        alerts = app.topic(args.alerts, value_serializer="json", key_serializer="string")
        sdf = sdf.apply(scorer(args.model), metadata=True).filter(lambda r: r is not None)
        sdf = sdf.to_topic(sink, key=lambda r: r["id"])
        sdf.filter(lambda r: r["is_fraud"]).to_topic(alerts, key=lambda r: r["id"])
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 1
    app.run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
