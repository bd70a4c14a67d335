"""The logical plan: what a query does, as the steps EXPLAIN shows.

A stateless query or a join is ordered steps: Source -> [Join] -> [Filter] -> [Repartition] -> Project ->
Sink (persistent) or Output (push query). An aggregate query is an `AggregatePlan` over its analysis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ksqlserver.analyze.aggregate_query import AggregateQuery
from ksqlserver.analyze.join_tree import JoinInfo
from ksqlserver.analyze.scope import Projection, qualify_resolved, rewrite_nodes, rewrite_refs
from ksqlserver.analyze.select import AnalyzedQuery
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import SqlType
from ksqlserver.compile.scope import Scope
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql


@dataclass(frozen=True)
class SourceStep:
    source: DataSource
    scope: Scope


@dataclass(frozen=True)
class JoinStep:
    """Stream-table join: the table side is kept as state keyed by its primary key."""

    join: JoinInfo


@dataclass(frozen=True)
class FilterStep:
    predicate: ast.Expression


@dataclass(frozen=True)
class RepartitionStep:
    keys: tuple[tuple[str, ast.Expression, SqlType | None], ...]


@dataclass(frozen=True)
class ProjectStep:
    scope: Scope
    projections: tuple[Projection, ...]


def select_error_texts(
    projections: tuple[Projection, ...],
    persistent: bool,
    registry: Any = None,
    columns: Callable[[ast.Expression], ast.Expression] | None = None,
) -> list[str]:
    """SelectValueMapper's processing-log text for each projection. Its index counts the select expressions
    of the select step, from which a persistent query's FinalProjectNode removes the key columns (they are
    the key, not values): only a push query's key columns take an index. With table functions the select
    step reads their results, so each call reads as the FlatMapNode's column of it (`registry` says which
    calls are table functions); `columns` rewrites column references as the select step names them (a
    join's, `join_columns`)."""
    texts = []
    index = 0
    synth = _Synthesised(registry)
    for p in projections:
        text = sql(synth.rewrite(columns(p.expression) if columns else p.expression))
        texts.append(f"Error computing expression {text} for column {p.name} with index {index}")
        if not (persistent and p.is_key):
            index += 1
    return texts


def join_columns(scope: Scope) -> Callable[[ast.Expression], ast.Expression]:
    """LogicalPlanner's ColumnReferenceRewriter for a join: each column reference, qualified by the source
    it resolves to, reads the joined row's column `<alias>_<name>` (ColumnNames.generatedJoinColumnAlias),
    which is how the select, filter and key steps print their expressions."""

    def rename(c: ast.ColumnRef) -> ast.ColumnRef:
        return ast.ColumnRef(f"{c.source}_{c.name}") if c.source else c

    def rewrite(e: ast.Expression) -> ast.Expression:
        renamed: ast.Expression = rewrite_refs(qualify_resolved(e, scope), rename)  # type: ignore[assignment]
        return renamed

    return rewrite


class _Synthesised:
    """FlatMapNode.TableFunctionExpressionRewriter: each table-function call of the projection, in select
    order, becomes a reference to KSQL_SYNTH_<n> (ColumnNames.synthesisedSchemaColumn)."""

    def __init__(self, registry: Any) -> None:
        self.registry = registry
        self.count = 0

    def rewrite(self, e: Any) -> Any:
        if self.registry is None:
            return e
        return rewrite_nodes(e, self._synthesised)

    def _synthesised(self, e: ast.Node) -> ast.Node | None:
        if isinstance(e, ast.FunctionCall) and getattr(self.registry.get(e.name), "kind", "") == "TABLE":
            self.count += 1
            return ast.ColumnRef(f"KSQL_SYNTH_{self.count - 1}")
        return None


@dataclass(frozen=True)
class SinkStep:
    sink: DataSource


@dataclass(frozen=True)
class OutputStep:
    limit: int | None


Step = SourceStep | JoinStep | FilterStep | RepartitionStep | ProjectStep | SinkStep | OutputStep


@dataclass(frozen=True)
class LogicalPlan:
    steps: tuple[Step, ...]

    def describe(self) -> str:
        """A readable outline (EXPLAIN's executionPlan)."""
        lines = []
        for depth, s in enumerate(self.steps):
            name = type(s).__name__.removesuffix("Step")
            detail = ""
            if isinstance(s, SourceStep):
                detail = f" [{s.source.name}]"
            elif isinstance(s, JoinStep):
                detail = f" [{s.join.kind} {s.join.right.name}]"
            elif isinstance(s, SinkStep):
                detail = f" [{s.sink.name}]"
            lines.append(" " * (2 * depth) + f"> [ {name.upper()} ]{detail}")
        return "\n".join(reversed(lines))


def build(a: AnalyzedQuery, sink: DataSource | None) -> LogicalPlan:
    """The steps of a stateless query or a join."""
    steps: list[Step] = [SourceStep(a.source, a.input_scope)]
    if a.join is not None:
        steps.append(JoinStep(a.join))
    if a.where is not None:
        steps.append(FilterStep(a.where))
    if a.repartition:
        steps.append(RepartitionStep(tuple(a.key_exprs)))
    steps.append(ProjectStep(a.projection_scope, tuple(a.projections)))
    steps.append(SinkStep(sink) if sink is not None else OutputStep(a.limit))
    return LogicalPlan(tuple(steps))


@dataclass(frozen=True)
class AggregatePlan:
    """An aggregate query (GROUP BY, windows, HAVING) and its sink (None: a push query)."""

    query: AggregateQuery
    sink: DataSource | None

    def describe(self) -> str:
        """EXPLAIN's outline."""
        a = self.query
        steps = [f"> [ SOURCE ] [{a.source.name}]"]
        if a.where is not None:
            steps.append("> [ FILTER ]")
        steps.append("> [ GROUP BY ]")
        if a.window is not None:
            steps.append(f"> [ WINDOW {a.window.kind} ]")
        steps.append("> [ AGGREGATE ]")
        if a.having is not None:
            steps.append("> [ HAVING ]")
        steps.append("> [ PROJECT ]")
        if self.sink is not None:
            steps.append(f"> [ SINK ] [{self.sink.name}]")
        return "\n".join(" " * (2 * i) + s for i, s in enumerate(steps))


Plan = LogicalPlan | AggregatePlan
