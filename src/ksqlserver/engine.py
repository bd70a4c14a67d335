"""The engine facade: the contract between the SQL engine and the REST server.

`Engine.execute` is the whole pipeline per statement: parse -> analyse/plan/run (the executor's handler
for the statement type) -> the /ksql entity. The server (`ksqlserver.server`) only uses what is declared here.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ksqlserver.catalog.properties import Properties
from ksqlserver.cluster.command_log import CommandLog, start_command_log
from ksqlserver.cluster.membership import start_cluster
from ksqlserver.drivers.base import TopicDriver
from ksqlserver.errors import KsqlError, KsqlInternalError, KsqlStatementError
from ksqlserver.executor import EngineState, Executor, Session
from ksqlserver.extensions import load_extensions
from ksqlserver.runtime.processing_log import ProcessingLog
from ksqlserver.runtime.query import TransientQuery
from ksqlserver.runtime.state.durable import durable_stores
from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse

log = logging.getLogger("ksqlserver.engine")


@dataclass(frozen=True)
class EngineConfig:
    """Everything the engine needs, built once by the CLI (or a test) and passed down."""

    service_id: str = "default_"
    state_dir: Path | None = None
    extension_dir: Path | None = None
    # ksqlDB server-level properties (e.g. "ksql.streams.auto.offset.reset"), shown by SHOW PROPERTIES
    properties: Mapping[str, str] = field(default_factory=dict)
    # False: each persistent/push query runs on its own thread. True: nothing runs until `Engine.drain()`
    # (deterministic order for the conformance runner and unit tests).
    synchronous: bool = False
    processing_log: bool = True
    # record statements in the command topic and replay it at start (restart, scale-out)
    command_topic: bool = True
    batch_size: int = 10_000
    poll_timeout: float = 0.1


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

    def __init__(self, running: TransientQuery, on_close: Any = None) -> None:
        self._q = running
        self._on_close = on_close
        self.query_id = running.query_id
        self.columns = [(n, str(t) if t is not None else "STRING") for n, t in running.pipeline.columns]
        self.is_pull = getattr(running, "is_pull", False)
        if getattr(running, "schema", None):
            self.schema = running.schema  # type: ignore[attr-defined]
        self._closed = False

    def poll(self, timeout: float) -> list[list[Any]]:
        """Rows produced since the last poll (JSON-ready values in column order); [] after `timeout` s."""
        rows: list[list[Any]] = []
        try:
            rows.append(self._q.rows.get(timeout=timeout) if timeout > 0 else self._q.rows.get_nowait())
        except queue.Empty:
            return rows
        while True:
            try:
                rows.append(self._q.rows.get_nowait())
            except queue.Empty:
                return rows

    @property
    def done(self) -> bool:
        """True once LIMIT is reached, the query was closed, or a pull query has returned all rows."""
        return (self._closed or self._q.finished.is_set()) and self._q.rows.empty()

    @property
    def final_message(self) -> str | None:
        return "Limit Reached" if self._q.finished.is_set() and not self.is_pull else None

    def close(self) -> None:
        """Stop the query and release its consumer; idempotent."""
        if not self._closed:
            self._closed = True
            self._q.stop()
            if self._on_close is not None:
                self._on_close(self.query_id)


class Engine:
    """Parses, plans and runs ksqlDB statements over a topic driver (real Kafka or in-memory)."""

    def __init__(self, config: EngineConfig, driver: TopicDriver) -> None:
        self.config = config
        self.driver = driver
        self.server_props = Properties(dict(config.properties))
        self.state = EngineState(
            service_id=config.service_id,
            driver=driver,
            registry=load_extensions(config.extension_dir, dict(config.properties)),
            synchronous=config.synchronous,
            batch_size=config.batch_size,
            poll_timeout=config.poll_timeout,
            # changelog-backed on Kafka (runtime/durable_stores.py), in memory otherwise
            stores=durable_stores(driver, config.service_id, config.state_dir),
        )
        self.executor = Executor(self.state)
        self._push: dict[str, PushQuery] = {}
        self._lock = threading.Lock()
        self.commands: CommandLog | None = None
        if config.processing_log:
            self._create_processing_log()
        if config.command_topic:  # after the processing log: its CREATE is not a user command
            self.commands = start_command_log(self.state, self.execute, follow=True)
        # scale-out on Kafka: heartbeats with this server's listener and owned partitions (runtime/cluster.py)
        url = config.properties.get("ksql.advertised.listener") or config.properties.get("listeners", "")
        self.state.cluster = start_cluster(driver, config.service_id, url, self.state.persistent)

    def _create_processing_log(self) -> None:
        topic = f"{self.config.service_id}ksql_processing_log"
        self.driver.create_topic(topic, 1, 1)
        self.state.processing_log = ProcessingLog(self.driver, topic)
        from ksqlserver.runtime.processing_log import SCHEMA

        sql = (
            f"CREATE STREAM KSQL_PROCESSING_LOG ({SCHEMA}) WITH (KAFKA_TOPIC='{topic}', VALUE_FORMAT='JSON');"
        )
        with contextlib.suppress(KsqlError):  # a log stream the user already made is fine
            self.execute(sql)

    def _session(self, properties: Mapping[str, Any] | None) -> Session:
        return Session(self.server_props.with_overrides(properties or {}))

    def execute(self, sql: str, properties: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run every statement of a /ksql request in order.

        Returns the list of ksqlDB entities exactly as the /ksql endpoint returns them (JSON-ready dicts
        with "@type", "statementText", "warnings", ...). On the first failing statement raises a
        `ksqlserver.errors.KsqlError` subclass whose `to_entity()` gives ksqlDB's error entity.
        """
        session = self._session(properties)
        entities = []
        for statement in parse(sql):
            try:
                entity = self.executor.run(statement, session)
            except KsqlError as e:
                if not e.statement_text:
                    e.statement_text = statement.text
                raise
            except Exception as e:  # an engine bug: still a ksqlDB-shaped error, the server stays up
                log.exception("statement failed: %s", statement.text)
                raise KsqlInternalError(f"{type(e).__name__}: {e}", statement.text, e) from e
            if entity is not None:
                entities.append(entity)
                if self.commands is not None:
                    self.commands.record(statement, session.props.overrides, entity)
        return entities

    def start_query(self, sql: str, properties: Mapping[str, Any] | None = None) -> PushQuery:
        """Start one SELECT (push with EMIT CHANGES, or pull) for /query and /query-stream."""
        statements = parse(sql)
        if len(statements) != 1 or not isinstance(statements[0], ast.Query):
            raise KsqlStatementError("Expected exactly one SELECT statement", sql)
        try:
            running = self.executor.start_transient(statements[0], self._session(properties))
        except KsqlError as e:
            e.statement_text = e.statement_text or statements[0].text
            raise
        except Exception as e:
            log.exception("query failed to start: %s", statements[0].text)
            raise KsqlInternalError(f"{type(e).__name__}: {e}", statements[0].text, e) from e
        pq = PushQuery(running, self._forget)
        with self._lock:
            self._push[pq.query_id] = pq
        return pq

    def _forget(self, query_id: str) -> None:
        with self._lock:
            self._push.pop(query_id, None)
        self.state.transient.pop(query_id, None)

    def close_query(self, query_id: str) -> bool:
        """Close a transient query by id (for /close-query); False if unknown."""
        with self._lock:
            pq = self._push.get(query_id)
        if pq is None:
            return False
        pq.close()
        return True

    def insert_rows(self, target: str, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Insert JSON rows into a stream (for /inserts-stream); returns one ack dict per row
        ({"status": "ok", "seq": n} or {"status": "error", "seq": n, "error_code": ..., "message": ...})."""
        acks = []
        for seq, row in enumerate(rows):
            try:
                self.executor.insert_json_row(target, row)
                acks.append({"status": "ok", "seq": seq})
            except KsqlError as e:
                acks.append({"status": "error", "seq": seq, "error_code": e.error_code, "message": e.message})
        return acks

    def drain(self) -> None:
        """Synchronous mode: run every persistent query, in creation order, until its input is used up."""
        for q in list(self.state.persistent.values()):
            q.drain()
        for t in list(self.state.transient.values()):
            t.drain()

    def close(self) -> None:
        """Stop every query and release the driver."""
        if self.commands is not None:
            self.commands.close()
        if self.state.cluster is not None:
            self.state.cluster.close()
        for pq in list(self._push.values()):
            pq.close()
        for q in list(self.state.persistent.values()):
            q.stop()
        self.state.persistent.clear()
        self.driver.close()
