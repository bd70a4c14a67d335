"""Fast producers for CSV files and DataFrames, with a progress bar.

Rows go out as DELIMITED text (the CSV line itself, as the FileStream connector writes it) or as JSON
objects (as KSQL writes them). Batching is left to librdkafka (linger + large batches); we only keep the
delivery callback cheap and count failures.
"""

from __future__ import annotations

import gzip
import io
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from confluent_kafka import Producer
from tqdm.auto import tqdm

from fraudlab.kafka.config import KafkaConfig
from fraudlab.kafka.errors import InputFileError, KafkaError

FAST_PRODUCER = {
    "linger.ms": 25,
    "batch.size": 1_000_000,
    "batch.num.messages": 100_000,
    "queue.buffering.max.messages": 1_000_000,
    "queue.buffering.max.kbytes": 1_048_576,
    "compression.type": "lz4",
    "acks": "all",
    "enable.idempotence": True,
}


@dataclass(frozen=True)
class ProduceReport:
    topic: str
    records: int
    failed: int
    bytes: int
    seconds: float

    @property
    def records_per_s(self) -> float:
        return self.records / self.seconds if self.seconds > 0 else float("inf")


def open_text(path: Path) -> io.TextIOBase:
    """Open a plain or gzip-compressed text file, with a clear error if it can't be read."""
    path = Path(path)
    if not path.exists():
        raise InputFileError(path, "no such file")
    if not path.is_file():
        raise InputFileError(path, "is not a regular file")
    try:
        if path.suffix == ".gz":
            return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
        return path.open("r", encoding="utf-8", newline="")
    except OSError as exc:
        raise InputFileError(path, f"cannot be read ({exc.strerror or exc})") from exc


def produce_values(
    config: KafkaConfig,
    topic: str,
    values: Iterable[bytes | str],
    keys: Iterable[bytes | str | None] | None = None,
    total: int | None = None,
    progress: bool = True,
    producer_overrides: dict[str, object] | None = None,
) -> ProduceReport:
    """Produce every value (with its key, if given) and wait until all are acknowledged."""
    producer = Producer(config.as_librdkafka(**FAST_PRODUCER, **(producer_overrides or {})))
    failed = 0
    first_error: list[str] = []

    def on_delivery(err, _msg) -> None:  # type: ignore[no-untyped-def]
        nonlocal failed
        if err is not None:
            failed += 1
            if not first_error:
                first_error.append(err.str())

    start = time.perf_counter()
    count = 0
    nbytes = 0
    key_iter: Iterator[bytes | str | None] | None = iter(keys) if keys is not None else None
    with tqdm(
        total=total, desc=f"producing to {topic}", unit="rec", disable=not progress, mininterval=0.5
    ) as bar:
        for value in values:
            key = next(key_iter) if key_iter is not None else None
            while True:
                try:
                    producer.produce(topic, value=value, key=key, on_delivery=on_delivery)
                    break
                except BufferError:
                    producer.poll(0.05)
            count += 1
            nbytes += len(value)
            if count % 10_000 == 0:
                producer.poll(0)
                bar.update(10_000)
        remaining = producer.flush(120)
        bar.update(count - bar.n)
    if remaining:
        raise KafkaError(f"{remaining} records to '{topic}' were not acknowledged within 120 s")
    if failed:
        raise KafkaError(f"{failed} of {count} records to '{topic}' failed: {first_error[0]}")
    return ProduceReport(topic, count, failed, nbytes, time.perf_counter() - start)


def csv_lines(path: Path, skip_header: bool | None = None) -> tuple[str | None, list[str]]:
    """(header or None, data lines without line ends); `skip_header=None` detects a quoted or
    non-numeric first line."""
    with open_text(path) as fh:
        lines = [ln.rstrip("\r\n") for ln in fh]
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        raise InputFileError(path, "is empty")
    first = lines[0]
    if skip_header is None:
        first_field = first.split(",", 1)[0].strip()
        skip_header = first_field.startswith('"') or not _is_number(first_field)
    return (first, lines[1:]) if skip_header else (None, lines)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def produce_csv(
    config: KafkaConfig,
    path: Path,
    topic: str,
    value_format: str = "delimited",
    key_column: str | None = None,
    skip_header: bool | None = None,
    progress: bool = True,
) -> ProduceReport:
    """Produce a CSV file's rows: `delimited` sends each data line as is, `json` one object per row."""
    if value_format == "delimited":
        _, lines = csv_lines(path, skip_header)
        return produce_values(
            config, topic, (ln.encode() for ln in lines), total=len(lines), progress=progress
        )
    if value_format == "json":
        with open_text(path) as fh:
            frame = pd.read_csv(fh, header=0 if skip_header is not False else None)
        return produce_dataframe(config, frame, topic, "json", key_column, progress)
    raise KafkaError(f"unknown value format '{value_format}' for {path}: use 'delimited' or 'json'")


def produce_dataframe(
    config: KafkaConfig,
    frame: pd.DataFrame,
    topic: str,
    value_format: str = "json",
    key_column: str | None = None,
    progress: bool = True,
) -> ProduceReport:
    """Produce a DataFrame's rows as JSON objects or DELIMITED lines (no header), keyed by a column."""
    if value_format == "json":
        text = frame.to_json(orient="records", lines=True, double_precision=15)
        values = text.splitlines()
    elif value_format == "delimited":
        values = frame.to_csv(header=False, index=False, lineterminator="\n").splitlines()
    else:
        raise KafkaError(f"unknown value format '{value_format}': use 'delimited' or 'json'")
    keys = None
    if key_column is not None:
        if key_column not in frame.columns:
            raise KafkaError(f"key column '{key_column}' is not among the columns {list(frame.columns)}")
        keys = [str(k) for k in frame[key_column].tolist()]
    return produce_values(
        config, topic, (v.encode() for v in values), keys=keys, total=len(values), progress=progress
    )
