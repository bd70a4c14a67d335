"""The time a sink's TIMESTAMP column gives a row, as ksqlDB's SinkBuilder.TransformTimestamp extracts it
before the row reaches the sink's serializers.

A STRING column is parsed with TIMESTAMP_FORMAT (StringTimestampExtractor); a text that does not parse fails
the extraction, which TransformTimestamp logs as a record processing error and the row is not written. A null
or negative time writes nothing either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.functions.timefmt import parse_ms

# SinkBuilder.TransformTimestamp's processing-log text, before the extraction's own message
EXTRACT_ERROR = "Error writing row with extracted timestamp: "


class SinkTimeError(Exception):
    """The extraction failed; `message` is what the processing log records (no cause chain: the
    DateTimeParseException that StringToTimestampParser throws has none)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def java_causes(self) -> list[str]:
        return []


def sink_time(is_string: bool, fmt: str | None) -> Callable[[Any], int | None]:
    """value -> the row's time, None when the row has none (null, negative); raises SinkTimeError."""
    pattern = fmt or "yyyy-MM-dd'T'HH:mm:ss.SSS"

    def extract(value: Any) -> int | None:
        if value is None:
            return None
        if is_string:
            try:
                value = parse_ms(value, pattern)
            except Exception as e:  # the parser's text is Java's DateTimeParseException message
                raise SinkTimeError(f"{EXTRACT_ERROR}{e}") from None
        return None if value < 0 else value

    return extract
