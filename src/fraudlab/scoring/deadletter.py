"""Dead-letter records: the raw bytes as consumed, and why they could not be scored, in headers."""

from __future__ import annotations

from typing import Any

from fraudlab.scoring.errors import RecordError

ERROR_HEADER = "fraudlab.error"


def dead_letter_headers(msg: Any, error: RecordError, stage: str = "parse") -> list[tuple[str, bytes]]:
    """Headers naming the error and where the record came from (so it can be replayed)."""
    return [
        (ERROR_HEADER, error.reason.encode("utf-8", errors="replace")),
        ("fraudlab.error.class", type(error).__name__.encode()),
        ("fraudlab.stage", stage.encode()),
        ("fraudlab.source.topic", msg.topic().encode()),
        ("fraudlab.source.partition", str(msg.partition()).encode()),
        ("fraudlab.source.offset", str(msg.offset()).encode()),
        ("fraudlab.source.timestamp", str(msg.timestamp()[1]).encode()),
    ]
