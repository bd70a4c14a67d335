"""Errors of the `%%ksql` magics. IPython shows each as its message alone (no traceback), and the cell
still fails, so a notebook run by papermill stops at a rejected statement."""

from __future__ import annotations

from fraudlab.errors import FraudlabError


class MagicError(FraudlabError):
    """Base class: rendered as its text only."""

    def _render_traceback_(self) -> list[str]:  # IPython's hook for an exception's own rendering
        return str(self).splitlines()


class MagicUsageError(MagicError):
    """A magic's own arguments are wrong (an option, a variable, a property)."""


class KsqlServerError(MagicError):
    """ksqlDB rejected a statement: the server's own text, then the statement."""

    def __init__(self, message: str, statement: str, error_code: int | None = None) -> None:
        self.message = message
        self.statement = statement
        self.error_code = error_code
        short = " ".join(statement.split())
        short = short if len(short) <= 200 else short[:197] + "..."
        super().__init__(f"{message}\n  statement: {short}")


class ServerUnreachableError(MagicError):
    def __init__(self, url: str, detail: str) -> None:
        self.url = url
        self.detail = detail
        super().__init__(f"cannot reach the KSQL server at {url}: {detail} (connect elsewhere with %ksql_connect URL)")
