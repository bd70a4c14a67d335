"""Errors the HTTP layer raises itself; each becomes a ksqlDB error entity with its HTTP status."""

from __future__ import annotations

from typing import Any

from ksqlserver.errors import KsqlError


class HttpError(KsqlError):
    """A request the server refuses before the engine sees it (bad JSON, auth, unknown query id, ...)."""

    def __init__(self, status: int, error_code: int, message: str, statement_text: str = "") -> None:
        super().__init__(message, statement_text)
        self.status = status
        self.error_code = error_code


def status_of(error: KsqlError) -> int:
    """ksqlDB's rule: the HTTP status is the error code's first three digits (40001 -> 400)."""
    status = getattr(error, "status", None)
    if isinstance(status, int):
        return status
    code = int(error.error_code)
    return code // 100 if 10000 <= code <= 59999 else 500


def generic_error(error_code: int, message: str) -> dict[str, Any]:
    return {"@type": "generic_error", "error_code": error_code, "message": message}
