"""Errors of the pipeline helpers."""

from __future__ import annotations

from pathlib import Path

from fraudlab.errors import FraudlabError


class PipelineError(FraudlabError):
    """Base class of the pipeline helpers' errors."""


class KsqlStatementError(PipelineError):
    """A statement from a `.sql` file was rejected; keeps the file, the statement and the server's text."""

    def __init__(self, file: Path | None, statement: str, message: str, error_code: int | None = None) -> None:
        self.file = file
        self.statement = statement
        self.message = message
        self.error_code = error_code
        where = f"{file.name}: " if file else ""
        first = " ".join(statement.split())[:100]
        super().__init__(f"{where}KSQL rejected '{first}': {message}")


class QueryTimeoutError(PipelineError):
    def __init__(self, query: str, timeout_s: float, rows: int, hint: str = "") -> None:
        self.query = query
        self.timeout_s = timeout_s
        self.rows = rows
        self.hint = hint
        super().__init__(f"query '{query[:100]}' returned {rows} rows before its {timeout_s:.0f} s deadline"
                         + (f": {hint}" if hint else ""))


class StageInputError(PipelineError):
    """A notebook's input (an earlier stage's output) is missing or wrong."""

    def __init__(self, what: str, value: object, problem: str) -> None:
        self.what = what
        self.value = value
        self.problem = problem
        super().__init__(f"{what} {value!r}: {problem}")


class KsqlConnectionError(PipelineError):
    """The KSQL server could not be reached, or refused this client (credentials, TLS, wrong scheme)."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"cannot use the KSQL server at {url}: {reason}")
