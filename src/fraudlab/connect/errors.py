"""Kafka Connect and ingestion errors."""

from __future__ import annotations

from pathlib import Path

from fraudlab.errors import FraudlabError


class ConnectError(FraudlabError):
    """The Connect REST API refused a request or a connector failed."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class IngestFileError(FraudlabError):
    """The input file is missing, unreadable or has the wrong header."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
