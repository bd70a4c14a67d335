"""All five notebooks, run with papermill on the CI parameters (`notebooks/params/ci.yaml`) against a real
stack (Kafka, Connect, KSQL server), and what they must produce: every row ingested, the preprocessing
streams, the model bundle and its metrics, every transaction scored by the scoring service AND by the KSQL
function path (the same scores), the monitor's window records, the KSQL windowed tables' rows.

The run happens once per module; a failing notebook fails `test_every_notebook_ran` with the notebook and
cell named, and the stage tests after it fail on their missing outputs (nothing is skipped)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest

from fraudlab.kafka import KafkaConfig, count_records, read_records
from fraudlab.kafka.config import read_properties
from fraudlab.notebooks import (
    NotebookRunConfig,
    RunResult,
    load_parameters,
    resolve_parameters,
    run_notebooks,
)
from fraudlab.ksql import KsqlConfig, PipelineNames, pull_frame
from fraudlab.pipeline.summary import load_summary

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
RUN_ID = "citest"


@pytest.fixture(scope="module")
def run(pipeline_stack: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    import uuid

    out = tmp_path_factory.mktemp("notebook-run")
    params = resolve_parameters(load_parameters(ROOT / "notebooks" / "params" / "ci.yaml"), ROOT, ROOT.parent)
    params.update(pipeline_stack, run_id=f"{RUN_ID}_{uuid.uuid4().hex[:6]}", artifacts_dir=str(out / "artifacts"))
    return run_notebooks(NotebookRunConfig(ROOT / "notebooks", out, parameters=params, progress=False))


@pytest.fixture(scope="module")
def params(run: RunResult) -> dict[str, Any]:
    return dict(run.config.parameters)


@pytest.fixture(scope="module")
def summary(params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return load_summary(Path(params["artifacts_dir"]))


@pytest.fixture(scope="module")
def kafka(params: dict[str, Any]) -> KafkaConfig:
    if params.get("client_config"):
        return KafkaConfig.from_file(params["client_config"], bootstrap_servers=params["bootstrap_servers"])
    return KafkaConfig(bootstrap_servers=params["bootstrap_servers"])


def ksql_config(params: dict[str, Any]) -> KsqlConfig:
    config = KsqlConfig(url=params["ksql_url"])
    if params.get("client_config"):
        config = config.with_client_properties(read_properties(Path(params["client_config"])))
    return config


def test_every_notebook_ran(run: RunResult) -> None:
    if run.error is not None:
        pytest.fail(str(run.error))
    assert [n.name for n in run.notebooks] == [
        "01_ingest.ipynb", "02_preprocess_ksql.ipynb", "03_train.ipynb", "04_deploy.ipynb", "05_monitor.ipynb"
    ]
    assert run.report_path is not None and "passed" in run.report_path.read_text()
    for nb in run.notebooks:
        assert (run.config.out_dir / "html" / nb.output_path.with_suffix(".html").name).is_file()
        cells = nbformat.read(nb.output_path, as_version=4).cells
        assert any(c.get("outputs") for c in cells if c.cell_type == "code")


def test_every_row_ingested(summary: dict[str, dict[str, Any]], params: dict[str, Any], kafka: KafkaConfig) -> None:
    names = PipelineNames.for_run(params["run_id"])
    assert summary["01_ingest"]["rows ingested"] == params["sample_size"]
    assert count_records(kafka, names.transactions_topic) == params["sample_size"]
    assert count_records(kafka, names.source_topic) == params["sample_size"]
    assert summary["01_ingest"]["data"].startswith("synthetic data")


def test_preprocessing_streams(summary: dict[str, dict[str, Any]], params: dict[str, Any], kafka: KafkaConfig) -> None:
    names = PipelineNames.for_run(params["run_id"])
    unlabelled = summary["01_ingest"]["rows without a label"]
    assert unlabelled > 0
    assert count_records(kafka, names.features_topic) == params["sample_size"]
    assert count_records(kafka, names.labelled_topic) == params["sample_size"] - unlabelled
    assert summary["02_preprocess"]["users masked"] is True
    # the users table and the stream-table LEFT JOIN (ksql/03_users.sql)
    assert summary["02_preprocess"]["users in the table"] == 7
    assert count_records(kafka, names.enriched_topic) == summary["02_preprocess"]["transactions enriched"] \
        == params["sample_size"]
    assert summary["02_preprocess"]["profile names masked"] is True
    records = read_records(kafka, names.enriched_topic, limit=params["sample_size"], timeout_s=60)
    enriched = [(r.key.decode(), json.loads(r.value)) for r in records]  # keyed by the user id
    assert len(enriched) == params["sample_size"]
    assert {user for user, r in enriched if r["COUNTRY"] is None} == {"Ines"}  # the user without a profile
    assert all(r["NAME_MASKED"] and "x" in r["NAME_MASKED"] for user, r in enriched if user != "Ines")


def test_model_bundle_and_metrics(summary: dict[str, dict[str, Any]], params: dict[str, Any]) -> None:
    model_dir = Path(params["artifacts_dir"]) / "model"
    metrics = json.loads((model_dir / "metrics.json").read_text())
    assert 0.0 <= metrics["pr_auc"] <= 1.0 and 0.5 < metrics["roc_auc"] <= 1.0
    assert metrics["baselines"], "the baselines are compared"
    card = json.loads((model_dir / "model.json").read_text())
    assert card["model_version"] == summary["03_train"]["model"]
    assert list(model_dir.glob("*.onnx"))
    assert summary["03_train"]["test ROC-AUC"] == round(metrics["roc_auc"], 4)
    reference = card["reference"]  # the drift reference notebook 05 and `fraudlab monitor --model` use
    assert "V1" in reference["features"] and "Time" not in reference["features"] and reference["score"]
    assert reference["hourly"]["kind"] == "hourly_quantiles" and "V1" in reference["hourly"]["features"]


def test_every_transaction_scored(summary: dict[str, dict[str, Any]], params: dict[str, Any], kafka: KafkaConfig) -> None:
    names = PipelineNames.for_run(params["run_id"])
    deploy = summary["04_deploy"]
    assert deploy["transactions scored"] == params["sample_size"]
    assert deploy["dead-lettered"] == 0
    assert count_records(kafka, names.scores_topic) >= params["sample_size"]
    assert count_records(kafka, names.alerts_topic) == deploy["alerts"] > 0


def _json_records(kafka: KafkaConfig, topic: str) -> list[dict[str, Any]]:
    want = count_records(kafka, topic)
    records = read_records(kafka, topic, limit=want, timeout_s=60)
    assert len(records) == want, f"{topic}: read {len(records)} of {want}"
    return [json.loads(r.value) for r in records]


def test_every_transaction_scored_by_the_ksql_function_too(
    summary: dict[str, dict[str, Any]], params: dict[str, Any], kafka: KafkaConfig
) -> None:
    """The embedded server has ANOMALY_SCORE: 04 ran ksql/04_scoring.sql with 03's bundle, and each
    transaction's KSQL score equals the service's."""
    names = PipelineNames.for_run(params["run_id"])
    deploy = summary["04_deploy"]
    assert deploy["KSQL function path"] == "ANOMALY_SCORE"
    assert deploy["KSQL transactions scored"] == params["sample_size"]
    ksql = {r["ID"]: r for r in _json_records(kafka, names.ksql_scored_topic)}
    service = {int(r["id"]): r for r in _json_records(kafka, names.scores_topic)}
    assert sorted(ksql) == sorted(service) == list(range(1, params["sample_size"] + 1))
    assert max(abs(ksql[i]["SCORE"] - service[i]["score"]) for i in ksql) <= 1e-5
    assert sum(r["IS_FRAUD"] for r in ksql.values()) == deploy["KSQL alerts"] == deploy["alerts"]
    assert {r["MODEL_VERSION"] for r in ksql.values()} == {summary["03_train"]["model"]}
    assert count_records(kafka, names.ksql_alerts_topic) == deploy["KSQL alerts"]


def test_monitoring_rows(summary: dict[str, dict[str, Any]], run: RunResult) -> None:
    monitor = summary["05_monitor"]
    assert monitor["windows"] > 1
    assert 0.0 < monitor["mean alert rate"] < 0.5
    assert 0.0 <= monitor["precision (labelled)"] <= 1.0 and 0.0 <= monitor["recall (labelled)"] <= 1.0
    assert isinstance(monitor["drift flags"], int)
    executed = nbformat.read(run.config.out_dir / "05_monitor.ipynb", as_version=4)
    images = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert len(images) >= 2, "the monitoring plots are in the executed notebook"


def test_monitor_window_records_on_the_metrics_topic(
    summary: dict[str, dict[str, Any]], params: dict[str, Any], kafka: KafkaConfig
) -> None:
    """fraudlab.monitor's windows: every score counted once, labels joined, drift against the reference."""
    monitor = summary["05_monitor"]
    names = PipelineNames.for_run(params["run_id"])
    windows = _json_records(kafka, names.metrics_topic)
    assert len(windows) == monitor["windows"] == monitor["metrics records"]
    assert sum(w["records"] for w in windows) == params["sample_size"]
    assert sum(w["alerts"] for w in windows) == summary["04_deploy"]["alerts"]
    assert sum(w["labelled"] for w in windows) == summary["02_preprocess"]["labelled rows"] == monitor["labels"]
    assert all("V1" in w["feature_psi"] and w["score_psi"] is not None for w in windows)
    starts = [w["window_start"] for w in windows]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_ksql_window_rows(summary: dict[str, dict[str, Any]], params: dict[str, Any]) -> None:
    """ksql/05_monitoring.sql's tables, read back here through the REST API: every KSQL score in the
    alert-rate windows, every label joined to its score in the confusion-count windows."""
    names = PipelineNames.for_run(params["run_id"])
    monitor = summary["05_monitor"]
    config = ksql_config(params)
    rates = pull_frame(config, f"SELECT * FROM {names.alert_rate_table};")
    assert len(rates) == monitor["KSQL alert-rate windows"] > 1
    assert int(rates["TRANSACTIONS"].sum()) == params["sample_size"]
    assert int(rates["ALERTS"].sum()) == summary["04_deploy"]["KSQL alerts"]
    quality = pull_frame(config, f"SELECT * FROM {names.quality_table};")
    assert len(quality) == monitor["KSQL quality windows"] > 1
    assert int(quality["LABELLED"].sum()) == monitor["labels"]
    tp, fp = int(quality["TRUE_POSITIVES"].sum()), int(quality["FALSE_POSITIVES"].sum())
    assert round(tp / (tp + fp), 4) == monitor["precision (labelled)"]  # the KSQL path's flags = the service's


def test_the_run_was_on_the_secured_stack(params: dict[str, Any], kafka: KafkaConfig) -> None:
    """The notebooks reached Kafka and KSQL through the client config; a plaintext client is refused."""
    from fraudlab.kafka.diagnose import KafkaConnectionError, check_connection

    if not params.get("client_config"):
        pytest.skip("FRAUDLAB_NOTEBOOK_SECURITY=none: the run was on a plaintext stack")
    assert kafka.security_protocol == "SASL_SSL" and kafka.sasl_mechanism == "SCRAM-SHA-512"
    with pytest.raises(KafkaConnectionError, match="plaintext connection"):
        check_connection(KafkaConfig(bootstrap_servers=params["bootstrap_servers"]), timeout_s=10)
    assert ksql_config(params).url.startswith("https://") and ksql_config(params).username
