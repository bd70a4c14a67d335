"""The monitor against the real broker: a scored stream, delayed labels, drift against a reference."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import orjson
import pytest
from click.testing import CliRunner

from fraudlab.cli.monitor import monitor as monitor_cmd
from fraudlab.data import synthetic
from fraudlab.data.schema import FEATURES
from fraudlab.kafka import KafkaConfig, create_topic, produce_values, read_records
from fraudlab.monitor import Monitor, MonitorConfig, Reference, confusion
from fraudlab.scoring import ScoringConfig, ScoringService


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small bundle, shared with the scoring tests through the session's base temp dir."""
    out = tmp_path_factory.getbasetemp() / "scoring-bundle"
    if not (out / "model.onnx").is_file():
        from fraudlab.model.config import HeadConfig, TrainConfig
        from fraudlab.model.training import fit_models, write_bundle

        cfg = TrainConfig(epochs=1, baselines=False, reference_ae=False, verbose=0, head=HeadConfig(epochs=1))
        write_bundle(fit_models(synthetic(20_000, 0.01, seed=1), cfg), out, cfg, "synthetic", "0" * 64)
    return out


def test_monitor_reports_rates_labels_and_drift(kafka_config: KafkaConfig, bundle: Path, topic_name: str) -> None:
    frame = synthetic(4000, 0.05, seed=31)
    frame.loc[2000:, "V3"] += 3.0  # drift in half the stream
    lines = [ln.encode() for ln in frame.to_csv(header=False, index=False, lineterminator="\n").splitlines()]
    keys = [f"t{i}".encode() for i in range(len(lines))]
    create_topic(kafka_config, topic_name, partitions=1)
    produce_values(kafka_config, topic_name, lines, keys=keys, progress=False)
    scores = f"{topic_name}-scores"
    ScoringService(ScoringConfig(model_dir=bundle, input_topic=topic_name, output_topic=scores, kafka=kafka_config,
                                 group_id=f"{topic_name}-g", idle_timeout_s=5)).run()
    labels = f"{topic_name}-labels"
    produce_values(kafka_config, labels,
                   [orjson.dumps({"id": k.decode(), "label": int(c)}) for k, c in zip(keys, frame["Class"], strict=True)],
                   progress=False)

    reference = Reference.from_frame(synthetic(20_000, 0.01, seed=1), FEATURES)
    metrics_topic = f"{topic_name}-metrics"
    config = MonitorConfig(scores_topic=scores, transactions_topic=topic_name, labels_topic=labels,
                           metrics_topic=metrics_topic, kafka=kafka_config, window_s=3600, duration_s=60,
                           idle_timeout_s=5, model_dir=bundle)
    (window,) = Monitor(config, reference=reference).run()
    results = [orjson.loads(r.value) for r in read_records(kafka_config, scores)]
    expected = confusion([r["is_fraud"] for r in results], [r["id"] for r in results],
                         {k.decode(): int(c) for k, c in zip(keys, frame["Class"], strict=True)})
    assert window["records"] == 4000 and window["labelled"] == 4000
    assert window["alerts"] == sum(r["is_fraud"] for r in results)
    assert (window["precision"], window["recall"]) == (expected["precision"], expected["recall"])
    assert window["drifted_features"] == ["V3"]
    assert window["feature_psi"]["V3"] > 0.2
    assert window["latency_p99_ms"] is not None and window["latency_p99_ms"] >= 0
    (published,) = [orjson.loads(r.value) for r in read_records(kafka_config, metrics_topic)]
    assert published["alert_rate"] == window["alert_rate"]

    out = CliRunner().invoke(monitor_cmd, ["--scores", scores, "--labels", labels, "--window", "3600",
                                           "--duration", "8", "--bootstrap-servers", kafka_config.bootstrap_servers])
    assert out.exit_code == 0, out.output
    assert "4000 scored" in out.output and f"precision {expected['precision']:.3f}" in out.output
    assert np.isfinite(window["score_psi"])


def test_fraudlab_monitor_with_a_trained_bundle_computes_drift(
    kafka_config: KafkaConfig, bundle: Path, topic_name: str
) -> None:
    """`fraudlab monitor --model DIR`, the program as users run it, on a bundle written by training:
    the drift reference comes from the bundle's card (nothing built by hand), so feature drift is
    computed and the shifted feature flagged."""
    card = json.loads((bundle / "model.json").read_text())
    assert set(card["reference"]["features"]) == set(FEATURES) - {"Time"}  # training wrote it
    frame = synthetic(4000, 0.05, seed=32)
    frame.loc[2000:, "V3"] += 3.0  # drift in half the stream
    lines = [ln.encode() for ln in frame.to_csv(header=False, index=False, lineterminator="\n").splitlines()]
    create_topic(kafka_config, topic_name, partitions=1)
    produce_values(kafka_config, topic_name, lines, keys=[f"t{i}".encode() for i in range(len(lines))],
                   progress=False)
    scores = f"{topic_name}-scores"
    ScoringService(ScoringConfig(model_dir=bundle, input_topic=topic_name, output_topic=scores, kafka=kafka_config,
                                 group_id=f"{topic_name}-g", idle_timeout_s=5)).run()
    metrics_topic = f"{topic_name}-metrics"
    done = subprocess.run(
        [sys.executable, "-m", "fraudlab.cli", "monitor", "--model", str(bundle), "--scores", scores,
         "--transactions", topic_name, "--metrics", metrics_topic, "--window", "3600", "--duration", "120",
         "--max-records", str(2 * len(lines)), "--bootstrap-servers", kafka_config.bootstrap_servers],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no reference statistics" not in done.stderr
    assert "8000 records read" in done.stdout
    windows = [orjson.loads(r.value) for r in read_records(kafka_config, metrics_topic)]
    assert sum(w["records"] for w in windows) == len(lines)
    drifted = {f for w in windows for f in w["drifted_features"]}
    assert "V3" in drifted and f"drift: {', '.join(windows[0]['drifted_features'])}" in done.stdout
    assert all(set(w["feature_psi"]) == set(FEATURES) - {"Time"} for w in windows)
    assert max(w["feature_psi"]["V3"] for w in windows) > 0.2 > max(w["feature_psi"]["V1"] for w in windows)


def test_replay_command_writes_the_figures_and_finds_injected_drift(bundle: Path, tmp_path: Path) -> None:
    """`fraudlab monitor replay` on two days of synthetic transactions: the keys the issue names, one
    window per hour, the injected shift flagged in the window it starts in, a clear error for a bad spec."""
    import json

    from fraudlab.cli import main

    data = tmp_path / "two_days.csv"
    synthetic(30_000, 0.01, seed=8).to_csv(data, index=False)
    out = tmp_path / "replay.json"
    main(["monitor", "replay", "--data", str(data), "--model", str(bundle), "--inject", "V3+3@30h",
          "--json", str(out), "--budget", "20"])
    result = json.loads(out.read_text())
    for key in ("windows", "drift_flags", "drifted_features", "injected_at_hour", "detected_at_hour",
                "estimated_precision", "realized_precision", "estimated_vs_realized_precision_mae"):
        assert key in result, key
    assert result["windows"] == 48 and len(result["per_window"]) == 48
    assert result["injected_at_hour"] == 30.0 and result["detected_at_hour"] == 31.0
    assert "V3" in result["drifted_features"]
    assert sum(w["records"] for w in result["per_window"]) == 30_000
    assert [d["k"] for d in result["precision_at_k"]] == [20, 20]
    with pytest.raises(SystemExit) as info:
        main(["monitor", "replay", "--data", str(data), "--model", str(bundle), "--inject", "V3^3@30h",
              "--json", str(out)])
    assert info.value.code == 1


def test_unreadable_records_go_to_the_dead_letter_topic(kafka_config: KafkaConfig, topic_name: str) -> None:
    """Poison records on any input (not JSON, a missing field, a label that is no number) are copied raw to
    the dead-letter topic with the reason, and the good ones still make their window."""
    scores, labels, dlq = f"{topic_name}-scores", f"{topic_name}-labels", f"{topic_name}-dlq"
    good = [orjson.dumps({"id": str(i), "score": 0.1, "is_fraud": False, "event_time": 1000 + i}) for i in range(5)]
    poison = [b"\xff\xfe not json", orjson.dumps({"id": "x", "score": 0.5})]
    produce_values(kafka_config, scores, [*good[:2], poison[0], *good[2:], poison[1]], progress=False)
    produce_values(kafka_config, labels, [orjson.dumps({"id": "1", "label": "maybe"}),
                                          orjson.dumps({"id": "2", "label": 1})], progress=False)
    config = MonitorConfig(scores_topic=scores, labels_topic=labels, dead_letter_topic=dlq, kafka=kafka_config,
                           window_s=3600, duration_s=60, idle_timeout_s=5)
    mon = Monitor(config)
    (window,) = mon.run()
    assert window["records"] == 5 and mon.rejected == 3
    dead = read_records(kafka_config, dlq, limit=3, timeout_s=30)
    assert sorted(r.value for r in dead) == sorted([*poison, orjson.dumps({"id": "1", "label": "maybe"})])
    reasons = {r.value: dict(r.headers)["fraudlab.error"].decode() for r in dead}
    assert "not JSON" in reasons[poison[0]]
    assert "no field 'event_time'" in reasons[poison[1]]
    assert all(dict(r.headers)["fraudlab.stage"] == b"monitor" for r in dead)
