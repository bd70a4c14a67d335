"""What a compiled query is at run time, and the row layout every operator reads.

A `Pipeline` is the product of planning: `process(records)` turns a batch of input records into output
records (a persistent query) or JSON-ready rows (a push query). `row_reader` decodes a record into the
source row compiled expressions index ([key columns, value columns, ROWTIME, ROWPARTITION, ROWOFFSET]);
`json_ready` converts engine values for the REST API. Records that cannot be decoded are reported through
the query's `ErrorHandler` (its processing log).
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import HEADER, SqlType
from ksqlserver.drivers.base import ProcessorMetadata, Record
from ksqlserver.errors import KsqlError, SerdeError, deserialization_message
from ksqlserver.formats.javatext import date_text, timestamp_text
from ksqlserver.functions.timefmt import parse_ms
from ksqlserver.runtime.log_row import generic_key_string, generic_row_string
from ksqlserver.runtime.operators.materialization import Materialization
from ksqlserver.runtime.query_errors import Throwable, throwable_of
from ksqlserver.runtime.record_cache import CacheSlot

_LONG = struct.Struct(">q")

# LoggingTimestampExtractor.handleFailure's message; the failure's own text goes to the cause
TS_ERROR = "Failed to extract timestamp from row"
# (kind, message, record, exc[, row_text][, logger=context]): row_text gives a record processing error's
# GenericRow as JSON; `logger` the query context of the step that failed (its ProcessingLogger's name)
ErrorHandler = Callable[..., None]
THROW_ON_INVALID_TS = "ksql.timestamp.throw.on.invalid"


SOURCE_CONTEXT = "KsqlTopic.Source"  # a one-source query's source step (its DataSourceNode "KsqlTopic")


def join_source_context(index: int, leaves: int) -> str:
    """LogicalPlanner.buildJoin's DataSourceNode ids for a left-deep join of `leaves` sources: the first
    `KafkaTopic_<L_ per level below the root>Left`, the i-th `KafkaTopic_<L_ * (leaves - 1 - i)>Right`."""
    if index == 0:
        return f"KafkaTopic_{'L_' * (leaves - 2)}Left.Source"
    return f"KafkaTopic_{'L_' * (leaves - 1 - index)}Right.Source"


def with_logger(on_error: ErrorHandler, context: str) -> ErrorHandler:
    """The handler of one step, whose ProcessingLogger is named `<query id>.<context>`
    (QueryLoggerUtil.queryLoggerName; the step's query context: `KsqlTopic.Source`, `WhereFilter`,
    `Project`, the sink's name...). A serde's logger adds `.deserializer` / `.serializer` to its step's."""

    if not getattr(on_error, "takes_logger", False):  # a handler that has no use for names (tests, stages)
        return on_error

    def handler(
        kind: str, message: str, rec: Record, exc: Exception | None, row_text: Any = None, logger: str | None = None
    ) -> None:
        on_error(kind, message, rec, exc, row_text, logger=logger or context)

    handler.takes_logger = True  # type: ignore[attr-defined]
    return handler


class FatalRecordError(KsqlError):
    """A record's failure that Kafka Streams does not handle: it stops the query's stream thread, so the
    query fails (RunningQuery._fail) instead of going on with the next record."""


class TimestampExtractionError(FatalRecordError):
    """A timestamp that cannot be extracted with ksql.timestamp.throw.on.invalid=true:
    LoggingTimestampExtractor.handleFailure logs it and rethrows, and Kafka Streams' RecordQueue.updateHead
    wraps a user exception in StreamsException("Fatal user code error in TimestampExtractor callback for
    record ..."), which fails the query. Carries the record and the extraction's failure."""

    java_class = "org.apache.kafka.streams.errors.StreamsException"  # its Java view (runtime/query_errors.py)

    def __init__(self, record: Record, cause: Exception | None) -> None:
        text = str(cause) if cause is not None else ""
        super().__init__(
            f"Fatal user code error in TimestampExtractor callback for record {record.topic}-"
            f"{record.partition}@{record.offset}: {text}"
        )
        self.record = record
        self.cause = cause


# serializers whose failures are KsqlConnectSerializer's KsqlSerializationException (the rest throw Kafka's
# SerializationException: KsqlDelimitedSerializer, KafkaSerdeFactory's)
PLAIN_SERIALIZATION_FORMATS = frozenset({"DELIMITED", "KAFKA", "NONE"})


class SinkSerializationError(FatalRecordError):
    """A sink record that cannot be serialized: LoggingSerializer logs it and rethrows, and Kafka Streams
    3.5's RecordCollectorImpl.send hands the serializer's exception to the default
    ProductionExceptionHandler.handleSerializationException (FAIL), then throws a StreamsException
    "Unable to serialize record. ProducerRecord(topic=[...], partition=[...], timestamp=[...]" (its format
    string, read from kafka-streams-3.5.1.jar; the message ksqlDB 0.29 on Kafka 3.5.1 reports) caused by
    the serializer's exception; it stops the thread. The partition is null: ksqlDB's sinks have no
    StreamPartitioner, so the producer picks it after serialization (a windowed sink's
    WindowedStreamPartitioner would have picked one: not modelled, null too). Carries the topic, whether
    the key failed, the serializer's message and its own failure."""

    java_class = "org.apache.kafka.streams.errors.StreamsException"

    def __init__(self, topic: str, is_key: bool, message: str, fmt: str, timestamp: int, cause: Exception) -> None:
        self.serializer_class = (
            "org.apache.kafka.common.errors.SerializationException"
            if fmt.upper() in PLAIN_SERIALIZATION_FORMATS
            else "io.confluent.ksql.serde.KsqlSerializationException"
        )
        super().__init__(
            f"Unable to serialize record. ProducerRecord(topic=[{topic}], partition=[null], timestamp=[{timestamp}]"
        )
        self.topic = topic
        self.is_key = is_key
        self.serializer_message = message
        self.cause = cause

    def java_throwable(self) -> Throwable:
        inner = throwable_of(self.cause)
        serializer = Throwable(self.serializer_class, self.serializer_message, inner, topic=self.topic)
        return Throwable(self.java_class, self.message, serializer)


def fail_serialization(
    on_error: ErrorHandler,
    sink: DataSource,
    rec: Record,
    e: Exception,
    is_key: bool,
    row_text: Callable[[], str | None] | None = None,
    timestamp: int | None = None,
) -> NoReturn:
    """LoggingSerializer.serialize's failure: a SerializationError (target key or value, the GenericKey or
    GenericRow it was given when rows are included) is logged, then the query fails."""
    message = f"Error serializing message to topic: {sink.topic}. {e}"
    # the record being written: its topic is the sink's (SerializationError's topic)
    on_error("keySerialization" if is_key else "serialization", message, rec._replace(topic=sink.topic), e, row_text)
    fmt = sink.key_format if is_key else sink.value_format
    ts = rec.timestamp if timestamp is None else timestamp  # the sink record's (a TIMESTAMP column's)
    raise SinkSerializationError(sink.topic, is_key, message, fmt, ts, e)


def api_time_text(ms: int) -> str:
    """ApiJsonMapper.TimeSerializer (SqlTimeTypes.formatTime): `LocalTime.ofSecondOfDay(ms / 1000)
    .toString()`, so a REST row's TIME has whole seconds, and drops them too when they are zero ("10:15")."""
    s = ms // 1000
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h:02d}:{m:02d}" + (f":{sec:02d}" if sec else "")


def json_ready(t: SqlType | None) -> Callable[[Any], Any]:
    """A converter from engine values to JSON-ready ones (REST rows): bytes base64, temporal as text."""
    if t is None:
        return lambda v: v
    b = t.base
    if b == "BYTES":
        return lambda v: None if v is None else base64.b64encode(v).decode()
    if b == "TIMESTAMP":
        return lambda v: None if v is None else timestamp_text(v)
    if b == "DATE":
        return lambda v: None if v is None else date_text(v)
    if b == "TIME":
        return lambda v: None if v is None else api_time_text(v)
    if b == "ARRAY":
        item = json_ready(t.item)
        return lambda v: None if v is None else [item(x) for x in v]
    if b == "MAP":
        val = json_ready(t.item)
        return lambda v: None if v is None else {k: val(x) for k, x in v.items()}
    if b == "STRUCT":
        conv = {n: json_ready(ft) for n, ft in t.fields or ()}
        return lambda v: None if v is None else {k: conv.get(k, lambda y: y)(x) for k, x in v.items()}
    return lambda v: v


class TombstoneRow(list):  # type: ignore[type-arg]
    """A push query's row for a deleted table row (key columns set, the rest null); the JSON StreamedRow
    format marks it `"tombstone": true`, the delimited format drops it."""

    tombstone = True


@dataclass
class Pipeline:
    """A compiled query: `process(records)` returns output records (sink) or rows (transient)."""

    process: Callable[[Sequence[Record]], list[Any]]
    columns: list[tuple[str, SqlType | None]]
    source: DataSource
    sink: DataSource | None
    limit: int | None
    fast_path: bool = False  # the generated DELIMITED loop runs first (see plan/fast/project.py)
    join_topic: str | None = None  # a second topic a join reads (listed as the query's input)
    materialization: Materialization | None = None  # an aggregate's state, which pull queries read
    # processor metadata committed with the input offsets, per task (input partition), and its restore
    # when partitions are assigned (EMIT FINAL's last window close time; Kafka Streams' ProcessorMetadata)
    commit_metadata: Callable[[], ProcessorMetadata] | None = None
    restore_metadata: Callable[[ProcessorMetadata], None] | None = None
    # an aggregation's record cache (runtime/record_cache.py), installed by the query from its properties
    cache: CacheSlot | None = None


def _parse_string_timestamp(text: str | None, fmt: str) -> int:
    """StringTimestampExtractor: DateTimeFormatter.parse refuses a null text with requireNonNull(text, "text")."""
    if text is None:
        e = SerdeError("text")
        e.java_class = "java.lang.NullPointerException"  # type: ignore[attr-defined]
        raise e
    try:
        return parse_ms(text, fmt)
    except ValueError as e:  # StringToTimestampParser lets the formatter's exception through
        e.java_class = "java.time.format.DateTimeParseException"  # type: ignore[attr-defined]
        raise


def timestamp_extractor(source: DataSource) -> tuple[int, Callable[[Any], int | None]] | None:
    """(the row position of the source's TIMESTAMP column, its value -> the record's time), as
    `row_reader` extracts event time; raises where ksqlDB's extractor fails. None: no such column."""
    if not source.timestamp_column:
        return None
    col = source.schema.find(source.timestamp_column)
    if col is None:
        return None
    idx = source.schema.columns.index(col)
    if col.type.base == "STRING":
        fmt = source.timestamp_format or "yyyy-MM-dd'T'HH:mm:ss.SSS"
        return idx, lambda v: _parse_string_timestamp(v, fmt)
    return idx, lambda v: v


def row_reader(source: DataSource, on_error: ErrorHandler) -> Callable[[Record], list[Any] | None]:
    """record -> [key cols, value cols, ROWTIME, ROWPARTITION, ROWOFFSET] (+ WINDOWSTART, WINDOWEND for a
    windowed source) (+ a trailing True marker when the value is null); None when it cannot be
    deserialised (reported to `on_error`)."""
    kde = source.key_serde.deserialize
    vde = source.value_serde.deserialize
    empty_key = source.empty_key

    def check_key(data: bytes) -> list[Any]:
        if empty_key:
            kde(data)  # raises for a key the format cannot read
        return []

    schema_cols = source.schema.columns
    n_key = len(source.schema.key)
    value_idx = [i for i, c in enumerate(schema_cols) if c.namespace != "KEY" and c.namespace != HEADER]
    header_cols = [(i, c) for i, c in enumerate(schema_cols) if c.namespace == HEADER]
    simple_layout = not header_cols and value_idx == list(range(n_key, len(schema_cols)))
    n_cols = len(schema_cols)
    null_key = [None] * n_key
    ts_extract = timestamp_extractor(source)
    ts_from_value = ts_extract is not None and schema_cols[ts_extract[0]].namespace != "KEY"
    window = source.window
    session = window is not None and window.kind == "SESSION"
    win_size = (window.size_ms or 0) if window is not None else 0
    tail = 16 if session else 8
    is_table = source.is_table

    key_types: list[SqlType | None] = [c.type for c in source.schema.key]
    value_types: list[SqlType | None] = [schema_cols[i].type for i in value_idx]

    def ts_record(key: list[Any] | None, vals: list[Any] | None, wnd: tuple[Any, Any] | None) -> Callable[[], str]:
        """LoggingTimestampExtractor.handleFailure's record: "key:" + the record's key (a GenericKey, in a
        Windowed `[key@start/end]` for a windowed source) + ", value:" + its value (a GenericRow)."""

        def text() -> str:
            k = "null" if key is None else generic_key_string(key, key_types)
            if wnd is not None and key is not None:
                k = f"[{k}@{wnd[0]}/{wnd[1]}]"
            v = "null" if vals is None else generic_row_string(vals, value_types)
            return f"key:{k}, value:{v}"

        return text

    def row_of(rec: Record) -> list[Any] | None:
        """The source row for a record; None if it cannot be deserialised (reported)."""
        wnd = None
        if window is not None and not rec.key:
            # Time/SessionWindowedDeserializer: no bytes are a null windowed key, which a table source
            # drops (KTableSource skips null keys) and a stream keeps, its key columns and window bounds
            # null (SourceBuilderUtils.windowedKeyGenerator: NULL_WINDOWED_KEY_COLUMNS)
            if is_table:
                return None
            wnd = (None, None)
            rec = rec._replace(key=None)
        elif window is not None:
            # a windowed key: the inner key's bytes, then the window start (time windows) or end and start
            kb = rec.key
            if kb is None or len(kb) < tail:
                e = SerdeError(f"Size of data received by the windowed deserializer is too small: {len(kb or b'')}")
                msg = f"Failed to deserialize key from topic: {rec.topic}. {e.message}"
                on_error("keyDeserialization", msg, rec, e)
                return None
            if session:
                wnd = (_LONG.unpack_from(kb, len(kb) - 8)[0], _LONG.unpack_from(kb, len(kb) - 16)[0])
            else:
                start = _LONG.unpack_from(kb, len(kb) - 8)[0]
                wnd = (start, start + win_size)
            rec = rec._replace(key=kb[:-tail])
        try:
            # a key-less source with an empty-struct key format still deserializes the key: a bad one
            # fails the record as any key deserialization error (GenericKeySerDe, SourceBuilderUtils)
            key = kde(rec.key) if n_key else (check_key(rec.key) if rec.key is not None else [])
        except SerdeError as e:
            on_error("keyDeserialization", deserialization_message(e, "key", rec.topic), rec, e)
            return None
        if is_table and n_key and (key is None or rec.key is None):
            return None  # a null key (no bytes, or a null the format reads): KTableSource skips it
        if key is None:
            key = null_key
        try:
            vals = vde(rec.value)
        except SerdeError as e:
            on_error("deserialization", deserialization_message(e, "value", rec.topic), rec, e)
            return None
        if vals is None:
            if ts_from_value:
                # ksqlDB extracts event time from the deserialised row, tombstones too: a value column of a
                # null value cannot be read (LoggingTimestampExtractor logs it and gives -1, which Kafka
                # Streams skips), so a timestamped source drops its tombstones
                e = SerdeError("Cannot read the timestamp column of a record with a null value")
                on_error("recordProcessing", TS_ERROR, rec, e, ts_record(key if rec.key is not None and n_key else None, None, wnd))
                return None
            row = key + [None] * (n_cols - n_key)
            row.append(rec.timestamp)
            row.append(rec.partition)
            row.append(rec.offset)
            if wnd is not None:
                row += wnd
            row.append(True)  # marker: null value
            return row
        if simple_layout:
            row = key + vals
        else:
            row = key + [None] * (n_cols - n_key)
            for i, v in zip(value_idx, vals, strict=True):
                row[i] = v
            for i, c in header_cols:
                hs = [v for k, v in rec.headers if c.header_key is None or k == c.header_key]
                row[i] = (
                    (hs[-1] if hs else None)
                    if c.header_key
                    else [{"KEY": k, "VALUE": v} for k, v in rec.headers]
                )
        ts = rec.timestamp
        if ts_extract is not None:
            try:
                ts = ts_extract[1](row[ts_extract[0]])
            except Exception as e:  # a bad event-time value: ksqlDB logs and skips the record
                on_error("recordProcessing", TS_ERROR, rec, e, ts_record(key if rec.key is not None and n_key else None, vals, wnd))
                return None
            if ts is None:  # unboxing a null column fails in ksqlDB's extractor: logged, the record skipped
                e = SerdeError(f"The timestamp column {source.timestamp_column} is null")
                on_error("recordProcessing", TS_ERROR, rec, e, ts_record(key if rec.key is not None and n_key else None, vals, wnd))
                return None
            if ts < 0:
                return None
        row.append(ts)
        row.append(rec.partition)
        row.append(rec.offset)
        if wnd is not None:
            row += wnd
        return row

    return row_of


def event_time(source: DataSource) -> Callable[[Record], int] | None:
    """The time Kafka Streams' RecordQueue gives a record of `source` when it picks the next record among
    a task's partitions (`PartitionGroup.nextRecord`: the smallest head timestamp): the source's
    TIMESTAMP column read from the record, or the record's own timestamp when it has none or the column
    cannot be read (the record then fails in the query, where its error is reported). None: no TIMESTAMP."""
    if timestamp_extractor(source) is None:
        return None
    read = row_reader(source, lambda *args: None)
    n = source.row_width

    def time_of(rec: Record) -> int:
        try:
            row = read(rec)
        except Exception:
            return rec.timestamp
        return rec.timestamp if row is None or len(row) < n else int(row[len(source.schema.columns)])

    return time_of
