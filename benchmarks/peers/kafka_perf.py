"""The ceiling: Kafka's own ProducerPerformance and ConsumerPerformance (org.apache.kafka.tools, the
kafka-tools jar of the stack's Kafka version) on the same records as the other benchmarks.

    .venv/bin/python benchmarks/peers/kafka_perf.py [--records 1000000] [--repeat 3] [--bootstrap-servers H:P]

ProducerPerformance sends `--records` records taken from a payload file of the real rows (the DELIMITED
lines the other benchmarks produce; the tool picks one at random per record, so sizes follow the data),
with the producer settings of fraudlab's producers (linger, 1 MB batches, lz4, acks=all, idempotent),
after `--warmup-records` records whose statistics the tool reports apart (the JVM's warm-up).
ConsumerPerformance reads `--records` records of a topic from the beginning; its figure is the fetch
rate (fetch.nMsg.sec: the group join is left out, as kafka_copy.consume starts at the first batch).
Prints JSON. Without --bootstrap-servers the embedded stack is started on free ports.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peerlib
from kafka_streams import HEAP, build, classpath
from peerlib import PeerError

from fraudlab.kafka import KafkaConfig, create_topic

# fraudlab.kafka.producer.FAST_PRODUCER in Java producer terms (the Java batch.size is per partition)
PRODUCER_SETTINGS: dict[str, str] = {
    "linger.ms": "25",
    "batch.size": "1000000",
    "buffer.memory": "1073741824",
    "compression.type": "lz4",
    "acks": "all",
    "enable.idempotence": "true",
}
# kafka_copy's consumer: 100 MB fetches, 50 MB per partition
CONSUMER_SETTINGS: dict[str, str] = {
    "fetch.max.bytes": "104857600",
    "max.partition.fetch.bytes": "52428800",
}

_PRODUCER_LINE = re.compile(r"(\d+) (?:steady state )?records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\)")


def payload_file(lines: list[bytes], folder: Path) -> Path:
    """The distinct rows, one per line (ProducerPerformance picks among them at random)."""
    path = folder / "payloads.txt"
    distinct = list(dict.fromkeys(lines))
    path.write_bytes(b"\n".join(distinct) + b"\n")
    return path


def producer_perf(
    bootstrap: str, records: int, payloads: Path, warmup_records: int, timeout_s: float = 900.0
) -> dict[str, Any]:
    topic = peerlib.new_name("peer-producer-perf")
    create_topic(KafkaConfig(bootstrap_servers=bootstrap), topic)
    load_start = peerlib.load1()
    command = ["java", *HEAP, "-cp", classpath(), "org.apache.kafka.tools.ProducerPerformance",
               "--bootstrap-server", bootstrap, "--topic", topic,
               "--num-records", str(records + warmup_records), "--throughput", "-1",
               "--payload-file", str(payloads), "--reporting-interval", "60000",
               "--command-property", *(f"{k}={v}" for k, v in PRODUCER_SETTINGS.items())]  # fmt: skip
    if warmup_records:
        command += ["--warmup-records", str(warmup_records)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s)
    finally:
        peerlib.delete_topics(bootstrap, [topic])
    if done.returncode != 0:
        raise PeerError(f"ProducerPerformance failed: {done.stderr[-2000:]}")
    # The last summary line is the steady state (after the warm-up records) when a warm-up was asked for.
    summaries = [m for m in map(_PRODUCER_LINE.search, done.stdout.splitlines()) if m]
    if not summaries:
        raise PeerError(f"no summary line in ProducerPerformance's output: {done.stdout[-2000:]}")
    last = summaries[-1]
    return {
        "records_per_s": float(last.group(2)),
        "mb_per_s": float(last.group(3)),
        "records": int(last.group(1)),
        "summary": done.stdout.strip().splitlines()[-1],
        "load_1min": [load_start, peerlib.load1()],
    }


def consumer_perf(bootstrap: str, topic: str, records: int, timeout_s: float = 900.0) -> dict[str, Any]:
    load_start = peerlib.load1()
    command = ["java", *HEAP, "-cp", classpath(), "org.apache.kafka.tools.ConsumerPerformance",
               "--bootstrap-server", bootstrap, "--topic", topic, "--num-records", str(records),
               "--group", peerlib.new_name("peer-consumer-perf"), "--timeout", "60000"]  # fmt: skip
    for key, value in CONSUMER_SETTINGS.items():
        command += ["--command-property", f"{key}={value}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s)
    if done.returncode != 0:
        raise PeerError(f"ConsumerPerformance failed: {done.stderr[-2000:]}")
    lines = [ln for ln in done.stdout.splitlines() if ln.strip()]
    header = next((i for i, ln in enumerate(lines) if ln.startswith("start.time")), None)
    if header is None or header + 1 >= len(lines):
        raise PeerError(f"no statistics in ConsumerPerformance's output: {done.stdout[-2000:]}")
    names = [n.strip() for n in lines[header].split(",")]
    values = [v.strip() for v in lines[header + 1].split(",")]
    stats = dict(zip(names, values, strict=False))
    consumed = int(stats["data.consumed.in.nMsg"])
    if consumed < records:
        raise PeerError(f"ConsumerPerformance read {consumed} of {records} records")
    return {
        "records_per_s": float(stats["fetch.nMsg.sec"]),
        "with_group_join_records_per_s": float(stats["nMsg.sec"]),
        "mb_per_s": float(stats["fetch.MB.sec"]),
        "rebalance_ms": int(stats["rebalance.time.ms"]),
        "records": consumed,
        "load_1min": [load_start, peerlib.load1()],
    }


def measure(bootstrap: str, cards_topic: str, lines: list[bytes], repeat: int, warmup_records: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="peer-perf-") as tmp:
        payloads = payload_file(lines, Path(tmp))
        producers, consumers = [], []
        for i in range(repeat):
            producers.append(producer_perf(bootstrap, len(lines), payloads, warmup_records))
            print(f"ProducerPerformance {i + 1}/{repeat}: {producers[-1]}", file=sys.stderr)
            consumers.append(consumer_perf(bootstrap, cards_topic, len(lines)))
            print(f"ConsumerPerformance {i + 1}/{repeat}: {consumers[-1]}", file=sys.stderr)
    return {
        "producer_records_per_s": peerlib.median(p["records_per_s"] for p in producers),
        "consumer_records_per_s": peerlib.median(c["records_per_s"] for c in consumers),
        "producer_runs": producers,
        "consumer_runs": consumers,
        "producer_settings": {**PRODUCER_SETTINGS, "warmup_records": warmup_records},
        "consumer_settings": dict(CONSUMER_SETTINGS),
        "heap": " ".join(HEAP),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warmup-records", type=int, default=None, help="default: a fifth of --records")
    parser.add_argument("--bootstrap-servers", default=None)
    args = parser.parse_args(argv)
    import topics

    build()
    warmup = args.records // 5 if args.warmup_records is None else args.warmup_records
    with contextlib.ExitStack() as stack:
        bootstrap = args.bootstrap_servers or stack.enter_context(topics.embedded_kafka())
        data = stack.enter_context(topics.benchmark_topics(bootstrap, args.records, kinds=("cards",)))
        out = {"benchmark": "peers.kafka_perf", "records": args.records,
               **measure(bootstrap, data.cards, data.lines, args.repeat, warmup)}  # fmt: skip
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
