"""What statements change: the engine's state (metastore, queries, counters) and a request's session."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ksqlserver.catalog.metastore import MetaStore
from ksqlserver.catalog.properties import Properties
from ksqlserver.cluster.membership import Cluster
from ksqlserver.config import EngineConfig
from ksqlserver.connect import ConnectClient
from ksqlserver.drivers.base import Record, TopicDriver
from ksqlserver.formats.sr.client import SchemaRegistryClient
from ksqlserver.functions import FunctionRegistry
from ksqlserver.runtime.pipeline import TS_ERROR, ErrorHandler, TimestampExtractionError
from ksqlserver.runtime.processing_log import ProcessingLog
from ksqlserver.runtime.query import PersistentQuery, TransientQuery
from ksqlserver.runtime.state.base import StateStores
from ksqlserver.runtime.table_view import TopicTable
from ksqlserver.statements.transient_cleanup import TransientQueryCleanup


@dataclass
class Session:
    """Per-request state: effective properties (SET/UNSET change them until the request ends) and the
    variables DEFINE sets (the request's `sessionVariables` to begin with)."""

    props: Properties
    variables: dict[str, str] = field(default_factory=dict)
    # a push query over a table leaves deleted rows out (WSQueryEndpoint runs its queries so)
    exclude_tombstones: bool = False
    # the whole request's SQL, which RequestValidator's capacity error names (None: the statement's own)
    request_sql: str | None = None

    @property
    def new_planner(self) -> bool:
        return self.props.get("ksql.new.query.planner.enabled", "false").lower() == "true"

    @property
    def persistent_prefix(self) -> str:
        """ksql.persistent.prefix as a persistent query is built with it: QueryRegistryImpl builds with the
        statement's SessionConfig.getConfig(true), so a request's override wins over the server's value."""
        return self.props.get("ksql.persistent.prefix", "query_")

    @property
    def transient_prefix(self) -> str:
        """ksql.transient.prefix (KsqlConfig.KSQL_TRANSIENT_QUERY_NAME_PREFIX_CONFIG) of the statement's
        config, with which a transient query's application id is built."""
        return self.props.get("ksql.transient.prefix", "transient_")


@dataclass(frozen=True)
class SourceTableQuery:
    """The query ksqlDB runs for a CREATE SOURCE TABLE (PersistentQueryType.CREATE_SOURCE): it materialises
    the table for pull queries and writes to no sink; SHOW QUERIES lists it, TERMINATE stops it."""

    query_id: str  # CST_<NAME>_<n> (QueryIdUtil.buildId)
    statement: str
    source: str
    # the session's overrides the CREATE SOURCE TABLE ran with (QueryMetadata.getOverriddenProperties)
    overridden: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # QueryApplicationId.build with that session's config ("" for the server's: EngineConfig)
    application_id: str = field(default="", compare=False, hash=False)
    # PAUSE (PersistentQueryMetadata.pause): the table's state stops following its topic until RESUME
    paused: bool = field(default=False, compare=False)

    @property
    def state(self) -> str:
        return "PAUSED" if self.paused else "RUNNING"


@dataclass
class EngineState:
    """Everything statements change: metastore, queries, counters; the engine's configuration."""

    config: EngineConfig
    driver: TopicDriver
    registry: FunctionRegistry
    stores: StateStores = field(default_factory=StateStores)  # keyed state of every stateful query
    metastore: MetaStore = field(default_factory=MetaStore)
    persistent: dict[str, PersistentQuery] = field(default_factory=dict)
    transient: dict[str, TransientQuery] = field(default_factory=dict)
    # the next query id's number and the commandSequenceNumber counter (see next_query_number, next_seq)
    query_counter: int = 0
    command_seq: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock)
    processing_log: ProcessingLog | None = None
    cluster: Cluster | None = None  # in a scale-out on Kafka: who owns which partition
    # this server's KsqlHostInfo ("host:port" of its application.server); "" until a REST server serves it
    host_info: str = ""
    # its inter-node listener URL, the `ksql.streams.application.server` of the engine's config
    application_server: str = ""
    replaying: bool = False  # the command topic is being replayed: queries start once it is complete
    # CREATE SOURCE TABLE: table name -> the query materialising it
    source_tables: dict[str, SourceTableQuery] = field(default_factory=dict)
    last_pull_ms: int = 0
    # tables kept from their topics for pull queries (runtime/table_view.py), by table name
    table_views: dict[str, TopicTable] = field(default_factory=dict)
    # the Schema Registry (HTTP to ksql.schema.registry.url, or in memory in tests); None: not configured
    schema_registry: SchemaRegistryClient | None = None
    # the Kafka Connect worker's REST API (config.connect_url), made on the first connector statement
    connect: ConnectClient | None = None
    _connect_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    # TransientQueryCleanupService (statements/transient_cleanup.py): the transient queries' app ids it knows
    transient_cleanup: TransientQueryCleanup | None = None
    # without the TopicCreateInjector (ksqlDB's test harness): the sink topics a CREATE ... AS SELECT made
    # itself here, which the harness's topic client never created (statements/queries.partitions_of)
    undescribed_topics: set[str] = field(default_factory=set)

    @property
    def starts_queries(self) -> bool:
        """Whether a new query starts its thread now (not in synchronous mode, nor during a replay)."""
        return not (self.config.synchronous or self.replaying)

    def connect_client(self) -> ConnectClient:
        with self._connect_lock:  # not the engine lock: connector statements run beside the others
            if self.connect is None:
                self.connect = ConnectClient(self.config.connect_url, self.config.connect_timeout)
            return self.connect

    def next_query_number(self) -> int:
        """The number of the next query id. With a command topic: ksqlDB's SpecificQueryIdGenerator, the
        offset after the last planned command (InteractiveStatementExecutor.executePlan sets it), which
        only `command_done` moves; without one: the sequential counter of ksqlDB's test harness
        (SequentialQueryIdGenerator: 0, 1, 2, ...)."""
        n = self.query_counter
        if not self.config.command_topic:
            self.query_counter += 1
        return n

    def next_seq(self) -> int:
        """The `commandSequenceNumber` of a command's status entity. With a command topic: the offset the
        command takes (CommandStore.enqueueCommand's record offset), moved on by `command_done`; without
        one: a counter from 1."""
        if self.config.command_topic:
            return self.command_seq
        self.command_seq += 1
        return self.command_seq

    def command_done(self, offset: int, planned: bool) -> None:
        """The command at `offset` of the command topic was executed (or replayed). ksqlDB writes each
        command in a transaction (DistributingExecutor), so its commit marker takes the next offset and the
        next command lands 2 further on; a planned command (not TERMINATE, PAUSE, RESUME, ALTER SYSTEM:
        ValidatedCommandFactory) sets the query id generator to its offset + 1."""
        self.command_seq = max(self.command_seq, offset + 2)
        if planned:
            self.query_counter = offset + 1

    def new_query_id(self, kind: str, name: str) -> str:
        """ksqlDB's query ids: `CSAS_<SINK>_<n>`, `CTAS_<SINK>_<n>`, `INSERTQUERY_<n>` (n from
        `next_query_number`, which the command topic replays, so a restarted server gives the same ids) and,
        for push and pull queries, `transient_<SOURCE>_<19 random digits>`."""
        if kind == "transient":
            return f"transient_{name}_{random.randrange(10**18, 10**19)}"
        if kind == "pull":  # a pull query on a table: `query_<epoch ms>`, kept unique here
            self.last_pull_ms = max(int(time.time() * 1000), self.last_pull_ms + 1)
            return f"query_{self.last_pull_ms}"
        n = self.next_query_number()
        return f"INSERTQUERY_{n}" if kind == "INSERT" else f"{kind}_{name}_{n}"

    def error_handler(self, query_id: str, throw_on_invalid_ts: bool = False) -> ErrorHandler:
        """Where the query's failed records go: the processing log (the one in place when they fail).
        `throw_on_invalid_ts` (ksql.timestamp.throw.on.invalid): a timestamp that cannot be extracted is
        logged and then fails the query (LoggingTimestampExtractor.handleFailure's failOnError)."""

        def on_error(
            kind: str,
            message: str,
            rec: Record,
            exc: Exception | None,
            row_text: Callable[[], str | None] | None = None,
            logger: str | None = None,
        ) -> None:
            log_error(kind, message, rec, exc, row_text, logger)
            if throw_on_invalid_ts and kind == "recordProcessing" and message == TS_ERROR:
                raise TimestampExtractionError(rec, exc)

        def log_error(
            kind: str,
            message: str,
            rec: Record,
            exc: Exception | None,
            row_text: Callable[[], str | None] | None,
            logger: str | None,
        ) -> None:
            if self.processing_log is None:
                return
            # the row only goes to a log that writes rows (ProcessingLogConfig.INCLUDE_ROWS)
            extra: list[Callable[[], str | None]] = []
            if row_text is not None and getattr(self.processing_log, "include_rows", False):
                extra.append(row_text)
            # the failing step's query context (runtime.pipeline.with_logger), for the log that names loggers
            if logger and isinstance(self.processing_log, ProcessingLog):
                self.processing_log.error(query_id, kind, message, rec, exc, *extra, logger=logger)
            else:
                self.processing_log.error(query_id, kind, message, rec, exc, *extra)

        on_error.takes_logger = True  # type: ignore[attr-defined]  # runtime.pipeline.with_logger
        return on_error
