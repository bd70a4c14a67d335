"""Kafka Streams' record-metadata timestamp extractors, which a source without a TIMESTAMP column reads
ROWTIME with (ksqlDB's MetadataTimestampExtractor delegates to `default.timestamp.extractor`, which
TimestampExtractionPolicyFactory.getDefaultTimestampExtractor takes from the Streams config, by default
FailOnInvalidTimestamp).

An extractor's failure goes to LoggingTimestampExtractor (the processing log; the record is skipped, or
the query fails with ksql.timestamp.throw.on.invalid), and a negative timestamp it returns makes Kafka
Streams' RecordQueue drop the record."""

from __future__ import annotations

import struct
import time
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import SqlType
from ksqlserver.drivers.base import Record
from ksqlserver.errors import KsqlError
from ksqlserver.runtime.log_row import generic_key_string, generic_row_string
from ksqlserver.runtime.pipeline import TS_ERROR

_LONG = struct.Struct(">q")

CONFIG = "default.timestamp.extractor"  # StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG
_PACKAGE = "org.apache.kafka.streams.processor."
FAIL = _PACKAGE + "FailOnInvalidTimestamp"
LOG_AND_SKIP = _PACKAGE + "LogAndSkipOnInvalidTimestamp"
USE_PARTITION_TIME = _PACKAGE + "UsePartitionTimeOnInvalidTimestamp"
WALLCLOCK = _PACKAGE + "WallclockTimestampExtractor"

# (record, the deserialized key's text, the deserialized value's text) -> the record's timestamp
Extractor = Callable[[Record, Callable[[], tuple[str, str]]], int]


class InvalidTimestampError(KsqlError):
    """The StreamsException an extractor throws for a record it cannot time; carries the record."""

    java_class = "org.apache.kafka.streams.errors.StreamsException"

    def __init__(self, message: str, record: Record) -> None:
        super().__init__(message)
        self.record = record


def consumer_record_text(rec: Record, key: str, value: str) -> str:
    """ConsumerRecord.toString of the deserialized record Kafka Streams hands the extractor."""
    key_size = len(rec.key) if rec.key is not None else -1
    value_size = len(rec.value) if rec.value is not None else -1
    headers = ", ".join(f"RecordHeader(key = {k}, value = {list(v or b'')})" for k, v in rec.headers)
    return (
        f"ConsumerRecord(topic = {rec.topic}, partition = {rec.partition}, leaderEpoch = 0, "
        f"offset = {rec.offset}, CreateTime = {rec.timestamp}, serialized key size = {key_size}, "
        f"serialized value size = {value_size}, headers = RecordHeaders(headers = [{headers}], "
        f"isReadOnly = false), key = {key}, value = {value})"
    )


def metadata_extractor(name: str | None, clock: Callable[[], int] | None = None) -> Extractor:
    """The extractor a class name configures (None or blank: FailOnInvalidTimestamp). Each one keeps its
    partitions' partition time (RecordQueue.partitionTime: the highest valid timestamp so far)."""
    kind = (name or "").strip() or FAIL
    now = clock or (lambda: int(time.time() * 1000))
    partition_time: dict[tuple[str, int], int] = {}

    def extract(rec: Record, texts: Callable[[], tuple[str, str]]) -> int:
        if kind == WALLCLOCK:  # WallclockTimestampExtractor: processing time, whatever the record says
            return now()
        ts = rec.timestamp
        where = (rec.topic, rec.partition)
        if ts >= 0:
            partition_time[where] = max(partition_time.get(where, -1), ts)
            return ts
        if kind == LOG_AND_SKIP:  # logged (not to the processing log) and returned: Streams drops it
            return ts
        if kind == USE_PARTITION_TIME:
            known = partition_time.get(where, -1)
            if known >= 0:
                return known
            raise InvalidTimestampError(
                f"Could not infer new timestamp for input record {consumer_record_text(rec, *texts())} "
                "because partition time is unknown.",
                rec,
            )
        raise InvalidTimestampError(
            f"Input record {consumer_record_text(rec, *texts())} has invalid (negative) timestamp. "
            "Possibly because a pre-0.10 producer client was used to write this record to Kafka without "
            "embedding a timestamp, or because the input topic was created before upgrading the Kafka "
            "cluster to 0.10+. Use a different TimestampExtractor to process this data.",
            rec,
        )

    return extract


def _texts(source: DataSource, rec: Record) -> tuple[str, str] | None:
    """GenericKey and GenericRow texts of the record as Kafka Streams deserialized it (a windowed key as
    Windowed's `[key@start/end]`); None when it cannot be read: Streams' deserialization handler then takes
    the record before any extractor sees it (the pipeline's reader logs it)."""
    key_types: list[SqlType | None] = [c.type for c in source.schema.key]
    value_types: list[SqlType | None] = [c.type for c in source.schema.value_only]
    data, window = rec.key, source.window
    try:
        bounds = None
        if window is not None and data:
            session = window.kind == "SESSION"
            tail = 16 if session else 8
            start = _LONG.unpack_from(data, len(data) - 8)[0]
            end = _LONG.unpack_from(data, len(data) - 16)[0] if session else start + (window.size_ms or 0)
            bounds, data = (start, end), data[:-tail]
        key = source.key_serde.deserialize(data) if data is not None and source.schema.key else None
        vals = source.value_serde.deserialize(rec.value)
    except (KsqlError, struct.error):
        return None
    try:
        k = "null" if key is None else generic_key_string(key, key_types)
        if bounds is not None and key is not None:
            k = f"[{k}@{bounds[0]}/{bounds[1]}]"
        return k, "null" if vals is None else generic_row_string(vals, value_types)
    except (ValueError, OverflowError):  # a value Java prints but this engine's text helpers do not
        return "?", "?"


_TIMESTAMP = attrgetter("timestamp")


def with_metadata_timestamps(
    process: Callable[[Sequence[Record]], list[Any]],
    sources: Sequence[DataSource],
    name: str | None,
    on_error: Callable[..., None],
    clock: Callable[[], int] | None = None,
) -> Callable[[Sequence[Record]], list[Any]]:
    """`process` behind the metadata extractor `name` configures (None: FailOnInvalidTimestamp) for each
    source that has no TIMESTAMP column (the others' column extractors run in the pipeline's reader): each
    record gets the timestamp it extracts; one it cannot time is logged as LoggingTimestampExtractor.
    handleFailure does (`on_error` may raise, with ksql.timestamp.throw.on.invalid) and dropped, as is one
    with a negative timestamp (RecordQueue). A batch of valid timestamps costs one pass over them, unless
    the extractor needs every record (the wall clock, or partition time)."""
    by_topic = {s.topic: s for s in sources if not s.timestamp_column}
    if not by_topic:
        return process
    extract = metadata_extractor(name, clock)
    every_record = (name or "").strip() in (WALLCLOCK, USE_PARTITION_TIME)

    def timed(records: Sequence[Record]) -> list[Any]:
        if not records or (not every_record and min(map(_TIMESTAMP, records)) >= 0):
            return process(records)
        kept: list[Record] = []
        for rec in records:
            source = by_topic.get(rec.topic)
            if source is None:
                kept.append(rec)
                continue
            texts: list[tuple[str, str] | None] = []

            def read(source: DataSource = source, rec: Record = rec, texts: list[Any] = texts) -> tuple[str, str]:
                if not texts:
                    texts.append(_texts(source, rec))
                return texts[0] or ("null", "null")

            try:
                ts = extract(rec, read)
            except InvalidTimestampError as e:
                if read() and texts[0] is None:
                    kept.append(rec)  # undeserializable: the reader logs and drops it
                    continue
                on_error("recordProcessing", TS_ERROR, rec, e, lambda t=texts[0]: f"key:{t[0]}, value:{t[1]}")
                continue
            if ts < 0:
                if rec.timestamp < 0 and _texts(source, rec) is None:
                    kept.append(rec)  # undeserializable: the reader logs and drops it
                continue
            kept.append(rec if ts == rec.timestamp else rec._replace(timestamp=ts))
        return process(kept)

    return timed
