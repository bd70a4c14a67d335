"""Query analysis: a parsed SELECT resolved against the metastore into what the planner needs.

One module per query shape: `select` (one source, stateless), `join` (a join tree), `aggregate` (GROUP BY,
windows, HAVING). `analyze()` picks the shape; the shared pieces (source scopes, qualified expressions,
projection names) live in `scope`.
"""

from __future__ import annotations

import dataclasses

from ksqlserver.analyze.aggregate import analyze_aggregate, check_suppression, is_aggregate
from ksqlserver.analyze.aggregate_query import AggregateQuery
from ksqlserver.analyze.join import analyze_join
from ksqlserver.analyze.join_build import joined_scope
from ksqlserver.analyze.join_tree import PartitionCount
from ksqlserver.analyze.scope import check_qualifiers, source_scope
from ksqlserver.analyze.select import AnalyzedQuery, analyze_select
from ksqlserver.catalog.metastore import MetaStore
from ksqlserver.catalog.properties import Properties
from ksqlserver.compile.compiler import unknown_column
from ksqlserver.errors import KsqlStatementError
from ksqlserver.functions import FunctionRegistry
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql

Analysis = AnalyzedQuery | AggregateQuery


def analyze(
    q: ast.Query,
    metastore: MetaStore,
    registry: FunctionRegistry,
    sink_name: str | None = None,
    new_planner: bool = False,
    props: Properties | None = None,
    partitions: PartitionCount | None = None,
) -> Analysis:
    """The analysis of `q` for a persistent query writing to `sink_name`, or a push query (None).

    GROUP BY, WINDOW or an aggregate call in the SELECT (built-in or plugin) make an aggregate query; `props`
    (the request's properties) carry function settings such as `ksql.functions.collect_list.limit`;
    `partitions` (the topics' partition counts) lets a join check its sides are co-partitioned where
    ksqlDB does, when it builds the join (None: not checked)."""
    check_qualifiers(q)
    _check_windowed_tables(q, metastore, sink_name)
    if is_aggregate(q, registry):
        # the Analyzer's unknown-column check comes before the LogicalPlanner's AggregateAnalyzer
        if all(metastore.get(r.name) is not None for r in (q.from_, *(j.source for j in q.joins))):
            _analyzer_checks(q, metastore)
        aq = analyze_aggregate(q, metastore, registry, sink_name, props, partitions)
        check_suppression(q, props)
        return aq
    return analyze_stateless(q, metastore, registry, sink_name, new_planner, props, partitions)


def analyze_stateless(
    q: ast.Query,
    metastore: MetaStore,
    registry: FunctionRegistry,
    sink_name: str | None = None,
    new_planner: bool = False,
    props: Properties | None = None,
    partitions: PartitionCount | None = None,
) -> AnalyzedQuery:
    """A SELECT that must not aggregate (INSERT INTO ... SELECT, and every non-aggregate query)."""
    check_qualifiers(q)
    _check_windowed_tables(q, metastore, sink_name)
    persistent = sink_name is not None
    # LogicalPlanner.buildPersistentLogicalPlan, which plans push queries too (QueryEngine)
    if q.emit == "FINAL":
        check_suppression(q, props)
        raise KsqlStatementError("EMIT FINAL is only supported for windowed aggregations.")
    if q.having is not None and not q.group_by and q.window is None:
        # a query that does not aggregate: the Analyzer only validates HAVING's columns
        # (Analysis.setHavingExpression) and nothing plans it, so its rows are not filtered
        if all(metastore.get(r.name) is not None for r in (q.from_, *(j.source for j in q.joins))):
            _analyzer_checks(q, metastore)
        q = dataclasses.replace(q, having=None)
    if q.group_by or q.window is not None or q.having is not None:
        raise KsqlStatementError("GROUP BY, WINDOW and HAVING are not supported yet by this server")
    if persistent and not is_aggregate(q) and is_aggregate(q, registry):
        # a plugin UDAF without GROUP BY: the error a built-in aggregate gets from the aggregation analysis
        analyze_aggregate(q, metastore, registry, sink_name)
        raise KsqlStatementError("Aggregate queries without GROUP BY are not supported by this server")
    if q.joins:  # joins have their own analysis (join tree, key rules, ksqlDB's rejections)
        return analyze_join(
            q, metastore, registry, sink_name, persistent, _outer_emit_interval(props), partitions
        )
    return analyze_select(q, metastore, registry, sink_name, persistent, new_planner)


def _check_windowed_tables(q: ast.Query, metastore: MetaStore, sink_name: str | None) -> None:
    """PushQueryValidator: a persistent query may read no windowed table (a push query may). ksqlDB checks it
    after the Analyzer (QueryAnalyzer.analyze), before the logical plan: the Analyzer's checks of the
    sources, the joins and the column references come first (a missing source is left to the analysis)."""
    if sink_name is None:
        return
    sources = [metastore.get(r.name) for r in (q.from_, *(j.source for j in q.joins))]
    if all(s is not None for s in sources) and any(
        s is not None and s.is_table and s.window is not None for s in sources
    ):
        _analyzer_checks(q, metastore)
        raise KsqlStatementError("KSQL does not support persistent queries on windowed tables.")


def analyzer_checks(q: ast.Query, metastore: MetaStore) -> None:
    """What ksqlDB's Analyzer (QueryAnalyzer.analyze) refuses before any planning: the FROM and JOIN sources and
    every column reference; the sources must exist."""
    check_qualifiers(q)
    _analyzer_checks(q, metastore)


def _analyzer_checks(q: ast.Query, metastore: MetaStore) -> None:
    """The Analyzer's checks before its validators run: the joins (visitJoinedSource) and every column
    reference, clause by clause (throwOnUnknownColumnReference's ColumnReferenceValidator; a join's
    synthetic key may be named, unqualified, in the SELECT of a query without GROUP BY)."""
    if q.joins:
        scope = joined_scope(q, metastore)
    else:
        source = metastore.get(q.from_.name)
        assert source is not None
        scope = source_scope(source, q.from_.effective_alias)
    synthetic = bool(q.joins) and not q.group_by
    # Analysis.buildStreamsSchema: after a windowed GROUP BY every source has the window bounds (unqualified,
    # over a join, they are in several sources: ambiguous, so unknown)
    windowed = q.window is not None and bool(q.group_by)
    clauses: list[tuple[str, tuple[ast.Expression | None, ...], str]] = [
        ("WHERE", (q.where,), ""),
        ("GROUP BY", q.group_by, ""),
        ("PARTITION BY", q.partition_by, "must be a column in the source schema since PARTITION BY is applied "
         "on the input."),
        ("HAVING", (q.having,), ""),
        ("SELECT", tuple(el.expression for el in q.select if isinstance(el, ast.SelectItem)), ""),
    ]
    for clause, exprs, suffix in clauses:
        for e in exprs:
            if e is None:
                continue
            for node in ast.walk(e):
                if not isinstance(node, ast.ColumnRef) or scope.resolve(node) is not None:
                    continue
                if synthetic and clause == "SELECT" and node.source is None and node.name.startswith("ROWKEY"):
                    continue
                if windowed and node.name in _WINDOW_BOUNDS and (node.source is not None or not q.joins):
                    continue
                message = unknown_column(clause, node)
                if suffix:
                    message = message[:-1] + f". '{sql(node)}' {suffix}"
                raise KsqlStatementError(message)


_WINDOW_BOUNDS = ("WINDOWSTART", "WINDOWEND")
_OUTER_EMIT = "__emit.interval.ms.kstreams.outer.join.spurious.results.fix__"


def _outer_emit_interval(props: Properties | None) -> int:
    """Kafka Streams' internal pacing of outer joins' held results (ms of wall clock), default 1000."""
    raw = props.get(_OUTER_EMIT, "").strip() if props is not None else ""
    try:
        return int(raw) if raw else 1000
    except ValueError:
        return 1000


__all__ = [
    "AggregateQuery", "Analysis", "AnalyzedQuery", "analyze", "analyze_stateless", "analyzer_checks", "is_aggregate",
]
