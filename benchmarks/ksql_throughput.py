"""CSAS throughput of ksqlserver against a raw confluent-kafka copy of the same topic, for DELIMITED -> JSON
and, in the same run, AVRO in and out.

    python benchmarks/ksql_throughput.py [--rows 1000000] [--bootstrap-servers HOST:PORT] [--ksql-url URL]
        [--schema-registry-url URL] [--no-avro]

Loads `--rows` credit-card rows (creditcard.csv.gz, cycled if needed) as DELIMITED into a fresh topic, then,
`--repeats` times each, measures
- raw copy: `_common.raw_copy`, a confluent-kafka consumer -> producer loop copying the topic, records/s
  from the first record consumed until all are flushed;
- CSAS: `CREATE STREAM ... AS SELECT <projection> FROM src WHERE Amount > 0` to JSON, records/s (input
  records) from the statement until the output topic holds every filtered row (watched through its
  high watermarks, so measuring costs no per-record CPU beside the query).
The same rows are also produced as registered Avro (Confluent's wire format, a `Transaction` record of
30 doubles and a string, as a producer would register it) to a second topic read by a stream whose columns
are inferred from the registry; the CSAS is then run AVRO -> AVRO (in and out), AVRO -> JSON and
DELIMITED -> AVRO, each against the same raw copy (targets: >= 0.6 x the raw copy). The schema registry
is the embedded stack's, `--schema-registry-url`, or one started in this process.
`--input-format JSON` writes the rows as JSON objects instead (as the pipeline's features topic carries
them) and reads them with VALUE_FORMAT='JSON' (the main CSAS and the <input> -> AVRO run; the Avro topic is
unchanged).
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

from _common import REPO, creditcard_path, embedded_stack, json_lines, ksql, raw_copy, schema_registry
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


def avro_rows(rows: list[bytes]) -> tuple[str, list[bytes]]:
    """The registered schema text and the Avro payloads (no wire header) of the DELIMITED rows, encoded
    with the engine's codec (fastavro writes the same bytes, about 15 times slower)."""
    from ksqlserver.formats import get_format
    from ksqlserver.formats.sr.client import AVRO, RegisteredSchema

    fields = [{"name": c, "type": "string" if c == "Class" else "double"} for c in COLUMNS]
    schema = json.dumps({"type": "record", "name": "Transaction", "namespace": "io.fraudlab", "fields": fields})
    parsed = get_format("AVRO").parse(RegisteredSchema(AVRO, schema), None, {})
    encode = parsed.row_encoder(COLUMNS)  # type: ignore[attr-defined]
    out = []
    for line in rows:
        parts = line.decode().split(",")
        out.append(encode([*(float(x) for x in parts[:30]), parts[30].strip('"')]))
    return schema, out


def produce_avro(bootstrap: str, registry_url: str, topic: str, rows: list[bytes]) -> int:
    """Register the schema under `<topic>-value` and produce the rows in Confluent's wire format."""
    from ksqlserver.formats.sr import wire
    from ksqlserver.formats.sr.client import AVRO, HttpRegistryClient, RegisteredSchema

    schema, payloads = avro_rows(rows)
    client = HttpRegistryClient(registry_url)
    try:
        schema_id = client.register(f"{topic}-value", RegisteredSchema(AVRO, schema))
    finally:
        client.close()
    head = wire.header(schema_id)
    produce_rows(bootstrap, topic, [head + p for p in payloads])
    return schema_id


def csas_run(
    url: str,
    bootstrap: str,
    source: str,
    expected: int,
    count: int,
    timeout: float,
    query: str = "",
    value_format: str = "JSON",
) -> dict[str, Any]:
    """Seconds from a `CREATE STREAM ... AS <query>` (default: this benchmark's projection and filter) until
    its output topic (in `value_format`) holds `expected` records; records/s counts the `count` inputs."""
    query = query or f"SELECT {', '.join(PROJECTION)} FROM {source} WHERE Amount > 0"
    sink = f"BENCH_OUT_{uuid.uuid4().hex[:8].upper()}"
    start = time.perf_counter()
    ksql(
        url,
        f"CREATE STREAM {sink} WITH (KAFKA_TOPIC='{sink.lower()}', VALUE_FORMAT='{value_format}') AS {query};",
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
def embedded_kafka() -> Iterator[tuple[str, str]]:
    with contextlib.redirect_stdout(sys.stderr), embedded_stack() as config:
        yield config.bootstrap_servers, config.schema_registry_url  # type: ignore[union-attr]


@contextlib.contextmanager
def ksqlserver(bootstrap: str, registry_url: str | None = None, kafka_io: str = "native") -> Iterator[str]:
    extra: tuple[str, ...] = ("--property", f"ksql.schema.registry.url={registry_url}") if registry_url else ()
    extra += ("--kafka-io", kafka_io)
    if kafka_io == "native":  # a service of its own: not a second member of the confluent server's cluster
        extra += ("--service-id", f"bench_native_{uuid.uuid4().hex[:6]}_")
    work = Path(tempfile.mkdtemp(prefix="bench-ksql-"))
    with KsqlServerProcess(bootstrap, work / "state", work / "ksqlserver.log", extra_args=extra, cwd=REPO) as server:
        yield server.url


def _median_rate(runs: list[dict[str, Any]]) -> float | None:
    rates = [run["records_per_s"] for run in runs if run["records_per_s"] is not None]
    return statistics.median(rates) if runs and len(rates) == len(runs) else None


def run(args: argparse.Namespace, bootstrap: str, registry_url: str | None = None) -> dict[str, Any]:
    load_start = os.getloadavg()
    lines = load_rows(args.data, args.rows)
    expected = sum(1 for row in lines if passes_filter(row))
    rows = json_lines(lines) if args.input_format == "JSON" else lines
    topic = f"bench_cards_{uuid.uuid4().hex[:8]}"
    avro_topic = f"{topic}_avro"
    create_topic(bootstrap, topic, args.partitions)
    variants: dict[str, list[dict[str, Any]]] = {}
    try:
        produce_rows(bootstrap, topic, rows)
        copies = []
        for i in range(args.repeats):
            seconds = raw_copy(KafkaConfig(bootstrap_servers=bootstrap), topic, len(rows))
            copies.append({"seconds": round(seconds, 3), "records_per_s": round(len(rows) / seconds, 1)})
            print(f"raw copy {i + 1}/{args.repeats}: {copies[-1]}", file=sys.stderr)
        with contextlib.ExitStack() as stack:
            if args.avro:
                registry_url = stack.enter_context(schema_registry(registry_url))
                create_topic(bootstrap, avro_topic, args.partitions)
                produce_avro(bootstrap, registry_url, avro_topic, lines)
            url = args.ksql_url or stack.enter_context(
                ksqlserver(bootstrap, registry_url if args.avro else None,
                           "confluent" if args.kafka_io == "both" else args.kafka_io))
            source = f"BENCH_SRC_{uuid.uuid4().hex[:8].upper()}"
            column_list = ", ".join(f"{c} STRING" if c == "Class" else f"{c} DOUBLE" for c in COLUMNS)
            create_source = (f"CREATE STREAM {source} ({column_list}) "
                             f"WITH (KAFKA_TOPIC='{topic}', VALUE_FORMAT='{args.input_format}');")
            ksql(url, create_source)
            native_url = None
            if args.kafka_io == "both":  # a second server on kafkanative, its runs alternating with the first's
                native_url = stack.enter_context(ksqlserver(bootstrap, None, "native"))
                ksql(native_url, create_source)
                variants["csas_native"] = []
            plans = [("csas", source, "JSON")]
            avro_source = f"BENCH_AVRO_{uuid.uuid4().hex[:8].upper()}"
            if args.avro:  # columns inferred from the registered schema
                ksql(url, f"CREATE STREAM {avro_source} WITH (KAFKA_TOPIC='{avro_topic}', VALUE_FORMAT='AVRO');")
                plans += [("avro_to_avro", avro_source, "AVRO"), ("avro_to_json", avro_source, "JSON"),
                          (f"{args.input_format.lower()}_to_avro", source, "AVRO")]
            for name, src, fmt in plans:
                variants[name] = []
                for i in range(args.repeats):
                    variants[name].append(
                        csas_run(url, bootstrap, src, expected, len(rows), args.timeout, value_format=fmt)
                    )
                    print(f"{name} {i + 1}/{args.repeats}: {variants[name][-1]}", file=sys.stderr)
                    if name == "csas" and native_url is not None:
                        variants["csas_native"].append(
                            csas_run(native_url, bootstrap, src, expected, len(rows), args.timeout, value_format=fmt)
                        )
                        print(f"csas_native {i + 1}/{args.repeats}: {variants['csas_native'][-1]}", file=sys.stderr)
            for src in (source, avro_source if args.avro else None):
                if src:
                    with contextlib.suppress(SystemExit):
                        ksql(url, f"DROP STREAM {src};")
            if native_url is not None:
                with contextlib.suppress(SystemExit):
                    ksql(native_url, f"DROP STREAM {source};")
    finally:
        delete_topics(bootstrap, [topic, avro_topic] if args.avro else [topic])
    copy_median = statistics.median(run["records_per_s"] for run in copies)
    csas = variants["csas"]
    csas_median = _median_rate(csas)
    ratio = round(csas_median / copy_median, 3) if csas_median else None
    native = variants.pop("csas_native", None)
    native_median = _median_rate(native) if native else None
    avro: dict[str, Any] = {}
    for name, runs in variants.items():
        if name == "csas":
            continue
        med = _median_rate(runs)
        avro[name] = {
            "median_records_per_s": med,
            "ratio_to_raw_copy": round(med / copy_median, 3) if med else None,
            "runs": runs,
        }
    avro_ratio = avro.get("avro_to_avro", {}).get("ratio_to_raw_copy")
    return {
        "benchmark": "ksql_throughput",
        "rows": len(rows),
        "filtered_rows": expected,
        "partitions": args.partitions,
        "input_format": args.input_format,
        "query": f"CSAS SELECT {', '.join(PROJECTION)} ... WHERE Amount > 0, {args.input_format} -> JSON (and AVRO)",
        "raw_copy": {"median_records_per_s": copy_median, "runs": copies},
        "csas": {"median_records_per_s": csas_median, "runs": csas},
        "ratio_csas_to_raw_copy": ratio,
        "kafka_io": args.kafka_io,
        **({"csas_native": {
            "median_records_per_s": native_median,
            "ratio_to_raw_copy": round(native_median / copy_median, 3) if native_median else None,
            "runs": native,
        }} if native is not None else {}),
        "targets": {"records_per_s": 100_000, "ratio": 0.5, "avro_ratio": 0.6},
        "meets_targets": bool(csas_median and csas_median >= 100_000 and ratio and ratio >= 0.5),
        "avro": avro,
        "avro_meets_target": bool(avro_ratio and avro_ratio >= 0.6) if args.avro else None,
        "load_average": {"start": [round(x, 2) for x in load_start],
                         "end": [round(x, 2) for x in os.getloadavg()]},
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
    parser.add_argument("--schema-registry-url", help="registry for the AVRO runs (default: the stack's, or "
                        "one started in this process)")
    parser.add_argument("--no-avro", dest="avro", action="store_false", help="only <input> -> JSON")
    parser.add_argument("--kafka-io", choices=["confluent", "native", "both"], default="native",
                        help="the server's --kafka-io (its default: native); both: a confluent-kafka server "
                        "('csas') and a native one ('csas_native'), their CSAS runs alternating")
    parser.add_argument("--input-format", choices=["DELIMITED", "JSON"], default="DELIMITED",
                        help="the source topic's format (JSON: as the pipeline's features topic)")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.error(f"--data {args.data} does not exist")
    with contextlib.ExitStack() as stack:
        registry_url = args.schema_registry_url
        if args.bootstrap_servers:
            bootstrap = args.bootstrap_servers
        else:
            bootstrap, stack_registry = stack.enter_context(embedded_kafka())
            registry_url = registry_url or stack_registry
        result = run(args, bootstrap, registry_url)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
