"""Helpers shared by the benchmarks: a throwaway embedded stack, the real data as DELIMITED lines, the
raw-copy baseline every throughput figure is compared with, and a small HTTP client for KSQL statements.

A KSQL server of its own is a `fraudlab.stack.KsqlServerProcess`; records are produced with
`fraudlab.kafka.produce_values` / `send_all` (one retry loop for a full producer queue).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from confluent_kafka import Consumer, Producer

from fraudlab.kafka import KafkaConfig, create_topic, delete_topic, send_all
from fraudlab.stack import Stack, StackConfig, shared_dir
from fraudlab.stack.ports import free_ports

REPO = Path(__file__).resolve().parents[1]


def creditcard_path() -> Path:
    """The Kaggle file in the shared data folder (FRAUDLAB_SHARED_DIR, else ../shared)."""
    return shared_dir(os.environ, REPO) / "data" / "creditcard.csv.gz"


@contextlib.contextmanager
def embedded_stack(
    bootstrap_servers: str | None = None, with_ksql: bool = False
) -> Iterator[StackConfig | str]:
    """Yield `bootstrap_servers` if given, else start a stack on free ports and stop it afterwards."""
    if bootstrap_servers:
        yield bootstrap_servers
        return
    kafka, connect, ksql_port = free_ports(3)
    with tempfile.TemporaryDirectory(prefix="fraudlab-bench-") as tmp:
        config = StackConfig.default(
            state_dir=Path(tmp), kafka_port=kafka, connect_port=connect, ksql_port=ksql_port, with_ksql=with_ksql
        )
        stack = Stack(config)
        try:
            stack.up(progress=False)
            yield config
        finally:
            stack.down()


def creditcard_lines(rows: int, data: Path | None = None) -> list[bytes]:
    """`rows` DELIMITED lines of the real Kaggle file (cycled if more are asked for than it has)."""
    path = data or creditcard_path()
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        lines = fh.read().splitlines()[1:]
    out = lines * (rows // len(lines)) + lines[: rows % len(lines)]
    return out


def json_lines(lines: list[bytes]) -> list[bytes]:
    """Kaggle DELIMITED lines as the JSON objects a CSAS to JSON writes: upper-case names (as the
    pipeline's features topic carries them), numbers as doubles, CLASS as text."""
    names = ["TIME", *(f"V{i}" for i in range(1, 29)), "AMOUNT"]
    out = []
    for line in lines:
        *values, klass = line.decode().split(",")
        doc: dict[str, object] = {n: float(v) for n, v in zip(names, values, strict=True)}
        doc["CLASS"] = klass.strip('"')
        out.append(json.dumps(doc, separators=(",", ":")).encode())
    return out


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# The raw copy: what confluent-kafka alone does with the same records, the baseline of every throughput
# benchmark. One definition, so that ratios of different benchmarks compare with the same thing.
COPY_CONSUMER = {
    "enable.auto.commit": False,
    "auto.offset.reset": "earliest",
    "fetch.max.bytes": 104857600,
    "max.partition.fetch.bytes": 52428800,
    "queued.max.messages.kbytes": 1048576,
}
COPY_PRODUCER = {
    "linger.ms": 20,
    "batch.size": 1_000_000,
    "compression.type": "lz4",
    "queue.buffering.max.messages": 2_000_000,
}


def raw_copy(config: KafkaConfig, source: str, count: int, sink: str | None = None, timeout_s: float = 600.0) -> float:
    """Seconds to consume `count` records of `source` and produce each (key and value) to `sink` (a fresh
    topic with as many partitions as the default when None, deleted afterwards), until the last is
    acknowledged and the offsets committed."""
    own_sink = sink is None
    sink = sink or f"bench-copy-{uuid.uuid4().hex[:8]}"
    if own_sink:
        create_topic(config, sink)
    consumer = Consumer(config.as_librdkafka(**COPY_CONSUMER, **{"group.id": f"bench-copy-{uuid.uuid4().hex[:8]}"}))
    producer = Producer(config.as_librdkafka(**COPY_PRODUCER))
    consumer.subscribe([source])
    copied = 0
    start = None
    deadline = time.monotonic() + timeout_s
    try:
        while copied < count and time.monotonic() < deadline:
            batch = [m for m in consumer.consume(10_000, timeout=0.5) if m.error() is None]
            if not batch:
                continue
            if start is None:
                start = time.perf_counter()
            send_all(producer, sink, [m.value() for m in batch], [m.key() for m in batch])
            copied += len(batch)
            producer.poll(0)
        if producer.flush(120):
            raise SystemExit(f"raw copy: records to {sink} not acknowledged within 120 s")
        consumer.commit(asynchronous=False)
        if copied < count:
            raise SystemExit(f"raw copy: {copied} of {count} records of {source} within {timeout_s:.0f} s")
        return time.perf_counter() - (start or time.perf_counter())
    finally:
        consumer.close()
        if own_sink:
            with contextlib.suppress(Exception):
                delete_topic(config, sink)


def ksql(url: str, statement: str, properties: dict[str, Any] | None = None, timeout_s: float = 120.0) -> Any:
    """POST /ksql; a rejected statement ends the benchmark with the server's answer."""
    response = httpx.post(url + "/ksql", json={"ksql": statement, "streamsProperties": properties or {}},
                          timeout=timeout_s)
    if response.status_code != 200:
        raise SystemExit(f"ksql statement {statement[:200]!r} failed ({response.status_code}): {response.text[:500]}")
    return response.json()
