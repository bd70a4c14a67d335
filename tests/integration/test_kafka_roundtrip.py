"""Produce and consume against the real broker."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from fraudlab.kafka import (
    KafkaConfig,
    count_records,
    create_topic,
    delete_topic,
    describe_topic,
    produce_csv,
    produce_dataframe,
    read_records,
    topic_exists,
    wait_for_records,
)


def test_produce_consume_round_trip(kafka_config: KafkaConfig, topic_name: str) -> None:
    create_topic(kafka_config, topic_name, partitions=3)
    frame = pd.DataFrame({"id": range(500), "amount": [i * 1.5 for i in range(500)]})
    report = produce_dataframe(kafka_config, frame, topic_name, "json", key_column="id", progress=False)
    assert report.records == 500 and report.failed == 0
    assert wait_for_records(kafka_config, topic_name, 500, timeout_s=30, progress=False) == 500
    info = describe_topic(kafka_config, topic_name)
    assert info.partitions == 3 and info.records == 500
    records = read_records(kafka_config, topic_name)
    got = {int(r.key): json.loads(r.value) for r in records}  # type: ignore[arg-type]
    assert len(got) == 500
    assert got[7] == {"id": 7, "amount": 10.5}


def test_csv_lines_go_out_unchanged(kafka_config: KafkaConfig, topic_name: str, seed_dir: Path) -> None:
    path = seed_dir / "creditcard_small.csv"
    report = produce_csv(kafka_config, path, topic_name, "delimited", progress=False)
    assert report.records == 999
    lines = path.read_text().splitlines()[1:]
    values = [r.value.decode() for r in read_records(kafka_config, topic_name)]  # type: ignore[union-attr]
    assert values == lines


def test_delete_topic(kafka_config: KafkaConfig, topic_name: str) -> None:
    create_topic(kafka_config, topic_name)
    assert topic_exists(kafka_config, topic_name)
    assert count_records(kafka_config, topic_name) == 0
    delete_topic(kafka_config, topic_name)
    assert not topic_exists(kafka_config, topic_name)
