"""The time a sink's TIMESTAMP column gives a row, as ksqlDB's SinkBuilder.TransformTimestamp extracts it
before the row reaches the sink's serializers.

A STRING column is parsed with TIMESTAMP_FORMAT (StringTimestampExtractor), a BIGINT one is read as is
(LongTimestampExtractor), a TIMESTAMP one by its time (TimestampColumnExtractor). Whatever fails is logged by
TransformTimestamp as a record processing error and the row is not written: a text that does not parse, a
null (each extractor's NullPointerException) and a negative time (ProcessorContextImpl.forward builds a
Kafka Streams Record, whose constructor refuses it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.functions.timefmt import parse_ms

# SinkBuilder.TransformTimestamp's processing-log text, before the exception's message
EXTRACT_ERROR = "Error writing row with extracted timestamp: "

# JDK 17's helpful NullPointerException texts (JEP 358) for a null column: LongTimestampExtractor unboxes
# `(long) extractor.extract(key, value)`, TimestampColumnExtractor calls `ts.getTime()` on its local `ts`, and
# StringToTimestampParser hands the null text to DateTimeFormatter.parse (Objects.requireNonNull(text, "text"))
_EXTRACT = (
    '"io.confluent.ksql.execution.streams.timestamp.ColumnExtractor.extract(Object, io.confluent.ksql.GenericRow)"'
)
_NULL_MESSAGES = {
    "BIGINT": f'Cannot invoke "java.lang.Long.longValue()" because the return value of {_EXTRACT} is null',
    "TIMESTAMP": 'Cannot invoke "java.sql.Timestamp.getTime()" because "ts" is null',
    "STRING": "text",
}
# a tombstone reaching TransformTimestamp with a value TIMESTAMP column: ValueColumnExtractor.extract calls
# `value.get(index)` on the null row (a key column is read from the key and works)
TOMBSTONE_MESSAGE = 'Cannot invoke "io.confluent.ksql.GenericRow.get(int)" because "value" is null'
# Kafka Streams' Record constructor: StreamsException("Malformed Record", IllegalArgumentException(...))
_MALFORMED = "Malformed Record"


class SinkTimeError(Exception):
    """The extraction or the forward failed; `message` is what the processing log records, `causes` the
    messages of the exception chain (ErrorMessageUtil.getErrorMessages: the exception itself first)."""

    def __init__(self, detail: str, causes: list[str] | None = None) -> None:
        self.message = EXTRACT_ERROR + detail
        super().__init__(self.message)
        self.causes = causes if causes is not None else [detail]

    def java_causes(self) -> list[str]:
        return list(self.causes)


def sink_time(base: str, fmt: str | None) -> Callable[[Any], int]:
    """value -> the row's time for a TIMESTAMP column of type `base`; raises SinkTimeError."""
    pattern = fmt or "yyyy-MM-dd'T'HH:mm:ss.SSS"
    null_message = _NULL_MESSAGES.get(base, _NULL_MESSAGES["BIGINT"])

    def extract(value: Any) -> int:
        if value is None:
            raise SinkTimeError(null_message)
        if base == "STRING":
            try:
                value = parse_ms(value, pattern)
            except Exception as e:  # the parser's text is Java's DateTimeParseException message
                raise SinkTimeError(str(e)) from None
        if value < 0:
            raise SinkTimeError(_MALFORMED, [_MALFORMED, f"Timestamp may not be negative. Got: {value}"])
        return int(value)

    return extract
