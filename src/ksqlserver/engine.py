"""The engine facade: the contract between the SQL engine and the REST server.

STUB: the signatures and docstrings below are the agreed interface; the engine work replaces the bodies.
The server (`ksqlserver.server`) only uses what is declared here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class EngineConfig:
    """Everything the engine needs, built once by the CLI (or a test) and passed down."""

    service_id: str = "default_"
    state_dir: Path | None = None
    extension_dir: Path | None = None
    # ksqlDB server-level properties (e.g. "ksql.streams.auto.offset.reset"), shown by SHOW PROPERTIES
    properties: Mapping[str, str] = field(default_factory=dict)


class PushQuery:
    """A running transient query (SELECT ... EMIT CHANGES, or a pull query that ends by itself).

    Attributes
    - query_id: ksqlDB-style id, e.g. "transient_TRANSACTIONS_1234567890" (used by /close-query)
    - columns: [(name, ksql_type_string)], e.g. [("ID", "BIGINT"), ("USER", "STRING")]
    - is_pull: True for a pull query (the server then ends the response when `done`)
    """

    query_id: str
    columns: list[tuple[str, str]]
    is_pull: bool

    def poll(self, timeout: float) -> list[list[Any]]:
        """Rows produced since the last poll (JSON-ready values in column order); [] after `timeout` s."""
        raise NotImplementedError

    @property
    def done(self) -> bool:
        """True once LIMIT is reached, the query was closed, or a pull query has returned all rows."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop the query and release its consumer; idempotent."""
        raise NotImplementedError


class Engine:
    """Parses, plans and runs ksqlDB statements over a topic driver (real Kafka or in-memory)."""

    def __init__(self, config: EngineConfig, driver: Any) -> None:
        raise NotImplementedError

    def execute(self, sql: str, properties: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run every statement of a /ksql request in order.

        Returns the list of ksqlDB entities exactly as the /ksql endpoint returns them (JSON-ready dicts
        with "@type", "statementText", "warnings", ...). On the first failing statement raises a
        `ksqlserver.errors.KsqlError` subclass whose `to_entity()` gives ksqlDB's error entity.
        """
        raise NotImplementedError

    def start_query(self, sql: str, properties: Mapping[str, Any] | None = None) -> PushQuery:
        """Start one SELECT (push with EMIT CHANGES, or pull) for /query and /query-stream."""
        raise NotImplementedError

    def close_query(self, query_id: str) -> bool:
        """Close a transient query by id (for /close-query); False if unknown."""
        raise NotImplementedError

    def insert_rows(self, target: str, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Insert JSON rows into a stream (for /inserts-stream); returns one ack dict per row
        ({"status": "ok", "seq": n} or {"status": "error", "seq": n, "error_code": ..., "message": ...})."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop every query and release the driver."""
        raise NotImplementedError
