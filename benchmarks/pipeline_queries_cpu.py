"""The pipeline's stateless KSQL queries (ksql/02_preprocess.sql) in process: CPU seconds per record on the
generated fast loop and on the generic per-record path, in alternating runs.

No broker: the embedded engine runs `01_source_streams.sql` and `02_preprocess.sql` (with `--features-format`)
over the in-memory driver, and each persistent query's compiled pipeline is handed the same micro-batches
(`--batch` records) directly, so only the query's own work is timed (`time.process_time`, this process's
CPU: on a shared machine wall-clock rates say more about the neighbours). The features CSAS reads the
demo-layout lines notebook 01 writes (`fraudlab.pipeline.data`: Id, quoted Timestamp and User, the Kaggle
numbers, a label left empty on `--unlabelled` of the rows); the labelled CSAS reads what the features CSAS
wrote. The two engines (fast loop on, off) must write the same bytes, which the run checks. Medians of
`--rounds` rounds, each timing both paths on every query, which path goes first alternating.

    .venv/bin/python benchmarks/pipeline_queries_cpu.py --rows 50000 --rounds 5
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _common import REPO, creditcard_path

from fraudlab.data import load_creditcard
from fraudlab.ksql import PipelineNames
from fraudlab.pipeline.data import extended_frame, write_extended_csv
from fraudlab.pipeline.ksql_testing import render_statements
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.formats.sr.client import MemoryRegistryClient
from ksqlserver.functions import timefmt

FILES = ("01_source_streams.sql", "02_preprocess.sql")


def demo_lines(path: Path, rows: int, unlabelled: float) -> list[bytes]:
    """The first `rows` transactions as notebook 01's extended (DELIMITED) file holds them."""
    frame = load_creditcard(path).iloc[:rows].reset_index(drop=True)
    extended = extended_frame(frame, seed=7, unlabelled_fraction=unlabelled)
    with tempfile.TemporaryDirectory(prefix="pq-cpu-") as tmp:
        out = write_extended_csv(extended, Path(tmp) / "extended.csv")
        return [line.encode() for line in out.read_text(encoding="utf-8").splitlines()]


def engine(fast: bool, features_format: str) -> tuple[Engine, PipelineNames]:
    names = PipelineNames.for_run("cpu")
    driver = MemoryDriver()
    driver.create_topic(names.transactions_topic)
    config = EngineConfig(service_id="pqcpu_", synchronous=True, fast_paths=fast, processing_log=False,
                          command_topic=False, properties={"ksql.streams.auto.offset.reset": "earliest"})  # fmt: skip
    e = Engine(config, driver, MemoryRegistryClient())
    text = render_statements([REPO / "ksql" / f for f in FILES], names.variables(features_format=features_format))
    for statement in text.split(";"):
        if statement.strip():
            e.execute(statement + ";")
    return e, names


def pipelines(e: Engine) -> dict[str, Any]:
    """Sink name -> the persistent query's compiled pipeline."""
    return {q.pipeline.sink.name: q.pipeline for q in e.state.persistent.values()}


def run_all(process: Any, batches: Sequence[Sequence[Record]]) -> tuple[float, list[Record]]:
    out: list[Record] = []
    # the inputs and engines are long-lived: frozen out of the collector, so that a full collection over
    # them is not charged to whichever run happens to trigger it
    gc.collect()
    gc.freeze()
    # each run parses its event times as a replay does once: the parse cache of an earlier run emptied
    timefmt._parse_ms.cache_clear()
    start = time.process_time()
    for batch in batches:
        out.extend(process(batch))
    return time.process_time() - start, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=creditcard_path())
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=500, help="records per micro-batch")
    parser.add_argument("--unlabelled", type=float, default=0.02, help="fraction without a label (notebook 01's)")
    parser.add_argument("--features-format", default="JSON", choices=["JSON", "AVRO", "JSON_SR"])
    args = parser.parse_args(argv)

    lines = demo_lines(args.data, args.rows, args.unlabelled)
    engines = {fast: engine(fast, args.features_format) for fast in (True, False)}
    names = engines[True][1]
    queries = {"features": names.features_stream.upper(), "labelled": names.labelled_stream.upper()}
    piped = {fast: pipelines(e) for fast, (e, _) in engines.items()}
    used = {q: {str(fast): piped[fast][sink].fast_path for fast in piped} for q, sink in queries.items()}

    def chunks(records: list[Record]) -> list[list[Record]]:
        return [records[i : i + args.batch] for i in range(0, len(records), args.batch)]

    source = [Record(None, line, 1_700_000_000_000 + i, 0, i) for i, line in enumerate(lines)]
    inputs: dict[bool, dict[str, list[list[Record]]]] = {}
    identical = {}
    for fast in (True, False):  # one warm-up pass per engine: its own features output feeds its labelled query
        _, features_out = run_all(piped[fast][queries["features"]].process, chunks(source))
        feats = [Record(r.key, r.value, r.timestamp, 0, i) for i, r in enumerate(features_out)]
        _, labelled_out = run_all(piped[fast][queries["labelled"]].process, chunks(feats))
        inputs[fast] = {"features": chunks(source), "labelled": chunks(feats)}
        identical[fast] = (features_out, labelled_out)
    same = {
        "features": [(r.key, r.value, r.timestamp) for r in identical[True][0]]
        == [(r.key, r.value, r.timestamp) for r in identical[False][0]],
        "labelled": [(r.key, r.value, r.timestamp) for r in identical[True][1]]
        == [(r.key, r.value, r.timestamp) for r in identical[False][1]],
    }
    cpu: dict[str, dict[str, list[float]]] = {q: {"fast": [], "generic": []} for q in queries}
    for rnd in range(args.rounds):
        order = (True, False) if rnd % 2 == 0 else (False, True)
        for q, sink in queries.items():
            for fast in order:
                seconds, _ = run_all(piped[fast][sink].process, inputs[fast][q])
                n = sum(map(len, inputs[fast][q]))
                cpu[q]["fast" if fast else "generic"].append(seconds / n * 1e6)
    for e, _ in engines.values():
        e.close()
    result: dict[str, Any] = {"rows": len(lines), "rounds": args.rounds, "batch": args.batch,
                              "features_format": args.features_format, "queries": {}}  # fmt: skip
    for q in queries:
        fast_us, generic_us = statistics.median(cpu[q]["fast"]), statistics.median(cpu[q]["generic"])
        result["queries"][q] = {
            "sink": queries[q],
            "fast_path_taken": used[q],
            "outputs_identical": same[q],
            "input_records": sum(map(len, inputs[True][q])),
            # what the query reads and writes a record (its Kafka I/O, which this benchmark leaves out)
            "mean_input_bytes": round(statistics.mean(len(r.value or b"") for b in inputs[True][q] for r in b), 1),
            "mean_output_bytes": round(statistics.mean(len(r.value or b"") for r in identical[True][q == "labelled"]), 1),
            "cpu_us_per_record_fast_median": round(fast_us, 2),
            "cpu_us_per_record_generic_median": round(generic_us, 2),
            "generic_over_fast": round(generic_us / fast_us, 2) if fast_us else None,
            "cpu_us_per_record_fast": [round(x, 2) for x in cpu[q]["fast"]],
            "cpu_us_per_record_generic": [round(x, 2) for x in cpu[q]["generic"]],
        }
    print(json.dumps(result, indent=2))
    return 0 if all(same.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
