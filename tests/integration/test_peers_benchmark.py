"""benchmarks/peers.py in quick mode on the session's broker: every peer (Kafka Streams, Quix Streams, Kafka's
perf tools) and fraudlab's own benchmarks run on a tiny topic, write their outputs, and the JSON names
every figure with a positive rate. A smoke test of the machinery, not a speed measurement."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
FIGURES = [
    "csas_records_per_s",
    "kafka_streams_csas_records_per_s",
    "kafka_streams_csas_eos_records_per_s",
    "kafka_streams_csas_defaults_records_per_s",
    "quix_csas_records_per_s",
    "producer_perf_records_per_s",
    "consumer_perf_records_per_s",
    "windowed_records_per_s",
    "kafka_streams_windowed_records_per_s",
    "kafka_streams_windowed_eos_records_per_s",
    "join_records_per_s",
    "kafka_streams_join_records_per_s",
    "kafka_streams_join_eos_records_per_s",
    "scoring_records_per_s",
    "quix_scoring_records_per_s",
]
RATIOS = [
    "csas_over_kafka_streams_csas",
    "csas_over_quix_csas",
    "csas_over_producer_perf",
    "windowed_over_kafka_streams_windowed",
    "join_over_kafka_streams_join",
    "scoring_over_quix_scoring",
    "scoring_over_producer_perf",
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's small scoring bundle (the same path and recipe as test_scoring_service's)."""
    out = tmp_path_factory.getbasetemp() / "scoring-bundle"
    if not (out / "model.onnx").is_file():
        from fraudlab.data import synthetic
        from fraudlab.model.config import HeadConfig, TrainConfig
        from fraudlab.model.training import fit_models, write_bundle

        cfg = TrainConfig(epochs=1, baselines=False, reference_ae=False, verbose=0, head=HeadConfig(epochs=1))
        write_bundle(fit_models(synthetic(20_000, 0.01, seed=1), cfg), out, cfg, "synthetic", "0" * 64)
    return out


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def test_quick_run_reports_every_peer(bootstrap_servers: str, bundle: Path, tmp_path: Path) -> None:
    out = tmp_path / "peers.json"
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / "peers.py"), "--quick", "--bootstrap-servers",
         bootstrap_servers, "--model", str(bundle), "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO_ROOT,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    result = json.loads(out.read_text())
    assert result["quick"] is True and result["records"] == 2000

    missing = [key for key in FIGURES if not _positive(result.get(key))]
    assert not missing, f"figures missing or not positive: {missing}"
    bad_ratios = [key for key in RATIOS if not _positive(result["ratios"].get(key))]
    assert not bad_ratios, f"ratios missing or not positive: {bad_ratios}"
    load = result["load_average"]
    assert len(load["start_1_5_15"]) == 3 and len(load["end_1_5_15"]) == 3 and load["samples"] >= 2
    assert result["machine"]["cpus"] >= 1 and result["machine"]["kafka"]

    # every peer did the work, not just ran: its sink holds the outputs of every input
    runs = result["runs"]
    filtered, records = result["filtered_records"], result["records"]
    assert 0 < filtered <= records
    assert runs["csas"][0]["output_records"] == filtered
    assert runs["kafka_streams_csas"][0]["sink_end_offset"] == filtered
    assert runs["kafka_streams_csas_defaults"][0]["sink_end_offset"] == filtered
    assert runs["quix_csas"][0]["sink_end_offset"] == filtered
    # the windowed aggregation runs with ksqlDB's record cache: a key's latest value per commit interval
    assert 0 < runs["kafka_streams_windowed"][0]["sink_end_offset"] <= records
    assert runs["kafka_streams_join"][0]["sink_end_offset"] == records
    assert runs["quix_scoring"][0]["sink_end_offset"] == records
    # exactly-once sinks also hold the transaction markers
    for name, expected in [("kafka_streams_csas_eos", filtered), ("kafka_streams_join_eos", records)]:
        assert runs[name][0]["sink_end_offset"] > expected, name
    assert runs["kafka_streams_windowed_eos"][0]["sink_end_offset"] > 1
    assert runs["scoring"][0]["records"] == records
    assert runs["producer_perf"][0]["records"] == records
    assert runs["consumer_perf"][0]["records"] >= records
