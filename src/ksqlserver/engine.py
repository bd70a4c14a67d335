"""The engine facade: the contract between the SQL engine and the REST server.

`Engine.execute` is the whole path of a statement: parse -> the handler for its type (statements/), which
analyses, plans, compiles and runs -> the /ksql entity. The server (`ksqlserver.server`) only uses what is
declared here.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from ksqlserver.catalog.properties import Properties
from ksqlserver.cluster.backup import BACKUP_LOCATION
from ksqlserver.cluster.command_log import Command, CommandLog, command_topic, is_command, is_planned
from ksqlserver.cluster.internal_topics import MIN_INSYNC_REPLICAS, REPLICAS
from ksqlserver.cluster.membership import start_cluster
from ksqlserver.config import EngineConfig
from ksqlserver.drivers.base import TopicDriver
from ksqlserver.errors import (
    FailedLineError,
    KsqlBadRequestError,
    KsqlError,
    KsqlInternalError,
    KsqlParseError,
    KsqlStatementError,
    error_chain_message,
)
from ksqlserver.extensions import load_extensions
from ksqlserver.formats.sr.client import HttpRegistryClient, SchemaRegistryClient
from ksqlserver.runtime.processing_log import (
    INCLUDE_ROWS,
    STREAM_AUTO_CREATE,
    STREAM_NAME,
    STREAM_NAME_DEFAULT,
    TOPIC_AUTO_CREATE,
    TOPIC_PARTITIONS,
    TOPIC_REPLICATION_FACTOR,
    ProcessingLog,
    stream_create_statement,
)
from ksqlserver.runtime.pull import PullResult
from ksqlserver.runtime.query import RunningQuery, TransientQuery
from ksqlserver.runtime.state.durable import durable_stores
from ksqlserver.sql import ast
from ksqlserver.sql.mask import masked_text
from ksqlserver.sql.parser import parse, raw_syntax_error, split_statements, variable_references
from ksqlserver.sql.tokens import failed_line
from ksqlserver.sql.variables import check_references, substitute
from ksqlserver.statements import EngineState, Executor, Session, talks_to_connect
from ksqlserver.statements.command_rate import RATE_LIMIT, CommandRateLimiter
from ksqlserver.statements.ddl import check_request_names
from ksqlserver.statements.queries import check_request_capacity
from ksqlserver.statements.terminate import delete_sinks
from ksqlserver.statements.transient_cleanup import TransientQueryCleanup

__all__ = ["Engine", "EngineConfig", "PushQuery"]

# the statements ksqlDB writes to the command topic (Engine._distributed adds TERMINATE)
DISTRIBUTED: tuple[type[ast.Statement], ...] = (
    ast.CreateSource, ast.CreateAsSelect, ast.InsertInto, ast.DropSource, ast.CreateType, ast.DropType,
    ast.AlterSource, ast.AlterSystem, ast.PauseResume,
)  # fmt: skip

# what RequestValidator's sandbox does not run: statements that talk to Connect (CustomValidators:
# CREATE CONNECTOR's ConnectExecutor.validate asks the worker, the others have NO_VALIDATION), ASSERT TOPIC /
# SCHEMA (NO_VALIDATION: they would wait out their timeout) and ALTER SYSTEM (NO_VALIDATION)
_NOT_SANDBOXED: tuple[type[ast.Statement], ...] = (ast.AssertTopic, ast.AssertSchema, ast.AlterSystem)

log = logging.getLogger("ksqlserver.engine")
# StreamedQueryResource's answer to a statement that is no query or PRINT (Errors.badRequest): it formats
# statement.getClass().getName(), the class of the PreparedStatement wrapper, never the statement's own
_NOT_FOR_THIS_RESOURCE = (
    "Statement type `io.confluent.ksql.parser.KsqlParser$PreparedStatement' not supported for this resource"
)


@contextlib.contextmanager
def statement_errors(text: str, what: str, masked: str | None = None) -> Iterator[None]:
    """Errors of the statement `text` as ksqlDB shapes them: a `KsqlError` names the statement (`masked`:
    the QueryMask text that replaces it); anything else is an engine bug, logged (as `what`) and raised as
    a 50000 error, so the server stays up."""
    try:
        yield
    except KsqlError as e:
        e.statement_text = masked or e.statement_text or text
        raise
    except Exception as e:
        log.exception("%s: %s", what, text)
        raise KsqlInternalError(f"{type(e).__name__}: {e}", text, e) from e


def java_lines(sql: str) -> list[str]:
    """`sql.split(System.lineSeparator())`: Java's split drops the trailing empty strings."""
    lines = sql.split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    return lines if sql else [""]


def _check_unsubstituted_prepare(sql: str) -> None:
    """StreamedQueryResource (/query's first route) prepares the request with StatementParser, which
    substitutes no variables: AstBuilder has no visitor for a #variableLiteral, so its default aggregateResult
    throws UnsupportedOperationException("not yet implemented"), which DefaultKsqlParser.prepare wraps
    (observed on ksqlDB 0.29 built from source: `SELECT ${c} AS Y FROM X;` answers 40001 "Failed to prepare
    statement: not yet implemented" whatever sessionVariables say)."""
    refs = variable_references(sql)
    if refs and any(ref.kind == "literal" for ref in refs):
        error = KsqlStatementError("Failed to prepare statement: not yet implemented", sql)
        error.resource_message = error.message
        raise error


def parse_failure(e: KsqlParseError, sql: str) -> KsqlParseError:
    """A /query or /query-stream request's parse error as DefaultKsqlParser throws it, a ParseFailedException:
    a syntax error carries its unlogged details and the failed line (KsqlStatementException.buildMessage
    appends "\nStatement: <line>"), an AstBuilder ParsingException ("Failed to prepare statement: line L:C:
    ...") the same with the statement's text; AstBuilder's other exceptions ("Failed to prepare statement:
    <message>") carry no unlogged details, so getUnloggedMessage is the bare message. StreamedQueryResource
    answers with ErrorMessageUtil.buildErrorMessage over the exception: its unlogged message, then the
    ParsingException's own (the position alone) as "Caused by: ..."."""
    if e.is_syntax_error:
        lines = java_lines(sql)
        e.append_statement(lines[e.line - 1] if 0 < e.line <= len(lines) else sql)
    elif e.cause is not None:
        e.append_statement(e.statement_text or sql)
    e.resource_message = error_chain_message([e.unlogged_message, *([e.cause] if e.cause else [])])
    return e


class PushQuery:
    """A running transient query (SELECT ... EMIT CHANGES, or a pull query that ends by itself).

    Attributes
    - query_id: ksqlDB-style id, e.g. "transient_TRANSACTIONS_1234567890" (used by /close-query)
    - columns: [(name, ksql_type_string)], e.g. [("ID", "BIGINT"), ("USER", "STRING")]
    - is_pull: True for a pull query (the server then ends the response when `done`)
    - schema: the header's schema text of a pull query (None: built from `columns`)
    - is_print: a PRINT (rows are text lines; no header, no final message)
    - stream_pull: a pull query on a stream (it ends by itself, but streams as a push query does)
    """

    query_id: str
    columns: list[tuple[str, str]]
    is_pull: bool
    is_print: bool
    stream_pull: bool
    schema: str | None

    def __init__(self, running: TransientQuery | PullResult, on_close: Any = None) -> None:
        self._q = running
        self._on_close = on_close
        self.query_id = running.query_id
        self.columns = [(n, str(t) if t is not None else "STRING") for n, t in running.columns]
        self.is_pull = running.is_pull
        self.is_print = bool(getattr(running, "is_print", False))  # PRINT: text lines, no header
        self.stream_pull = bool(getattr(running, "stream_pull", False))  # a pull query on a stream
        self.schema = running.schema or None
        self._closed = False
        self._batched = bool(getattr(running, "batched", False))  # queue items are lists of rows

    def poll(self, timeout: float) -> list[list[Any]]:
        """Rows produced since the last poll (JSON-ready values in column order); [] after `timeout` s.
        Raises the error that ended a pull query once its rows are all out."""
        rows: list[list[Any]] = []
        error = getattr(self._q, "error", None)
        if isinstance(error, Exception) and self._q.finished.is_set() and self._q.rows.empty():
            self._q.error = None
            raise error
        first = self._first_row(timeout)
        if first is None:
            return rows
        add = rows.extend if self._batched else rows.append
        add(first)
        while True:
            try:
                add(self._q.rows.get_nowait())
            except queue.Empty:
                return rows

    def _first_row(self, timeout: float) -> Any:
        """The next queue item (a row, or a batch of rows), waiting up to `timeout` s, but no longer than
        it takes the query to finish: a finished query sends no more rows, and waiting out the timeout would hold the end of every pull
        query's response back by it. The wait grows in slices (1 ms doubling up to 50 ms), so a short
        query's end is seen within about its own duration and an idle push query wakes 20 times a second."""
        rows = self._q.rows
        deadline = time.monotonic() + timeout
        wait = 0.001
        while True:
            remaining = deadline - time.monotonic()
            try:
                return rows.get(timeout=min(wait, remaining)) if remaining > 0 else rows.get_nowait()
            except queue.Empty:
                pass
            if self._closed or self._q.finished.is_set():
                try:  # a row put just before `finished` was set
                    return rows.get_nowait()
                except queue.Empty:
                    return None
            if remaining <= 0:
                return None
            wait = min(wait * 2, 0.05)

    @property
    def done(self) -> bool:
        """True once LIMIT is reached, the query was closed, or a pull query has returned all rows."""
        return (self._closed or self._q.finished.is_set()) and self._q.rows.empty()

    @property
    def final_message(self) -> str | None:
        """ "Limit Reached" (a push query or stream scan at its LIMIT), "Query Completed" (a stream scan at
        its end, or a push query stopped by TERMINATE), None for a table pull query."""
        if self.is_pull:
            return None
        finished = self._q.finished.is_set()
        stated = getattr(self._q, "final_message", None)
        if finished and isinstance(stated, str):
            return stated
        if self._closed or getattr(self._q, "terminated", False):
            # QueryStreamHandler: a transient push query's completionMessage; a scalable one has none
            return None if self.query_id.startswith("SCALABLE_PUSH_QUERY_") else "Query Completed"
        return "Limit Reached" if finished else None

    def close(self) -> None:
        """Stop the query and release its consumer; idempotent."""
        if not self._closed:
            self._closed = True
            self._q.stop()
            if self._on_close is not None:
                self._on_close(self.query_id)


CACHE_BYTES = "ksql.streams.cache.max.bytes.buffering"
TRANSIENT_CLEANUP = "ksql.transient.query.cleanup.service."


def _with_harness_defaults(config: EngineConfig) -> dict[str, str]:
    """The server properties. A synchronous engine (unit tests, the conformance runners) runs without the
    record cache unless told otherwise, as ksqlDB's own harnesses do (TestExecutor, TestKsqlRestApp set
    cache.max.bytes.buffering to 0): one output per update, whatever a drain holds. A threaded engine (the
    server) keeps ksqlDB's default (catalog/properties.py)."""
    props = dict(config.properties)
    if config.synchronous and CACHE_BYTES not in props and "cache.max.bytes.buffering" not in props:
        props[CACHE_BYTES] = "0"
    return props


class Engine:
    """Parses, plans and runs ksqlDB statements over a topic driver (real Kafka or in-memory)."""

    def __init__(
        self, config: EngineConfig, driver: TopicDriver, schema_registry: SchemaRegistryClient | None = None
    ) -> None:
        """`schema_registry`: the registry the AVRO/PROTOBUF/JSON_SR formats use; by default an HTTP client
        of `ksql.schema.registry.url` when that property is set (tests pass an in-memory one)."""
        self.config = config
        self.driver = driver
        self.server_props = Properties(_with_harness_defaults(config))
        url = config.properties.get("ksql.schema.registry.url", "")
        self._owns_registry = schema_registry is None and bool(url)
        if self._owns_registry:
            schema_registry = HttpRegistryClient(url)
        self.state = EngineState(
            config,
            driver,
            load_extensions(config.extension_dir, dict(config.properties)),
            # changelog-backed on Kafka (runtime/state/durable.py), in memory otherwise
            stores=durable_stores(driver, config.service_id, config.state_dir, config.persistent_prefix),
            schema_registry=schema_registry,
        )
        self.executor = Executor(self.state)
        self._start_transient_cleanup()
        self._push: dict[str, PushQuery] = {}
        self._lock = threading.Lock()
        self._closed = False
        self.sandboxed = False  # a RequestValidator sandbox (ksqlserver/sandbox.py): some statements skipped
        self.terminated = False  # TERMINATE CLUSTER ran here (asked for, or read from the command topic)
        self.commands: CommandLog | None = None
        rate = str(config.properties.get(RATE_LIMIT, "") or "").strip()
        self._command_rate = CommandRateLimiter(float(rate)) if rate else None
        # the entities of the commands this engine applied from the command topic (replayed or followed), for
        # the server's command statuses (InteractiveStatementExecutor keeps a status for every command it runs)
        self._applied: list[dict[str, Any]] = []
        if config.processing_log:
            self._open_processing_log()
        if config.command_topic:
            self.commands = self._replay_commands()
            if self.commands.terminate_requested is not None:  # "Cluster previously terminated: terminating."
                self._terminate_by_command(self.commands.terminate_requested)
                return
        if config.processing_log:
            self._create_processing_log_stream()
        # scale-out on Kafka: heartbeats with this server's listener and owned partitions (cluster/)
        url = config.properties.get("ksql.advertised.listener") or config.properties.get("listeners", "")
        self.state.cluster = start_cluster(driver, config.service_id, url, self.state.persistent)

    def _start_transient_cleanup(self) -> None:
        """KsqlEngine: the TransientQueryCleanupService over the internal topic prefix of transient queries
        (QueryApplicationId.buildInternalTopicPrefix(config, false)), scheduled when
        ksql.transient.query.cleanup.service.enable is true (a synchronous engine schedules nothing)."""
        props = self.server_props
        prefix = f"_confluent-ksql-{self.config.service_id}{props.get('ksql.transient.prefix', 'transient_')}"
        state = self.state
        cleanup = TransientQueryCleanup(self.driver, prefix, lambda: [*state.persistent, *state.transient])
        state.transient_cleanup = cleanup
        if self.config.synchronous or props.get(TRANSIENT_CLEANUP + "enable", "true").strip().lower() != "true":
            return
        cleanup.start(
            float(props.get(TRANSIENT_CLEANUP + "initial.delay.seconds", "600")),
            float(props.get(TRANSIENT_CLEANUP + "period.seconds", "600")),
        )

    def _log_flag(self, name: str) -> bool:
        """ksql.logging.processing.{topic,stream}.auto.create: ProcessingLogConfig defaults them to false,
        but the server's shipped ksql-server.properties sets both true, so only an explicit false stops them."""
        return str(self.server_props.get(name, "true")).strip().lower() != "false"

    def _open_processing_log(self) -> None:
        """ProcessingLogServerUtils.maybeCreateProcessingLogTopic: the topic with
        ksql.logging.processing.topic.partitions and .replication.factor (1 and 1)."""
        topic = self.config.processing_log_topic
        if self._log_flag(TOPIC_AUTO_CREATE):
            partitions = int(str(self.server_props.get(TOPIC_PARTITIONS, "1")).strip() or 1)
            replicas = int(str(self.server_props.get(TOPIC_REPLICATION_FACTOR, "1")).strip() or 1)
            self.driver.create_topic(topic, partitions, replicas)
        rows = str(self.server_props.get(INCLUDE_ROWS, "false")).strip().lower() == "true"
        self.state.processing_log = ProcessingLog(self.driver, topic, include_rows=rows)

    def _create_processing_log_stream(self) -> None:
        """KsqlRestApplication.maybeCreateProcessingLogStream: once the command topic is replayed, the
        processing log stream (ksql.logging.processing.stream.name, KSQL_PROCESSING_LOG) that does not exist
        yet is created by an ordinary /ksql request with ProcessingLogServerUtils'
        processingLogStreamCreateStatement, so with a command topic it is a command (offset 0 of a new one)."""
        name = str(self.server_props.get(STREAM_NAME) or STREAM_NAME_DEFAULT)
        if not self._log_flag(STREAM_AUTO_CREATE) or self.state.metastore.get(name.upper()) is not None:
            return
        sql = stream_create_statement(name, self.config.processing_log_topic)
        with contextlib.suppress(KsqlError):  # a log stream the user already made is fine
            self.execute(sql)

    def _replay_commands(self) -> CommandLog:
        """Replay the command topic into this engine, start the queries it created once it is complete,
        then keep applying what other servers with this service id append (cluster/command_log.py)."""
        state = self.state

        def apply(cmd: Command) -> None:
            with state.lock:
                if cmd.sequence is None and self.config.processing_log:
                    # version 1 logs never held the processing log stream (it was made before the replay),
                    # and their commands may read it
                    self._create_processing_log_stream()
                # a command recorded without its offset (version 1) takes the next one
                offset = cmd.sequence if cmd.sequence is not None else state.command_seq
                state.command_seq = offset
                n = cmd.query_number
                if n is not None:  # the next query takes the counter's number: this one reproduces the id
                    state.query_counter = n
                try:
                    applied = self.execute(cmd.statement, cmd.properties)
                finally:  # as the server that wrote it, even when it fails here (e.g. its topic is gone)
                    state.command_done(offset, cmd.planned)
                with self._lock:  # bounded as the server's CommandStatuses are, when nothing drains it
                    self._applied = [*self._applied, *applied][-10_000:]

        location = str(self.server_props.get(BACKUP_LOCATION, "") or "").strip()
        topic_properties = {name: self.server_props.get(name, "1") for name in (REPLICAS, MIN_INSYNC_REPLICAS)}
        def on_terminate(patterns: list[str]) -> None:
            if commands.is_started:  # another server's TERMINATE CLUSTER while following: off this thread
                threading.Thread(target=self._terminate_by_command, args=(patterns,), daemon=True).start()

        commands = CommandLog(self.driver, self.config.service_id, apply, location, topic_properties, on_terminate)
        state.replaying = True  # queries are created now, started after the whole replay
        try:
            commands.replay()
        finally:
            state.replaying = False
        if not self.config.synchronous:
            # CommandRunner.processPriorCommands: with the backup out of step the queries are not started
            if not commands.corruption_detected:
                for q in list(state.persistent.values()):
                    q.start()
            commands.follow()
        return commands

    @property
    def command_runner_warning(self) -> str:
        """CommandRunner.getCommandRunnerDegradedWarning: "" unless the command runner is DEGRADED."""
        commands = self.commands
        return commands.warning if commands is not None else ""

    def drain_applied_commands(self) -> list[dict[str, Any]]:
        """The entities of the commands applied from the command topic since the last call."""
        with self._lock:
            applied, self._applied = self._applied, []
        return applied

    def _session(
        self, properties: Mapping[str, Any] | None, variables: dict[str, str] | None = None
    ) -> Session:
        session = Session(self.server_props.with_overrides(properties or {}))
        if variables is not None:
            session.variables = variables
        return session

    def _statements(self, sql: str, session: Session) -> Iterator[ast.Statement]:
        """The request's statements; with variable references, each one substituted with the variables
        defined so far (DEFINE in one statement applies to the next) and parsed just before it runs."""
        try:
            yield from self._parsed_statements(sql, session)
        except KsqlParseError as e:
            if e.is_syntax_error:
                lines = java_lines(sql)
                if e.line > len(lines):  # DefaultKsqlParser.parse's failedLine lookup throws
                    raise FailedLineError(e.line - 1, len(lines), sql, e) from None
            raise

    def _parsed_statements(self, sql: str, session: Session) -> Iterator[ast.Statement]:
        enabled = session.props.get("ksql.variable.substitution.enable", "true").lower() != "false"
        if "${" not in sql or not enabled:
            yield from parse(sql)
            return
        sources = split_statements(sql)
        found = [variable_references(s.text, line=s.line, column=s.column) for s in sources]
        for source, refs in zip(sources, found, strict=True):
            # the request is parsed as written before any statement runs (KsqlResource: KsqlEngine.parse)
            error = None if refs is not None else raw_syntax_error(source.text, line=source.line, column=source.column)
            if error is not None:  # its failed line is the request's (DefaultKsqlParser.parse of it all)
                error.statement_text = failed_line(sql, error.line - 1)
                raise error
        for source, refs in zip(sources, found, strict=True):
            # VariableSubstitutor checks each reference's value against where it stands (identifier or
            # literal) before substituting
            if refs:
                check_references(refs, session.variables, source.text)
            text = substitute(source.text, session.variables)
            yield from parse(text, line=source.line, column=source.column)

    def execute(
        self,
        sql: str,
        properties: Mapping[str, Any] | None = None,
        variables: dict[str, str] | None = None,
        *,
        atomic: bool = False,
    ) -> list[dict[str, Any]]:
        """Run every statement of a /ksql request in order.

        Returns the list of ksqlDB entities exactly as the /ksql endpoint returns them (JSON-ready dicts
        with "@type", "statementText", "warnings", ...). On the first failing statement raises a
        `ksqlserver.errors.KsqlError` subclass whose `to_entity()` gives ksqlDB's error entity.
        `variables`: the request's session variables; DEFINE and UNDEFINE change this dict in place (a
        client that keeps it passes it again, as ksqlDB's CLI sends its variables with each request).
        `atomic`: a request of several statements runs first on a sandbox of this engine, and nothing runs
        unless all of them pass there (KsqlResource.handleKsqlStatements' RequestValidator.validate).
        """
        session = self._session(properties, variables)
        session.request_sql = sql
        entities = []
        statements: Iterable[ast.Statement] = self._statements(sql, session)
        if "${" not in sql:  # a request parsed up front: its query count is checked before anything runs
            statements = list(statements)
            check_request_names(statements)
            with self.state.lock:
                check_request_capacity(self.state, statements, session)
        if atomic and not self.sandboxed:
            several = len(statements) if isinstance(statements, list) else len(split_statements(sql))
            if several > 1:
                self._validate(sql, properties, variables)
        warning = self.command_runner_warning
        for statement in statements:
            if self.sandboxed and (isinstance(statement, _NOT_SANDBOXED) or talks_to_connect(statement)):
                continue
            if warning and self._distributed(statement):
                # DistributingExecutor.execute refuses every command while the command runner is DEGRADED;
                # KsqlResource answers the KsqlServerException with the request's text
                raise KsqlInternalError(f"Failed to handle Ksql Statement.\n{warning}", sql)
            if self._command_rate is not None and self._rate_limited(statement):
                self._command_rate.check()
            entity = self.execute_statement(statement, session)
            if entity is not None:
                entities.append(entity)
        if warning:  # KsqlResource.addCommandRunnerWarning
            for entity in entities:
                entity["warnings"] = [*entity.get("warnings", []), {"message": warning}]
        return entities

    def _validate(
        self, sql: str, properties: Mapping[str, Any] | None, variables: dict[str, str] | None
    ) -> None:
        """RequestValidator.validate: the request runs statement by statement on a sandbox of this engine
        (each seeing what the ones before it made, SET and DEFINE included, on copies of the request's
        properties and variables); its first error is the request's. An engine bug met only in the sandbox
        is logged and leaves the request to run as before."""
        from ksqlserver.sandbox import snapshot_of  # the sandbox builds an Engine: imported when needed

        sandbox = snapshot_of(self)
        try:
            sandbox.execute(sql, properties, dict(variables) if variables is not None else None)
        except KsqlInternalError as e:
            if e.__cause__ is None or isinstance(e.__cause__, KsqlError):
                raise
            log.warning("request validation failed in the sandbox, running the request: %s", e)
        finally:
            sandbox.close()

    def new_session(self) -> Session:
        """A session over the server properties, for `execute_statement` (SET / UNSET change it)."""
        return self._session(None)

    def execute_statement(self, statement: ast.Statement, session: Session) -> dict[str, Any] | None:
        """Run one parsed statement in `session`; its entity (None for SET, DEFINE, ...)."""
        # a command's offset and query id are taken and moved on under one hold of the engine lock, so
        # concurrent requests never share them (ksqlDB serialises commands through the command topic)
        with contextlib.nullcontext() if talks_to_connect(statement) else self.state.lock:
            # an INSERT VALUES error names ConfiguredStatement.getMaskedStatementText()
            masked = masked_text(statement) if isinstance(statement, ast.InsertValues) else None
            with statement_errors(statement.text, "statement failed", masked):
                entity = self.executor.run(statement, session)
            if entity is not None and self.config.command_topic and is_command(entity):
                if self.commands is not None:
                    self.commands.record(statement, session.props.overrides, entity)
                self.state.command_done(entity["commandSequenceNumber"], is_planned(statement))
        return entity

    def _rate_limited(self, statement: ast.Statement) -> bool:
        """A command DistributingExecutor would write, not one the command runner replays, nor a CREATE ... IF
        NOT EXISTS of an existing source (answered with a warning before the permit is taken)."""
        if self.state.replaying or (self.commands is not None and self.commands.is_replaying):
            return False
        redundant = (
            isinstance(statement, ast.CreateSource | ast.CreateAsSelect)
            and statement.if_not_exists
            and self.state.metastore.get(statement.name) is not None
        )
        return not redundant and self._distributed(statement)

    def _distributed(self, statement: ast.Statement) -> bool:
        """Whether ksqlDB's DistributingExecutor runs `statement` (not one of its CustomExecutors): DDL, CREATE
        ... AS SELECT, INSERT INTO ... SELECT, ALTER, PAUSE/RESUME, and TERMINATE of anything but a transient
        query of this server."""
        if isinstance(statement, ast.Terminate):
            return statement.query_id is None or statement.query_id not in self.state.transient
        return isinstance(statement, DISTRIBUTED)

    def start_query(
        self,
        sql: str,
        properties: Mapping[str, Any] | None = None,
        variables: Mapping[str, str] | None = None,
        *,
        exact_print: bool = False,
        exclude_tombstones: bool = False,
    ) -> PushQuery:
        """Start one SELECT (push with EMIT CHANGES, or pull) or PRINT for /query and /query-stream;
        `variables`: session variables substituted into it; `exact_print`: the statement reached /query's
        StreamedQueryResource, where a PRINT's topic must exist by its exact name and any other statement but
        a query is refused with its class name; `exclude_tombstones`: a push query over a table leaves
        deleted rows out (/ws/query)."""
        session = self._session(properties, dict(variables or {}))
        session.exclude_tombstones = exclude_tombstones
        if exact_print and "${" in sql:
            _check_unsubstituted_prepare(sql)
        try:
            statements = list(self._statements(sql, session))
        except KsqlParseError as e:
            raise parse_failure(e, sql) from None
        except FailedLineError as e:
            e.resource_message = e.message  # OldApiUtils.mapException: a 50000 generic error
            raise
        if len(statements) != 1:
            # QueryEndpoint.createStatement: a KsqlStatementException naming the request; StatementParser
            # (/query's StreamedQueryResource): an IllegalArgumentException, its message alone
            error = KsqlStatementError(f"Expected exactly one KSQL statement; found {len(statements)} instead", sql)
            error.resource_message = error.message
            raise error.append_statement(sql)
        statement = statements[0]
        # QueryEndpoint.createStatement and StreamedQueryResource's StatementParser prepare the statement
        # (AstSanitizer) before they look at its type
        with self.state.lock:
            try:
                self.executor.prepare(statement, session)
            except KsqlStatementError as e:
                e.resource_message = e.message
                raise
        if not isinstance(statement, ast.Query | ast.PrintTopic):
            if exact_print:  # StreamedQueryResource.handleStatement names the PreparedStatement's class
                raise KsqlBadRequestError(_NOT_FOR_THIS_RESOURCE)
            # QueryEndpoint.createQueryPublisher: KsqlStatementException(message, sql)
            raise KsqlStatementError("Neither a query nor a print statement", sql).append_statement(sql)
        try:
            with statement_errors(statement.text, "query failed to start"):
                if isinstance(statement, ast.PrintTopic):
                    running: Any = self.executor.start_print(statement, session, exact=exact_print)
                else:
                    running = self.executor.start_transient(statement, session)
                    if isinstance(running, RunningQuery):
                        running.overridden = dict(session.props.overrides)
        except KsqlStatementError as e:
            # ServerUtils.handleEndpointException / StreamedQueryResource: the exception's getSqlStatement(),
            # for an expression error the expression it names (observed on ksqlDB 0.29 built from source)
            if e.unlogged_statement is not None:
                e.statement_text = e.unlogged_statement
            raise
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

    def check_insert_target(self, target: str) -> None:
        """Raises the error ksqlDB answers an /inserts-stream with before any row: the target (an
        identifier, upper-cased unless back-quoted) is unknown or windowed."""
        with statement_errors("", "inserts stream failed"):
            self.executor.insert_target(target)

    def insert_rows(self, target: str, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Insert JSON rows leniently (numbers from text, text from numbers, ROWTIME honoured: test inputs);
        returns one ack dict per row ({"status": "ok", "seq": n} or {"status": "error", "seq": n,
        "error_code": ..., "message": ...})."""
        return self._insert(self.executor.insert_json_row, target, rows)

    def insert_api_rows(self, target: str, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """The rows of an /inserts-stream request, checked and converted as ksqlDB's API does; acks as
        `insert_rows`."""
        return self._insert(self.executor.insert_api_row, target, rows)

    @staticmethod
    def _insert(
        insert: Callable[[str, Mapping[str, Any]], None], target: str, rows: Iterable[Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        acks = []
        for seq, row in enumerate(rows):
            try:
                insert(target, row)
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

    def terminate_cluster(self, delete_topic_patterns: Sequence[str]) -> dict[str, Any]:
        """ksqlDB's TERMINATE CLUSTER (POST /ksql/terminate): stop every persistent query, delete the topics of
        the CREATE ... AS SELECT sinks whose topic name matches one of the (Java-style, whole-name) regular
        expressions, and this service's own topics (command topic, processing log), then close the engine.
        Raises re.error for a pattern that does not compile, before anything stops. Returns the command's
        entity as ksqlDB answers it: queued (its command runner shuts down instead of completing it)."""
        patterns = [re.compile(p) for p in delete_topic_patterns]
        entity = {
            "@type": "currentStatus",
            "statementText": "TERMINATE CLUSTER;",
            "commandId": "cluster/TerminateCluster/terminate",
            "commandStatus": {"status": "QUEUED", "message": "Statement written to command topic", "queryId": None},
            "commandSequenceNumber": self.state.next_seq(),
            "warnings": [],
        }
        self.terminated = True
        if self.commands is not None:
            if self.commands.terminate_requested is None:  # written for the other servers of the service id
                self.commands.record_terminate(list(delete_topic_patterns), entity["commandSequenceNumber"])
            self.commands.close()
            self.commands = None
        for pq in list(self._push.values()):
            pq.close()
        for q in list(self.state.persistent.values()):
            q.stop()
        self.state.persistent.clear()
        managed = [command_topic(self.config.service_id)] if self.config.command_topic else []
        if self.config.processing_log and self._log_flag(TOPIC_AUTO_CREATE):
            managed.append(self.config.processing_log_topic)
        delete_sinks(self.state, patterns, managed)
        self.close()
        return entity

    def _terminate_by_command(self, patterns: list[str]) -> None:
        """CommandRunner.terminateCluster for a TERMINATE CLUSTER read from the command topic."""
        try:
            self.terminate_cluster(patterns)
        except Exception:
            log.exception("TERMINATE CLUSTER from the command topic failed")

    def close(self) -> None:
        """Stop every query and release the driver (once: TERMINATE CLUSTER closes before the server stops)."""
        if self._closed:
            return
        self._closed = True
        if self.state.transient_cleanup is not None:
            self.state.transient_cleanup.close()
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
        if self._owns_registry and isinstance(self.state.schema_registry, HttpRegistryClient):
            self.state.schema_registry.close()
        if self.state.connect is not None:
            self.state.connect.close()
