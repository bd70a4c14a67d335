"""The root of every error the engine raises; the server maps each subclass to ksqlDB's error entity."""

from __future__ import annotations


class KsqlError(Exception):
    """Base class; `error_code` is ksqlDB's (40001 bad statement, 40002 bad query, ...)."""

    error_code: int = 50000
