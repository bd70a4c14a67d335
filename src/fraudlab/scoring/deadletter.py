"""Dead-letter records: the raw bytes as consumed, and why they could not be scored, in headers."""

from __future__ import annotations

from typing import Any

from fraudlab.scoring.errors import RecordError

ERROR_HEADER = "fraudlab.error"


def dead_letter_headers(msg: Any, error: RecordError, stage: str = "parse") -> list[tuple[str, bytes]]:
    """Headers naming the error and where the record came from (so it can be replayed)."""
    return source_headers(msg.topic(), msg.partition(), msg.offset(), msg.timestamp()[1], error, stage)


def source_headers(topic: str, partition: int, offset: int, timestamp: int, error: RecordError,
                   stage: str = "parse") -> list[tuple[str, bytes]]:
    """`dead_letter_headers` from the record's coordinates (the native path has tuples, not Messages)."""
    return [
        (ERROR_HEADER, error.reason.encode("utf-8", errors="replace")),
        ("fraudlab.error.class", type(error).__name__.encode()),
        ("fraudlab.stage", stage.encode()),
        ("fraudlab.source.topic", topic.encode()),
        ("fraudlab.source.partition", str(partition).encode()),
        ("fraudlab.source.offset", str(offset).encode()),
        ("fraudlab.source.timestamp", str(timestamp).encode()),
    ]
