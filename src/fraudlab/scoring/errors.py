"""Errors of the scoring service and of record parsing."""

from __future__ import annotations

from typing import Any

from fraudlab.errors import FraudlabError


class ScoringError(FraudlabError):
    """The scoring service cannot go on (bad configuration, failed delivery, fatal Kafka error)."""

    def __init__(self, message: str, kafka_error: Any = None) -> None:
        super().__init__(message)
        self.kafka_error = kafka_error


class RecordError(ScoringError):
    """One input record cannot be scored; it goes to the dead-letter topic with its raw bytes."""

    def __init__(self, raw: bytes | None, reason: str) -> None:
        preview = (raw or b"")[:80].decode("utf-8", errors="replace")
        super().__init__(f"record {preview!r}: {reason}")
        self.raw = raw
        self.reason = reason


class LayoutError(ScoringError):
    """A DELIMITED column layout does not hold the model's features."""

    def __init__(self, columns: tuple[str, ...], missing: list[str]) -> None:
        super().__init__(f"column layout {list(columns)} lacks the model feature(s) {missing}")
        self.columns = columns
        self.missing = missing
