"""Faults of the stack under load, a short form of benchmarks/fault_matrix.py (its own stack on free ports):
a broker SIGKILL under an exactly-once KSQL persistent query and under Connect ingestion with exactly-once
source support, then a SIGKILL of the Connect worker itself mid-file (its task must resume after the line
its last transaction committed). Each must end with every record exactly once. Then, on the session's
broker, a SIGKILL of the KSQL server during a stream pull-query scan and under an EMIT FINAL windowed
aggregation (benchmarks/ksql_server_faults.py). The full matrix (200,000 records, SIGTERM and SIGKILL, the
scoring service, both guarantees) is the benchmark."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from fraudlab.kafka import KafkaConfig

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
        print(json.dumps(run))  # whole, with the server's log on a failure (the assertion shows a cut dict)
        assert run["output_at_fault"] < run["records"], f"{name}: the fault came after the input was done"
        assert run["lost"] == 0, run
        assert run["duplicates"] == 0, run
        print(f"{name}: outage {run['outage_s']} s, recovery {run['recovery_s']} s, complete {run['complete_s']} s")
    assert done.returncode == 0, done.stderr[-3000:]


def _server_faults() -> ModuleType:
    """benchmarks/ksql_server_faults.py (it imports its neighbour _common the way benchmarks do)."""
    bench = str(REPO / "benchmarks")
    if bench not in sys.path:
        sys.path.insert(0, bench)
    return importlib.import_module("ksql_server_faults")


@pytest.mark.slow
def test_ksql_server_kill_during_a_pull_scan_fails_the_client_cleanly_and_the_restart_serves_it(
    kafka_config: KafkaConfig, tmp_path: Path,
) -> None:
    run = _server_faults().run_pull_scan(kafka_config, 30_000, 0.3, tmp_path)
    print(run)
    # the client saw the body cut short (an error, not a response that looks complete), within seconds
    assert run["client_outcome"] == "RemoteProtocolError", run
    assert not run["client_hung"], run
    assert run["client_end_after_kill_s"] is not None and run["client_end_after_kill_s"] < 30, run
    assert 0 < run["client_rows"] < run["records"], run
    assert run["client_rows_distinct"], run
    # the restarted server answers the same query in full, and the scan wrote nothing to the topic
    assert run["rescan_outcome"] == "complete", run
    assert run["rescan_rows"] == run["records"], run
    assert run["lost"] == 0 and run["duplicates"] == 0, run
    assert run["topic_unchanged"], run
    assert run["ok"], run


@pytest.mark.slow
def test_ksql_server_kill_under_emit_final_emits_every_closed_window_once_exactly_once(
    kafka_config: KafkaConfig, tmp_path: Path,
) -> None:
    run = _server_faults().run_emit_final(kafka_config, 20_000, "exactly_once_v2", 0.3, tmp_path,
                                          settle_s=90, feed_s=8.0)
    print(run)
    assert run["windows_at_kill"] < run["windows"], run  # the kill came mid-stream
    assert run["lost"] == 0, run
    assert run["duplicates"] == 0, run
    assert run["wrong_counts"] == 0, run
    assert run["ok"], run
