"""End-to-end scoring service throughput and latency, against a raw confluent-kafka copy measured in
the same run. Prints JSON (and writes it with --json FILE).

    .venv/bin/python benchmarks/scoring_e2e.py [--rows 1000000] [--model DIR] [--bootstrap-servers H:P]
        [--latency-seconds 30] [--json FILE]

Keys: records_per_s (one instance, in-process, first batch to last commit), copy_records_per_s,
ratio, latency_p50_ms/latency_p99_ms (input paced at 1,000 tx/s: input record timestamp -> result
received by a consumer of the output topic), two_instances_records_per_s (two `fraudlab score`
processes, first output to last output), exactly_once_records_per_s. The KSQL function path is not
measured here yet (it needs the KSQL engine's UDF support).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import numpy as np
import orjson
from confluent_kafka import Consumer, Producer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import creditcard_lines, embedded_stack
from kafka_copy import copy, produce

from fraudlab.kafka import KafkaConfig, count_records, create_topic
from fraudlab.scoring import ScoringConfig, ScoringService


def small_bundle(out: Path) -> Path:
    """A one-epoch bundle on synthetic data, when no --model is given (speed does not depend on it)."""
    from fraudlab.data import synthetic
    from fraudlab.model.config import HeadConfig, TrainConfig
    from fraudlab.model.training import fit_models, write_bundle

    cfg = TrainConfig(epochs=1, baselines=False, reference_ae=False, verbose=0, head=HeadConfig(epochs=1))
    write_bundle(fit_models(synthetic(20_000, 0.01, seed=1), cfg), out, cfg, "synthetic", "0" * 64)
    return out


def service_rate(config: KafkaConfig, model: Path, source: str, rows: int, guarantee: str) -> dict[str, float]:
    cfg = ScoringConfig(model_dir=model, input_topic=source, output_topic=f"{source}-scores-{guarantee}",
                        alerts_topic=f"{source}-alerts-{guarantee}", kafka=config,
                        group_id=f"bench-{uuid.uuid4().hex[:6]}", guarantee=guarantee,  # type: ignore[arg-type]
                        max_records=rows, report_interval_s=3600)
    service = ScoringService(cfg)
    report = service.run()
    stats = service.stats
    seconds = (stats.last_input_at or 0) - (stats.first_input_at or 0)
    return {"records_per_s": round(report.records_in / seconds) if seconds > 0 else 0.0,
            "records": report.records_in}


def _cli(model: Path, bootstrap: str, source: str, out: str, group: str, instance: str, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "from fraudlab.cli import main; main()", "score", "--model", str(model),
         "--in", source, "--out", out, "--group", group, "--instance-id", instance,
         "--bootstrap-servers", bootstrap, "--report-interval", "3600", *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def two_instances(config: KafkaConfig, model: Path, bootstrap: str, source: str, rows: int) -> float:
    out, group = f"{source}-scores-two", f"bench-two-{uuid.uuid4().hex[:6]}"
    procs = [_cli(model, bootstrap, source, out, group, str(i), "--idle-timeout", "5") for i in range(2)]
    first = None
    deadline = time.monotonic() + 900
    try:
        while time.monotonic() < deadline:
            try:
                seen = count_records(config, out)
            except Exception:
                seen = 0
            if seen and first is None:
                first = time.perf_counter()
            if seen >= rows:
                return round(rows / (time.perf_counter() - (first or time.perf_counter())))
            time.sleep(0.02)
        return 0.0
    finally:
        for p in procs:
            p.terminate()
            p.wait(60)


def latency(config: KafkaConfig, model: Path, bootstrap: str, lines: list[bytes], seconds: float,
            rate: int = 1000) -> dict[str, float]:
    source = f"bench-lat-{uuid.uuid4().hex[:6]}"
    out = f"{source}-scores"
    create_topic(config, source, partitions=2)
    create_topic(config, out, partitions=2)
    proc = _cli(model, bootstrap, source, out, f"bench-lat-{uuid.uuid4().hex[:6]}", "0")
    consumer = Consumer(config.as_librdkafka(**{"group.id": f"lat-{uuid.uuid4().hex[:6]}",
                                                "auto.offset.reset": "earliest", "fetch.wait.max.ms": 5}))
    consumer.subscribe([out])
    received: list[float] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            for m in consumer.consume(500, 0.002):  # a short wait: the reader must not add latency
                if m.error() is None:
                    now = time.time() * 1000
                    received.append(now - orjson.loads(m.value())["event_time"])

    reader = threading.Thread(target=read)
    reader.start()
    try:
        time.sleep(8)  # the service joins its group and the reader its partitions
        producer = Producer(config.as_librdkafka(**{"linger.ms": 0, "acks": "all"}))
        n = int(seconds * rate)
        start = time.perf_counter()
        for i in range(n):
            target = start + i / rate
            delay = target - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            producer.produce(source, lines[i % len(lines)], str(i).encode())
            producer.poll(0)
        producer.flush(30)
        deadline = time.monotonic() + 30
        while len(received) < n and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        done.set()
        reader.join()
        consumer.close()
        proc.terminate()
        proc.wait(60)
    lat = np.asarray(received[rate:])  # the first second warms up connections
    return {"latency_p50_ms": round(float(np.percentile(lat, 50)), 2),
            "latency_p99_ms": round(float(np.percentile(lat, 99)), 2),
            "latency_records": len(received), "latency_paced_tx_per_s": rate}


def run(bootstrap: str, rows: int, model: Path, latency_seconds: float) -> dict[str, object]:
    config = KafkaConfig(bootstrap_servers=bootstrap)
    lines = creditcard_lines(rows)
    source = f"bench-score-{uuid.uuid4().hex[:6]}"
    create_topic(config, source, partitions=2)
    produce(config, source, lines)
    sink = f"{source}-copy"
    create_topic(config, sink, partitions=2)
    copy_s = copy(config, source, sink, rows)
    one = service_rate(config, model, source, rows, "at-least-once")
    eos = service_rate(config, model, source, rows, "exactly-once")
    two = two_instances(config, model, bootstrap, source, rows)
    lat = latency(config, model, bootstrap, lines, latency_seconds)
    copy_rate = round(rows / copy_s)
    return {
        "benchmark": "scoring_e2e",
        "rows": rows,
        "records_per_s": one["records_per_s"],
        "copy_records_per_s": copy_rate,
        "ratio": round(one["records_per_s"] / copy_rate, 3),
        **lat,
        "exactly_once_records_per_s": eos["records_per_s"],
        "two_instances_records_per_s": two,
        "ksql_function_records_per_s": None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--bootstrap-servers", default=None)
    parser.add_argument("--latency-seconds", type=float, default=30.0)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fraudlab-bench-model-") as tmp:
        model = args.model or small_bundle(Path(tmp) / "bundle")
        with embedded_stack(args.bootstrap_servers) as stack:
            bootstrap = stack if isinstance(stack, str) else stack.bootstrap_servers
            result = run(bootstrap, args.rows, model, args.latency_seconds)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
