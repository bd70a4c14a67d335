"""The Kafka driver's I/O layer alone, in this process: confluent-kafka vs kafkanative, records/s and CPU per record.

    python benchmarks/kafka_io_native.py [--rows 300000] [--repeat 3] [--bootstrap-servers HOST:PORT]

Per round, on two fresh 1-partition topics:
- produce: `--rows` engine `Record`s (the real DELIMITED rows, a timestamp each) through the engine's
  producer settings (`KafkaDriverConfig.producer()`), 10,000 a call, until all are acknowledged:
  `produce_all` on a confluent-kafka Producer (the C loop calling `Producer.produce` per record) vs
  `kafkanative` (`rd_kafka_producev` from C with the GIL released);
- consume: the same records back as `Record`s with the query consumer's settings, 10,000 a call, from the
  first batch: confluent-kafka `consume` + the C `records` helper (a `Message` per record) vs kafkanative
  (`rd_kafka_consume_batch_queue` straight to tuples).
CPU is this process's (librdkafka's threads included) and the calling thread's alone, per record; the
1-minute load is printed with the figures (the machine is shared). Without --bootstrap-servers the
embedded stack is started on free ports.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import sys
import time
import uuid
from collections.abc import Callable

import confluent_kafka
from _common import creditcard_lines, embedded_stack
from confluent_kafka import Consumer, Producer

import kafkanative
from fraudlab.kafka import KafkaConfig, create_topic, delete_topic
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.kafka.config import KafkaDriverConfig
from ksqlserver.drivers.kafka.records import native as record_helpers
from ksqlserver.drivers.kafka.records import produce_all

CHUNK = 10_000
Measure = tuple[float, float, float]  # wall seconds, process CPU seconds, calling thread CPU seconds


def _cpu() -> tuple[float, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, time.thread_time()


def _since(wall: float, cpu: tuple[float, float]) -> Measure:
    now = _cpu()
    return time.perf_counter() - wall, now[0] - cpu[0], now[1] - cpu[1]


def produce_confluent(cfg: KafkaDriverConfig, topic: str, records: list[Record]) -> Measure:
    p = Producer(cfg.producer())
    produce_all(p, topic, records[:1], False)  # connected, producer id known: not timed
    p.flush(30)
    wall, cpu = time.perf_counter(), _cpu()
    for i in range(1, len(records), CHUNK):
        produce_all(p, topic, records[i:i + CHUNK], False)
    if p.flush(120):
        raise SystemExit("confluent-kafka: records not acknowledged within 120 s")
    return _since(wall, cpu)


def produce_native(cfg: KafkaDriverConfig, topic: str, records: list[Record]) -> Measure:
    mod = kafkanative.native()
    assert mod is not None
    p = mod.Producer(kafkanative.conf_pairs(cfg.producer()))
    p.produce(topic, records[:1], False)
    p.flush(30)
    wall, cpu = time.perf_counter(), _cpu()
    for i in range(1, len(records), CHUNK):
        p.produce(topic, records[i:i + CHUNK], False)
    if p.flush(120) or p.take_failures()[0]:
        raise SystemExit("kafkanative: records not acknowledged within 120 s")
    out = _since(wall, cpu)
    p.close()
    return out


def _consume(take: Callable[[], list[Record]], count: int) -> Measure:
    got, start = 0, None
    deadline = time.monotonic() + 300
    while got < count and time.monotonic() < deadline:
        batch = take()
        if batch and start is None:
            start = time.perf_counter(), _cpu()
        got += len(batch)
    if start is None or got < count:
        raise SystemExit(f"consumed {got} of {count} records")
    return _since(*start)


def consume_confluent(cfg: KafkaDriverConfig, topic: str, count: int) -> Measure:
    helpers = record_helpers()
    assert helpers is not None
    c = Consumer(cfg.consumer(f"bench-io-{uuid.uuid4().hex[:8]}", True))
    c.subscribe([topic])
    try:
        return _consume(lambda: helpers.records(c.consume(CHUNK, 1.0), Record, topic)[0], count)
    finally:
        c.close()


def consume_native(cfg: KafkaDriverConfig, topic: str, count: int) -> Measure:
    mod = kafkanative.native()
    assert mod is not None
    c = mod.Consumer(kafkanative.conf_pairs(cfg.consumer(f"bench-io-{uuid.uuid4().hex[:8]}", True)), None)
    c.subscribe([topic])
    try:
        return _consume(lambda: c.consume(CHUNK, 1.0, Record, topic)[0], count)
    finally:
        c.close()


def run(bootstrap: str, rows: int, repeat: int) -> dict[str, object]:
    if kafkanative.native() is None:
        raise SystemExit(f"kafkanative unavailable: {kafkanative.unavailable_reason()}")
    cfg = KafkaDriverConfig(bootstrap)
    lines = creditcard_lines(rows)
    records = [Record(None, line, 1_700_000_000_000 + i) for i, line in enumerate(lines)]
    kconf = KafkaConfig(bootstrap_servers=bootstrap)
    runs: dict[str, list[dict[str, float]]] = {}
    load = [os.getloadavg()[0]]
    for r in range(repeat):
        topics = {io: f"bench-io-{io}-{uuid.uuid4().hex[:8]}" for io in ("confluent", "native")}
        for t in topics.values():
            create_topic(kconf, t, partitions=1)
        try:
            steps: list[tuple[str, Callable[..., Measure], str, object]] = [
                ("produce_confluent", produce_confluent, topics["confluent"], records),
                ("produce_native", produce_native, topics["native"], records),
                ("consume_confluent", consume_confluent, topics["confluent"], rows),
                ("consume_native", consume_native, topics["native"], rows),
            ]
            for name, step, topic, what in steps:
                wall, cpu, thread = step(cfg, topic, what)
                runs.setdefault(name, []).append({
                    "records_per_s": round(rows / wall), "process_cpu_us": round(cpu / rows * 1e6, 2),
                    "thread_cpu_us": round(thread / rows * 1e6, 2)})
                print(f"{name} {r + 1}/{repeat}: {runs[name][-1]}", file=sys.stderr)
        finally:
            for t in topics.values():
                with contextlib.suppress(Exception):
                    delete_topic(kconf, t)
        load.append(os.getloadavg()[0])
    medians = {name: {k: statistics.median(x[k] for x in xs) for k in xs[0]} for name, xs in runs.items()}
    return {"benchmark": "kafka_io_native", "rows": rows, "repeat": repeat, "medians": medians, "runs": runs,
            "load_1min": [round(x, 2) for x in load], "librdkafka": confluent_kafka.libversion()[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bootstrap-servers", default=None)
    args = parser.parse_args()
    with contextlib.redirect_stdout(sys.stderr), embedded_stack(args.bootstrap_servers) as stack:
        bootstrap = stack if isinstance(stack, str) else stack.bootstrap_servers
        result = run(bootstrap, args.rows, args.repeat)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
