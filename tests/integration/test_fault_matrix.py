"""Faults of the stack under load, a short form of benchmarks/fault_matrix.py (its own stack on free ports):
a broker SIGKILL under an exactly-once KSQL persistent query and under Connect ingestion with exactly-once
source support, then a SIGKILL of the Connect worker itself mid-file (its task must resume after the line
its last transaction committed). Each must end with every record exactly once. The full matrix (200,000
records, SIGTERM and SIGKILL, the scoring service, both guarantees) is the benchmark."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_broker_and_connect_worker_kills_lose_and_repeat_nothing() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "fault_matrix.py"), "--records", "30000", "--faults",
         "ksql,connect,connect-worker", "--signals", "KILL", "--guarantees", "exactly-once", "--settle", "240"],
        capture_output=True, text=True, timeout=1500, cwd=REPO,
    )
    assert done.stdout.strip(), done.stderr[-3000:]
    report = json.loads(done.stdout)
    runs = {r["run"]: r for r in report["runs"]}
    assert len(runs) == 3, list(runs)
    for name, run in runs.items():
        assert run["output_at_fault"] < run["records"], f"{name}: the fault came after the input was done"
        assert run["lost"] == 0, run
        assert run["duplicates"] == 0, run
        print(f"{name}: outage {run['outage_s']} s, recovery {run['recovery_s']} s, complete {run['complete_s']} s")
    assert done.returncode == 0, done.stderr[-3000:]
