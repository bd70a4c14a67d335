"""PRINT topic [FROM BEGINNING] [INTERVAL n] [LIMIT n]: a topic's records as text, as ksqlDB 0.29 prints them.

Each record is one line, `rowtime: 2020/05/26 10:00:00.000 Z, key: <key>, value: <value>, partition: 0`,
after a `Key format: ...` / `Value format: ...` line whenever the formats still possible change (first
after the first batch), as ksqlDB's TopicStreamWriter writes them.
The key and value formats are guessed as ksqlDB's record formatter guesses them: every candidate format
(AVRO, PROTOBUF, JSON, JSON_SR (the registry ones through `print_sr`), KAFKA_INT, KAFKA_BIGINT, KAFKA_DOUBLE, KAFKA_STRING, then raw bytes; keys also as session or time
windowed variants of each) that fails on a record is dropped for good, and the first one left prints it.
Without FROM BEGINNING printing starts at the topic's end; without LIMIT it runs until the client leaves.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
import uuid
from collections.abc import Callable

from ksqlserver.catalog.properties import normalise
from ksqlserver.drivers.base import Record
from ksqlserver.errors import KsqlBadRequestError, KsqlStatementError
from ksqlserver.formats.sr.client import SchemaRegistryClient
from ksqlserver.runtime.pull import Emit, PullResult
from ksqlserver.sql import ast
from ksqlserver.statements import print_sr
from ksqlserver.statements.state import EngineState, Session

Decoder = Callable[[bytes], str]  # raises ValueError when the bytes are not of its format
_DECODE_JSON = json.JSONDecoder()


def _text(data: bytes) -> str:
    if not data:
        raise ValueError("Empty data")
    text = data.decode("utf-8", errors="replace")
    if "\ufffd" in text:
        raise ValueError("String contains replacement char")
    return text


def _json(data: bytes) -> str:
    text = _text(data)
    _DECODE_JSON.raw_decode(text.lstrip())  # Jackson's readTree reads the first value, ignores the rest
    return text


def _fixed(fmt: str, size: int) -> Decoder:
    def decode(data: bytes) -> str:
        if len(data) != size:
            raise ValueError(f"Size of data received is not {size}")
        value = struct.unpack(fmt, data)[0]
        return _java_double(value) if fmt == ">d" else str(value)

    return decode


def _java_double(v: float) -> str:
    from ksqlserver.formats.javatext import java_double

    return java_double(v)


def java_bytes(data: bytes) -> str:
    """Kafka's Bytes.toString: printable ASCII as is, anything else (and backslash) as \\xNN."""
    return "".join(chr(b) if 32 <= b <= 126 and b != 92 else f"\\x{b:02X}" for b in data)


FORMATS: list[tuple[str, Decoder]] = [
    ("JSON", _json),
    ("KAFKA_INT", _fixed(">i", 4)),
    ("KAFKA_BIGINT", _fixed(">q", 8)),
    ("KAFKA_DOUBLE", _fixed(">d", 8)),
    ("KAFKA_STRING", _text),
]


def _window(start: int, end: int) -> None:
    """Kafka Streams' `Window` constructor: a window with a negative start or an end before its start does
    not exist, so the windowed reading of such bytes fails."""
    if start < 0:
        raise ValueError("Window startMs time cannot be negative.")
    if end < start:
        raise ValueError("Window endMs time cannot be smaller than window startMs time.")


def _session(inner: Decoder) -> Decoder:
    def decode(data: bytes) -> str:
        if len(data) < 16:
            raise ValueError("too short for a session window")
        end, start = struct.unpack(">qq", data[-16:])
        text = inner(data[:-16])
        _window(start, end)  # SessionKeySchema.extractWindow builds a SessionWindow
        return f"[{text}@{start}/{end}]"

    return decode


def _time(inner: Decoder) -> Decoder:
    def decode(data: bytes) -> str:
        if len(data) < 8:
            raise ValueError("too short for a time window")
        start = struct.unpack(">q", data[-8:])[0]
        text = inner(data[:-8])
        # WindowKeySchema.timeWindowForSize(start, 1): the end saturates at Long.MAX_VALUE, and a
        # TimeWindow refuses an end equal to its start
        _window(start, min(start + 1, 2**63 - 1))
        if start == 2**63 - 1:
            raise ValueError("Window endMs must be greater than window startMs.")
        return f"[{text}@{start}/-]"

    return decode


NO_DATA = "\u00af\\_(\u30c4)_/\u00af - no data processed"  # Deserializers.getPossibleFormats before any data


class Guesser:
    """The formats still possible for one side (key or value) of a topic's records (`Deserializers`)."""

    def __init__(self, windowed: bool, registry: SchemaRegistryClient | None = None) -> None:
        self.candidates: list[tuple[str, Decoder]] = []
        self.seen_data = False
        # RecordFormatter.Format's order: the registry formats fail without a registry or a known schema id
        formats = [
            ("AVRO", print_sr.avro_decoder(registry)),
            ("PROTOBUF", print_sr.protobuf_decoder(registry)),
            FORMATS[0],
            ("JSON_SR", print_sr.json_sr_decoder(registry)),
            *FORMATS[1:],
        ]
        for name, decode in formats:
            if windowed:
                self.candidates += [
                    (f"SESSION({name})", _session(decode)),
                    (f"HOPPING({name})", _time(decode)),
                    (f"TUMBLING({name})", _time(decode)),
                ]
            self.candidates.append((name, decode))

    def possible(self) -> list[str]:
        """`Deserializers.getPossibleFormats`: the formats that read every record so far."""
        return [name for name, _ in self.candidates] if self.seen_data else [NO_DATA]

    def format(self, data: bytes | None) -> str:
        if data is None:
            return "<null>"
        self.seen_data = True
        first = None
        kept = []
        for name, decode in self.candidates:
            try:
                text = decode(data)
            except (ValueError, struct.error, UnicodeDecodeError):
                continue
            kept.append((name, decode))
            if first is None:
                first = text
        self.candidates = kept
        return java_bytes(data) if first is None else first


def format_rowtime(ts: int) -> str:
    if ts < 0:
        return "N/A"
    t = dt.datetime.fromtimestamp(ts / 1000, tz=dt.UTC)
    return t.strftime("%Y/%m/%d %H:%M:%S.") + f"{t.microsecond // 1000:03d} Z"


class RecordFormatter:
    def __init__(self, registry: SchemaRegistryClient | None = None) -> None:
        self.keys = Guesser(windowed=True, registry=registry)
        self.values = Guesser(windowed=False, registry=registry)

    def format(self, records: list[Record]) -> list[str]:
        """A batch's lines; a format eliminated during the batch reformats the batch (as ksqlDB does)."""
        active = (self.keys.candidates[:1], self.values.candidates[:1])
        lines = [self._line(r) for r in records]
        if (self.keys.candidates[:1], self.values.candidates[:1]) != active:
            lines = [self._line(r) for r in records]
        return lines

    def _line(self, r: Record) -> str:
        return (
            f"rowtime: {format_rowtime(r.timestamp)}, key: {self.keys.format(r.key)}, "
            f"value: {self.values.format(r.value)}, partition: {r.partition}"
        )


class FormatsLine(str):
    """A `Key format: ` / `Value format: ` line: TopicStreamWriter (HTTP) writes these, PrintPublisher
    (/ws/query) sends the records only. TopicStreamWriter's FormatsTracker prints the prefix, then println's
    the formats: two writes to the response, two HTTP chunks (`pieces`)."""

    is_formats = True

    def pieces(self) -> tuple[str, str]:
        prefix = "Key format: " if self.startswith("Key format: ") else "Value format: "
        return prefix, self[len(prefix) :]


class FormatsTracker:
    """`TopicStreamWriter.FormatsTracker`: a `Key format: ` / `Value format: ` line whenever the formats
    still possible change (first after the first batch), before that batch's records."""

    def __init__(self) -> None:
        self.keys: list[str] | None = None
        self.values: list[str] | None = None

    def update(self, formatter: RecordFormatter) -> list[str]:
        out: list[str] = []
        keys, values = formatter.keys.possible(), formatter.values.possible()
        if keys != self.keys:
            self.keys = keys
            out.append(FormatsLine("Key format: " + self._text(keys)))
        if values != self.values:
            self.values = values
            out.append(FormatsLine("Value format: " + self._text(values)))
        return out

    @staticmethod
    def _text(formats: list[str]) -> str:
        if not formats:
            return (
                " does not match any supported format. "
                "It may be a STRING with encoding other than UTF8, or some other format."
            )
        return " or ".join(formats)


class PrintTopic(PullResult):
    """A running PRINT: its lines (strings) go through the bounded row queue; `is_print` tells the server
    to write them as plain text lines, with no header."""

    is_pull = True
    is_print = True


def _earliest(session: Session, exact: bool) -> bool:
    """Whether a PRINT without FROM BEGINNING starts at the beginning, by its consumer's auto.offset.reset.
    StreamedQueryResource (`exact`): the server's streams properties, then the request's.
    BlockingPrintPublisher (/query-stream): "latest" whatever the server says, unless the request sets it."""
    if exact:
        return session.props.from_beginning
    value = session.props.overrides.get(normalise("auto.offset.reset"))
    return str(value).lower() == "earliest"


def start_print(state: EngineState, st: ast.PrintTopic, session: Session, exact: bool = False) -> PrintTopic:
    """`exact`: StreamedQueryResource's check (the topic by its exact name, else a 400 naming the topics that
    differ only in case); otherwise BlockingPrintPublisher's (any case)."""
    topics = state.driver.topics()
    if exact and st.topic not in topics:
        similar = sorted(t for t in topics if t.lower() == st.topic.lower())
        hint = "\nDid you mean:\n" + "\n".join(f"\tprint {t};" for t in similar) if similar else ""
        raise KsqlBadRequestError(
            f"Could not find topic '{st.topic}', or the KSQL user does not have permissions to list the topic. "
            "Topic names are case-sensitive." + hint,
            st.text,
        )
    name = (
        st.topic if st.topic in topics else next((t for t in topics if t.lower() == st.topic.lower()), None)
    )
    if name is None:
        raise KsqlStatementError(f"Topic does not exist: {st.topic}", st.text)
    if st.interval is not None and st.interval < 1:
        raise KsqlStatementError(f"INTERVAL must be greater than one, but was: {st.interval}", st.text)
    interval = st.interval or 1
    limit = st.limit
    group = f"_confluent-ksql-{state.config.service_id}print_{uuid.uuid4().hex}"
    consumer = state.driver.consumer([name], group, st.from_beginning or _earliest(session, exact))
    holder: dict[str, PrintTopic] = {}

    def produce(emit: Emit) -> None:
        formatter = RecordFormatter(state.schema_registry)
        tracker = FormatsTracker()
        polled = written = 0
        try:
            while not holder["q"].stopped and (limit is None or written < limit):
                records = consumer.poll_batch(500, 0.2)
                if not records:
                    continue
                out = []
                for line in formatter.format(records):
                    if polled % interval == 0:
                        out.append(line)
                        written += 1
                    polled += 1
                    if limit is not None and written >= limit:
                        break
                # TopicStreamWriter.write (StreamedQueryResource, `exact`): the formats lines, then the batch's
                # records; BlockingPrintPublisher (/query-stream) sends the records alone (observed on ksqlDB
                # 0.29 built from source)
                formats = tracker.update(formatter) if exact else []
                for line in formats + out:
                    if not emit(line):  # type: ignore[arg-type]
                        return
        finally:
            consumer.close()

    q = PrintTopic(f"print_{uuid.uuid4().hex[:16]}", [], None, produce, start=False)
    holder["q"] = q
    q.begin()
    return q


__all__ = ["FormatsLine", "FormatsTracker", "PrintTopic", "RecordFormatter", "start_print"]
