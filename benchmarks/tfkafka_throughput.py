"""tf.data from Kafka: rows/s of `kafka_dataset` (bounded, until the end of the topic) on both
consumers, the native batch consumer (the default) and confluent-kafka (the fallback), beside the same
rows from memory (`from_tensor_slices` of the parsed matrix), in the same run; also `kafka_batches`
alone (numpy batches, no TensorFlow) to show what the tf.data wrapping costs. Medians of --repeat
runs, the paths interleaved in each. Prints JSON.

    .venv/bin/python benchmarks/tfkafka_throughput.py [--rows 1000000] [--batch-size 4096]
        [--bootstrap-servers H:P] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import creditcard_lines, embedded_stack, median

from fraudlab.data.schema import FEATURES
from fraudlab.kafka import KafkaConfig, create_topic, produce_values
from fraudlab.scoring import DelimitedParser
from fraudlab.scoring.layouts import KAGGLE
from fraudlab.tfkafka import StreamSpec, kafka_batches, kafka_dataset, resolve_client

CLIENTS = ("native", "confluent")


def run(bootstrap: str, rows: int, batch_size: int, repeat: int) -> dict[str, object]:
    import tensorflow as tf

    config = KafkaConfig(bootstrap_servers=bootstrap)
    load_start = round(os.getloadavg()[0], 2)
    default_path, why = resolve_client(StreamSpec("any", tuple(FEATURES)), config)
    lines = creditcard_lines(rows)
    topic = f"bench-tf-{uuid.uuid4().hex[:6]}"
    create_topic(config, topic, partitions=2)
    produce_values(config, topic, lines, progress=False, flush_timeout_s=300)
    parsed = DelimitedParser((*FEATURES, "Class"), KAGGLE).parse(lines).features
    x, y = parsed[:, :30].copy(), parsed[:, 30].copy()
    clients = CLIENTS if default_path == "native" else ("confluent",)
    dataset_s: dict[str, list[float]] = {c: [] for c in clients}
    numpy_s: dict[str, list[float]] = {c: [] for c in clients}
    numpy_cpu: dict[str, list[float]] = {c: [] for c in clients}
    memory_s: list[float] = []
    for i in range(repeat):
        # Interleaved, and the order flipped each round, so a load spike hits both paths alike.
        for client in clients if i % 2 == 0 else clients[::-1]:
            start = time.perf_counter()
            ds = kafka_dataset(topic, config, batch_size=batch_size, label="Class", client=client)  # type: ignore[arg-type]
            seen = sum(int(bx.shape[0]) for bx, _ in ds)
            dataset_s[client].append(time.perf_counter() - start)
            assert seen == rows, (client, seen, rows)
            spec = StreamSpec(topic, tuple(FEATURES), label="Class", batch_size=batch_size, client=client)  # type: ignore[arg-type]
            start, cpu = time.perf_counter(), _cpu_s()
            seen = sum(len(bx) for bx, _ in kafka_batches(spec, config))
            numpy_s[client].append(time.perf_counter() - start)
            numpy_cpu[client].append(_cpu_s() - cpu)
            assert seen == rows, (client, seen, rows)
        start = time.perf_counter()
        for _bx, _by in tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size):
            pass
        memory_s.append(time.perf_counter() - start)

    def path(client: str) -> dict[str, object]:
        return {
            "kafka_rows_per_s": round(rows / median(dataset_s[client])),
            "kafka_batches_numpy_rows_per_s": round(rows / median(numpy_s[client])),
            # process CPU time (all threads, librdkafka's included) per row: less load-dependent than rates
            "kafka_batches_cpu_us_per_row": round(median(numpy_cpu[client]) / rows * 1e6, 2),
            "kafka_seconds_all": [round(v, 2) for v in dataset_s[client]],
            "kafka_batches_seconds_all": [round(v, 2) for v in numpy_s[client]],
        }

    by_path = {c: path(c) for c in clients}
    return {
        "benchmark": "tfkafka_throughput",
        "rows": rows,
        "batch_size": batch_size,
        "repeat": repeat,
        # which consumer kafka_dataset uses by default here (and why not the native one, if not)
        "consumer_path": default_path,
        "consumer_path_reason": why or None,
        **{k: v for k, v in by_path[default_path].items() if not k.endswith("_all")},
        "memory_rows_per_s": round(rows / median(memory_s)),
        "by_path": by_path,
        "memory_seconds_all": [round(v, 2) for v in memory_s],
        "load_average": [load_start, round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
    }


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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
