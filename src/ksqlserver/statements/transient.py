"""Transient queries, what /query runs: pull queries (a table's materialised rows now, routed to the servers
owning them in a scale-out, or a bounded scan of a stream) and push queries (scalable ones served from the
persistent query writing their source); and the error a SELECT gets on /ksql."""

from __future__ import annotations

import dataclasses
import uuid

from ksqlserver import plan
from ksqlserver.analyze import analyze, analyzer_checks
from ksqlserver.analyze.aggregate_query import AggregateQuery, check_intermediate_format, check_window_store
from ksqlserver.catalog.metastore import unknown_source_message
from ksqlserver.cluster.pull_routing import run_routed_pull
from ksqlserver.errors import KsqlError, KsqlQueryEndpointError, KsqlStatementError, UnwrappedStatementError
from ksqlserver.runtime.pull import NoRows, PullResult, check_clauses, run_pull
from ksqlserver.runtime.pull_where import PULL_QUERY_SYNTAX_HELP, rewrite_timestamps
from ksqlserver.runtime.query import StreamPullQuery, TransientQuery
from ksqlserver.runtime.table_view import TopicTable
from ksqlserver.sql import ast
from ksqlserver.statements.cache_limits import check_cache_usage
from ksqlserver.statements.queries import partitions_of, start, use_metadata_timestamps
from ksqlserver.statements.state import EngineState, Session

QUERY_ENDPOINT_MSG = (
    "The following statement types should be issued to the websocket endpoint '/query':\n"
    "\t* PRINT\n\t* SELECT"
)



def query_on_ksql(state: EngineState, st: ast.Query | ast.PrintTopic, session: Session) -> None:
    raise KsqlQueryEndpointError(QUERY_ENDPOINT_MSG, st.text)


def start_transient(state: EngineState, st: ast.Query, session: Session) -> TransientQuery | PullResult:
    """A SELECT for /query: a pull query (a table's rows now, or a bounded scan of a stream), or a push
    query that runs until its LIMIT or until closed."""
    if st.where is not None:  # string datetimes compared with ROWTIME/WINDOWSTART/WINDOWEND (any query)
        st = dataclasses.replace(st, where=rewrite_timestamps(st.where))
    if st.is_pull:
        return _start_pull(state, st, session)
    a = analyze(st, state.metastore, state.registry, props=session.props, partitions=partitions_of(state))
    if isinstance(a, AggregateQuery):  # a push query's aggregation keeps its state as a CTAS's does
        check_intermediate_format(a)
        check_window_store(a)
    if _scalable_push(state, st, session):
        # served from the persistent query writing the source: its rows from now on (ksqlDB's
        # ScalablePushRegistry taps the sink; here the sink topic read from its end)
        query_id = f"SCALABLE_PUSH_QUERY_{uuid.uuid4()}"
    else:
        check_cache_usage(state, session, st.text)  # EngineExecutor.executeTransientQuery's validateQuery
        query_id = state.new_query_id("transient", a.source.name)
    q = start(state, a, None, query_id, session, st.text)
    assert isinstance(q, TransientQuery)
    return q


def _scalable_push(state: EngineState, st: ast.Query, session: Session) -> bool:
    """ksqlDB 0.29's test for a scalable push query (`ksql.query.push.v2.enabled`): EMIT CHANGES on one
    source that exactly one persistent query writes, read from `latest`, with no GROUP BY, WINDOW, HAVING,
    PARTITION BY, join, ROWPARTITION or ROWOFFSET."""
    if not _enabled(session, "ksql.query.push.v2.enabled", default=False):
        return False
    if st.joins or st.group_by or st.window is not None or st.having is not None or st.partition_by:
        return False
    # ScalablePushUtil.isLatest: an auto.offset.reset set anywhere must be exactly "latest" (unset: latest)
    if st.emit != "CHANGES" or session.props.get("auto.offset.reset", "latest") != "latest":
        return False
    writers = [q for q in state.persistent.values() if q.sink.name == st.from_.name]
    exprs = [el.expression for el in st.select if isinstance(el, ast.SelectItem)]
    exprs += [st.where] if st.where is not None else []
    uses_disallowed = any(
        isinstance(n, ast.ColumnRef) and n.name in ("ROWPARTITION", "ROWOFFSET")
        for e in exprs
        for n in ast.walk(e)
    )
    return len(writers) == 1 and not uses_disallowed


PULL_LIMIT = "ksql.query.pull.limit.clause.enabled"
PULL_ENABLE = "ksql.pull.queries.enable"  # KsqlConfig.KSQL_PULL_QUERIES_ENABLE_CONFIG


def _enabled(session: Session, name: str, default: bool = True) -> bool:
    return str(session.props.get(name, "true" if default else "false")).strip().lower() == "true"


def _start_pull(state: EngineState, st: ast.Query, session: Session) -> TransientQuery | PullResult:
    """A pull query: on a stream, a scan from its beginning to its end as of now; on a table, its
    materialised rows. In a scale-out, rows of aggregate partitions other servers own come from them
    (cluster/pull_routing.py)."""
    if str(session.props.server.get(PULL_ENABLE, "true")).strip().lower() == "false":
        # QueryExecutor.handleStatement checks the engine's (the server's) config before anything else
        raise KsqlStatementError(
            f"Pull queries are disabled.{PULL_QUERY_SYNTAX_HELP}\nPlease set {PULL_ENABLE}=true to enable this "
            "feature.\n",
            st.text,
        ).append_statement(st.text)
    source = state.metastore.get(st.from_.name)
    if source is None:
        raise KsqlStatementError(unknown_source_message(state.metastore, st.from_.name), st.text)
    # KsqlEngine.analyzeQueryWithNoOutputTopic builds its QueryAnalyzer from the server's config: a
    # request's own value of the property does not count
    check_clauses(st, str(session.props.server.get(PULL_LIMIT, "true")).strip().lower() == "true")
    if not source.is_table:
        return _start_stream_pull(state, st, session)
    query_id = state.new_query_id("pull", source.name)
    scans = _enabled(session, "ksql.query.pull.table.scan.enabled")
    writer = next(
        (
            q
            for q in state.persistent.values()
            if q.pipeline.sink is not None and q.pipeline.sink.name == source.name
        ),
        None,
    )
    if writer is not None and writer.pipeline.materialization is not None:
        return run_routed_pull(
            state, writer, st, source, writer.pipeline.materialization, query_id, session.props
        )
    if writer is None and source.name not in state.source_tables:
        # EngineExecutor.executeTablePullQuery builds (and so validates) the logical plan before
        # PullPhysicalPlanBuilder looks for the materializing query: the query's own errors come first
        run_pull(
            st, source, NoRows(source.window is not None), state.registry, query_id, scans,
            range_scans_enabled=_enabled(session, "ksql.query.pull.range.scan.enabled"), start=False,
        )
        name = source.name
        raise KsqlStatementError(
            f"The `{name}` table isn't queryable. To derive a queryable table, you can do "
            f"'CREATE TABLE QUERYABLE_{name} AS SELECT * FROM {name}'.{PULL_QUERY_SYNTAX_HELP}",
            st.text,
        )
    view = state.table_views.get(source.name)
    if view is None or view.table is not source:
        view = TopicTable(source, state.driver, state.error_handler(_source_table_query_id(state, source.name)))
        state.table_views[source.name] = view
    cst = state.source_tables.get(source.name)
    if cst is None or not cst.paused:  # a paused CST_ query's state stays where PAUSE left it
        view.catch_up()
    interpreted = _enabled(session, "ksql.query.pull.interpreter.enabled")
    ranges = _enabled(session, "ksql.query.pull.range.scan.enabled")
    return run_pull(
        st, source, view, state.registry, query_id, scans, interpreted=interpreted, range_scans_enabled=ranges,
        partitions=partitions_of(state)(source.topic), on_error=state.error_handler(query_id),
    )


def _start_stream_pull(state: EngineState, st: ast.Query, session: Session) -> StreamPullQuery:
    if not _enabled(session, "ksql.query.pull.stream.enabled"):
        raise KsqlStatementError(
            "Pull queries on streams are disabled. To create a push query on the stream, add EMIT CHANGES "
            "to the end. To enable pull queries on streams, set the ksql.query.pull.stream.enabled config "
            "to 'true'.",
            st.text,
        ).append_statement(st.text)  # a KsqlStatementException naming the statement
    # KsqlEngine.analyzeQueryWithNoOutputTopic wraps what the Analyzer refuses (unknown columns, ...) in a
    # KsqlStatementException; what EngineExecutor.executeStreamPullQuery throws planning, validating and
    # building the query (a function no signature fits, a type mismatch, the cache limit) escapes unwrapped
    # (observed on ksqlDB 0.29 built from source: 500 on /query-stream)
    analyzer_checks(st, state.metastore)
    try:
        a = analyze(st, state.metastore, state.registry, props=session.props)
        check_cache_usage(state, session, st.text)  # EngineExecutor.executeStreamPullQuery's validateQuery
        query_id = state.new_query_id("transient", a.source.name)
        query_plan = plan.build(a, None)
        pipeline = plan.compile(query_plan, state.registry, state.error_handler(query_id), state.stores, query_id)
    except KsqlError as e:
        if e.unlogged_statement is not None:
            raise  # a KsqlStatementException of its own (the WHERE clause's type errors name the expression)
        raise UnwrappedStatementError(e) from e
    q = StreamPullQuery(
        query_id,
        pipeline,
        state.driver.scan(a.topics),
        batch_size=state.config.batch_size,
        poll_timeout=state.config.poll_timeout,
        statement=st.text,
    )
    q.application_id = state.config.transient_application_id(query_id, session.transient_prefix)
    use_metadata_timestamps(q, a, session, state.error_handler(query_id))  # its Kafka Streams' extractor
    state.transient[query_id] = q
    if state.transient_cleanup is not None:  # TransientQueryCleanupListener: a transient query that ran
        state.transient_cleanup.register_running_query(q.application_id)
    if state.starts_queries:
        q.start()
    return q


def _source_table_query_id(state: EngineState, name: str) -> str:
    cst = state.source_tables.get(name)
    return cst.query_id if cst is not None else ""
