"""Produce and consume against the real broker."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from confluent_kafka import Producer

from fraudlab.kafka import (
    KafkaConfig,
    count_records,
    create_topic,
    delete_topic,
    describe_topic,
    produce_csv,
    produce_dataframe,
    produce_values,
    read_records,
    send,
    send_all,
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


def test_a_full_producer_queue_is_waited_out_and_nothing_is_lost(kafka_config: KafkaConfig, topic_name: str) -> None:
    """A 50-record local queue: most `produce` calls of 5,000 hit BufferError, and `send` waits for room;
    every record arrives once, in order, with its key and timestamp (`produce_values` and `send_all`)."""
    create_topic(kafka_config, topic_name, partitions=1)
    n, base = 5000, 1_700_000_000_000
    report = produce_values(
        kafka_config, topic_name, (f"v{i}".encode() for i in range(n)), keys=(f"k{i}".encode() for i in range(n)),
        timestamps=(base + i for i in range(n)), progress=False,
        producer_overrides={"queue.buffering.max.messages": 50, "linger.ms": 1},
    )
    assert (report.records, report.failed, report.bytes) == (n, 0, sum(len(f"v{i}") for i in range(n)))
    records = read_records(kafka_config, topic_name, limit=n, timeout_s=60)
    assert [r.value for r in records] == [f"v{i}".encode() for i in range(n)]
    assert [r.key for r in records] == [f"k{i}".encode() for i in range(n)]
    assert [r.timestamp_ms for r in records] == [base + i for i in range(n)]

    failures: list[object] = []
    producer = Producer(
        {
            **kafka_config.as_librdkafka(**{"queue.buffering.max.messages": 20}),
            "on_delivery": lambda err, _msg: failures.append(err) if err is not None else None,
        }
    )
    send_all(producer, topic_name, [b"x"] * 300)  # no keys, no timestamps
    send(producer, topic_name, b"with-headers", b"h", headers=[("why", b"test")])
    assert producer.flush(30) == 0
    assert failures == []
    tail = read_records(kafka_config, topic_name, limit=n + 301, timeout_s=60)[n:]
    assert [r.value for r in tail] == [b"x"] * 300 + [b"with-headers"]


def test_a_wait_sees_a_topic_created_and_filled_while_it_waits(kafka_config: KafkaConfig, topic_name: str) -> None:
    """wait_for_records keeps one admin client and one consumer for all its counts (kafka.admin.TopicReader):
    a topic that does not exist when the wait starts counts as empty until it is created, and the same
    consumer then reads its offsets as records arrive in two parts."""
    import threading
    import time

    def later() -> None:
        time.sleep(1.0)
        create_topic(kafka_config, topic_name, partitions=2)
        produce_values(kafka_config, topic_name, [b"%d" % i for i in range(300)], progress=False)
        time.sleep(1.0)
        produce_values(kafka_config, topic_name, [b"%d" % i for i in range(200)], progress=False)

    writer = threading.Thread(target=later)
    writer.start()
    try:
        assert wait_for_records(kafka_config, topic_name, 500, timeout_s=60, progress=False) == 500
    finally:
        writer.join(60)
    assert describe_topic(kafka_config, topic_name).records == 500
