"""CSAS throughput of ksqlserver against a raw confluent-kafka copy of the same topic.

    python benchmarks/ksql_throughput.py [--rows 1000000] [--bootstrap-servers HOST:PORT] [--ksql-url URL]

Loads `--rows` credit-card rows (creditcard.csv.gz, cycled if needed) as DELIMITED into a fresh topic, then,
`--repeats` times each, measures
- raw copy: `_common.raw_copy`, a confluent-kafka consumer -> producer loop copying the topic, records/s
  from the first record consumed until all are flushed;
- CSAS: `CREATE STREAM ... AS SELECT <projection> FROM src WHERE Amount > 0` to JSON, records/s (input
  records) from the statement until the output topic holds every filtered row (watched through its
  high watermarks, so measuring costs no per-record CPU beside the query).
`--input-format JSON` writes the rows as JSON objects instead (as the pipeline's features topic carries
them) and reads them with VALUE_FORMAT='JSON'.
Prints one JSON object: medians, every run, and the ratio CSAS / raw copy. Without --bootstrap-servers the
embedded stack (`fraudlab.stack`) is started on free ports and stopped afterwards. Without --ksql-url a
`python -m ksqlserver` is started against that Kafka.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _common import REPO, creditcard_path, embedded_stack, json_lines, ksql, raw_copy
from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from fraudlab.kafka import KafkaConfig, produce_values
from fraudlab.stack import KsqlServerProcess

PROJECTION = ["Time", "V1", "V2", "V3", "V4", "Amount", "Class"]
COLUMNS = ["Time", *[f"V{i}" for i in range(1, 29)], "Amount", "Class"]


def load_rows(path: Path, count: int) -> list[bytes]:
    """`count` data lines (header dropped), cycling through the file if it is shorter."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        next(handle)
        lines = [line.rstrip("\n").encode("utf-8") for line in itertools.islice(handle, count)]
    if not lines:
        raise SystemExit(f"no data rows in {path}")
    return [lines[i % len(lines)] for i in range(count)]


def passes_filter(line: bytes) -> bool:
    return float(line.split(b",")[29]) > 0  # Amount is the 30th field


def create_topic(bootstrap: str, topic: str, partitions: int) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})  # keep a reference until the futures resolve
    futures = admin.create_topics(
        [NewTopic(topic, num_partitions=partitions, replication_factor=1)]
    )
    for future in futures.values():
        future.result(timeout=60)


def delete_topics(bootstrap: str, topics: list[str]) -> None:
    with contextlib.suppress(Exception):
        admin = AdminClient({"bootstrap.servers": bootstrap})
        futures = admin.delete_topics(topics)
        for future in futures.values():
            with contextlib.suppress(Exception):
                future.result(timeout=30)


def produce_rows(bootstrap: str, topic: str, rows: list[bytes]) -> None:
    produce_values(KafkaConfig(bootstrap_servers=bootstrap), topic, rows, total=len(rows))


def count_until(bootstrap: str, topic: str, expected: int, deadline: float) -> int:
    """Records on `topic` (the sum of its partitions' high watermarks: a fresh, non-transactional topic
    holds exactly that many) once `expected` arrived or `deadline` (monotonic) passed. Watermarks cost the
    machine nothing per record, unlike consuming the output alongside the query being measured."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"bench-count-{uuid.uuid4().hex[:8]}",
            "enable.auto.commit": False,
        }
    )
    seen = 0
    try:
        partitions: list[int] = []
        while seen < expected and time.monotonic() < deadline:
            if not partitions:  # the query creates its sink topic
                meta = consumer.list_topics(topic, timeout=5).topics.get(topic)
                if meta is not None and meta.error is None:
                    partitions = list(meta.partitions)
            if partitions:
                seen = sum(
                    consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=5, cached=False)[1]
                    for p in partitions
                )
            if seen < expected:
                time.sleep(0.05)
        return seen
    finally:
        consumer.close()


def csas_run(
    url: str, bootstrap: str, source: str, expected: int, count: int, timeout: float, query: str = ""
) -> dict[str, Any]:
    """Seconds from a `CREATE STREAM ... AS <query>` (default: this benchmark's projection and filter) until
    its JSON output topic holds `expected` records; records/s counts the `count` inputs."""
    query = query or f"SELECT {', '.join(PROJECTION)} FROM {source} WHERE Amount > 0"
    sink = f"BENCH_OUT_{uuid.uuid4().hex[:8].upper()}"
    start = time.perf_counter()
    ksql(
        url,
        f"CREATE STREAM {sink} WITH (KAFKA_TOPIC='{sink.lower()}', VALUE_FORMAT='JSON') AS {query};",
        {"ksql.streams.auto.offset.reset": "earliest"},
    )
    seen = count_until(bootstrap, sink.lower(), expected, time.monotonic() + timeout)
    elapsed = time.perf_counter() - start
    with contextlib.suppress(SystemExit):
        ksql(url, f"DROP STREAM {sink} DELETE TOPIC;")
    return {
        "seconds": round(elapsed, 3),
        "output_records": seen,
        "complete": seen >= expected,
        "records_per_s": round(count / elapsed, 1) if seen >= expected else None,
    }


@contextlib.contextmanager
def embedded_kafka() -> Iterator[str]:
    with contextlib.redirect_stdout(sys.stderr), embedded_stack() as config:
        yield config.bootstrap_servers  # type: ignore[union-attr]


@contextlib.contextmanager
def ksqlserver(bootstrap: str) -> Iterator[str]:
    work = Path(tempfile.mkdtemp(prefix="bench-ksql-"))
    with KsqlServerProcess(bootstrap, work / "state", work / "ksqlserver.log", cwd=REPO) as server:
        yield server.url


def run(args: argparse.Namespace, bootstrap: str) -> dict[str, Any]:
    rows = load_rows(args.data, args.rows)
    expected = sum(1 for row in rows if passes_filter(row))
    if args.input_format == "JSON":
        rows = json_lines(rows)
    topic = f"bench_cards_{uuid.uuid4().hex[:8]}"
    create_topic(bootstrap, topic, args.partitions)
    try:
        produce_rows(bootstrap, topic, rows)
        copies = []
        for i in range(args.repeats):
            seconds = raw_copy(KafkaConfig(bootstrap_servers=bootstrap), topic, len(rows))
            copies.append({"seconds": round(seconds, 3), "records_per_s": round(len(rows) / seconds, 1)})
            print(f"raw copy {i + 1}/{args.repeats}: {copies[-1]}", file=sys.stderr)
        with contextlib.ExitStack() as stack:
            url = args.ksql_url or stack.enter_context(ksqlserver(bootstrap))
            source = f"BENCH_SRC_{uuid.uuid4().hex[:8].upper()}"
            column_list = ", ".join(f"{c} STRING" if c == "Class" else f"{c} DOUBLE" for c in COLUMNS)
            ksql(
                url,
                f"CREATE STREAM {source} ({column_list}) "
                f"WITH (KAFKA_TOPIC='{topic}', VALUE_FORMAT='{args.input_format}');",
            )
            csas = []
            for i in range(args.repeats):
                csas.append(csas_run(url, bootstrap, source, expected, len(rows), args.timeout))
                print(f"csas {i + 1}/{args.repeats}: {csas[-1]}", file=sys.stderr)
            with contextlib.suppress(SystemExit):
                ksql(url, f"DROP STREAM {source};")
    finally:
        delete_topics(bootstrap, [topic])
    copy_median = statistics.median(run["records_per_s"] for run in copies)
    csas_rates = [run["records_per_s"] for run in csas if run["records_per_s"] is not None]
    csas_median = statistics.median(csas_rates) if len(csas_rates) == len(csas) else None
    ratio = round(csas_median / copy_median, 3) if csas_median else None
    return {
        "benchmark": "ksql_throughput",
        "rows": len(rows),
        "filtered_rows": expected,
        "partitions": args.partitions,
        "input_format": args.input_format,
        "query": f"CSAS SELECT {', '.join(PROJECTION)} ... WHERE Amount > 0, {args.input_format} -> JSON",
        "raw_copy": {"median_records_per_s": copy_median, "runs": copies},
        "csas": {"median_records_per_s": csas_median, "runs": csas},
        "ratio_csas_to_raw_copy": ratio,
        "targets": {"records_per_s": 100_000, "ratio": 0.5},
        "meets_targets": bool(csas_median and csas_median >= 100_000 and ratio and ratio >= 0.5),
        "cpu_count": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--bootstrap-servers", help="Kafka to use (default: start the embedded stack)")
    parser.add_argument("--ksql-url", help="a running ksqlserver on that Kafka (default: start one)")
    parser.add_argument("--data", type=Path, default=creditcard_path())
    parser.add_argument("--partitions", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each measurement; medians reported")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds a CSAS run may take")
    parser.add_argument("--input-format", choices=["DELIMITED", "JSON"], default="DELIMITED",
                        help="the source topic's format (JSON: as the pipeline's features topic)")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.error(f"--data {args.data} does not exist")
    with contextlib.ExitStack() as stack:
        bootstrap = args.bootstrap_servers or stack.enter_context(embedded_kafka())
        result = run(args, bootstrap)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
