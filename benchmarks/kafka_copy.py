"""The raw Kafka ceiling: produce N credit-card rows as DELIMITED strings, consume them, and copy them
consume -> produce to a second topic with confluent-kafka (`_common.raw_copy`, the baseline the other
throughput benchmarks measure in their own runs). Prints JSON.

    .venv/bin/python benchmarks/kafka_copy.py [--rows 1000000] [--bootstrap-servers HOST:PORT] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path

from confluent_kafka import Consumer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import COPY_CONSUMER, creditcard_lines, embedded_stack, median, raw_copy

from fraudlab.kafka import KafkaConfig, create_topic, produce_values


def produce(config: KafkaConfig, topic: str, lines: list[bytes]) -> float:
    """Seconds to produce every line (fraudlab's fast producer settings) until all are acknowledged."""
    return produce_values(config, topic, lines, progress=False, flush_timeout_s=300).seconds


def consume(config: KafkaConfig, topic: str, expected: int) -> float:
    consumer = Consumer(config.as_librdkafka(**COPY_CONSUMER, **{"group.id": f"bench-{uuid.uuid4().hex[:6]}"}))
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


def run(bootstrap: str, rows: int, repeat: int) -> dict[str, object]:
    config = KafkaConfig(bootstrap_servers=bootstrap)
    lines = creditcard_lines(rows)
    mb = sum(len(x) for x in lines) / 1e6
    results: dict[str, list[float]] = {"produce": [], "consume": [], "copy": []}
    for _ in range(repeat):
        source = f"bench-src-{uuid.uuid4().hex[:6]}"
        create_topic(config, source)
        results["produce"].append(produce(config, source, lines))
        results["consume"].append(consume(config, source, rows))
        results["copy"].append(raw_copy(config, source, rows))
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
