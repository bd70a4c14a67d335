"""The whole notebook pipeline on the full Kaggle data: seconds per stage (notebook) and in total. Prints JSON.

Baseline, measured in the same run on the same broker: producing the same rows straight into a topic with
the raw confluent-kafka producer (the ceiling for the ingest stage, which goes through Kafka Connect).

    .venv/bin/python benchmarks/pipeline_e2e.py [--data PATH] [--sample-size N] [--epochs N] [--json FILE]

`--data` defaults to $FRAUDLAB_SHARED_DIR/data/creditcard.csv.gz (FRAUDLAB_SHARED_DIR: <checkout>/../shared).
A fresh embedded stack (with the KSQL server) is started on free ports and stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

from fraudlab.data import load_creditcard
from fraudlab.kafka import KafkaConfig, produce_dataframe, wait_for_records
from fraudlab.notebooks import NotebookRunConfig, run_notebooks
from fraudlab.pipeline.summary import load_summary
from fraudlab.stack import Stack, StackConfig, find_project_root
from fraudlab.stack.ports import free_ports


def raw_copy_seconds(kafka: KafkaConfig, data: Path, rows: int | None) -> tuple[int, float]:
    frame = load_creditcard(data)
    if rows:
        frame = frame.iloc[:rows]
    topic = f"bench_raw_{uuid.uuid4().hex[:8]}"
    start = time.perf_counter()
    produce_dataframe(kafka, frame, topic, value_format="json", progress=False)
    wait_for_records(kafka, topic, expected=len(frame), timeout_s=600, progress=False)
    return len(frame), time.perf_counter() - start


def main() -> None:
    root = find_project_root()
    shared = Path(os.environ.get("FRAUDLAB_SHARED_DIR") or root.parent / "shared")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=shared / "data" / "creditcard.csv.gz")
    parser.add_argument("--sample-size", type=int, default=0, help="0: every row")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fraudlab-bench-") as tmp:
        kafka_port, connect_port, ksql_port = free_ports(3)
        config = StackConfig.default(project_root=root, state_dir=Path(tmp) / "stack", kafka_port=kafka_port,
                                     connect_port=connect_port, ksql_port=ksql_port, start_timeout_s=180.0)
        stack = Stack(config)
        start = time.perf_counter()
        stack.up(progress=False)
        stack_s = time.perf_counter() - start
        try:
            run_id = f"bench_{uuid.uuid4().hex[:6]}"
            out = Path(tmp) / "run"
            params = {
                "bootstrap_servers": config.bootstrap_servers, "connect_url": config.connect_url,
                "ksql_url": config.ksql_url, "spool_dir": str(config.spool_dir), "data_path": str(args.data.resolve()),
                "sample_size": args.sample_size, "epochs": args.epochs, "seed": 42, "run_id": run_id,
                "artifacts_dir": str(out / "artifacts"), "timeout_s": 1800,
            }
            run = run_notebooks(NotebookRunConfig(root / "notebooks", out, parameters=params, html_report=False))
            rows, raw_s = raw_copy_seconds(KafkaConfig(bootstrap_servers=config.bootstrap_servers), args.data,
                                           args.sample_size or None)
            result = {
                "benchmark": "pipeline_e2e",
                "data": args.data.name,
                "rows": rows,
                "epochs": args.epochs,
                "stack_up_s": round(stack_s, 1),
                "stages_s": {n.name.removesuffix(".ipynb"): round(n.seconds, 1) for n in run.notebooks},
                "total_s": round(run.seconds, 1),
                "ok": run.ok,
                "error": str(run.error) if run.error else None,
                "baseline_raw_produce_s": round(raw_s, 2),
                "summary": load_summary(out / "artifacts"),
            }
        finally:
            stack.down()
    text = json.dumps(result, indent=2, default=str)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    main()
