"""Ingestion through the real Kafka Connect worker: the FileStream and CSV connectors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fraudlab.connect import ConnectClient, IngestConfig, IngestFileError, ingest
from fraudlab.kafka import KafkaConfig, read_records


@pytest.fixture(scope="module")
def ingest_config(kafka_config: KafkaConfig, connect_url: str, spool_dir: Path) -> IngestConfig:
    return IngestConfig(kafka_config, connect_url, spool_dir, timeout_s=120, progress=False)


def test_connect_lists_both_connectors(connect_url: str) -> None:
    classes = {p["class"] for p in ConnectClient(connect_url).plugins()}
    assert "org.apache.kafka.connect.file.FileStreamSourceConnector" in classes
    assert "io.fraudlab.connect.csv.CsvSourceConnector" in classes


def test_file_connector_ingests_the_original_demo_rows(
    ingest_config: IngestConfig, seed_dir: Path, topic_name: str, connect_url: str
) -> None:
    path = seed_dir / "creditcard_extended.csv"
    report = ingest(path, topic_name, ingest_config, connector="file")
    assert (report.rows, report.ingested) == (10, 10)
    values = [r.value.decode() for r in read_records(ingest_config.kafka, topic_name)]  # type: ignore[union-attr]
    assert values == path.read_text().splitlines()  # raw strings, ready for a DELIMITED stream
    assert not [c for c in ConnectClient(connect_url).connectors() if topic_name in c]  # one-shot


def test_csv_connector_ingests_typed_rows(
    ingest_config: IngestConfig, seed_dir: Path, topic_name: str
) -> None:
    report = ingest(seed_dir / "creditcard_small.csv", topic_name, ingest_config, connector="csv")
    assert (report.rows, report.ingested, report.dead_lettered) == (999, 999, 0)
    rows = [json.loads(r.value) for r in read_records(ingest_config.kafka, topic_name)]  # type: ignore[arg-type]
    assert len(rows) == 999
    first = rows[0]
    assert list(first) == ["Time", *[f"V{i}" for i in range(1, 29)], "Amount", "Class"]
    assert first["Time"] == 0.0 and first["Amount"] == 149.62 and first["Class"] == 0
    assert isinstance(first["V1"], float) and isinstance(first["Class"], int)
    assert sum(r["Class"] for r in rows) == 15  # the seed README: 15 rows labelled "1"


def test_malformed_rows_go_to_the_dead_letter_topic(
    ingest_config: IngestConfig, seed_dir: Path, topic_name: str, tmp_path: Path
) -> None:
    lines = (seed_dir / "creditcard_small.csv").read_text().splitlines()[:21]
    fields = lines[5].split(",")
    fields[3] = "not-a-number"
    lines[5] = ",".join(fields)
    lines[9] = ",".join(lines[9].split(",")[:10])  # too few fields
    path = tmp_path / "with_bad_rows.csv"
    path.write_text("\n".join(lines) + "\n")
    report = ingest(path, topic_name, ingest_config, connector="csv")
    assert (report.rows, report.ingested, report.dead_lettered) == (20, 18, 2)
    dead = read_records(ingest_config.kafka, f"{topic_name}_dlq")
    # the worker's JSON converter writes each raw line as a JSON string
    assert {json.loads(r.value) for r in dead} == {lines[5], lines[9]}  # type: ignore[arg-type]
    headers = dict(dead[0].headers)
    assert "error.message" in headers and "error.line" in headers


def test_missing_file_is_a_clear_error(ingest_config: IngestConfig, tmp_path: Path) -> None:
    with pytest.raises(IngestFileError, match="no such file"):
        ingest(tmp_path / "nope.csv", "t", ingest_config)


def test_unreadable_file_is_a_clear_error(ingest_config: IngestConfig, tmp_path: Path) -> None:
    with pytest.raises(IngestFileError, match="not a regular file"):
        ingest(tmp_path, "t", ingest_config)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(IngestFileError, match="cannot be read as UTF-8"):
        ingest(binary, "t", ingest_config)


def test_wrong_header_is_a_clear_error(ingest_config: IngestConfig, seed_dir: Path, tmp_path: Path) -> None:
    lines = (seed_dir / "creditcard_small.csv").read_text().splitlines()[:3]
    lines[0] = lines[0].replace('"V7"', '"V7b"')
    path = tmp_path / "bad_header.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(IngestFileError, match=r"column 8 is 'V7b', expected 'V7'"):
        ingest(path, "t", ingest_config)
    with pytest.raises(IngestFileError, match="use --connector csv"):
        ingest(seed_dir / "creditcard_small.csv", "t", ingest_config, connector="file")
