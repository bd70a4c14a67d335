"""Notebook 03 run by papermill on the full data without a stack; prints its kernel's CPU seconds as JSON.

    .venv/bin/python benchmarks/notebook03_cpu.py OUT_DIR [--checkout DIR] [--params notebooks/params/full.yaml]

Notebooks 01 and 02 leave the labelled topic's decoded frame in the run's artifacts (`run_topic_frame`);
this writes that frame (`train_notebook.notebook_frame`, in the topic's upper-case columns) and the
02 summary into OUT_DIR/artifacts, so notebook 03 reads it instead of Kafka and trains, evaluates and
exports exactly as in `make demo DATA=...`. `--checkout` runs another checkout's notebook and sources
(e.g. main, for a before/after figure; set PYTHONPATH to its src too). The kernel's CPU seconds
(user + system, all its threads) are what a shared machine cannot inflate much; wall seconds are given
with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_notebook import notebook_frame  # the benchmarks folder is not a package

REPO = Path(__file__).resolve().parents[1]
RUN_ID = "nb03cpu"


def seed_artifacts(artifacts: Path, data: Path, seed: int) -> None:
    """The run's files notebook 03 reads: the labelled frame, the 02 summary and the input CSV's name."""
    from fraudlab.ksql import PipelineNames

    frame = notebook_frame(data, seed).rename(columns=str.upper)
    frame["ID"] = range(1, len(frame) + 1)
    frame["_timestamp_ms"] = 0
    topic = PipelineNames.for_run(RUN_ID).labelled_topic
    (artifacts / "frames").mkdir(parents=True, exist_ok=True)
    with (artifacts / "frames" / f"{topic}.{len(frame)}.pkl").open("wb") as f:
        pickle.dump(frame, f, protocol=pickle.HIGHEST_PROTOCOL)
    (artifacts / "summary").mkdir(exist_ok=True)
    (artifacts / "summary" / "02_preprocess.json").write_text(json.dumps({"labelled rows": len(frame)}))
    (artifacts / "input").mkdir(exist_ok=True)
    (artifacts / "input" / "transactions.csv").write_text("not the CSV: only its SHA-256 goes into the card\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--checkout", type=Path, default=REPO)
    parser.add_argument("--params", type=Path, default=None, help="default: the checkout's notebooks/params/full.yaml")
    args = parser.parse_args(argv)

    import papermill
    import yaml

    from fraudlab.notebooks.kernel import ipc_kernel_manager
    from fraudlab.stack import shared_dir

    notebook = args.checkout / "notebooks" / "03_train.ipynb"
    params = yaml.safe_load((args.params or args.checkout / "notebooks/params/full.yaml").read_text())
    data = Path(str(params.get("data_path", "")).replace("{shared}", str(shared_dir(os.environ, REPO))))
    artifacts = args.out / "artifacts"
    seed_artifacts(artifacts, data, int(params.get("seed", 42)))
    params |= {"data_path": str(data), "run_id": RUN_ID, "artifacts_dir": str(artifacts)}
    declared = papermill.inspect_notebook(str(notebook))
    params = {k: v for k, v in params.items() if k in declared}

    load_before = os.getloadavg()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # the kernel is this process's child
    start = time.perf_counter()
    papermill.execute_notebook(str(notebook), str(args.out / notebook.name), parameters=params,
                               kernel_name="python3", progress_bar=False, cwd=str(notebook.parent),
                               kernel_manager_class=ipc_kernel_manager((args.out / "kernel.log").resolve()))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    executed = json.loads((args.out / notebook.name).read_text())
    cells = sorted(((c["metadata"].get("papermill", {}).get("duration") or 0.0, "".join(c["source"])[:60])
                    for c in executed["cells"] if c["cell_type"] == "code"), reverse=True)[:3]
    card = json.loads((artifacts / "model" / "model.json").read_text())
    print(json.dumps({
        "kernel_cpu_seconds": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
        "wall_seconds": round(wall, 1),
        "loadavg_before": [round(v, 2) for v in load_before],
        "loadavg_after": [round(v, 2) for v in os.getloadavg()],
        "slowest_cells": [[round(d, 1), src] for d, src in cells],
        "chosen": card["scoring"]["chosen"],
        "test": card["metrics"]["test"],
    }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
