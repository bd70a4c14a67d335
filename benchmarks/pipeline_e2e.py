"""The whole notebook pipeline on the full Kaggle data: seconds per stage (notebook) and in total. Prints JSON.

Runs what `fraudlab notebooks run --params notebooks/params/full.yaml` runs (the five notebooks with
papermill: Connect ingestion, KSQL preprocessing, training, the scoring service and the KSQL function
path, fraudlab.monitor and the KSQL monitoring tables) on a fresh embedded stack started on free ports
and stopped at the end. Target: under 15 minutes on 2 cores.

Baseline, measured in the same run on the same broker: producing the same rows straight into a topic with
the raw confluent-kafka producer (the ceiling for the ingest stage, which goes through Kafka Connect).
The load average is sampled every 10 s during the run: the machine is shared, so read the times with it.

`ksql_queries`: each persistent KSQL query the pipeline created, replayed afterwards on the full input the
pipeline left (same statement, same server; see pipeline_queries.py), with its records/s and the benchmark
that measures the same kind of query; `--compare FILE` (benchmark JSON outputs) puts their rates beside.

    .venv/bin/python benchmarks/pipeline_e2e.py [--data PATH] [--sample-size N] [--epochs N]
        [-p NAME=VALUE ...] [--json FILE]

`--data` defaults to $FRAUDLAB_SHARED_DIR/data/creditcard.csv.gz (FRAUDLAB_SHARED_DIR: <checkout>/../shared).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import yaml
from pipeline_queries import query_rates

from fraudlab.data import load_creditcard
from fraudlab.kafka import KafkaConfig, produce_dataframe, wait_for_records
from fraudlab.notebooks import NotebookRunConfig, load_parameters, resolve_parameters, run_notebooks
from fraudlab.pipeline.summary import load_summary
from fraudlab.stack import Stack, StackConfig, find_project_root, shared_dir
from fraudlab.stack.ports import free_ports

TARGET_S = 15 * 60


class LoadSampler:
    """1-minute load average every `every_s` seconds, in a daemon thread."""

    def __init__(self, every_s: float = 10.0) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every_s,), daemon=True)

    def _run(self, every_s: float) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(every_s)

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def summary(self) -> dict[str, float]:
        s = sorted(self.samples) or [0.0]
        return {"min": round(s[0], 2), "median": round(s[len(s) // 2], 2), "max": round(s[-1], 2)}


def training_parameters(notebook: Path, params: dict[str, Any]) -> dict[str, Any]:
    """The training settings the run used: given ones, else the notebook's own defaults."""
    import ast

    import papermill

    declared = papermill.inspect_notebook(str(notebook))  # defaults as source text
    names = ("epochs", "train_threads", "baselines", "reference_ae", "seed")
    return {k: params[k] if k in params else ast.literal_eval(declared[k]["default"])
            for k in names if k in params or k in declared}


def raw_produce_seconds(kafka: KafkaConfig, data: Path, rows: int | None) -> tuple[int, float]:
    """The ingest stage's ceiling: the same rows produced straight into a topic, until all are there."""
    frame = load_creditcard(data)
    if rows:
        frame = frame.iloc[:rows]
    topic = f"bench_raw_{uuid.uuid4().hex[:8]}"
    start = time.perf_counter()
    produce_dataframe(kafka, frame, topic, value_format="json", progress=False)
    wait_for_records(kafka, topic, expected=len(frame), timeout_s=600, progress=False)
    return len(frame), time.perf_counter() - start


def benchmark_rate(result: dict[str, Any]) -> float | None:
    """The headline records/s of a benchmark's JSON output."""
    for key in ("records_per_s", "windowed_records_per_s", "join_records_per_s"):
        if isinstance(result.get(key), (int, float)):
            return float(result[key])
    csas = result.get("csas")
    return csas.get("median_records_per_s") if isinstance(csas, dict) else None


def cell_times(notebook: Path, top: int = 6) -> list[dict[str, Any]]:
    """The slowest cells of an executed notebook (papermill's per-cell duration) with their first line."""
    try:
        cells = json.loads(notebook.read_text()).get("cells", [])
    except (OSError, ValueError):
        return []
    timed = []
    for index, cell in enumerate(cells):
        duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
        if cell.get("cell_type") == "code" and isinstance(duration, (int, float)):
            source = "".join(cell.get("source", "")).strip().splitlines()
            timed.append({"cell": index, "s": round(duration, 1), "source": source[0][:80] if source else ""})
    return sorted(timed, key=lambda c: -c["s"])[:top]


def main() -> None:
    root = find_project_root()
    shared = shared_dir(os.environ, root)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=shared / "data" / "creditcard.csv.gz")
    parser.add_argument("--params", type=Path, default=root / "notebooks" / "params" / "full.yaml")
    parser.add_argument("--sample-size", type=int, default=0, help="0: every row")
    parser.add_argument("--epochs", type=int, default=None, help="default: the parameters file's")
    parser.add_argument("-p", "--parameter", dest="overrides", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    parser.add_argument("--compare", type=Path, action="append", default=[], metavar="FILE",
                        help="a benchmark's JSON output, whose rate is shown beside the pipeline's query")
    parser.add_argument("--no-query-rates", action="store_true", help="skip replaying the KSQL queries")
    args = parser.parse_args()

    raw = load_parameters(args.params)
    for item in args.overrides:
        name, _, value = item.partition("=")
        raw[name] = yaml.safe_load(value) if value else ""
    params: dict[str, Any] = resolve_parameters(raw, root, shared)
    params.update(data_path=str(args.data.resolve()), sample_size=args.sample_size)
    if args.epochs is not None:
        params["epochs"] = args.epochs

    load_before = os.getloadavg()
    wall = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fraudlab-bench-") as tmp, LoadSampler() as load:
        kafka_port, connect_port, ksql_port = free_ports(3)
        config = StackConfig.default(project_root=root, state_dir=Path(tmp) / "stack", kafka_port=kafka_port,
                                     connect_port=connect_port, ksql_port=ksql_port, start_timeout_s=180.0)
        stack = Stack(config)
        start = time.perf_counter()
        stack.up(progress=False)
        stack_s = time.perf_counter() - start
        try:
            out = Path(tmp) / "run"
            params.update(
                bootstrap_servers=config.bootstrap_servers, connect_url=config.connect_url,
                ksql_url=config.ksql_url, spool_dir=str(config.spool_dir), run_id=f"bench_{uuid.uuid4().hex[:6]}",
                artifacts_dir=str(out / "artifacts"), timeout_s=max(float(params.get("timeout_s", 0)), 1800.0),
            )
            cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            run = run_notebooks(NotebookRunConfig(root / "notebooks", out, parameters=params, html_report=False,
                                                  cell_timeout_s=3600.0))
            # the kernels are reaped after each notebook (the stack's processes only at the end): their CPU time
            cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            kernels_cpu_s = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
            queries = [] if args.no_query_rates or not run.ok else query_rates(config.ksql_url,
                                                                                config.bootstrap_servers)
            benchmarks = {json.loads(f.read_text()).get("benchmark"): json.loads(f.read_text()) for f in args.compare}
            for q in queries:
                if q["benchmark"] in benchmarks:
                    q["benchmark_records_per_s"] = benchmark_rate(benchmarks[q["benchmark"]])
            rows, raw_s = raw_produce_seconds(KafkaConfig(bootstrap_servers=config.bootstrap_servers), args.data,
                                           args.sample_size or None)
            stages = {n.name.removesuffix(".ipynb"): round(n.seconds, 1) for n in run.notebooks}
            slowest = max(stages, key=stages.__getitem__) if stages else None
            result = {
                "benchmark": "pipeline_e2e",
                "data": args.data.name,
                "rows": rows,
                "parameters": training_parameters(root / "notebooks" / "03_train.ipynb", params),
                "cpu_count": os.cpu_count(),
                "stack_up_s": round(stack_s, 1),
                "stages_s": stages,
                "total_s": round(run.seconds, 1),
                "kernels_cpu_s": round(kernels_cpu_s, 1),
                "slowest_cells": {n.name.removesuffix(".ipynb"): cell_times(n.output_path) for n in run.notebooks},
                "target_s": TARGET_S,
                "within_target": run.ok and run.seconds < TARGET_S,
                "slowest_stage": slowest,
                "slowest_share": round(stages[slowest] / run.seconds, 3) if slowest and run.seconds else None,
                "ok": run.ok,
                "error": str(run.error) if run.error else None,
                "baseline_raw_produce_s": round(raw_s, 2),
                "summary": load_summary(out / "artifacts"),
                "ksql_queries": queries,
            }
        finally:
            stack.down()
    result["wall_s"] = round(time.perf_counter() - wall, 1)
    result["load_average"] = {"before_1m": round(load_before[0], 2), "during_1m": load.summary(),
                              "after_1m": round(os.getloadavg()[0], 2)}
    text = json.dumps(result, indent=2, default=str)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
