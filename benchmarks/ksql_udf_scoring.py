"""The KSQL function path of scoring: a CSAS with ANOMALY_SCORE on ksqlserver, beside a raw copy.

    python benchmarks/ksql_udf_scoring.py [--rows 1000000] [--model models/fraud] [--bootstrap-servers H:P]
                                          [--input-format DELIMITED|JSON] [--query short|pipeline]

Loads `--rows` credit-card transactions (creditcard.csv.gz, cycled) as DELIMITED lines into a fresh topic,
then, `--repeats` times each, measures in the same run
- raw copy: a confluent-kafka consumer -> producer copy of the topic (records/s until flushed);
- plain CSAS: the same query without the function (the engine's own cost);
- UDF CSAS: `SELECT ANOMALY_SCORE(Time, V1..V28, Amount) AS Score, ... >= ANOMALY_THRESHOLD() AS Is_fraud`
  to JSON, records/s from the statement until the output topic holds every record.
The server is `python -m ksqlserver --extension-dir <fraudlab.ksql_udf>` with the bundle configured.
Without `--model` (and no bundle in models/fraud) a small bundle is trained on synthetic data first; the
JSON says which. `--input-format JSON` writes the same rows as JSON objects (upper-case field names, as
the pipeline's features topic carries them, notebook 04) and reads them with VALUE_FORMAT='JSON'.
Prints one JSON object with medians; target 50,000 tx/s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _common import REPO, creditcard_lines, creditcard_path, json_lines, ksql, raw_copy
from ksql_throughput import create_topic, csas_run, delete_topics, embedded_kafka, produce_rows

from fraudlab.data.schema import FEATURES
from fraudlab.kafka import KafkaConfig
from fraudlab.ksql_udf import extension_dir, server_properties
from fraudlab.stack import KsqlServerProcess

TARGET = 50_000
ARGS = ", ".join(FEATURES)


def bundle_dir(model: Path | None, work: Path) -> tuple[Path, str]:
    """The bundle to use and where it came from."""
    if model is not None:
        return model, "given"
    default = REPO / "models" / "fraud"
    if (default / "model.onnx").is_file():
        return default, "models/fraud"
    from fraudlab.data import synthetic
    from fraudlab.model.config import HeadConfig, TrainConfig
    from fraudlab.model.training import fit_models, write_bundle

    print("no bundle in models/fraud: training a small synthetic one ...", file=sys.stderr)
    out = work / "bundle"
    cfg = TrainConfig(epochs=1, baselines=False, reference_ae=False, verbose=0, head=HeadConfig(epochs=1))
    write_bundle(fit_models(synthetic(20_000, 0.01, seed=1), cfg), out, cfg, "synthetic", "0" * 64)
    return out, "synthetic (1 epoch)"


@contextlib.contextmanager
def udf_server(bootstrap: str, bundle: Path, work: Path) -> Iterator[str]:
    props = [a for k, v in server_properties(bundle).items() for a in ("-p", f"{k}={v}")]
    extra = ("--extension-dir", str(extension_dir()), *props)
    with KsqlServerProcess(bootstrap, work / "state", work / "ksqlserver.log", extra_args=extra, cwd=REPO) as server:
        yield server.url


def csas(url: str, bootstrap: str, source: str, select: str, count: int, timeout: float) -> dict[str, Any]:
    return csas_run(url, bootstrap, source, count, count, timeout, f"SELECT {select} FROM {source}")


def median_rate(runs: list[dict[str, Any]]) -> float | None:
    rates = [r["records_per_s"] for r in runs]
    return statistics.median(rates) if rates and None not in rates else None


def run(args: argparse.Namespace, bootstrap: str, work: Path) -> dict[str, Any]:
    load_start = os.getloadavg()[0]
    bundle, origin = bundle_dir(args.model, work)
    rows = creditcard_lines(args.rows, args.data)
    if args.input_format == "JSON":
        rows = json_lines(rows)
    topic = f"bench_udf_{uuid.uuid4().hex[:8]}"
    create_topic(bootstrap, topic, args.partitions)
    select_udf = f"ANOMALY_SCORE({ARGS}) AS Score, ANOMALY_SCORE({ARGS}) >= ANOMALY_THRESHOLD() AS Is_fraud"
    if args.query == "pipeline":  # ksql/04_scoring.sql's projection: the bundle named, threshold and version
        d = "'" + str(bundle).replace("'", "''") + "'"
        select_udf = (
            f"Time, Amount, ANOMALY_SCORE({d}, {ARGS}) AS Score, "
            f"ANOMALY_SCORE({d}, {ARGS}) >= ANOMALY_THRESHOLD({d}) AS Is_fraud, "
            f"ANOMALY_THRESHOLD({d}) AS Threshold, ANOMALY_MODEL_VERSION({d}) AS Model_version"
        )
    select_plain = "Time, Amount, Amount >= 100.0 AS Is_big"
    copies: list[dict[str, Any]] = []
    plain: list[dict[str, Any]] = []
    udf: list[dict[str, Any]] = []
    try:
        produce_rows(bootstrap, topic, rows)
        with udf_server(bootstrap, bundle, work) as url:
            source = f"BENCH_SRC_{uuid.uuid4().hex[:8].upper()}"
            cols = ", ".join(f"{c} DOUBLE" for c in FEATURES) + ", Class STRING"
            ksql(url, f"CREATE STREAM {source} ({cols}) "
                      f"WITH (KAFKA_TOPIC='{topic}', VALUE_FORMAT='{args.input_format}');")
            for i in range(args.repeats):
                seconds = raw_copy(KafkaConfig(bootstrap_servers=bootstrap), topic, len(rows))
                copies.append({"seconds": round(seconds, 3), "records_per_s": round(len(rows) / seconds, 1)})
                plain.append(csas(url, bootstrap, source, select_plain, len(rows), args.timeout))
                udf.append(csas(url, bootstrap, source, select_udf, len(rows), args.timeout))
                print(f"run {i + 1}/{args.repeats}: copy {copies[-1]}, plain {plain[-1]}, udf {udf[-1]}",
                      file=sys.stderr)  # fmt: skip
    finally:
        delete_topics(bootstrap, [topic])
    copy_rate, plain_rate, udf_rate = median_rate(copies), median_rate(plain), median_rate(udf)
    from fraudlab.model import load

    scorer = load(bundle, threads=1)
    return {
        "benchmark": "ksql_udf_scoring",
        "rows": len(rows),
        "partitions": args.partitions,
        "model": origin,
        "model_version": scorer.model_version,
        "model_members": scorer.runtimes,
        "load_average": [round(load_start, 2), round(os.getloadavg()[0], 2)],
        "input_format": args.input_format,
        "query": (
            "CSAS SELECT ANOMALY_SCORE(Time, V1..V28, Amount), ... >= ANOMALY_THRESHOLD(), "
            if args.query == "short"
            else "CSAS as ksql/04_scoring.sql: ANOMALY_SCORE('<bundle>', Time, V1..V28, Amount), ... >= "
            "ANOMALY_THRESHOLD('<bundle>'), ANOMALY_THRESHOLD('<bundle>'), ANOMALY_MODEL_VERSION('<bundle>'), "
        )
        + f"{args.input_format} -> JSON",
        "records_per_s": udf_rate,
        "copy_records_per_s": copy_rate,
        "plain_csas_records_per_s": plain_rate,
        "ratio": round(udf_rate / copy_rate, 3) if udf_rate and copy_rate else None,
        "runs": {"copy": copies, "plain_csas": plain, "udf_csas": udf},
        "target_records_per_s": TARGET,
        "meets_target": bool(udf_rate and udf_rate >= TARGET),
        "cpu_count": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--model", type=Path, help="model bundle (default: models/fraud, else a synthetic one)")
    parser.add_argument("--bootstrap-servers", help="Kafka to use (default: start the embedded stack)")
    parser.add_argument("--data", type=Path, default=creditcard_path())
    parser.add_argument("--partitions", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each measurement; medians reported")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds a CSAS run may take")
    parser.add_argument("--json", type=Path, help="also write the result here")
    parser.add_argument("--input-format", choices=["DELIMITED", "JSON"], default="DELIMITED",
                        help="the source topic's format (JSON: as the pipeline's features topic)")
    parser.add_argument("--query", choices=["short", "pipeline"], default="short",
                        help="short: ANOMALY_SCORE and the flag; pipeline: ksql/04_scoring.sql's projection "
                        "(the bundle named in the statement, threshold and model version columns)")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.error(f"--data {args.data} does not exist")
    with tempfile.TemporaryDirectory(prefix="bench-udf-") as tmp, contextlib.ExitStack() as stack:
        # the embedded stack yields (bootstrap servers, schema registry URL); the registry is unused here
        bootstrap = args.bootstrap_servers or stack.enter_context(embedded_kafka())[0]
        result = run(args, bootstrap, Path(tmp))
    text = json.dumps(result, indent=2)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
