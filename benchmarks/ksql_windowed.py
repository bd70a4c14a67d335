"""Windowed aggregation throughput of ksqlserver beside a raw confluent-kafka copy of the same topic.

    .venv/bin/python benchmarks/ksql_windowed.py [--rows 1000000] [--keys 1000] [--repeat 1]
        [--bootstrap-servers HOST:PORT] [--no-generic]

Produces `--rows` credit-card transactions (DELIMITED, the real Kaggle rows, cycled) into a fresh topic,
keyed by a synthetic card id (`--keys` distinct) and timestamped by the row's `Time` (seconds since the
first transaction). Then, `--repeat` times, measures on the real broker:
- raw copy: `_common.raw_copy`, consumer -> producer, records/s;
- windowed CTAS (its Kafka I/O as the server's default, kafkanative; `--kafka-io confluent`: confluent-kafka):
  `SELECT card, COUNT(*), SUM(Amount) ... WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY card`, run
  to JSON (not AVG: ksqlDB keeps the state in the DELIMITED source's format, which cannot hold AVG's struct), by the engine in this process over the Kafka driver (one output per input, as ksqlDB without caching),
  records/s from the statement until every input is processed and its output flushed;
- the same CTAS with the generated aggregation loop and the one-call changelog encoding switched off (the
  generic operator, A/B in the same run; `--no-generic` skips it).
Prints one JSON object with medians and every run. Without --bootstrap-servers the embedded stack is started
on free ports and stopped afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import creditcard_lines, embedded_stack, median, raw_copy

from fraudlab.kafka import KafkaConfig, create_topic, produce_values
from ksqlserver.drivers.kafka import KafkaDriver, KafkaDriverConfig
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.plan import aggregate
from ksqlserver.plan.fast import aggregate as fastagg
from ksqlserver.runtime import gc_policy

TARGET = 30_000  # records/s
COLUMNS = ", ".join(["Time DOUBLE", *[f"V{i} DOUBLE" for i in range(1, 29)], "Amount DOUBLE", "Class INT"])


def produce_keyed(config: KafkaConfig, topic: str, lines: list[bytes], keys: int) -> None:
    # event time within the broker's 7-day retention (older segments would be deleted at once)
    base = int(time.time() * 1000) - 3 * 24 * 3600 * 1000
    produce_values(config, topic, lines, keys=[f"card-{i % keys}".encode() for i in range(len(lines))],
                   timestamps=[base + int(float(line[: line.index(b",")]) * 1000) for line in lines],
                   total=len(lines), flush_timeout_s=300)


@contextlib.contextmanager
def generic_operator() -> Iterator[None]:
    """The generic aggregation operator and changelog encoding (fast loop and one-call encoding off)."""
    build, plain = fastagg.build, aggregate.PLAIN_STATE_UDAFS
    fastagg.build = lambda parts: None  # type: ignore[assignment]
    aggregate.PLAIN_STATE_UDAFS = frozenset()
    try:
        yield
    finally:
        fastagg.build, aggregate.PLAIN_STATE_UDAFS = build, plain


def windowed(bootstrap: str, source: str, rows: int, generic: bool = False, kafka_io: str = "native") -> float:
    """Seconds of one windowed CTAS run; `kafka_io` as the server's --kafka-io (its default: native)."""
    sink = f"BENCH_W_{uuid.uuid4().hex[:6].upper()}"
    engine = Engine(
        EngineConfig(service_id=f"bench_{uuid.uuid4().hex[:6]}_", processing_log=False),
        KafkaDriver(KafkaDriverConfig(bootstrap, native_io=kafka_io == "native")),
    )
    try:
        props = {"ksql.streams.auto.offset.reset": "earliest"}
        engine.execute(
            f"CREATE STREAM TX (CARD STRING KEY, {COLUMNS}) WITH (KAFKA_TOPIC='{source}', "
            f"VALUE_FORMAT='DELIMITED');",
            props,
        )
        start = time.perf_counter()
        with generic_operator() if generic else contextlib.nullcontext():
            engine.execute(
                f"CREATE TABLE {sink} WITH (VALUE_FORMAT='JSON') AS SELECT CARD, COUNT(*) AS N, SUM(Amount) AS TOTAL FROM TX "
                f"WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY CARD EMIT CHANGES;",
                props,
            )
        (query,) = engine.state.persistent.values()
        if query.pipeline.fast_path == generic:
            raise SystemExit(f"the {'generic' if generic else 'fast'} operator did not run")
        deadline = time.monotonic() + 1800
        desc = "windowed CTAS (generic)" if generic else "windowed CTAS"
        with tqdm(total=rows, desc=desc, unit="rec", mininterval=2) as bar:
            while query.processed < rows and time.monotonic() < deadline:
                if query.error:
                    raise SystemExit(f"query failed: {query.error}")
                time.sleep(0.2)
                bar.update(query.processed - bar.n)
        query.stop()  # flushes the producer and commits: every output acknowledged
        elapsed = time.perf_counter() - start
        if query.processed < rows:
            raise SystemExit(f"timed out: {query.processed} of {rows} processed")
        return elapsed
    finally:
        engine.close()


def run(
    bootstrap: str, rows: int, keys: int, repeat: int, compare: bool = True, kafka_io: str = "native"
) -> dict[str, object]:
    config = KafkaConfig(bootstrap_servers=bootstrap)
    lines = creditcard_lines(rows)
    source = f"bench-tx-{uuid.uuid4().hex[:6]}"
    create_topic(config, source)
    produce_keyed(config, source, lines, keys)
    copies, aggs, generics = [], [], []
    load_before = os.getloadavg()
    for _ in range(repeat):
        copies.append(raw_copy(config, source, rows))
        aggs.append(windowed(bootstrap, source, rows, kafka_io=kafka_io))
        if compare:
            generics.append(windowed(bootstrap, source, rows, generic=True, kafka_io=kafka_io))
    agg_rate = rows / median(aggs)
    copy_rate = rows / median(copies)
    generic_stats: dict[str, object] = {}
    if generics:
        generic_rate = rows / median(generics)
        generic_stats = {
            "generic_records_per_s": round(generic_rate),
            "speedup_over_generic": round(agg_rate / generic_rate, 2),
            "generic_seconds_all": [round(s, 2) for s in generics],
        }
    return {
        "benchmark": "ksql_windowed",
        "query": "TUMBLING 1 MINUTE, COUNT(*) + SUM(Amount) GROUP BY card",
        "rows": rows,
        "keys": keys,
        "repeat": repeat,
        "kafka_io": kafka_io,
        "windowed_records_per_s": round(agg_rate),
        "raw_copy_records_per_s": round(copy_rate),
        "ratio_to_raw_copy": round(agg_rate / copy_rate, 3),
        "target_records_per_s": TARGET,
        "meets_target": agg_rate >= TARGET,
        "windowed_seconds_all": [round(s, 2) for s in aggs],
        "copy_seconds_all": [round(s, 2) for s in copies],
        **generic_stats,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keys", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--bootstrap-servers", default=None)
    parser.add_argument("--no-generic", action="store_true", help="skip the generic-operator A/B runs")
    parser.add_argument("--kafka-io", choices=["confluent", "native"], default="native",
                        help="the query's Kafka I/O, as the server's --kafka-io (default native, the server's)")
    args = parser.parse_args()
    with embedded_stack(args.bootstrap_servers) as stack:
        bootstrap = stack if isinstance(stack, str) else stack.bootstrap_servers
        gc_policy.apply()  # the engine runs in this process: the server's garbage-collector policy (ksqlserver.cli)
        print(json.dumps(run(bootstrap, args.rows, args.keys, args.repeat, not args.no_generic, args.kafka_io), indent=2))


if __name__ == "__main__":
    main()
