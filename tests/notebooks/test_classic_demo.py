"""The classic demo (`notebooks/classic/01_classic_demo.ipynb`), run with papermill against a real stack
(Kafka, Connect, KSQL server), and what it must produce: the topics made with Kafka's CLI, the original's
ten rows ingested by the FileStream connector through the Connect REST API, the DELIMITED source stream and
the preprocessing stream (the labelled rows only), MASK_LEFT and IFNULL values, the users table join, the
pandas frame, the autoencoder's metrics and the original's plots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest

from fraudlab.kafka import KafkaConfig, count_records, read_records
from fraudlab.notebooks import NotebookRunConfig, RunResult, run_notebooks
from fraudlab.pipeline.summary import load_summary

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "classic" / "01_classic_demo.ipynb"
SEED = ROOT.parent / "shared" / "data" / "seed"


@pytest.fixture(scope="module")
def run(plaintext_pipeline_stack: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    out = tmp_path_factory.mktemp("classic-demo")
    params: dict[str, Any] = {
        k: v for k, v in plaintext_pipeline_stack.items() if k in ("bootstrap_servers", "connect_url", "ksql_url", "spool_dir")
    }
    params.update(seed_dir=str(SEED), artifacts_dir=str(out / "artifacts"), epochs=5, timeout_s=180)
    return run_notebooks(NotebookRunConfig(NOTEBOOK.parent, out, parameters=params, progress=False))


@pytest.fixture(scope="module")
def figures(run: RunResult) -> dict[str, Any]:
    if run.error is not None:
        pytest.fail(str(run.error))
    return load_summary(Path(run.config.parameters["artifacts_dir"]))["classic_demo"]


@pytest.fixture(scope="module")
def kafka(run: RunResult) -> KafkaConfig:
    return KafkaConfig(bootstrap_servers=run.config.parameters["bootstrap_servers"])


def test_committed_without_outputs() -> None:
    book = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(book)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert "/work/" not in NOTEBOOK.read_text(encoding="utf-8")


def _outputs(run: RunResult) -> list[dict[str, Any]]:
    executed = nbformat.read(run.notebooks[0].output_path, as_version=4)
    return [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _text(run: RunResult) -> str:
    return "\n".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                     for o in _outputs(run))


def test_the_notebook_ran(run: RunResult, figures: dict[str, Any]) -> None:
    assert [n.name for n in run.notebooks] == ["01_classic_demo.ipynb"] and run.notebooks[0].ok
    assert not [o for o in _outputs(run) if o.get("output_type") == "error"]


def test_kafka_cli_created_the_topics(run: RunResult, figures: dict[str, Any], kafka: KafkaConfig) -> None:
    text = _text(run)
    assert "Created topic creditcardfraud_source." in text and "Created topic users." in text
    assert "PartitionCount: 3" in text  # kafka-topics.sh --describe
    assert count_records(kafka, "users") == figures["users"] == 4  # kafka-console-producer.sh


def test_connect_ingested_the_original_rows(figures: dict[str, Any], kafka: KafkaConfig) -> None:
    lines = (SEED / "creditcard_extended.csv").read_text().splitlines()
    assert figures["rows ingested"] == len(lines) == 10
    records = read_records(kafka, "creditcardfraud_source", limit=10, timeout_s=60)
    assert sorted(r.value.decode() for r in records) == sorted(lines)  # the lines as they are in the file


def test_preprocessing_stream(figures: dict[str, Any], kafka: KafkaConfig) -> None:
    assert {"CREDITCARDFRAUD_SOURCE", "CREDITCARDFRAUD_PREPROCESSED"} <= set(figures["streams"])
    assert figures["preprocessed rows"] == 9  # the row without a Class is filtered out
    records = read_records(kafka, "creditcardfraud_preprocessed", limit=9, timeout_s=60)
    values = [json.loads(r.value) for r in records]
    assert figures["value format"] == "JSON"
    assert all(list(v) == ["TIME", *(f"V{i}" for i in range(1, 29)), "AMOUNT", "CLASS"] for v in values)
    assert sorted(v["CLASS"] for v in values) == ["0"] * 7 + ["1"] * 2
    assert sorted(v["AMOUNT"] for v in values)[-1] == 378.66


def _printed_rows(run: RunResult, marker: str) -> list[Any]:
    """The rows a cell printed from ksql-python's chunks (a header object, then one JSON array a row)."""
    executed = nbformat.read(run.notebooks[0].output_path, as_version=4)
    (cell,) = [c for c in executed.cells if c.cell_type == "code" and marker in c.source]
    # a chunk may end inside a row, and print() adds a newline there: the server's JSON has none of its own
    text = "".join(o.get("text", "") for o in cell.outputs).replace("\n", "")
    decoder, items, at = json.JSONDecoder(), [], 0
    while at < len(text):
        item, at = decoder.raw_decode(text, at)
        items.append(item)
    assert isinstance(items[0], dict) and items[0]["columnNames"][0] in ("ID", "TIME")
    return items[1:]


def test_mask_left_and_ifnull(run: RunResult, figures: dict[str, Any]) -> None:
    assert figures["masked users"] == {"Kai": "Xxi", "Hans": "Xxns", "Flo": "Xxo", "Dirk": "Xxrk"}
    assert figures["filled classes"] == ["0", "0", "0", "-1", "0", "1", "0", "0", "0", "1"]
    # the original's LIMIT 1 queries print one row each (which row comes first depends on the partitions)
    users = [line.split(",")[2].strip('"') for line in (SEED / "creditcard_extended.csv").read_text().splitlines()]
    (masked,) = _printed_rows(run, "MASK_LEFT(User, 2) FROM")
    assert masked[1] == figures["masked users"][users[masked[0] - 1]]
    (filled,) = _printed_rows(run, "IFNULL(Class, '-1') FROM")
    assert filled[1] == figures["filled classes"][filled[0] - 1]
    (first,) = _printed_rows(run, "TODO(pull queries on streams)")
    assert len(first) == 31 and first[-1] in ("0", "1")  # Time, V1..V28, Amount, Class of a labelled row


def test_users_table_join(figures: dict[str, Any], kafka: KafkaConfig) -> None:
    assert figures["joined users"] == ["Kai"] and figures["joined rows"] == 5
    records = read_records(kafka, "creditcardfraud_per_user", limit=5, timeout_s=60)
    assert {r.key.decode() for r in records} == {"Kai"}
    assert {json.loads(r.value)["REGION"] for r in records} == {"Region_1"}


def test_pandas_and_the_model(run: RunResult, figures: dict[str, Any]) -> None:
    assert figures["pandas frame from KSQL"] == [8, 31]
    assert figures["training rows"] == 999
    assert figures["epochs"] == 5
    assert 0.0 <= figures["pr auc"] <= 1.0 and 0.0 <= figures["roc auc"] <= 1.0
    matrix = figures["confusion matrix"]
    assert sum(map(sum, matrix)) == figures["test rows"] == 200  # 20 % of creditcard_small.csv's 999 rows
    assert matrix[1][0] + matrix[1][1] == 3  # its frauds, stratified
    assert figures["threshold"] > 0
    images = [o for o in _outputs(run) if "image/png" in o.get("data", {})]
    assert len(images) == 6, "loss, ROC, precision-recall, threshold curves, errors by class, confusion matrix"
