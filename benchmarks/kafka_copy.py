"""The raw Kafka ceiling: produce N credit-card rows as DELIMITED strings, consume them, and copy them
consume -> produce to a second topic with confluent-kafka. Later benchmarks compare against these rates
measured in the same run. Prints JSON.

    .venv/bin/python benchmarks/kafka_copy.py [--rows 1000000] [--bootstrap-servers HOST:PORT] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path

from confluent_kafka import Consumer, Producer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import creditcard_lines, embedded_stack, median

from fraudlab.kafka import KafkaConfig, create_topic
from fraudlab.kafka.producer import FAST_PRODUCER

CONSUMER = {
    "enable.auto.commit": False,
    "auto.offset.reset": "earliest",
    "fetch.max.bytes": 104857600,
    "max.partition.fetch.bytes": 52428800,
    "queued.max.messages.kbytes": 1048576,
}


def produce(config: KafkaConfig, topic: str, lines: list[bytes]) -> float:
    producer = Producer(config.as_librdkafka(**FAST_PRODUCER))
    start = time.perf_counter()
    for line in lines:
        while True:
            try:
                producer.produce(topic, line)
                break
            except BufferError:
                producer.poll(0.05)
    producer.flush(300)
    return time.perf_counter() - start


def consume(config: KafkaConfig, topic: str, expected: int) -> float:
    consumer = Consumer(config.as_librdkafka(**CONSUMER, **{"group.id": f"bench-{uuid.uuid4().hex[:6]}"}))
    consumer.subscribe([topic])
    seen = 0
    start = None
    deadline = time.monotonic() + 600
    while seen < expected and time.monotonic() < deadline:
        batch = consumer.consume(10_000, timeout=1.0)
        if batch and start is None:
            start = time.perf_counter()
        seen += sum(1 for m in batch if m.error() is None)
    consumer.close()
    return time.perf_counter() - (start or time.perf_counter())


def copy(config: KafkaConfig, source: str, sink: str, expected: int) -> float:
    """Consume and re-produce every record, committing after each produced batch is flushed."""
    consumer = Consumer(config.as_librdkafka(**CONSUMER, **{"group.id": f"copy-{uuid.uuid4().hex[:6]}"}))
    producer = Producer(config.as_librdkafka(**FAST_PRODUCER))
    consumer.subscribe([source])
    seen = 0
    start = None
    deadline = time.monotonic() + 600
    while seen < expected and time.monotonic() < deadline:
        batch = consumer.consume(10_000, timeout=1.0)
        if not batch:
            continue
        if start is None:
            start = time.perf_counter()
        for msg in batch:
            if msg.error() is not None:
                continue
            while True:
                try:
                    producer.produce(sink, msg.value(), msg.key())
                    break
                except BufferError:
                    producer.poll(0.05)
            seen += 1
        producer.flush(60)
        consumer.commit(asynchronous=True)
    producer.flush(60)
    consumer.close()
    return time.perf_counter() - (start or time.perf_counter())


def run(bootstrap: str, rows: int, repeat: int) -> dict[str, object]:
    config = KafkaConfig(bootstrap_servers=bootstrap)
    lines = creditcard_lines(rows)
    mb = sum(len(x) for x in lines) / 1e6
    results: dict[str, list[float]] = {"produce": [], "consume": [], "copy": []}
    for _ in range(repeat):
        source, sink = f"bench-src-{uuid.uuid4().hex[:6]}", f"bench-sink-{uuid.uuid4().hex[:6]}"
        create_topic(config, source)
        create_topic(config, sink)
        results["produce"].append(produce(config, source, lines))
        results["consume"].append(consume(config, source, rows))
        results["copy"].append(copy(config, source, sink, rows))
    out: dict[str, object] = {
        "benchmark": "kafka_copy",
        "rows": rows,
        "megabytes": round(mb, 1),
        "repeat": repeat,
    }
    for name, secs in results.items():
        out[f"{name}_records_per_s"] = round(rows / median(secs))
        out[f"{name}_mb_per_s"] = round(mb / median(secs), 1)
        out[f"{name}_seconds_all"] = [round(s, 2) for s in secs]
    out["copy_records_per_s_median"] = out["copy_records_per_s"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bootstrap-servers", default=None)
    args = parser.parse_args()
    with embedded_stack(args.bootstrap_servers) as stack:
        bootstrap = stack if isinstance(stack, str) else stack.bootstrap_servers
        print(json.dumps(run(bootstrap, args.rows, args.repeat), indent=2))


if __name__ == "__main__":
    main()
