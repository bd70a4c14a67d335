"""End-to-end scoring service throughput and latency, against a raw confluent-kafka copy measured in
the same run. Prints JSON (and writes it with --json FILE).

    .venv/bin/python benchmarks/scoring_e2e.py [--rows 1000000] [--model DIR] [--bootstrap-servers H:P]
        [--latency-seconds 30] [--repeat 3] [--json FILE]

Keys: records_per_s (one instance, in-process, first batch to drained end as the copy; median of --repeat runs
alternating with the copy), copy_records_per_s (median), ratio (of the medians), latency_p50_ms/
latency_p99_ms (input paced at 1,000 tx/s once the service answers a probe: input record timestamp ->
result received by a consumer of the output topic), two_instances_records_per_s (two `fraudlab score`
processes, first output to last output), exactly_once_records_per_s. `*_cpu_us_per_record` is the
process CPU time (all threads: Python and librdkafka) per record, a figure that depends less on how
busy the shared machine is than rates do, `loop_cpu_us_per_record` the service loop's own thread's;
the one-instance runs are on kafkanative when it builds (`native_io`), each followed by the same run on
confluent-kafka (`confluent_*`); `load_average` is the 1-minute load at start and end. The
KSQL function path is benchmarks/ksql_udf_scoring.py's. `model_members` says what scored each
member of the bundle (the deployed ensemble: XGBoost trees, and the autoencoder graph on ONNX Runtime
when its weight is not 0); pass --model to measure a real bundle (without it, a one-epoch synthetic one).
`avro_*`: the same rows as registered Avro (Confluent's wire format, a `Transaction` record of 30 doubles
and a string) scored by the service with `--format avro` (schemas from the registry, one request per
schema id), alternating with the same copies; target avro_ratio >= 0.6. The registry is the embedded
stack's, --schema-registry-url, or one started in this process; --no-avro skips it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
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
from _common import creditcard_lines, embedded_stack, median, raw_copy, schema_registry

from fraudlab.kafka import KafkaConfig, count_records, create_topic, produce_values
from fraudlab.scoring import ScoringConfig, ScoringService


def small_bundle(out: Path) -> Path:
    """A one-epoch bundle on synthetic data, when no --model is given (speed does not depend on it)."""
    from fraudlab.data import synthetic
    from fraudlab.model.config import HeadConfig, TrainConfig
    from fraudlab.model.training import fit_models, write_bundle

    cfg = TrainConfig(epochs=1, baselines=False, reference_ae=False, verbose=0, head=HeadConfig(epochs=1))
    write_bundle(fit_models(synthetic(20_000, 0.01, seed=1), cfg), out, cfg, "synthetic", "0" * 64)
    return out


def service_rate(
    config: KafkaConfig, model: Path, source: str, rows: int, guarantee: str, value_format: str = "delimited",
    kafka_io: str = "auto",
) -> dict[str, float]:
    cfg = ScoringConfig(model_dir=model, input_topic=source, output_topic=f"{source}-scores-{guarantee}",
                        alerts_topic=f"{source}-alerts-{guarantee}", kafka=config,
                        group_id=f"bench-{uuid.uuid4().hex[:6]}", guarantee=guarantee,  # type: ignore[arg-type]
                        max_records=rows, report_interval_s=3600,
                        value_format=value_format, kafka_io=kafka_io)  # type: ignore[arg-type]
    service = ScoringService(cfg)
    cpu, loop = _cpu_s(), time.thread_time()
    report = service.run()
    finished = time.monotonic()
    cpu, loop = _cpu_s() - cpu, time.thread_time() - loop
    if report.dead_lettered:
        raise SystemExit(f"{source}: {report.dead_lettered} records dead-lettered")
    # First batch in to the drained end (final flush, commit and close), as the copy is timed.
    seconds = finished - (service.stats.first_input_at or finished)
    return {"records_per_s": round(report.records_in / seconds) if seconds > 0 else 0.0,
            "records": report.records_in, "cpu_us_per_record": round(cpu / max(report.records_in, 1) * 1e6, 2),
            "loop_cpu_us_per_record": round(loop / max(report.records_in, 1) * 1e6, 2),
            "native_io": service.native_io}


def _cpu_s() -> float:
    """CPU seconds of this process, all threads (the librdkafka threads included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def copy_rate(config: KafkaConfig, source: str, rows: int) -> dict[str, float]:
    sink = f"{source}-copy-{uuid.uuid4().hex[:4]}"
    create_topic(config, sink, partitions=2)
    cpu = _cpu_s()
    seconds = raw_copy(config, source, rows, sink=sink)
    cpu = _cpu_s() - cpu
    return {"records_per_s": round(rows / seconds), "cpu_us_per_record": round(cpu / rows * 1e6, 2)}


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
        producer = Producer(config.as_librdkafka(**{"linger.ms": 0, "acks": "all"}))
        # Probe until a result comes back: the service has joined its group and the reader holds
        # its partitions, so group joins on a busy machine do not count as latency.
        deadline = time.monotonic() + 120
        while not received and time.monotonic() < deadline:
            producer.produce(source, lines[0], b"probe")
            producer.poll(0)
            time.sleep(0.2)
        time.sleep(1)
        received.clear()
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
        _, err = proc.communicate(timeout=60)
    lat = np.asarray(received[rate:])  # the first second warms up connections and caches
    return {"latency_p50_ms": round(float(np.percentile(lat, 50)), 2),
            "latency_p99_ms": round(float(np.percentile(lat, 99)), 2),
            "latency_records": len(received), "latency_paced_tx_per_s": rate,
            **_service_side(err)}


def _service_side(stderr: bytes) -> dict[str, float | None]:
    """The service's own final report: input record timestamp -> result handed to the producer
    (so the rest of the end-to-end figure is the output's way through Kafka to the reader)."""
    for line in reversed(stderr.decode(errors="replace").splitlines()):
        if line.startswith("{") and "latency_p99_ms" in line:
            report = json.loads(line)
            return {"service_latency_p50_ms": report["latency_p50_ms"],
                    "service_latency_p99_ms": report["latency_p99_ms"]}
    return {"service_latency_p50_ms": None, "service_latency_p99_ms": None}


def produce_avro(config: KafkaConfig, registry_url: str, topic: str, lines: list[bytes]) -> None:
    """The rows as registered Avro under `<topic>-value` (encoded with the engine's codec: the bytes
    confluent-kafka's AvroSerializer writes, much faster)."""
    from ksql_throughput import avro_rows

    from ksqlserver.formats.sr import wire
    from ksqlserver.formats.sr.client import AVRO, HttpRegistryClient, RegisteredSchema

    schema, payloads = avro_rows(lines)
    client = HttpRegistryClient(registry_url)
    try:
        head = wire.header(client.register(f"{topic}-value", RegisteredSchema(AVRO, schema)))
    finally:
        client.close()
    produce_values(config, topic, [head + p for p in payloads], progress=False, flush_timeout_s=300)


def run(bootstrap: str, rows: int, model: Path, latency_seconds: float, repeat: int,
        registry_url: str | None = None) -> dict[str, object]:
    config = KafkaConfig(bootstrap_servers=bootstrap, schema_registry_url=registry_url)
    load_start = round(os.getloadavg()[0], 2)
    lines = creditcard_lines(rows)
    source = f"bench-score-{uuid.uuid4().hex[:6]}"
    create_topic(config, source, partitions=2)
    produce_values(config, source, lines, progress=False, flush_timeout_s=300)
    avro_source = f"{source}-avro"
    if registry_url:
        create_topic(config, avro_source, partitions=2)
        produce_avro(config, registry_url, avro_source, lines)
    copies, ones, confluents, avros = [], [], [], []
    for _ in range(repeat):  # alternate, so all see the same machine load
        copies.append(copy_rate(config, source, rows))
        ones.append(service_rate(config, model, source, rows, "at-least-once"))
        confluents.append(service_rate(config, model, source, rows, "at-least-once", kafka_io="confluent"))
        if registry_url:
            avros.append(service_rate(config, model, avro_source, rows, "at-least-once", "avro"))
    eos = service_rate(config, model, source, rows, "exactly-once")
    two = two_instances(config, model, bootstrap, source, rows)
    lat = latency(config, model, bootstrap, lines, latency_seconds)
    from fraudlab.model import load

    scorer = load(model, threads=1)
    copy_median = median([c["records_per_s"] for c in copies])
    one_median = median([o["records_per_s"] for o in ones])
    avro_median = median([a["records_per_s"] for a in avros]) if avros else None
    return {
        "benchmark": "scoring_e2e",
        "rows": rows,
        "model_version": scorer.model_version,
        "model_members": scorer.runtimes,
        "model_weights": {k: v["weight"] for k, v in scorer.card.get("scoring", {}).get("members", {}).items()},
        "repeat": repeat,
        "records_per_s": one_median,
        "copy_records_per_s": copy_median,
        "ratio": round(one_median / copy_median, 3),
        **lat,
        "exactly_once_records_per_s": eos["records_per_s"],
        "two_instances_records_per_s": two,
        "ksql_function_records_per_s": None,
        "records_per_s_all": [o["records_per_s"] for o in ones],
        "copy_records_per_s_all": [c["records_per_s"] for c in copies],
        "cpu_us_per_record": median([o["cpu_us_per_record"] for o in ones]),
        "copy_cpu_us_per_record": median([c["cpu_us_per_record"] for c in copies]),
        "loop_cpu_us_per_record": median([o["loop_cpu_us_per_record"] for o in ones]),
        "native_io": ones[0]["native_io"],
        "confluent_records_per_s": median([o["records_per_s"] for o in confluents]),
        "confluent_records_per_s_all": [o["records_per_s"] for o in confluents],
        "confluent_cpu_us_per_record": median([o["cpu_us_per_record"] for o in confluents]),
        "confluent_loop_cpu_us_per_record": median([o["loop_cpu_us_per_record"] for o in confluents]),
        "exactly_once_cpu_us_per_record": eos["cpu_us_per_record"],
        "avro_records_per_s": avro_median,
        "avro_ratio": round(avro_median / copy_median, 3) if avro_median else None,
        "avro_records_per_s_all": [a["records_per_s"] for a in avros],
        "avro_cpu_us_per_record": median([a["cpu_us_per_record"] for a in avros]) if avros else None,
        "avro_meets_target": bool(avro_median and avro_median / copy_median >= 0.6) if avros else None,
        "load_average": [load_start, round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--bootstrap-servers", default=None)
    parser.add_argument("--latency-seconds", type=float, default=30.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--schema-registry-url", default=None)
    parser.add_argument("--no-avro", dest="avro", action="store_false")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fraudlab-bench-model-") as tmp:
        model = args.model or small_bundle(Path(tmp) / "bundle")
        with embedded_stack(args.bootstrap_servers) as stack, contextlib.ExitStack() as extra:
            bootstrap = stack if isinstance(stack, str) else stack.bootstrap_servers
            registry_url = args.schema_registry_url or (None if isinstance(stack, str) else stack.schema_registry_url)
            if args.avro:
                registry_url = extra.enter_context(schema_registry(registry_url))
            result = run(bootstrap, args.rows, model, args.latency_seconds, args.repeat,
                         registry_url if args.avro else None)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
