"""The command topic: every statement ksqlDB distributes as a command (the ones answered with a
"currentStatus" entity: CREATE/DROP of sources and types, CSAS/CTAS, INSERT INTO ... SELECT, ALTER,
TERMINATE, PAUSE, RESUME) is appended to `_confluent-ksql-<service id>_command_topic` and replayed when a
server starts, as ksqlDB's command runner does. Servers sharing a service id also follow each other's
commands while running.

A command is JSON: the statement text, the properties it ran with (request `streamsProperties` and any
SET before it), the query id it was given and the offset ksqlDB's command topic would give it (its
commandSequenceNumber: 0, 2, 4, ... as each transaction's commit marker takes an offset). Replaying sets
the engine's query counter to that id's number first, then moves the counters past the command as ksqlDB's
InteractiveStatementExecutor does, so ids are the same after a restart and the query rejoins the same
consumer group (and resumes from its committed offsets). Queries created during the replay start only once it is complete, so a query that
a later TERMINATE or DROP removed never consumes anything.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ksqlserver.cluster.backup import CommandTopicBackup, CommandTopicCorruptionError, has_backup_files
from ksqlserver.cluster.internal_topics import ensure_topic
from ksqlserver.drivers.base import Record, TopicDriver, TopicTail
from ksqlserver.errors import KsqlError
from ksqlserver.sql import ast

log = logging.getLogger("ksqlserver.commands")

# commands that do not move the query id generator: ksqlDB's ValidatedCommandFactory writes them without a
# plan, and only InteractiveStatementExecutor.executePlan calls queryIdGenerator.setNextId
UNPLANNED: tuple[type[ast.Statement], ...] = (ast.Terminate, ast.PauseResume, ast.AlterSystem)
VERSION = 2  # 2: commandSequenceNumber and planned (a version 1 command counts its place)


# DefaultErrorMessages: the warning every /ksql entity carries while the command runner is DEGRADED
INCOMPATIBLE_MESSAGE = (
    "The server has encountered an incompatible entry in its log and cannot process further DDL statements.\n"
    "This is most likely due to the service being rolled back to an earlier version."
)
CORRUPTED_MESSAGE = (
    "The server has detected corruption in the command topic due to modifications performed on it. \n"
    "DDL statements will not be processed any further.\n"
    "Queries may not run properly while the server is in a corrupted state.\n"
    "If a backup of the command topic is available, restore the command topic using the backup file.\n"
    "A server restart is required to restore full functionality."
)
# CommandRunner.CommandRunnerDegradedReason -> its message
DEGRADED_MESSAGES = {"CORRUPTED": CORRUPTED_MESSAGE, "INCOMPATIBLE_COMMAND": INCOMPATIBLE_MESSAGE}
# CommandRunner checks the topic still exists after a poll that found nothing (NEW_CMDS_TIMEOUT is 5 s)
TOPIC_CHECK_INTERVAL = 2.0


class CommandError(KsqlError):
    """A command-topic record that is not a command (or of a newer version); carries the raw bytes."""

    def __init__(self, message: str, raw: bytes | None = None) -> None:
        super().__init__(message)
        self.raw = raw


TERMINATE_CLUSTER = "TERMINATE CLUSTER;"  # TerminateCluster.TERMINATE_CLUSTER_STATEMENT_TEXT
DELETE_TOPIC_LIST = "deleteTopicList"  # ClusterTerminateRequest.DELETE_TOPIC_LIST_PROP


def command_topic(service_id: str) -> str:
    return f"_confluent-ksql-{service_id}_command_topic"


@dataclass(frozen=True)
class Command:
    statement: str
    properties: Mapping[str, Any] = field(default_factory=dict)
    command_id: str = ""
    query_id: str | None = None
    origin: str = ""  # the server process that ran it first (its own commands are not applied twice)
    # the offset ksqlDB's command topic gives it (the status entity's commandSequenceNumber); None: unknown
    sequence: int | None = None
    planned: bool = True  # moves the query id generator (see UNPLANNED)
    original_properties: Mapping[str, Any] = field(default_factory=dict)  # kept as ksqlDB's Command keeps them

    @property
    def query_number(self) -> int | None:
        """`CSAS_X_3` -> 3: the counter value that reproduces the id."""
        if not self.query_id:
            return None
        tail = self.query_id.rsplit("_", 1)[-1]
        return int(tail) if tail.isdigit() else None

    def to_record(self) -> Record:
        # the key is ksqlDB's CommandId as InternalTopicSerdes writes it: a JSON string ("stream/`S`/create")
        key = json.dumps(self.command_id).encode()
        value = {
            "statement": self.statement,
            "streamsProperties": dict(self.properties),
            "originalProperties": dict(self.original_properties),
            "queryId": self.query_id,
            "origin": self.origin,
            "commandSequenceNumber": self.sequence,
            "planned": self.planned,
            "version": VERSION,
        }
        return Record(key, json.dumps(value, default=str).encode())

    @staticmethod
    def from_record(record: Record) -> Command:
        try:
            v = json.loads(record.value or b"")
            k = json.loads(record.key) if record.key else {}
            if not isinstance(v, dict):
                raise TypeError(f"a JSON {type(v).__name__}, not an object")
            version = v.get("version")
            if isinstance(version, int) and version > VERSION:
                # Command's constructor: IncompatibleKsqlCommandVersionException
                raise CommandError(
                    f"Received invalid command version {version} at offset {record.offset}, "
                    f"this server supports up to {VERSION}",
                    record.value,
                )
            return Command(
                statement=str(v["statement"]),
                properties=dict(v.get("streamsProperties") or {}),
                # version 1 and 2 records keyed {"commandId": ...}
                command_id=str(k.get("commandId", "")) if isinstance(k, dict) else str(k),
                query_id=v.get("queryId"),
                origin=str(v.get("origin", "")),
                sequence=_int_or_none(v.get("commandSequenceNumber")),
                # version 1 recorded CREATE, CSAS/CTAS, INSERT INTO, DROP (planned) and TERMINATE
                planned=bool(v.get("planned", not str(v["statement"]).lstrip().upper().startswith("TERMINATE"))),
                original_properties=dict(v.get("originalProperties") or {}),
            )
        except (ValueError, KeyError, TypeError) as e:
            raise CommandError(f"Not a command at offset {record.offset}: {e}", record.value) from None


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def is_command(entity: Mapping[str, Any]) -> bool:
    """Whether a statement's entity is a command's: ksqlDB answers a statement its DistributingExecutor
    wrote to the command topic with a CommandStatusEntity ("currentStatus"); everything CustomExecutors
    handles (SHOW, DESCRIBE, SET, DEFINE, INSERT VALUES, ASSERT, connectors, TERMINATE of a transient query)
    and a CREATE ... IF NOT EXISTS of an existing source (a warning) is answered otherwise."""
    return entity.get("@type") == "currentStatus"


def is_planned(statement: ast.Statement) -> bool:
    return not isinstance(statement, UNPLANNED)


class CommandLog:
    """Records executed statements and applies recorded ones.

    `apply(command)` is the engine's way to run one command; it is called with `replaying()` active so the
    statement is not recorded again.
    """

    def __init__(
        self,
        driver: TopicDriver,
        service_id: str,
        apply: Callable[[Command], None],
        backup_location: str = "",
        topic_properties: Mapping[str, Any] | None = None,
        on_terminate: Callable[[list[str]], None] | None = None,
    ) -> None:
        """`topic_properties`: the ksql.internal.topic.* settings the topic is created with."""
        self.driver = driver
        self._backup_location = backup_location
        self._topic_properties = dict(topic_properties or {})
        self.backup: CommandTopicBackup | None = None
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
        # CommandRunner's DEGRADED reason ("CORRUPTED", "INCOMPATIBLE_COMMAND"); None while it runs
        self.degraded: str | None = None
        # the deleteTopicList of a TERMINATE CLUSTER read from the topic (None: none)
        self.terminate_requested: list[str] | None = None
        self._on_terminate = on_terminate
        self._last_topic_check = 0.0

    # ---- recording ---------------------------------------------------------------------------------------
    @contextmanager
    def replaying(self) -> Any:
        self._local.replaying = True
        try:
            yield
        finally:
            self._local.replaying = False

    @property
    def is_started(self) -> bool:
        """Whether the start-up replay is over (commands now come from following the topic)."""
        return self._started

    @property
    def is_replaying(self) -> bool:
        """Whether this thread is applying a recorded command."""
        return bool(getattr(self._local, "replaying", False))

    def record(
        self, statement: ast.Statement, properties: Mapping[str, Any], entity: Mapping[str, Any]
    ) -> None:
        """After `statement` ran successfully here: append it (unless it is itself being replayed)."""
        if not self._started or getattr(self._local, "replaying", False):
            return
        if not is_command(entity):
            return
        status = entity.get("commandStatus") or {}
        cmd = Command(
            statement=statement.text,
            properties={k: v for k, v in properties.items() if v is not None},
            command_id=str(entity.get("commandId", "")),
            query_id=status.get("queryId") if isinstance(status, dict) else None,
            origin=self.origin,
            sequence=_int_or_none(entity.get("commandSequenceNumber")),
            planned=is_planned(statement),
        )
        self.driver.produce(self.topic, [cmd.to_record()])

    # ---- replay and follow -----------------------------------------------------------------------------
    def replay(self) -> int:
        """Create the topic if needed and apply everything in it; returns the number of commands applied.

        With a backup location (`ksql.metastore.backup.location`), as KsqlRestApplication and CommandTopic:
        a missing topic is not created when the location holds backups, and a topic out of step with the
        latest backup is corruption, which stops the replay (`corruption_detected`)."""
        missing = self.driver.topic(self.topic) is None
        if missing and has_backup_files(self._backup_location):
            log.warning("Command topic is not found and it is not in sync with backup. "
                        "Use backup to recover the command topic.")
        else:
            ensure_topic(self.driver, self.topic, self._topic_properties)
        if self._backup_location:
            self.backup = CommandTopicBackup(
                self._backup_location, self.topic, lambda: self.driver.topic(self.topic) is not None
            )
            self.backup.initialize()
            if self.backup.corruption_detected:  # CommandTopic.getRestoreCommands: nothing to restore
                log.warning("Corruption detected. Use backup to restore command topic.")
                self.degraded = "CORRUPTED"
                self._started = True
                return 0
        self._tail = self.driver.tail(self.topic)
        n = self._apply_records(self._tail.read(), skip_own=False)
        self._started = True
        log.info("replayed %d commands from %s", n, self.topic)
        return n

    @property
    def corruption_detected(self) -> bool:
        """CommandStore.corruptionDetected: the command topic and its backup disagree."""
        return self.backup is not None and self.backup.corruption_detected

    def _backed_up(self, rec: Record) -> bool:
        """CommandTopic.backupRecord; False once the topic is out of step with the backup (DEGRADED)."""
        if self.backup is None:
            return True
        try:
            self.backup.write_record(rec.key, rec.value, rec.partition, rec.offset or 0)
        except CommandTopicCorruptionError as e:
            log.warning("Backup is out of sync with the current command topic. Backups will not work until the "
                        "previous command topic is restored or all backup files are deleted. %s", e.message)
            self.degraded = "CORRUPTED"
            return False
        return True

    def poll(self, timeout: float = 0.0) -> int:
        """Apply commands other servers appended since the last call. As CommandRunner.fetchAndRunCommands:
        when nothing came and the topic is gone, the runner is DEGRADED (CORRUPTED) and applies no more."""
        if self._tail is None or self.degraded is not None:
            return 0
        records = self._tail.read(timeout)
        if not records:
            now = time.monotonic()
            if now - self._last_topic_check >= TOPIC_CHECK_INTERVAL:
                self._last_topic_check = now
                if self.driver.topic(self.topic) is None:
                    log.warning("command runner DEGRADED: the command topic %s was deleted", self.topic)
                    self.degraded = "CORRUPTED"
            return 0
        return self._apply_records(records, skip_own=True)

    @property
    def warning(self) -> str:
        """CommandRunner.getCommandRunnerDegradedWarning: "" unless DEGRADED."""
        return DEGRADED_MESSAGES.get(self.degraded or "", "")

    def _apply_records(self, records: list[Record], skip_own: bool) -> int:
        terminate = self._terminate_command(records, skip_own)
        if terminate is not None:
            # CommandRunner.findTerminateCommand: a TERMINATE CLUSTER among the new commands is run before,
            # and instead of, any of them ("Cluster previously terminated: terminating." on restore)
            log.info("TERMINATE CLUSTER found in %s: terminating", self.topic)
            self.terminate_requested = [str(p) for p in terminate.properties.get(DELETE_TOPIC_LIST, []) or []]
            if self._on_terminate is not None:
                self._on_terminate(self.terminate_requested)
            return 0
        n = 0
        for rec in records:
            if not self._backed_up(rec):
                break
            if rec.value is None:  # CommandStore skips tombstones
                continue
            try:
                cmd = Command.from_record(rec)
            except CommandError as e:
                # CommandRunner.checkForIncompatibleCommands: the commands before it run, none after, and
                # the runner is DEGRADED
                log.warning("%s: %s; command runner DEGRADED", self.topic, e.message)
                self.failed += 1
                self.degraded = "INCOMPATIBLE_COMMAND"
                break
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

    def _terminate_command(self, records: list[Record], skip_own: bool) -> Command | None:
        for rec in records:
            if rec.value is None:
                continue
            try:
                cmd = Command.from_record(rec)
            except CommandError:
                return None  # CommandRunner looks among the compatible commands before the incompatible one
            if cmd.statement.strip().upper() == TERMINATE_CLUSTER and not (skip_own and cmd.origin == self.origin):
                return cmd
        return None

    def record_terminate(self, delete_topic_list: list[str], sequence: int | None) -> None:
        """TERMINATE CLUSTER as DistributingExecutor writes it (the patterns in its properties), so the other
        servers of the service id terminate too."""
        if not self._started or self._tail is None:
            return
        cmd = Command(
            statement=TERMINATE_CLUSTER,
            properties={DELETE_TOPIC_LIST: list(delete_topic_list)},
            command_id="cluster/TerminateCluster/terminate",
            origin=self.origin,
            sequence=sequence,
            planned=False,
        )
        self.driver.produce(self.topic, [cmd.to_record()])

    def follow(self, interval: float = 0.5) -> None:
        """Apply other servers' commands on a daemon thread until `close`."""

        def loop() -> None:
            # a DEGRADED runner stops (closeEarly), as does one that read TERMINATE CLUSTER
            while not self._stop.is_set() and self.degraded is None and self.terminate_requested is None:
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
