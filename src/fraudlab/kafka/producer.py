"""Producing records: `send`/`send_all` onto a producer the caller keeps (the scoring service, the
Keras callback, the monitor), `produce_values` for a whole sequence with a progress bar and delivery
checks, and CSV files and DataFrames on top of it.

Rows go out as DELIMITED text (the CSV line itself, as the FileStream connector writes it) or as JSON
objects (as KSQL writes them). Batching is left to librdkafka (linger + large batches); we only keep the
delivery callback cheap and count failures. A full local queue (BufferError) is waited out in `send`.
"""

from __future__ import annotations

import gzip
import io
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd
from confluent_kafka import Producer
from tqdm.auto import tqdm

from fraudlab.kafka.config import KafkaConfig
from fraudlab.kafka.errors import InputFileError, KafkaClientError

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
_CHUNK = 10_000  # records between polls and progress updates


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


def send(
    producer: Producer,
    topic: str,
    value: bytes | str | None,
    key: bytes | str | None = None,
    timestamp: int | None = None,
    headers: Any = None,
    poll_s: float = 0.05,
) -> None:
    """Produce one record; while librdkafka's local queue is full (BufferError), serve delivery
    reports for `poll_s` and try again. The one place fraudlab waits for room in the queue."""
    extra: dict[str, Any] = {}
    if timestamp is not None:
        extra["timestamp"] = timestamp
    if headers is not None:
        extra["headers"] = headers
    while True:
        try:
            producer.produce(topic, value, key, **extra)
            return
        except BufferError:
            producer.poll(poll_s)


def send_all(
    producer: Producer,
    topic: str,
    values: Sequence[bytes | str | None],
    keys: Sequence[bytes | str | None] | None = None,
    timestamps: Sequence[int] | None = None,
) -> None:
    """Produce every value in order (with its key and record timestamp when given), without waiting
    for acknowledgements. The loop is one positional `produce` call per record, the retry (`send`)
    only runs when the queue is full: this is the scoring service's per-batch hot path."""
    produce = producer.produce
    if timestamps is not None:
        for value, key, ts in zip(values, keys or [None] * len(values), timestamps, strict=True):
            try:
                produce(topic, value, key, timestamp=ts)
            except BufferError:
                send(producer, topic, value, key, ts)
    elif keys is not None:
        for value, key in zip(values, keys, strict=True):
            try:
                produce(topic, value, key)
            except BufferError:
                send(producer, topic, value, key)
    else:
        for value in values:
            try:
                produce(topic, value)
            except BufferError:
                send(producer, topic, value)


def _chunks(
    topic: str,
    values: Iterable[bytes | str | None],
    keys: Iterable[bytes | str | None] | None,
    timestamps: Iterable[int] | None,
    size: int,
) -> Iterator[tuple[list[Any], list[Any] | None, list[int] | None]]:
    value_it = iter(values)
    key_it = iter(keys) if keys is not None else None
    ts_it = iter(timestamps) if timestamps is not None else None
    while True:
        chunk = list(islice(value_it, size))
        if not chunk:
            return
        chunk_keys = list(islice(key_it, len(chunk))) if key_it is not None else None
        chunk_ts = list(islice(ts_it, len(chunk))) if ts_it is not None else None
        if (chunk_keys is not None and len(chunk_keys) < len(chunk)) or (
            chunk_ts is not None and len(chunk_ts) < len(chunk)
        ):
            raise KafkaClientError(f"fewer keys or timestamps than values for topic '{topic}'")
        yield chunk, chunk_keys, chunk_ts


def produce_values(
    config: KafkaConfig,
    topic: str,
    values: Iterable[bytes | str | None],
    keys: Iterable[bytes | str | None] | None = None,
    timestamps: Iterable[int] | None = None,
    total: int | None = None,
    progress: bool = True,
    producer_overrides: Mapping[str, object] | None = None,
    flush_timeout_s: float = 120.0,
) -> ProduceReport:
    """Produce every value (with its key and record timestamp, if given) in order and wait until all
    are acknowledged; a record not delivered raises KafkaClientError naming the topic and the first
    error. A progress bar counts records when `progress` (`total` sizes it)."""
    failed = 0
    first_error: list[str] = []

    def on_delivery(err: Any, _msg: Any) -> None:
        nonlocal failed
        if err is None:
            return
        failed += 1
        if not first_error:
            first_error.append(err.str())

    # Only failures call back into Python (see the scoring service's producer).
    settings = {**FAST_PRODUCER, "on_delivery": on_delivery, "delivery.report.only.error": True,
                **(producer_overrides or {})}
    producer = Producer(config.as_librdkafka(**settings))
    start = time.perf_counter()
    count = 0
    nbytes = 0
    with tqdm(
        total=total, desc=f"producing to {topic}", unit="rec", disable=not progress, mininterval=0.5
    ) as bar:
        for chunk, chunk_keys, chunk_ts in _chunks(topic, values, keys, timestamps, _CHUNK):
            send_all(producer, topic, chunk, chunk_keys, chunk_ts)
            producer.poll(0)
            count += len(chunk)
            nbytes += sum(len(v) for v in chunk if v is not None)
            bar.update(len(chunk))
        remaining = producer.flush(flush_timeout_s)
    if remaining:
        raise KafkaClientError(
            f"{remaining} records to '{topic}' were not acknowledged within {flush_timeout_s:.0f} s"
        )
    if failed:
        raise KafkaClientError(f"{failed} of {count} records to '{topic}' failed: {first_error[0]}")
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
    raise KafkaClientError(f"unknown value format '{value_format}' for {path}: use 'delimited' or 'json'")


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
        raise KafkaClientError(f"unknown value format '{value_format}': use 'delimited' or 'json'")
    keys = None
    if key_column is not None:
        if key_column not in frame.columns:
            raise KafkaClientError(f"key column '{key_column}' is not among the columns {list(frame.columns)}")
        keys = [str(k) for k in frame[key_column].tolist()]
    return produce_values(
        config, topic, (v.encode() for v in values), keys=keys, total=len(values), progress=progress
    )
