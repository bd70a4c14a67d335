"""tf.data from Kafka: rows/s of `kafka_dataset` (bounded, until the end of the topic) beside the same
rows from memory (`from_tensor_slices`), in the same run. Prints JSON.

    .venv/bin/python benchmarks/tfkafka_throughput.py [--rows 1000000] [--batch-size 4096]
        [--bootstrap-servers H:P] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import creditcard_lines, embedded_stack, median
from kafka_copy import produce

from fraudlab.kafka import KafkaConfig, create_topic
from fraudlab.tfkafka import kafka_dataset


def run(bootstrap: str, rows: int, batch_size: int, repeat: int) -> dict[str, object]:
    import tensorflow as tf

    config = KafkaConfig(bootstrap_servers=bootstrap)
    lines = creditcard_lines(rows)
    topic = f"bench-tf-{uuid.uuid4().hex[:6]}"
    create_topic(config, topic, partitions=2)
    produce(config, topic, lines)
    kafka_s, memory_s = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        seen = sum(int(x.shape[0]) for x, _ in kafka_dataset(topic, config, batch_size=batch_size, label="Class"))
        kafka_s.append(time.perf_counter() - start)
        assert seen == rows, (seen, rows)
    x = np.random.default_rng(0).normal(size=(rows, 30)).astype(np.float32)
    y = np.zeros(rows, dtype=np.float32)
    for _ in range(repeat):
        start = time.perf_counter()
        for _bx, _by in tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size):
            pass
        memory_s.append(time.perf_counter() - start)
    return {
        "benchmark": "tfkafka_throughput",
        "rows": rows,
        "batch_size": batch_size,
        "kafka_rows_per_s": round(rows / median(kafka_s)),
        "memory_rows_per_s": round(rows / median(memory_s)),
        "kafka_seconds_all": [round(s, 2) for s in kafka_s],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=4096)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bootstrap-servers", default=None)
    args = parser.parse_args()
    with embedded_stack(args.bootstrap_servers) as stack:
        bootstrap = stack if isinstance(stack, str) else stack.bootstrap_servers
        print(json.dumps(run(bootstrap, args.rows, args.batch_size, args.repeat), indent=2))


if __name__ == "__main__":
    main()
