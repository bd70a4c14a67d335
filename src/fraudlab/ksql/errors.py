"""Errors of the KSQL client: each keeps the statement (and file) it is about and the server's text."""

from __future__ import annotations

from pathlib import Path

from fraudlab.errors import FraudlabError


class KsqlClientError(FraudlabError):
    """Base class of the KSQL client's errors."""


class StatementError(KsqlClientError):
    """A statement was rejected (by the server, or before sending it); keeps the file, the statement,
    the message and ksqlDB's error code when the server gave one."""

    def __init__(self, file: Path | None, statement: str, message: str, error_code: int | None = None) -> None:
        self.file = file
        self.statement = statement
        self.message = message
        self.error_code = error_code
        where = f"{file.name}: " if file else ""
        first = " ".join(statement.split())[:100]
        super().__init__(f"{where}KSQL rejected '{first}': {message}")


class QueryTimeoutError(KsqlClientError):
    """A bounded query ended at its deadline with fewer rows than asked; `hint` says why, when known."""

    def __init__(self, query: str, timeout_s: float, rows: int, hint: str = "") -> None:
        self.query = query
        self.timeout_s = timeout_s
        self.rows = rows
        self.hint = hint
        super().__init__(f"query '{query[:100]}' returned {rows} rows before its {timeout_s:.0f} s deadline"
                         + (f": {hint}" if hint else ""))


class KsqlConnectionError(KsqlClientError):
    """The KSQL server could not be reached, or refused this client (credentials, TLS, wrong scheme)."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"cannot use the KSQL server at {url}: {reason}")


class KsqlInputError(KsqlClientError):
    """An input of the client (a run id, a directory of statement files, a bundle) is missing or wrong."""

    def __init__(self, what: str, value: object, problem: str) -> None:
        self.what = what
        self.value = value
        self.problem = problem
        super().__init__(f"{what} {value!r}: {problem}")
