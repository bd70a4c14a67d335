"""Queries: CREATE STREAM/TABLE AS SELECT, INSERT INTO ... SELECT (push and pull queries: `transient.py`).

Every query takes the same path: analyze -> plan -> compile -> run. The statement handlers analyse (the
analysis shapes a persistent query's sink, so it comes first), then `start` plans, compiles and runs.

How ksqlDB 0.29 words a refused persistent query (KsqlResource, RequestValidator, Injectors, EngineExecutor,
SchemaRegisterInjector, DefaultSchemaInjector, KsqlStatementException, Errors): /ksql answers a
KsqlStatementException with Errors.badStatement(getRawUnloggedDetails(), getSqlStatement()). The stages, in
order, and what each adds:

1. KsqlEngine.prepare (RequestValidator, before any injector): the parser and AstBuilder ("Failed to prepare
   statement: ", the WITH clause's checks), then AstSanitizer ("Exception while preparing statement: ": a
   source that does not exist, an ambiguous column, lambdas). The statement as written; no prefix.
2. The injectors, in Injectors.NO_TOPIC_DELETE's order: DefaultFormatInjector, SourcePropertyInjector,
   DefaultSchemaInjector, TopicCreateInjector, SchemaRegisterInjector. Their own refusals (CLEANUP_POLICY or
   RETENTION_MS in the WITH clause, a sink topic that exists with other partitions, a schema id that does
   not fit) carry no prefix.
3. A CREATE STREAM/TABLE ... AS SELECT (also OR REPLACE, IF NOT EXISTS) is planned in a sandbox by
   SchemaRegisterInjector.registerForCreateAs (or, with KEY_SCHEMA_ID / VALUE_SCHEMA_ID, first by
   DefaultSchemaInjector.forCreateAsStatement). Whatever EngineExecutor.plan refuses (the analysis, the
   query id, the sink's name, the result type, the sink's DDL command and serde features, the cache limit
   of validateQuery) comes back as "Could not determine output schema for query due to error: " and the
   planning error's detailed message (which ends in "\nStatement: ..." where that exception had one: the
   result type, a WHERE/HAVING expression), naming the statement as TopicCreateInjector re-formatted it (the
   sink topic's properties in the WITH clause, a closing ';'). `wrap_planning_error` does it.
4. The sandbox then executes the plan (SandboxedExecutionContext.execute, which unlike KsqlEngine.execute
   wraps nothing): EngineExecutor.executeDdl's errors (the metastore's source upgrade check) are statement
   errors naming the plan's statement (TopicCreateInjector's text); the other KsqlExceptions of
   EngineExecutor.execute (a read-only sink, the query upgrade check, the query's serdes) reach KsqlResource
   bare: a bad request (40000, no statement). No prefix.

A planning error thrown by no injector (INSERT INTO ... SELECT) is answered as it is: e.g. FilterTypeValidator's
raw unlogged details (the comparison's detailed message, "Statement: <comparison>" included) with the filter
expression as statementText. `EngineConfig.schema_register_injector` False runs statements as ksqlDB's engine
unit tests do (KsqlEngineTestUtil: no SchemaRegisterInjector, so no prefix). Checked against ksqlDB 0.29
built from source: /ksql (diff-rest) and the QTT harness (diff-ours --strict), 44 and 32 refused statements.

INSERT INTO ... SELECT is no CreateAsSelect: no injector plans it, and its planning errors carry no prefix;
CREATE STREAM/TABLE (CreateSource) is not planned by the injectors either. EXPLAIN runs no injectors
(ExplainExecutor plans in a sandbox of its own): no prefix. ksqlDB's test harness (TestExecutorUtil) runs
DefaultSchemaInjector and SchemaRegisterInjector but no TopicCreateInjector, so the same prefix with the
statement as SourcePropertyInjector re-formatted it; it matches the logged or the detailed message.
"""

from __future__ import annotations

import dataclasses
import re
import time
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ksqlserver import plan
from ksqlserver.analyze import Analysis, analyze, analyze_stateless, is_aggregate
from ksqlserver.analyze.aggregate_query import (
    AggregateQuery,
    aggregate_sink,
    check_intermediate_format,
    check_window_size,
    check_window_store,
)
from ksqlserver.analyze.join_tree import PartitionCount
from ksqlserver.analyze.sanitize import sanitize_query
from ksqlserver.analyze.scope import check_qualifiers
from ksqlserver.catalog.metastore import DataSource, MetaStore, WindowInfo, unknown_source_message
from ksqlserver.catalog.properties import Properties
from ksqlserver.catalog.registry_schemas import infer_for_sink, register_schemas
from ksqlserver.catalog.sources import (
    CLEANUP_POLICY_SET,
    PREPARE,
    TABLE_RETENTION_SET,
    build_source,
    check_materialized_table_source,
    upper_props,
    validate_with_clause,
)
from ksqlserver.catalog.types import HEADER, KEY, LogicalSchema
from ksqlserver.drivers.base import Consumer
from ksqlserver.errors import (
    FormatError,
    KsqlBadRequestError,
    KsqlError,
    KsqlInternalError,
    KsqlStatementError,
    SchemaNotSupportedError,
)
from ksqlserver.formats import get_format
from ksqlserver.plan.repartition import (
    JoinRekey,
    join_rekeys,
    join_repartition_pipeline,
    needs_repartition,
    repartition_pipeline,
    repartition_topic,
)
from ksqlserver.plan.upgrade import source_upgrade_error, upgrade_steps, validate_upgrade
from ksqlserver.runtime import metadata_timestamp
from ksqlserver.runtime.guarantee import with_guarantee
from ksqlserver.runtime.pipeline import (
    SOURCE_CONTEXT,
    THROW_ON_INVALID_TS,
    ErrorHandler,
    Pipeline,
    event_time,
    with_logger,
)
from ksqlserver.runtime.processing_log import ProcessingLog
from ksqlserver.runtime.pull_where import rewrite_timestamps
from ksqlserver.runtime.query import (
    PersistentQuery,
    RepartitionQuery,
    RetryBackoff,
    RunningQuery,
    TransientQuery,
)
from ksqlserver.runtime.query_errors import query_errors, throwable_of
from ksqlserver.sql import ast, formatter
from ksqlserver.statements import entities, topics
from ksqlserver.statements.cache_limits import check_cache_usage
from ksqlserver.statements.ddl import check_new_name, check_timestamp_format, exists_response
from ksqlserver.statements.deprecations import deprecation_warnings
from ksqlserver.statements.state import EngineState, Session


def start(
    state: EngineState,
    a: Analysis,
    sink: DataSource | None,
    query_id: str,
    session: Session,
    statement: str,
    kind: str = "PUSH",
) -> RunningQuery:
    """Plan, compile and run an analysed query: a persistent one writing to `sink` (`kind` CSAS, CTAS or
    INSERT), or a push query (no sink)."""
    query_plan = plan.build(a, sink)
    clock = (lambda: 0) if state.config.frozen_wall_clock else plan.wall_clock_ms
    rekeys = _join_rekeys(state, a, query_id, session) if sink is not None else []
    on_error = state.error_handler(query_id, session.props.get(THROW_ON_INVALID_TS, "false").strip().lower() == "true")
    pipeline = plan.compile(
        query_plan,
        state.registry,
        on_error,
        state.stores,
        query_id,
        clock,
        {r.leaf: r.topic for r in rekeys},
        fast_paths=state.config.fast_paths,
    )
    if sink is None:
        q: RunningQuery = _push_query(state, a, pipeline, query_id, session, statement)
    else:
        q = _persistent_query(state, a, pipeline, query_plan, query_id, session, statement, kind, rekeys)
    use_query_errors(q, state, session, query_id)
    use_streams_config(q, state, session)
    use_metadata_timestamps(q, a, session, on_error)
    if state.starts_queries:
        q.start()
    return q


RETRY_BACKOFF_INITIAL_MS = "ksql.query.retry.backoff.initial.ms"  # KsqlConfig, 15000 by default
RETRY_BACKOFF_MAX_MS = "ksql.query.retry.backoff.max.ms"  # 900000 by default


def _long_or(text: str, default: int) -> int:
    try:
        return int(text.strip())
    except ValueError:
        return default


def use_query_errors(q: RunningQuery, state: EngineState, session: Session, query_id: str) -> None:
    """The query's error queue, classified as the statement's properties configure it
    (QueryBuilder.getConfiguredQueryErrorClassifier, ksql.query.error.max.queue.size); its repartition
    stages run in the same Kafka Streams application, so their failures are the query's. A persistent
    query also logs each failure to the processing log (PersistentQueryMetadataImpl.uncaughtHandler), from
    the thread Kafka Streams names `<application id>-<process uuid>-StreamThread-1`."""
    errors = query_errors(session.props, query_id)
    q.errors = errors
    q.retry_backoff = RetryBackoff(
        _long_or(session.props.get(RETRY_BACKOFF_INITIAL_MS), 15_000), _long_or(session.props.get(RETRY_BACKOFF_MAX_MS), 900_000)
    )
    if not isinstance(q, PersistentQuery):
        return
    process = str(uuid.uuid4())

    def thread_error(e: Exception) -> None:
        plog = state.processing_log
        if isinstance(plog, ProcessingLog):  # not a stand-in that keeps record errors only (conformance)
            app = q.application_id or state.config.query_application_id(query_id)
            plog.thread_error(query_id, f"{app}-{process}-StreamThread-1", throwable_of(e).error_messages())

    for stage in [q, *q.upstreams]:
        stage.errors = errors
        stage.on_failure = thread_error
        stage.retry_backoff = q.retry_backoff  # one Kafka Streams application, one RetryEvent


def use_streams_config(q: RunningQuery, state: EngineState, session: Session) -> None:
    """The query's `cache.max.bytes.buffering` and `commit.interval.ms` (server config < SET < the request's
    streamsProperties; ksqlDB's defaults 10,000,000 and 2000). In synchronous mode the cache flushes at the
    end of each drain, not by the wall clock."""
    max_bytes = session.props.long("cache.max.bytes.buffering")
    interval_ms = session.props.long("commit.interval.ms")
    timed = not state.config.synchronous
    q.use_cache(max(0, max_bytes), max(0, interval_ms) / 1000, timed=timed)
    for stage in q.upstreams if isinstance(q, PersistentQuery) else []:  # repartition stages: same runtime
        stage.use_cache(0, max(0, interval_ms) / 1000, timed=timed)


def use_metadata_timestamps(q: RunningQuery, a: Analysis, session: Session, on_error: ErrorHandler) -> None:
    """The ROWTIME of records from sources without a TIMESTAMP column: the `default.timestamp.extractor`
    the query's Streams config names (TimestampExtractionPolicyFactory.getDefaultTimestampExtractor,
    FailOnInvalidTimestamp by default), in every stage that reads the sources' topics."""
    sources = [leaf.source for leaf in a.join.leaves] if a.join is not None else [a.source]
    name = session.props.get(metadata_timestamp.CONFIG) or None
    for stage in [q, *q.upstreams] if isinstance(q, PersistentQuery) else [q]:
        stage.pipeline.process = metadata_timestamp.with_metadata_timestamps(
            stage.pipeline.process, sources, name, with_logger(on_error, SOURCE_CONTEXT)
        )


def earliest_topics(a: Analysis, props: Properties) -> list[str]:
    """The source topics a query reads from their earliest offset whatever auto.offset.reset says: a join's
    tables (JoinNode.buildTable overrides it with earliest), and a table source when it is not set
    (SourceBuilderBase / SourceBuilderV1: AutoOffsetReset.EARLIEST is a table's default, LATEST a
    stream's)."""
    if a.join is not None:
        return [leaf.source.topic for leaf in a.join.leaves if leaf.source.is_table]
    if a.source.is_table and not props.offset_reset_set:
        return [a.source.topic]
    return []


def _with_event_times(consumer: Consumer, a: Analysis, topics: list[str]) -> Consumer:
    """A join's consumer told its tables' and streams' event times, so that a driver which picks among
    topics by time picks as Kafka Streams' PartitionGroup does (by the extracted timestamp)."""
    if a.join is not None:
        extractors = {}
        for leaf in a.join.leaves:
            fn = event_time(leaf.source) if leaf.source.topic in topics else None
            if fn is not None:
                extractors[leaf.source.topic] = fn
        if extractors:
            consumer.set_event_times(extractors)
    return consumer


def _push_query(
    state: EngineState, a: Analysis, pipeline: Pipeline, query_id: str, session: Session, statement: str
) -> TransientQuery:
    group = state.config.transient_application_id(query_id, session.transient_prefix)
    consumer = state.driver.consumer(a.topics, group, session.props.from_beginning, earliest_topics(a, session.props))
    consumer = _with_event_times(consumer, a, a.topics)
    q = TransientQuery(
        query_id,
        pipeline,
        consumer,
        batch_size=state.config.batch_size,
        poll_timeout=state.config.poll_timeout,
        statement=statement,
    )
    q.exclude_tombstones = session.exclude_tombstones
    q.application_id = group
    state.transient[query_id] = q
    if state.transient_cleanup is not None:  # TransientQueryCleanupListener: a transient query that ran
        state.transient_cleanup.register_running_query(q.application_id)
    return q


def _persistent_query(
    state: EngineState,
    a: Analysis,
    pipeline: Pipeline,
    query_plan: plan.Plan,
    query_id: str,
    session: Session,
    statement: str,
    kind: str,
    rekeys: list[JoinRekey] | None = None,
) -> PersistentQuery:
    group = state.config.query_application_id(query_id, session.persistent_prefix)
    from_beginning = session.props.from_beginning
    topics = a.topics
    upstream: list[PersistentQuery] = []
    if isinstance(a, AggregateQuery) and needs_repartition(a, state.driver):
        # grouped by something other than the source key: every group through one partition first
        # (plan/repartition.py); the aggregation then reads the internal topic from its start
        stage = _repartition_stage(state, query_id, a, statement, kind, session)
        upstream = [stage]
        topics = [stage.sink.topic]
        from_beginning = True
    if rekeys and a.join is not None:
        # join sides keyed by their join expression first (plan/repartition.py), read from their
        # repartition topics: a join key meets its match in one partition number, hence on one server
        moved = {a.join.leaves[r.leaf].source.topic for r in rekeys}
        for r in rekeys:
            upstream.append(_join_repartition_stage(state, query_id, a, r, statement, kind, session))
        kept = [t for t in topics if t not in moved]
        topics = kept + [r.topic for r in rekeys]

    earliest = earliest_topics(a, session.props)

    def connect(topics: list[str] = topics, from_beginning: bool = from_beginning) -> Consumer:
        return _with_event_times(state.driver.consumer(topics, group, from_beginning, earliest), a, topics)

    q = PersistentQuery(
        query_id,
        pipeline,
        connect(),
        state.driver,
        statement,
        kind,
        batch_size=state.config.batch_size,
        poll_timeout=state.config.poll_timeout,
        # after a failure the query resumes from its group's committed offsets
        reconnect=connect,
        upstream=upstream,
        plan=query_plan,
    )
    q.application_id = group
    q = with_guarantee(q, session.props)  # exactly_once_v2: a transactional twin
    q.overridden = dict(session.props.overrides)
    state.stores.attach_query(q, topics)  # durable stores (Kafka): changelogs restored before the start
    state.persistent[query_id] = q
    return q


def _repartition_stage(
    state: EngineState, query_id: str, a: AggregateQuery, statement: str, kind: str, session: Session
) -> PersistentQuery:
    """Stage 1 of a repartitioned aggregation: the source, re-keyed by partition, into its topic."""
    info = state.driver.topic(a.source.topic)
    assert info is not None
    topic = repartition_topic(state.config.service_id, query_id, session.persistent_prefix)
    state.driver.create_topic(topic, info.partitions, info.replicas)
    # the changelog topics are sized from this topic's metadata: wait until every partition shows
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        made = state.driver.topic(topic)
        if made is not None and made.partitions >= info.partitions:
            break
        time.sleep(0.1)
    group = f"{state.config.query_application_id(query_id, session.persistent_prefix)}-repartition"
    from_beginning = session.props.from_beginning
    pipeline = repartition_pipeline(a, state.registry, topic, info.partitions)
    stage = RepartitionQuery(
        f"{query_id}-repartition",
        pipeline,
        state.driver.consumer(a.topics, group, from_beginning),
        state.driver,
        statement,
        kind,
        batch_size=state.config.batch_size,
        poll_timeout=state.config.poll_timeout,
        reconnect=lambda: state.driver.consumer(a.topics, group, from_beginning),
    )
    return with_guarantee(stage, session.props)


@dataclasses.dataclass
class PreparedQuery:
    """A persistent query planned but not run (what EXPLAIN shows): its analysis, its sink, the sink's topic,
    and for an in-place upgrade the query it replaces (still running)."""

    analysis: Analysis
    sink: DataSource
    kind: str  # CSAS, CTAS, INSERT
    topic: topics.TopicSpec | None = None
    raw: Any = None  # infer_for_sink's raw schemas (a schema id's)
    replaced: PersistentQuery | None = None
    # the WITH clause as DefaultSchemaInjector leaves it (the schema full names a schema id implies)
    with_props: dict[str, Any] | None = None

    def query_id(self, state: EngineState) -> str:
        """The id the query takes when it runs, without taking it (the sandbox's copy of the id counter)."""
        if self.replaced is not None:
            return self.replaced.query_id
        if self.kind == "INSERT":
            return f"INSERTQUERY_{state.query_counter}"
        return f"{self.kind}_{self.sink.name}_{state.query_counter}"


def create_as_select(state: EngineState, st: ast.CreateAsSelect, session: Session) -> dict[str, Any]:
    # IF NOT EXISTS of an existing name: every check first (the injectors' and the planning in their sandbox),
    # then the sink topic and schemas the injectors made stay, and the engine stops at the name
    # (EngineExecutor.execute: executeDdl's "already exists" ends it before the query runs)
    # with a command topic, DistributingExecutor.checkIfNotExistsResponse answers OR REPLACE IF NOT EXISTS too,
    # after the sandbox validated the replacement (prepare_create_as_select's upgrade checks)
    stops = st.if_not_exists and (not st.or_replace or state.config.command_topic)
    existing = state.metastore.get(st.name) if stops else None
    p = prepare_create_as_select(state, st, session, injectors=True)
    a, sink = p.analysis, p.sink
    if existing is not None:
        assert p.topic is not None  # the analysis found every source
        _ensure_sink_topic(state, p.topic)
        register_schemas(state.schema_registry, sink, True, p.raw)
        return exists_response(state, st, existing)
    # the text ksqlDB keeps (the response's statementText, the query's and the sink's statement) is the one
    # its injectors re-formatted; the harness without TopicCreateInjector keeps the text as written
    text = st.text
    # DefaultSchemaInjector.forCreateAsStatement re-formats a statement with a schema id, with the schema's
    # full name added (addSchemaFieldsCas); TopicCreateInjector then re-formats that one
    injected = st if not p.raw or p.with_props is None else dataclasses.replace(st, properties=upper_props(p.with_props))
    if state.config.topic_injector and p.topic is not None:
        text = formatted_statement(injected, state.metastore, p.topic)
    elif p.raw:
        text = formatted_statement(injected, state.metastore)
    sink.statement = text
    query_id = None
    if p.replaced is not None:  # it keeps its id (its consumer group and state) and resumes where it stopped
        p.replaced.stop()
        del state.persistent[p.replaced.query_id]
        query_id = p.replaced.query_id
    if query_id is None:  # a replaced query keeps its place
        check_query_capacity(state, session, st.text)
    register_schemas(state.schema_registry, sink, True, p.raw)
    assert p.topic is not None  # the analysis found every source
    _ensure_sink_topic(state, p.topic)
    if query_id is None:
        query_id = state.new_query_id(p.kind, st.name)
    state.metastore.put(sink)
    start(state, a, sink, query_id, session, text, p.kind)
    join = getattr(a, "join", None)
    read = {a.source.name} | ({leaf.source.name for leaf in join.leaves} if join is not None else set())
    state.metastore.add_references(st.name, read)
    entity = entities.current_status(
        text,
        f"{st.kind.lower()}/`{st.name}`/create",
        f"Created query with ID {query_id}",
        query_id,
        state.next_seq(),
    )
    entity["warnings"] = deprecation_warnings(state.metastore, st.query)  # DistributingExecutor.execute
    return entity


def with_magic_timestamps(q: ast.Query) -> ast.Query:
    """The WHERE with string datetimes compared with ROWTIME/WINDOWSTART/WINDOWEND as epoch millis: ksqlDB's
    FilterTypeValidator type-checks, and SchemaKStream/SchemaKTable.filter run, the clause as
    StatementRewriteForMagicPseudoTimestamp rewrites it, in persistent queries as in push queries."""
    return q if q.where is None else dataclasses.replace(q, where=rewrite_timestamps(q.where))


# checks ksqlDB's LogicalPlanner makes (FinalProjectNode) that ours makes while analyzing
_PLANNER_MESSAGES = frozenset({"The projection contains no value columns."})


def _unknown_sink_format(props: Mapping[str, Any]) -> KsqlStatementError | None:
    """An unknown format a CREATE ... AS SELECT's WITH clause names: ksqlDB's Analyzer.analyzeSink resolves
    the sink's key format (FORMAT or KEY_FORMAT), then its value format, before the query is planned."""
    upper = {str(k).upper(): v for k, v in props.items()}
    for names in (("FORMAT", "KEY_FORMAT"), ("FORMAT", "VALUE_FORMAT")):
        name = next((upper[n] for n in names if upper.get(n) is not None), None)
        if name is not None:
            try:
                get_format(str(name))
            except FormatError as e:
                return FormatError(e.message)
    return None


def prepare_create_as_select(
    state: EngineState, st: ast.CreateAsSelect, session: Session, injectors: bool
) -> PreparedQuery:
    """Every check of a CREATE ... AS SELECT, changing nothing. `injectors`: TopicCreateInjector's checks
    first, as a statement sent to /ksql has them (EXPLAIN runs the statement in a sandbox without)."""
    validate_with_clause(st.properties, create_as=True)  # AstBuilder's, before any injector or planning
    check_timestamp_format(st.properties)
    check_qualifiers(st.query)  # AstBuilder's too
    # then EngineContext.prepare's AstSanitizer (DataSourceExtractor) refuses a source that does not exist
    for name in (st.query.from_.name, *(j.source.name for j in st.query.joins)):
        if state.metastore.get(name) is None:
            raise KsqlStatementError(unknown_source_message(state.metastore, name))
    spec = _sink_topic_spec(state, st, session)
    # with a schema id, DefaultSchemaInjector plans the statement (and fetches the schemas) before
    # TopicCreateInjector; else TopicCreateInjector's checks come before SchemaRegisterInjector plans it
    schema_ids = _has_schema_ids(st)
    if injectors and not schema_ids:
        _topic_create_checks(state, st, spec)
    try:
        # EngineExecutor.plan's order: the query is planned (QueryIdUtil.buildId among it), then the sink's
        # name is checked (maybeCreateSinkDdl), then the result type
        a = analyze(
            with_magic_timestamps(st.query), state.metastore, state.registry, st.name, session.new_planner,
            session.props,
            partitions_of(state),
        )
        if isinstance(a, AggregateQuery):
            check_window_size(a)
        produced = "TABLE" if a.source.is_table or isinstance(a, AggregateQuery) else "STREAM"
        _check_replaceable_writers(state, st, session)
        # maybeCreateSinkDdl: IF NOT EXISTS passes an existing name on (the engine stops at it after planning)
        replace = check_new_name(state, st.name, st.kind, st.or_replace or st.if_not_exists) and st.or_replace
        if produced != st.kind:
            # EngineExecutor.validateResultType names the statement, as the injectors re-formatted it
            planned = spec if injectors and state.config.topic_injector else None
            raise KsqlStatementError(
                f"Invalid result type. Your SELECT query produces a {produced}. Please use "
                f"CREATE {produced} AS SELECT statement instead.",
                st.text,
            ).append_statement(formatted_statement(st, state.metastore, planned))
    except KsqlStatementError as e:
        unknown = _unknown_sink_format(st.properties) if e.message in _PLANNER_MESSAGES else None
        if unknown is not None:  # the Analyzer resolved the sink's formats before the planner's check
            wrap_planning_error(unknown, state, st, spec, injectors)
            raise unknown from None
        wrap_planning_error(e, state, st, spec, injectors)
        raise
    except KsqlInternalError as e:
        raise _planning_failure(e, state, st, spec, injectors) from e
    parent = a.source
    # PartitionByParamsFactory.isPartitionByNull: the sink's key format is NONE (Analyzer.keyFormatName)
    by_null = len(st.query.partition_by) == 1 and isinstance(st.query.partition_by[0], ast.NullLiteral)
    try:
        if isinstance(a, AggregateQuery):
            check_intermediate_format(a)
            check_window_store(a)
        elif a.join is None:
            check_materialized_table_source(a.source)  # the source step is built before the sink's serdes
        sink = build_source(
            st.name, st.kind, a.schema, st.properties, session.props, st.text, parent=parent, is_sink=True,
            registry=state.schema_registry, partition_by_null=by_null,
        )
        if isinstance(a, AggregateQuery):
            sink = aggregate_sink(a, sink)
        if injectors:  # EngineExecutor.plan's validateQuery, after the sink's DDL command is built
            check_cache_usage(state, session, st.text)
    except SchemaNotSupportedError as e:
        # ksqlDB meets these building the query's serdes (KsqlEngine.execute), which appends the statement as
        # its injectors re-formatted it
        text = _executed_text(state, st, spec, injectors)
        e.append_statement(text)
        if injectors:
            e.statement_text = text
        bad = _sandbox_execution_error(e, state, injectors)
        if bad is None:
            raise
        raise bad from e
    except KsqlStatementError as e:
        # the sink's formats and serde features (WRAP_SINGLE_VALUE, a key format without key columns) are
        # built with its DDL command (CreateSourceFactory), which the injectors' sandbox plans
        wrap_planning_error(e, state, st, spec, injectors)
        raise
    # a schema id: the sink writes with that registered schema, which must have its columns
    with_props, raw = infer_for_sink(sink, st.properties, state.schema_registry)
    if injectors and schema_ids:
        _topic_create_checks(state, st, spec)
    if raw:
        named = build_source(
            st.name, st.kind, sink.schema, with_props, session.props, st.text, parent=parent, is_sink=True,
            registry=state.schema_registry, partition_by_null=by_null,
        )
        sink = dataclasses.replace(sink, key_options=named.key_options, value_options=named.value_options)
    prefix = "CSAS" if st.kind == "STREAM" else "CTAS"
    old = None
    try:
        # the sandbox then executes the plan (KsqlEngine.execute, EngineExecutor.executeDdl): what it refuses
        # names the plan's statement, the one the injectors re-formatted, without the planning's prefix
        kept = state.metastore.get(st.name) if st.if_not_exists and not replace else None
        if kept is not None and kept.is_source:  # EngineExecutor.execute refuses a read-only sink first
            raise KsqlStatementError(f"Cannot insert into read-only {kept.kind.lower()}: {st.name}", st.text)
        if replace:
            # an in-place upgrade: compatible with the source it replaces and the query that writes it
            existing = state.metastore.get(st.name)
            assert existing is not None
            if existing.is_source:  # EngineExecutor.execute refuses a read-only sink before running the DDL
                raise KsqlStatementError(
                    f"Cannot insert into read-only {existing.kind.lower()}: {st.name}", st.text
                )
            issue = source_upgrade_error(existing, sink)
            if issue is not None:  # MetaStoreImpl.putSource, as DdlCommandExec runs the sink's DDL
                raise KsqlStatementError(f"Cannot upgrade data source: {issue}", st.text)
            # the one query writing the sink (QueryIdUtil.buildId: more than one was refused above)
            old = next((q for q in state.persistent.values() if q.sink.name == st.name), None)
            if old is not None and old.plan is not None:  # QueryRegistryImpl.createOrReplacePersistentQuery
                validate_upgrade(upgrade_steps(old.plan), upgrade_steps(plan.build(a, sink)))  # type: ignore[arg-type]
    except KsqlStatementError as e:
        if injectors:
            e.statement_text = _executed_text(state, st, spec, injectors)
        if e.message.startswith("Cannot upgrade data source: "):
            raise  # EngineExecutor.executeDdl wraps the metastore's refusal in a KsqlStatementException
        bad = _sandbox_execution_error(e, state, injectors)
        if bad is None:
            raise
        raise bad from e
    return PreparedQuery(a, sink, prefix, spec, raw, old, with_props if raw else None)


def _sandbox_execution_error(e: KsqlError, state: EngineState, injectors: bool) -> KsqlError | None:
    """A KsqlException of EngineExecutor.execute outside executeDdl (a read-only sink, the query upgrade
    check, the serdes of the query): RequestValidator executes the plan through
    SandboxedExecutionContext.execute, which does not wrap it (KsqlEngine.execute would), so KsqlResource
    answers it as a bad request (40000, no statement), as ksqlDB 0.29 built from source does. ksqlDB's test
    harness matches its messages as before."""
    if not injectors or not state.config.topic_injector:
        return None
    bad = KsqlBadRequestError(e.message)
    bad.unlogged, bad.logged = e.unlogged, e.logged
    return bad


def _has_schema_ids(st: ast.CreateAsSelect) -> bool:
    w = upper_props(st.properties)
    return "KEY_SCHEMA_ID" in w or "VALUE_SCHEMA_ID" in w


def _topic_create_checks(state: EngineState, st: ast.CreateAsSelect, spec: topics.TopicSpec | None) -> None:
    """TopicCreateInjector.injectForCreateAsSelect's refusals: the sink topic's cleanup policy follows the
    result (compact for a table, compact + delete for a windowed one) and only a windowed table keeps
    retention; then KafkaTopicClient.createTopic checks a sink topic that exists already."""
    w = upper_props(st.properties)
    if "CLEANUP_POLICY" in w:
        raise KsqlBadRequestError(CLEANUP_POLICY_SET, st.text)
    if st.kind == "TABLE" and st.query.window is None and "RETENTION_MS" in w:
        raise KsqlBadRequestError(TABLE_RETENTION_SET, st.text)
    if spec is not None and state.config.topic_injector:
        topics.check_existing(state.driver, spec)


def _executed_text(
    state: EngineState, st: ast.CreateAsSelect, topic: topics.TopicSpec | None, injectors: bool
) -> str:
    """The statement text of the plan the sandbox executes (KsqlPlan.getStatementText): as SourcePropertyInjector
    re-formatted it, then TopicCreateInjector (which ksqlDB's test harness does not run; EXPLAIN runs none)."""
    return formatted_statement(st, state.metastore, topic if injectors and state.config.topic_injector else None)


# SchemaRegisterInjector.registerForCreateAs and DefaultSchemaInjector.forCreateAsStatement: what refuses a
# CREATE ... AS SELECT while the injectors plan it in their sandbox
PLANNING_PREFIX = "Could not determine output schema for query due to error: "
# KsqlEngine.prepare's errors (DefaultKsqlParser.prepare, EngineContext.prepare): no injector has run yet
_PREPARE_PREFIXES = (PREPARE, "Exception while preparing statement: ")


def _planning_failure(
    e: KsqlInternalError,
    state: EngineState,
    st: ast.CreateAsSelect,
    topic: topics.TopicSpec | None,
    injectors: bool,
) -> KsqlStatementError:
    """ksqlDB's own failure while it types the query (a NullPointerException, an
    UnsupportedOperationException): EngineExecutor.plan catches every exception and throws
    KsqlStatementException(e.getMessage(), statement, e), a statement error (40001) the injectors then wrap."""
    err = KsqlStatementError(e.message, st.text)
    wrap_planning_error(err, state, st, topic, injectors)
    return err


def wrap_planning_error(
    e: KsqlStatementError,
    state: EngineState,
    st: ast.CreateAsSelect,
    topic: topics.TopicSpec | None,
    injectors: bool,
) -> None:
    """Word `e`, raised while a CREATE ... AS SELECT is planned, as ksqlDB 0.29 does.

    A statement sent to /ksql (RequestValidator, then DistributingExecutor) and one the test harness runs
    (TestExecutorUtil) go through the injectors first; EXPLAIN (ExplainExecutor: sandbox.execute) does not,
    and its errors stay as planning raised them. EngineExecutor.plan makes every planning error a
    KsqlStatementException; then:

    * without KEY_SCHEMA_ID / VALUE_SCHEMA_ID, SchemaRegisterInjector.registerForCreateAs plans the
      statement TopicCreateInjector re-formatted (the WITH clause with the sink topic's properties and a
      closing ';'; the harness runs no TopicCreateInjector) and wraps the error as
      KsqlStatementException(PREFIX + getMessage(), PREFIX + getUnloggedMessage(), statement): its raw
      unlogged details, which KsqlResource answers (Errors.badStatement(getRawUnloggedDetails(),
      getSqlStatement())), are the prefix and the inner detailed message, which already ends in
      "\nStatement: <text>" where that exception had unlogged details (EngineExecutor.validateResultType);
    * with one, DefaultSchemaInjector.forCreateAsStatement plans it first, before TopicCreateInjector, and
      wraps it as KsqlStatementException(PREFIX + getMessage(), statement, cause): one message, the logged
      one, everywhere.

    The statement is the one SourcePropertyInjector re-formatted, with the topic's properties after
    TopicCreateInjector. Errors of KsqlEngine.prepare (unknown source, ambiguous column, lambdas) come before
    every injector and are left alone."""
    if not injectors or e.message.startswith(_PREPARE_PREFIXES):
        return
    if _has_schema_ids(st):  # KsqlEngineTestUtil runs DefaultSchemaInjector too
        e.message = PLANNING_PREFIX + e.logged_message
        e.logged = e.unlogged = None
        e.statement_text = formatted_statement(st, state.metastore)
        return
    if not state.config.schema_register_injector:
        return
    text = formatted_statement(st, state.metastore, topic if state.config.topic_injector else None)
    details = PLANNING_PREFIX + e.unlogged_message
    e.logged = PLANNING_PREFIX + e.logged_message
    e.message = details
    e.append_statement(text, details)
    e.statement_text = text


def _check_replaceable_writers(state: EngineState, st: ast.CreateAsSelect, session: Session) -> None:
    """ksqlDB's QueryIdUtil.buildId: a CREATE ... AS SELECT whose sink is already written by queries takes
    over the id of the one query writing it; with more writers (INSERT INTO) it cannot, and with
    `ksql.create.or.replace.enabled` off it may not."""
    writers = [q.query_id for q in state.persistent.values() if q.sink.name == st.name]
    if len(writers) > 1:
        raise KsqlStatementError(
            # QueryIdUtil.buildId prints the sink's SourceName, escaped: `OUT`
            f"REPLACE for sink `{st.name}` is not supported because there are multiple queries writing into it: "
            f"[{', '.join(writers)}]",
            st.text,
        )
    enabled = str(session.props.get("ksql.create.or.replace.enabled", "true")).lower() == "true"
    if writers and not enabled:
        what = st.kind.lower()
        raise KsqlStatementError(f"Cannot add {what} '{st.name}': A {what} with the same name already exists", st.text)


def _sink_topic_spec(state: EngineState, st: ast.CreateAsSelect, session: Session) -> topics.TopicSpec | None:
    """TopicCreateInjector.injectForCreateAsSelect's topic: None while a source of the query is missing
    (SourceTopicsExtractor refuses it first; the analysis says so in its words)."""
    names = [st.query.from_.name, *(j.source.name for j in st.query.joins)]
    sources = [state.metastore.get(n) for n in names]
    if any(s is None for s in sources):
        return None
    w = upper_props(st.properties)
    name = w.get("KAFKA_TOPIC")
    if name is None:
        name = session.props.get("ksql.output.topic.name.prefix") + st.name
    primary = sources[0]
    assert primary is not None
    return topics.sink_topic(state.driver, str(name), st.kind, w, st.query.window, primary.topic)


_RESERVED_QUERY_ID_PREFIXES = ("INSERTQUERY_", "CTAS_", "CSAS_", "CST_")


def _insert_query_id(st: ast.InsertInto) -> str | None:
    """INSERT INTO's WITH clause (InsertIntoConfigs): QUERY_ID only, its value upper-cased."""
    w = upper_props(st.properties)
    unknown = sorted(set(w) - {"QUERY_ID"})
    if unknown:
        raise KsqlStatementError(
            f"{PREPARE}Invalid config variable(s) in the WITH clause: {','.join(unknown)}", st.text
        )
    return str(w["QUERY_ID"]).upper() if w.get("QUERY_ID") is not None else None


def _check_query_id(state: EngineState, query_id: str, st: ast.InsertInto) -> None:
    """QueryIdUtil.validateWithQueryId, then EngineExecutor's check that the id is free."""
    if query_id.startswith(_RESERVED_QUERY_ID_PREFIXES):
        raise KsqlStatementError(
            "Query IDs must not start with a reserved query ID prefix "
            f"({', '.join(_RESERVED_QUERY_ID_PREFIXES)}). Got '{query_id}'.",
            st.text,
        )
    if not re.fullmatch(r"[A-Za-z0-9_]+", query_id):
        raise KsqlStatementError(
            f"Query IDs may contain only alphanumeric characters and '_'. Got: '{query_id}'", st.text
        )
    if query_id in state.persistent:
        raise KsqlStatementError(f"Query ID '{query_id}' already exists.", st.text)


def _query_limit(session: Session) -> int:
    return int(session.props.server.get("ksql.query.persistent.active.limit", "2147483647"))


def check_query_capacity(state: EngineState, session: Session, text: str) -> None:
    """RequestValidator's QueryCapacityUtil check: one more persistent query (source-table queries count)
    may not exceed ksql.query.persistent.active.limit (throwTooManyActivePersistentQueriesException, a
    Problem.REQUEST: a 40000 generic error)."""
    count = len(state.persistent) + len(state.source_tables) + 1
    _check_count(count, _query_limit(session), session.request_sql or text)


def check_request_capacity(state: EngineState, statements: list[ast.Statement], session: Session) -> None:
    """RequestValidator.validate runs a whole request in a sandbox before any statement runs: the
    statement whose query would exceed the limit fails the request with nothing executed. Counted here
    from the statements themselves, up to the first one that could stop or drop a query (the check per
    statement covers what follows it)."""
    limit = _query_limit(session)
    count = len(state.persistent) + len(state.source_tables)
    for st in statements:
        if isinstance(st, ast.Terminate | ast.DropSource):
            return
        if isinstance(st, ast.CreateAsSelect):
            if state.metastore.get(st.name) is not None and (st.or_replace or st.if_not_exists):
                continue  # replaces its query, or does nothing
        elif not isinstance(st, ast.InsertInto) and not (
            isinstance(st, ast.CreateSource) and st.is_source and st.kind == "TABLE"
        ):
            continue
        count += 1
        _check_count(count, limit, session.request_sql or st.text)


def _check_count(count: int, limit: int, sql: str) -> None:
    """QueryCapacityUtil.throwTooManyActivePersistentQueriesException: a Problem.REQUEST
    KsqlStatementException, which KsqlResource answers with Errors.badRequest(e), whose message
    (ErrorMessageUtil) is the unlogged one: the request's SQL quoted, then "Statement: " and the SQL again."""
    if count > limit:
        raise KsqlBadRequestError(
            f"Not executing statement(s) '{sql}' as it would cause the number "
            "of active, persistent queries to exceed the configured limit. "
            "Use the TERMINATE command to terminate existing queries, "
            "or increase the 'ksql.query.persistent.active.limit' setting via the 'ksql-server.properties' file. "
            f"Current persistent query count: {count}. Configured limit: {limit}.\nStatement: {sql}",
            sql,
        )


def insert_into(state: EngineState, st: ast.InsertInto, session: Session) -> dict[str, Any]:
    p, with_query_id = prepare_insert_into(state, st, session)
    check_cache_usage(state, session, st.text)  # EngineExecutor's validateQuery while planning
    check_query_capacity(state, session, st.text)
    query_id = with_query_id or state.new_query_id("INSERT", st.target)
    start(state, p.analysis, p.sink, query_id, session, st.text, "INSERT")
    return entities.current_status(
        st.text,
        f"stream/`{st.target}`/create",
        f"Created query with ID {query_id}",
        query_id,
        state.next_seq(),
    )


def prepare_insert_into(state: EngineState, st: ast.InsertInto, session: Session) -> tuple[PreparedQuery, str | None]:
    """Every check of an INSERT INTO ... SELECT, changing nothing; with the WITH clause's QUERY_ID."""
    try:
        return _prepare_insert_into(state, st, session)
    except KsqlInternalError as e:
        # EngineExecutor.plan: ksqlDB's own failure while planning is a statement error (no injector plans
        # an INSERT INTO, so no prefix)
        raise KsqlStatementError(e.message, st.text) from e


def _prepare_insert_into(state: EngineState, st: ast.InsertInto, session: Session) -> tuple[PreparedQuery, str | None]:
    with_query_id = _insert_query_id(st)
    # AstSanitizer's checks of the target run as EngineContext.prepare prepares the statement, which wraps
    # their KsqlException as "Exception while preparing statement: ..." (observed on ksqlDB 0.29)
    preparing = "Exception while preparing statement: "
    target = state.metastore.get(st.target)
    if target is None:
        raise KsqlStatementError(f"{preparing}{_position(st, st.target)}Source `{st.target}` does not exist.", st.text)
    if target.is_table:
        raise KsqlStatementError(
            f"{preparing}INSERT INTO can only be used to insert into a stream. {st.target} is a table.", st.text
        )
    if any(c.namespace == HEADER for c in target.schema.columns):
        raise KsqlStatementError(f"{preparing}Cannot insert into {st.target} because it has header columns", st.text)
    # then DistributingExecutor.validateInsertIntoQueries: a read-only topic
    configured = session.props.get("ksql.readonly.topics", topics.READ_ONLY_DEFAULT)
    if topics.is_read_only(target.topic, state.config.processing_log_topic, configured):
        raise KsqlStatementError(f"Cannot insert into read-only topic: {target.topic}", st.text)
    if is_aggregate(st.query, state.registry):
        # EngineExecutor plans an aggregating INSERT INTO's query like any other (its analysis errors
        # first), then validateExistingSink refuses the KTABLE result for the stream sink
        agg = analyze(with_magic_timestamps(st.query), state.metastore, state.registry, st.target,
                      session.new_planner, session.props, partitions_of(state))  # fmt: skip
        # ... but its physical plan is built first: SchemaKTable.into refuses a sink whose windowing is not
        # the aggregation's (IllegalArgumentException, worded as a statement error)
        if isinstance(agg, AggregateQuery):
            window = agg.source.window
            if agg.window is not None:
                kind = str(agg.window.kind).upper()
                window = WindowInfo(kind, None if kind == "SESSION" else agg.window.size.millis)
            if window != target.window:
                raise KsqlStatementError("Can't change windowing", st.text)
        raise KsqlStatementError(_incompatible_sink(st.target, "KTABLE"), st.text)
    a = analyze_stateless(
        implicit_literal_casts(with_magic_timestamps(st.query), target.schema),
        state.metastore,
        state.registry,
        st.target,
        session.new_planner,
        session.props,
        partitions_of(state),
    )
    if with_query_id is not None:  # QueryIdUtil.buildId, while the query is planned
        _check_query_id(state, with_query_id, st)
    result_kind = "KTABLE" if a.source.is_table or (a.join is not None and a.join.root.is_table) else "KSTREAM"
    if result_kind != "KSTREAM":
        raise KsqlStatementError(_incompatible_sink(st.target, result_kind), st.text)
    if not _same_schema(a.schema, target.schema):
        raise KsqlStatementError(
            "Incompatible schema between results and sink.\nResult schema is "
            f"{a.schema.describe()}\nSink schema is {target.schema.describe()}",
            st.text,
        )
    if target.is_source:
        raise KsqlStatementError(f"Cannot insert into read-only stream: {st.target}", st.text)
    if a.source.window != target.window:
        # SchemaKStream.into, as the physical plan is built: the result's key keeps its source's window, and
        # EngineExecutor.plan words the IllegalArgumentException as a statement error
        raise KsqlStatementError("Into can't change windowing", st.text)
    return PreparedQuery(_cast_to_sink(a, target.schema), target, "INSERT"), with_query_id


def _incompatible_sink(target: str, result_kind: str) -> str:
    """EngineExecutor.validateExistingSink: an INSERT INTO's stream sink and a query of another kind."""
    return (
        f"Incompatible data sink and query result. Data sink ({target}) type is KSTREAM but select query "
        f"result is {result_kind}."
    )


_NUMERIC_LITERALS = (ast.IntegerLiteral, ast.LongLiteral, ast.DoubleLiteral, ast.DecimalLiteral)


def _literal_decimal_type(value: Decimal) -> tuple[int, int]:
    """The (precision, scale) ksqlDB's DecimalUtil.fromValue gives a literal's value: a negative scale
    becomes 0, and a value in (-1, 1) gets precision scale + 1."""
    if value.as_tuple().exponent > 0:  # type: ignore[operator]
        value = value.quantize(Decimal(1))
    scale = max(-int(value.as_tuple().exponent), 0)
    if -1 < value < 1:
        return scale + 1, scale
    return len(value.as_tuple().digits), scale


def implicit_literal_casts(query: ast.Query, sink: LogicalSchema) -> ast.Query:
    """INSERT INTO: a numeric literal selected into a DECIMAL column of the existing sink becomes a DECIMAL
    literal of the sink's scale when its own DECIMAL type widens to the sink's (ksqlDB's
    ImplicitlyCastResolver, applied by SelectionUtil.resolveSingleColumn: the n-th select item meets the
    sink's n-th column, key columns first). Any other expression is left for the schema check."""
    items: list[ast.SelectElement] = []
    for idx, item in enumerate(query.select):
        if (
            isinstance(item, ast.SelectItem)
            and isinstance(item.expression, _NUMERIC_LITERALS)
            and idx < len(sink.columns)
            and sink.columns[idx].type.base == "DECIMAL"
        ):
            lit = item.expression
            # BigDecimal.valueOf(double) reads Double.toString, whose digits are those of Python's repr
            value = Decimal(repr(lit.value)) if isinstance(lit, ast.DoubleLiteral) else Decimal(lit.value)
            precision, scale = _literal_decimal_type(value)
            to_p, to_s = sink.columns[idx].type.precision or 0, sink.columns[idx].type.scale or 0
            if scale <= to_s and precision - scale <= to_p - to_s and value.is_finite():
                cast = ast.DecimalLiteral(value.quantize(Decimal(1).scaleb(-to_s)), line=lit.line, column=lit.column)
                item = dataclasses.replace(item, expression=cast)
        items.append(item)
    return dataclasses.replace(query, select=tuple(items))


def formatted_statement(st: ast.CreateAsSelect, metastore: MetaStore, topic: topics.TopicSpec | None = None) -> str:
    """The CREATE ... AS SELECT as ksqlDB's SourcePropertyInjector re-formats it (SqlFormatter over the
    sanitised statement); with the sink's `topic`, as TopicCreateInjector.injectForCreateAsSelect then
    re-formats it: the WITH clause with KAFKA_TOPIC, PARTITIONS, REPLICAS, RETENTION_MS and CLEANUP_POLICY
    (CreateSourceAsProperties.withTopic, withCleanupPolicy), and a closing semicolon."""
    try:
        q = sanitize_query(st.query, metastore)
        if q is None:
            return st.text
        if q.emit is None:  # the parser gives a persistent query EMIT CHANGES when it names no refinement
            q = dataclasses.replace(q, emit="CHANGES")
        if topic is None:
            return formatter.statement(dataclasses.replace(st, query=q))
        props = {**upper_props(st.properties), **topic.injected}
        return formatter.statement(dataclasses.replace(st, query=q, properties=props)) + ";"
    except Exception:  # only ever called to word an error, or for a text a query already planned has
        return st.text


def _position(st: ast.Statement, name: str) -> str:
    """ksqlDB's "Line: L, Col: C: " prefix for a name inside a statement."""
    first_line = st.text.split("\n", 1)[0]
    idx = first_line.upper().find(" " + name.upper(), first_line.upper().find("INTO"))
    col = st.column + idx + 1 if idx >= 0 else st.column
    return f"Line: {st.line}, Col: {col}: "


def _same_schema(a: LogicalSchema, b: LogicalSchema) -> bool:
    """ksqlDB's LogicalSchema.compatibleSchema: the same columns in the same places, each of the sink's
    type (a DECIMAL may widen: no more scale, no more integer digits)."""
    if len(a.columns) != len(b.columns):
        return False
    for x, y in zip(a.columns, b.columns, strict=True):
        if (x.name, x.namespace == KEY) != (y.name, y.namespace == KEY):
            return False
        if x.type == y.type:
            continue
        if x.type.base == y.type.base == "DECIMAL":
            xs, ys = x.type.scale or 0, y.type.scale or 0
            if xs <= ys and (x.type.precision or 0) - xs <= (y.type.precision or 0) - ys:
                continue
        return False
    return True


def _cast_to_sink(a: Any, sink: LogicalSchema) -> Any:
    """INSERT INTO: a DECIMAL column the sink holds with more scale or digits is cast to the sink's type
    (ksqlDB's implicit cast), so its values are written at the sink's scale."""
    names = {c.name: c for c in sink.columns}
    changed = []
    for p in a.projections:
        col = names.get(p.name)
        if col is not None and p.type is not None and p.type != col.type and col.type.base == "DECIMAL":
            target = ast.DecimalType(col.type.precision or 0, col.type.scale or 0)
            p = dataclasses.replace(p, expression=ast.Cast(p.expression, target), type=col.type)
        changed.append(p)
    return dataclasses.replace(a, projections=changed, schema=sink)


def _ensure_sink_topic(state: EngineState, spec: topics.TopicSpec) -> None:
    """The sink topic of a CREATE ... AS SELECT (topics.ensure_topic), noting one made without the injector."""
    if not state.config.topic_injector and state.driver.topic(spec.name) is None:
        state.undescribed_topics.add(spec.name)
    topics.ensure_topic(state.driver, spec, state.config.topic_injector)


def partitions_of(state: EngineState) -> PartitionCount:
    """A topic's partition count as the join's co-partitioning check reads it (1 for a topic not found).
    Without the TopicCreateInjector, as in ksqlDB's test harness, a CREATE ... AS SELECT's sink topic exists
    only for the query's records: the harness's topic client (StubKafkaTopicClient.describeTopic) does not
    know it unless the case declared it, so a join reading it fails there (DataSourceNode.getPartitions)."""

    def count(topic: str) -> int:
        if topic in state.undescribed_topics:
            raise KsqlStatementError(f"unknown topic: {topic}")
        info = state.driver.topic(topic)
        return info.partitions if info is not None else 1

    return count


def _join_rekeys(state: EngineState, a: Analysis, query_id: str, session: Session) -> list[JoinRekey]:
    """The join sides a persistent query re-keys through repartition topics: by default on Kafka only
    (`EngineConfig.join_repartition`; in memory one process reads every partition, and a stage would
    change the order in which the two sides arrive)."""
    enabled = state.config.join_repartition
    if enabled is None:
        enabled = state.driver.durability is not None
    if not enabled or a.join is None or isinstance(a, AggregateQuery):
        return []

    def partitions_of(topic: str) -> int:
        info = state.driver.topic(topic)
        return info.partitions if info is not None else 1

    default_key = (session.props.get("ksql.persistence.default.format.key") or "KAFKA").upper()
    return join_rekeys(
        a.join, partitions_of, state.config.service_id, query_id, default_key, session.persistent_prefix
    )


def _join_repartition_stage(
    state: EngineState,
    query_id: str,
    a: Analysis,
    rekey: JoinRekey,
    statement: str,
    kind: str,
    session: Session,
) -> PersistentQuery:
    """Stage 1 of a re-keyed join side: its source, keyed by the join expression, into its topic."""
    assert a.join is not None
    leaf = a.join.leaves[rekey.leaf]
    state.driver.create_topic(rekey.topic, rekey.partitions, 1)
    suffix = rekey.topic.rsplit("-", 2)[-2] if rekey.topic.endswith("-repartition") else "repartition"
    group = f"{state.config.query_application_id(query_id, session.persistent_prefix)}-{suffix}-repartition"
    from_beginning = session.props.from_beginning
    pipeline = join_repartition_pipeline(a.join, rekey, state.registry)
    source_topics = [leaf.source.topic]
    earliest = source_topics if leaf.source.is_table else []  # JoinNode.buildTable: a table from the start
    stage = RepartitionQuery(
        f"{query_id}-{suffix}-repartition",
        pipeline,
        state.driver.consumer(source_topics, group, from_beginning, earliest),
        state.driver,
        statement,
        kind,
        batch_size=state.config.batch_size,
        poll_timeout=state.config.poll_timeout,
        reconnect=lambda: state.driver.consumer(source_topics, group, from_beginning, earliest),
    )
    stage.keep_partition = False  # the producer places each record by its new key (murmur2)
    return with_guarantee(stage, session.props)
