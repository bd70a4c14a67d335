"""ANOMALY_SCORE on the real broker: a ksqlserver subprocess started with fraudlab's extension dir scores
every transaction of a CSAS exactly like `fraudlab.model.load(...).score`; `fraudlab ksql apply` runs
ksql/01..04 through the REST API and is idempotent."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from click.testing import CliRunner
from confluent_kafka import Consumer

from fraudlab.data import synthetic
from fraudlab.data.schema import FEATURES
from fraudlab.kafka import KafkaConfig, create_topic, produce_values
from fraudlab.ksql_udf import extension_dir, server_properties
from fraudlab.model import load
from fraudlab.stack import KsqlServerProcess

REPO_ROOT = Path(__file__).resolve().parents[3]
N = 5000


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small synthetic bundle the scoring-service tests use (trained once per session)."""
    out = tmp_path_factory.getbasetemp() / "scoring-bundle"
    if not (out / "model.onnx").is_file():
        from fraudlab.model.config import HeadConfig, TrainConfig
        from fraudlab.model.training import fit_models, write_bundle

        cfg = TrainConfig(epochs=1, baselines=False, reference_ae=False, verbose=0, head=HeadConfig(epochs=1))
        write_bundle(fit_models(synthetic(20_000, 0.01, seed=1), cfg), out, cfg, "synthetic", "0" * 64)
    return out


@pytest.fixture(scope="module")
def udf_ksql_url(bootstrap_servers: str, bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    state = tmp_path_factory.mktemp("ksql-udf")
    props = [a for k, v in server_properties(bundle).items() for a in ("-p", f"{k}={v}")]
    with KsqlServerProcess(bootstrap_servers, state / "state", state / "ksqlserver.log",
                           service_id=f"udf_{uuid.uuid4().hex[:6]}_",
                           extra_args=("--extension-dir", str(extension_dir()), *props), cwd=REPO_ROOT) as server:
        yield server.url


def _ksql(url: str, sql: str) -> list[dict]:
    r = httpx.post(
        url + "/ksql",
        json={"ksql": sql, "streamsProperties": {"ksql.streams.auto.offset.reset": "earliest"}},
        timeout=120,
    )
    assert r.status_code == 200, r.text
    return r.json()


def _read(bootstrap: str, topic: str, expected: int, timeout_s: float = 120.0) -> list[tuple[bytes, dict]]:
    consumer = Consumer({
        "bootstrap.servers": bootstrap, "group.id": f"r-{uuid.uuid4().hex}", "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    out: list[tuple[bytes, dict]] = []
    try:
        consumer.subscribe([topic])
        deadline = time.monotonic() + timeout_s
        while len(out) < expected and time.monotonic() < deadline:
            for m in consumer.consume(5000, 0.5):
                if m.error() is None:
                    out.append((m.key(), json.loads(m.value())))
        return out
    finally:
        consumer.close()


def test_csas_with_anomaly_score_scores_every_transaction(
    udf_ksql_url: str, bootstrap_servers: str, bundle: Path
) -> None:
    [functions] = _ksql(udf_ksql_url, "SHOW FUNCTIONS;")
    assert functions["warnings"] == []
    assert {"ANOMALY_SCORE", "ANOMALY_THRESHOLD"} <= {f["name"] for f in functions["functions"]}
    topic = f"udf_tx_{uuid.uuid4().hex[:8]}"
    config = KafkaConfig(bootstrap_servers=bootstrap_servers)
    create_topic(config, topic, partitions=2)
    frame = synthetic(N, 0.02, seed=8)
    matrix = frame.loc[:, list(FEATURES)].to_numpy(np.float64)
    values = [json.dumps(dict(zip(FEATURES, row, strict=True))).encode() for row in matrix.tolist()]
    produce_values(config, topic, values, keys=[f"t{i}".encode() for i in range(N)])
    src, sink = f"SRC_{topic.upper()}", f"SCORED_{topic.upper()}"
    cols = ", ".join(f"{c} DOUBLE" for c in FEATURES)
    _ksql(udf_ksql_url, f"CREATE STREAM {src} (ID STRING KEY, {cols}) WITH (KAFKA_TOPIC='{topic}', VALUE_FORMAT='JSON');")
    args = ", ".join(FEATURES)
    [created] = _ksql(
        udf_ksql_url,
        f"CREATE STREAM {sink} WITH (KAFKA_TOPIC='{sink.lower()}', VALUE_FORMAT='JSON') AS SELECT ID, "
        f"ANOMALY_SCORE({args}) AS SCORE, ANOMALY_SCORE({args}) >= ANOMALY_THRESHOLD() AS IS_FRAUD FROM {src};",
    )
    assert created["commandStatus"]["status"] == "SUCCESS"
    out = _read(bootstrap_servers, sink.lower(), N)
    assert len(out) == N
    by_key = {k.decode(): v for k, v in out}
    assert len(by_key) == N
    scorer = load(bundle)
    expected = scorer.score(matrix.astype(np.float32)).astype(np.float64)
    got = np.array([by_key[f"t{i}"]["SCORE"] for i in range(N)])
    assert np.abs(got - expected).max() <= 1e-5
    assert [by_key[f"t{i}"]["IS_FRAUD"] for i in range(N)] == (got >= scorer.threshold).tolist()


def test_ksql_apply_runs_the_files_in_order_and_is_idempotent(
    udf_ksql_url: str, bootstrap_servers: str, bundle: Path
) -> None:
    from fraudlab.cli import cli

    run_id = f"it{uuid.uuid4().hex[:6]}"
    config = KafkaConfig(bootstrap_servers=bootstrap_servers)
    prefix = f"fl_{run_id}"
    for t in ("transactions", "creditcardfraud_source", "users"):
        create_topic(config, f"{prefix}_{t}", partitions=1)
    lines = [
        f'{i},"2024-01-01T00:00:00Z","u{i % 2}",' + ",".join(map(repr, row)) + ',"0"'
        for i, row in enumerate(synthetic(200, 0.0, seed=2).loc[:, list(FEATURES)].to_numpy(np.float64).tolist())
    ]
    produce_values(config, f"{prefix}_creditcardfraud_source", [ln.encode() for ln in lines])
    args = ["ksql", "apply", str(REPO_ROOT / "ksql"), "--run-id", run_id, "--ksql-url", udf_ksql_url,
            "--only", "01_source_streams.sql", "--only", "02_preprocess.sql", "--only", "03_users.sql",
            "--only", "04_scoring.sql"]  # fmt: skip
    first = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "8 statements: 8 created, 0 skipped" in first.output
    second = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert second.exit_code == 0, second.output
    assert "8 statements: 0 created, 8 skipped" in second.output
    scored = _read(bootstrap_servers, f"{prefix}_ksql_scored", 200)
    # seen once on a loaded CI machine: no scored record in 120 s; the queries' states say why next time
    queries = [] if len(scored) == 200 else _ksql(udf_ksql_url, "SHOW QUERIES EXTENDED;")
    assert sorted(v["ID"] for _, v in scored) == list(range(200)), queries
    assert all(isinstance(v["SCORE"], float) and isinstance(v["IS_FRAUD"], bool) for _, v in scored)
    queries = _ksql(udf_ksql_url, "SHOW QUERIES;")[0]["queries"]
    assert sum(prefix.upper() in q["queryString"].upper() for q in queries) == 5  # none started twice
