"""The command topic: every statement that changes the metastore or the set of persistent queries is
appended to `_confluent-ksql-<service id>_command_topic` and replayed when a server starts, as ksqlDB's
command runner does. Servers sharing a service id also follow each other's commands while running.

A command is JSON: the statement text, the properties it ran with (request `streamsProperties` and any
SET before it) and the query id it was given. Replaying sets the engine's query counter to that id's number
first, so ids are the same after a restart and the query rejoins the same consumer group (and resumes from
its committed offsets). Queries created during the replay start only once it is complete, so a query that
a later TERMINATE or DROP removed never consumes anything.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ksqlserver.drivers.base import Record, TopicDriver, TopicTail
from ksqlserver.errors import KsqlError
from ksqlserver.sql import ast

log = logging.getLogger("ksqlserver.commands")

# statement types recorded (CREATE/DROP sources, CSAS/CTAS, INSERT INTO ... SELECT, TERMINATE)
RECORDED: tuple[type[ast.Statement], ...] = (
    ast.CreateSource,
    ast.CreateAsSelect,
    ast.InsertInto,
    ast.DropSource,
    ast.Terminate,
)
VERSION = 1


class CommandError(KsqlError):
    """A command-topic record that is not a command; carries the raw bytes."""

    def __init__(self, message: str, raw: bytes | None = None) -> None:
        super().__init__(message)
        self.raw = raw


def command_topic(service_id: str) -> str:
    return f"_confluent-ksql-{service_id}_command_topic"


@dataclass(frozen=True)
class Command:
    statement: str
    properties: Mapping[str, Any] = field(default_factory=dict)
    command_id: str = ""
    query_id: str | None = None
    origin: str = ""  # the server process that ran it first (its own commands are not applied twice)

    @property
    def query_number(self) -> int | None:
        """`CSAS_X_3` -> 3: the counter value that reproduces the id."""
        if not self.query_id:
            return None
        tail = self.query_id.rsplit("_", 1)[-1]
        return int(tail) if tail.isdigit() else None

    def to_record(self) -> Record:
        key = json.dumps({"commandId": self.command_id}).encode()
        value = {
            "statement": self.statement,
            "streamsProperties": dict(self.properties),
            "originalProperties": {},
            "queryId": self.query_id,
            "origin": self.origin,
            "version": VERSION,
        }
        return Record(key, json.dumps(value, default=str).encode())

    @staticmethod
    def from_record(record: Record) -> Command:
        try:
            v = json.loads(record.value or b"")
            k = json.loads(record.key) if record.key else {}
            return Command(
                statement=str(v["statement"]),
                properties=dict(v.get("streamsProperties") or {}),
                command_id=str(k.get("commandId", "")) if isinstance(k, dict) else "",
                query_id=v.get("queryId"),
                origin=str(v.get("origin", "")),
            )
        except (ValueError, KeyError, TypeError) as e:
            raise CommandError(f"Not a command at offset {record.offset}: {e}", record.value) from None


class CommandLog:
    """Records executed statements and applies recorded ones.

    `apply(command)` is the engine's way to run one command; it is called with `replaying()` active so the
    statement is not recorded again.
    """

    def __init__(self, driver: TopicDriver, service_id: str, apply: Callable[[Command], None]) -> None:
        self.driver = driver
        self.topic = command_topic(service_id)
        self.origin = uuid.uuid4().hex
        self._apply = apply
        self._local = threading.local()
        self._tail: TopicTail | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._started = False
        self.applied = 0
        self.failed = 0

    # ---- recording ---------------------------------------------------------------------------------------
    @contextmanager
    def replaying(self) -> Any:
        self._local.replaying = True
        try:
            yield
        finally:
            self._local.replaying = False

    def record(
        self, statement: ast.Statement, properties: Mapping[str, Any], entity: Mapping[str, Any]
    ) -> None:
        """After `statement` ran successfully here: append it (unless it is itself being replayed)."""
        if not self._started or getattr(self._local, "replaying", False):
            return
        if not isinstance(statement, RECORDED):
            return
        status = entity.get("commandStatus") or {}
        cmd = Command(
            statement=statement.text,
            properties={k: v for k, v in properties.items() if v is not None},
            command_id=str(entity.get("commandId", "")),
            query_id=status.get("queryId") if isinstance(status, dict) else None,
            origin=self.origin,
        )
        self.driver.produce(self.topic, [cmd.to_record()])

    # ---- replay and follow -----------------------------------------------------------------------------
    def replay(self) -> int:
        """Create the topic if needed and apply everything in it; returns the number of commands applied."""
        self.driver.create_topic(self.topic, 1, 1, {"retention.ms": "-1", "cleanup.policy": "delete"})
        self._tail = self.driver.tail(self.topic)
        n = self._apply_records(self._tail.read(), skip_own=False)
        self._started = True
        log.info("replayed %d commands from %s", n, self.topic)
        return n

    def poll(self, timeout: float = 0.0) -> int:
        """Apply commands other servers appended since the last call."""
        if self._tail is None:
            return 0
        return self._apply_records(self._tail.read(timeout), skip_own=True)

    def _apply_records(self, records: list[Record], skip_own: bool) -> int:
        n = 0
        for rec in records:
            try:
                cmd = Command.from_record(rec)
            except CommandError as e:
                log.warning("%s: %s", self.topic, e.message)
                self.failed += 1
                continue
            if skip_own and cmd.origin == self.origin:
                continue
            try:
                with self.replaying():
                    self._apply(cmd)
                n += 1
            except KsqlError as e:  # e.g. the topic of a CREATE was deleted since: the rest still applies
                self.failed += 1
                log.warning("command not applied: %s: %s", cmd.statement.strip(), e.message)
        self.applied += n
        return n

    def follow(self, interval: float = 0.5) -> None:
        """Apply other servers' commands on a daemon thread until `close`."""

        def loop() -> None:
            while not self._stop.is_set():
                try:
                    self.poll(interval)
                except Exception:
                    log.exception("following %s failed", self.topic)
                    self._stop.wait(1.0)

        self._thread = threading.Thread(target=loop, name="ksql-command-follower", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._tail is not None:
            self._tail.close()
