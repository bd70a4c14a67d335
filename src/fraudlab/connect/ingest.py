"""`ingest`: a CSV file into a Kafka topic through a Kafka Connect source connector.

The file is placed where the connector reads it, the connector is submitted through the REST API, and
the call waits (with a progress bar) until every data row is either in the topic or in the dead-letter
topic. Then the one-shot connector is removed (unless `keep`), and a report says rows, rejects and rate.
"""

from __future__ import annotations

import csv
import gzip
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from fraudlab.connect.client import ConnectClient
from fraudlab.connect.config import IngestConfig
from fraudlab.connect.errors import ConnectError, IngestFileError
from fraudlab.connect.schema import KAGGLE_COLUMNS, inferred_column_spec, kaggle_column_spec
from fraudlab.kafka import KafkaConfig, count_records, create_topic, wait_for_records
from fraudlab.kafka.errors import TopicError, WaitTimeoutError

CSV_CONNECTOR = "io.fraudlab.connect.csv.CsvSourceConnector"
FILE_CONNECTOR = "org.apache.kafka.connect.file.FileStreamSourceConnector"


@dataclass(frozen=True)
class IngestReport:
    path: Path
    topic: str
    connector: str
    rows: int
    ingested: int
    dead_lettered: int
    dead_letter_topic: str | None
    seconds: float

    @property
    def rows_per_s(self) -> float:
        return self.ingested / self.seconds if self.seconds > 0 else float("inf")

    def summary(self) -> str:
        dlq = (
            f", {self.dead_lettered} malformed rows in {self.dead_letter_topic}"
            if self.dead_letter_topic
            else ""
        )
        return (
            f"ingested {self.ingested} of {self.rows} rows from {self.path.name} into {self.topic} "
            f"via the {self.connector} connector in {self.seconds:.1f} s ({self.rows_per_s:,.0f} rows/s){dlq}"
        )


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise IngestFileError(path, "no such file")
    if not path.is_file():
        raise IngestFileError(path, "is not a regular file")
    if not os.access(path, os.R_OK):
        raise IngestFileError(path, "is not readable (permission denied)")


def _read_lines(path: Path) -> list[str]:
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
                return fh.read().splitlines()
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestFileError(path, f"cannot be read as UTF-8 text ({exc})") from exc


def check_header(path: Path, header_line: str, expected: tuple[str, ...]) -> list[str]:
    header = next(csv.reader([header_line]))
    for i, want in enumerate(expected):
        got = header[i] if i < len(header) else None
        if got != want:
            found = f"'{got}'" if got is not None else "nothing"
            raise IngestFileError(path, f"wrong header: column {i + 1} is {found}, expected '{want}'")
    if len(header) > len(expected):
        raise IngestFileError(
            path,
            f"wrong header: {len(header)} columns, expected {len(expected)} (extra '{header[len(expected)]}')",
        )
    return header


def _stage(path: Path, lines: list[str] | None, target_dir: Path) -> Path:
    """Put the file where the worker reads it: a hard link when possible, else a copy; a .gz input is
    decompressed since the connectors read plain text."""
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / (path.with_suffix("").name if path.suffix == ".gz" else path.name)
    # Written under a hidden name, then renamed: the connector never sees a half-written file.
    hidden = target_dir / f".{target.name}.partial"
    hidden.unlink(missing_ok=True)
    if path.suffix == ".gz":
        hidden.write_text("\n".join(lines or []) + "\n", encoding="utf-8")
    else:
        try:
            os.link(path, hidden)
        except OSError:
            shutil.copyfile(path, hidden)
    hidden.replace(target)
    return target


def _safe_count(kafka: KafkaConfig, topic: str) -> int:
    try:
        return count_records(kafka, topic)
    except TopicError:
        return 0


def ingest(
    path: Path,
    topic: str,
    config: IngestConfig,
    connector: str = "csv",
    columns: str = "kaggle",
    keep: bool = False,
    name: str | None = None,
) -> IngestReport:
    """Ingest `path` into `topic` with the `csv` (typed JSON rows) or `file` (raw lines) connector.

    `columns` (csv connector only): `kaggle` checks the header against the Kaggle layout and types the
    columns; `auto` takes the file's own header and infers numeric columns.
    """
    path = Path(path)
    _check_readable(path)
    lines = [ln for ln in _read_lines(path) if ln.strip()]
    if not lines:
        raise IngestFileError(path, "is empty")
    client = ConnectClient(config.connect_url)
    stamp = time.strftime("%Y%m%d%H%M%S")
    name = name or f"fraudlab-{connector}-{topic}-{stamp}"
    dlq: str | None = None
    if connector == "csv":
        first = next(csv.reader([lines[0]]))
        if columns == "kaggle":
            check_header(path, lines[0], KAGGLE_COLUMNS)
            spec = kaggle_column_spec()
        elif columns == "auto":
            sample = list(csv.reader(lines[1:51]))
            spec = inferred_column_spec(first, sample)
        else:
            raise IngestFileError(path, f"unknown column layout '{columns}': use 'kaggle' or 'auto'")
        rows = len(lines) - 1
        dlq = f"{topic}_dlq"
        spool = config.spool_dir / name
        staged = _stage(path, lines, spool / "input")
        conf = {
            "connector.class": CSV_CONNECTOR,
            "tasks.max": "1",
            "topic": topic,
            "input.path": str(staged.parent),
            "file.pattern": f"^{staged.name.replace('.', '[.]')}$",
            "csv.has.header": "true",
            "schema.columns": spec,
            "finished.path": str(spool / "finished"),
            "error.path": str(spool / "error"),
            "errors.topic": dlq,
            "batch.size": "5000",
        }
        create_topic(config.kafka, dlq)
    elif connector == "file":
        head = lines[0].split(",", 1)[0].strip()
        if head.startswith('"') and not head.strip('"').replace(".", "", 1).isdigit():
            raise IngestFileError(
                path,
                f"wrong header for the file connector: the first line starts with {head}, which would be "
                "ingested as a row; use --connector csv for files with a header",
            )
        rows = len(lines)
        staged = _stage(path, lines, config.spool_dir / name)
        conf = {
            "connector.class": FILE_CONNECTOR,
            "tasks.max": "1",
            "topic": topic,
            "file": str(staged),
            "batch.size": "5000",
            # raw lines, as the original demo's DELIMITED KSQL stream expects
            "value.converter": "org.apache.kafka.connect.storage.StringConverter",
        }
    else:
        raise IngestFileError(path, f"unknown connector '{connector}': use 'csv' or 'file'")

    create_topic(config.kafka, topic)
    base = _safe_count(config.kafka, topic)
    dlq_base = _safe_count(config.kafka, dlq) if dlq else 0
    start = time.perf_counter()
    client.put_config(name, conf)
    try:
        client.wait_running(name, timeout_s=60)

        def rejected() -> int:
            trace = client.failure(name)
            if trace:
                raise ConnectError(f"connector {name} failed while reading {path}: {trace.splitlines()[0]}")
            return _safe_count(config.kafka, dlq) - dlq_base if dlq else 0

        try:
            wait_for_records(
                config.kafka,
                topic,
                rows,
                timeout_s=config.timeout_s,
                progress=config.progress,
                baseline=base,
                extra_counter=rejected,
            )
        except WaitTimeoutError as exc:
            raise ConnectError(
                f"ingesting {path} stalled: {exc.seen} of {rows} rows after {config.timeout_s:.0f} s; "
                f"see 'fraudlab stack logs connect'"
            ) from exc
        seconds = time.perf_counter() - start
    finally:
        if not keep:
            client.delete(name)
    ingested = _safe_count(config.kafka, topic) - base
    dead = _safe_count(config.kafka, dlq) - dlq_base if dlq else 0
    return IngestReport(path, topic, connector, rows, ingested, dead, dlq, seconds)
