"""EXPLAIN's `executionPlan`: ksqlDB's PlanSummary.summarize of the query's physical plan (its sink step),
each step as ` > [ OP ] | Schema: <schema> | Logger: <query id>.<query context>` followed by its sources,
each level two tabs deeper.

Written here for persistent queries without table functions: the steps LogicalPlanner builds (DataSourceNode's
source step `KsqlTopic.Source`, FilterNode's `WhereFilter`, UserRepartitionNode's `PartitionBy`,
FinalProjectNode's `Project`, the output node's sink named after the sink) over one source or a join tree
(LogicalPlanner.buildJoin: `KafkaTopic_Left` / `KafkaTopic_Right`, `LeftSourceKeyed`, `PrependAliasLeft`,
`Join`, a nested join's names prefixed `L_`), and aggregations over one source (AggregateNode's
`Aggregate.Prepare`, `.GroupBy`, `.Aggregate`, `.HavingFilter`, `.Project`), with the schemas
StepSchemaResolver gives them; a push query's summary ends at its projection (no sink step). Other shapes
(aggregations of joins or in push queries, table functions) keep the plan's own outline (`summarize`
answers None)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ksqlserver.analyze.aggregate_query import groups_by_key
from ksqlserver.analyze.join_build import qualified_expr
from ksqlserver.analyze.join_tree import JoinInfo, JoinLeaf, JoinNode
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import BIGINT, HEADER, INTEGER, KEY, Column, SqlType
from ksqlserver.compile.scope import Scope
from ksqlserver.extensions.batching import table_positions
from ksqlserver.plan.aggregate_log import prepare_columns
from ksqlserver.plan.logical import (
    AggregatePlan,
    FilterStep,
    JoinStep,
    LogicalPlan,
    OutputStep,
    ProjectStep,
    RepartitionStep,
    SinkStep,
    SourceStep,
)
from ksqlserver.sql import ast
from ksqlserver.sql.formatter import escape
from ksqlserver.sql.printer import sql

# PlanSummary.OP_NAME of the steps written here
SOURCE, FILTER, REKEY, PROJECT, SINK, JOIN = "SOURCE", "FILTER", "REKEY", "PROJECT", "SINK", "JOIN"
GROUP_BY, AGGREGATE = "GROUP_BY", "AGGREGATE"


def type_text(t: SqlType) -> str:
    """SqlType.toString(FormatOptions.of(IdentifierUtil::needsQuotes)): struct fields quoted only when
    they need it."""
    if t.base == "ARRAY":
        return f"ARRAY<{type_text(t.item)}>"
    if t.base == "MAP":
        return f"MAP<{type_text(t.key)}, {type_text(t.item)}>"
    if t.base == "STRUCT":
        if not t.fields:
            return "STRUCT< >"
        return "STRUCT<" + ", ".join(f"{escape(n)} {type_text(ft)}" for n, ft in t.fields) + ">"
    return str(t)


def column_text(name: str, t: SqlType, namespace: str = "", header_key: str | None = None) -> str:
    """Column.toString(formatOptions): the name, its type, and KEY / HEADERS / HEADER('k') (a value
    column has no suffix)."""
    suffix = ""
    if namespace == KEY:
        suffix = " KEY"
    elif namespace == HEADER:
        suffix = f" HEADER('{header_key}')" if header_key else " HEADERS"
    return f"{escape(name)} {type_text(t)}{suffix}"


Schema = list[tuple[str, SqlType, str, str | None]]  # (name, type, namespace or "", header key)


def _col(c: Column, namespace: str = "") -> tuple[str, SqlType, str, str | None]:
    return (c.name, c.type, namespace, c.header_key if namespace == HEADER else None)


def source_schema(source: DataSource) -> Schema:
    """LogicalSchema.withPseudoAndKeyColsInValue (StepSchemaResolver of a source step): the keys, the
    values, the headers, the headers again as values, ROWTIME, ROWPARTITION, ROWOFFSET, the keys as values
    and, windowed, WINDOWSTART and WINDOWEND."""
    cols = source.schema.columns
    keys = [c for c in cols if c.namespace == KEY]
    headers = [c for c in cols if c.namespace == HEADER]
    values = [c for c in cols if c.namespace not in (KEY, HEADER)]
    out: Schema = [_col(c, KEY) for c in keys] + [_col(c) for c in values] + [_col(c, HEADER) for c in headers]
    out += [_col(c) for c in headers]
    out += [("ROWTIME", BIGINT, "", None), ("ROWPARTITION", INTEGER, "", None), ("ROWOFFSET", BIGINT, "", None)]
    out += [_col(c) for c in keys]
    if source.window is not None:
        out += [("WINDOWSTART", BIGINT, "", None), ("WINDOWEND", BIGINT, "", None)]
    return out


def _rekeyed(schema: Schema, step: RepartitionStep) -> Schema | None:
    """PartitionByParamsFactory.buildSchema: the new keys, the values kept, and each key that is not a
    column reference appended as a value; PARTITION BY NULL: the values alone."""
    values = [c for c in schema if c[2] != KEY]
    if any(isinstance(e, ast.NullLiteral) for _, e, _ in step.keys):
        return values
    if any(t is None for _, _, t in step.keys):
        return None
    keys: Schema = [(n, t, KEY, None) for n, _, t in step.keys if t is not None]
    appended: Schema = [
        (n, t, "", None) for n, e, t in step.keys if t is not None and not isinstance(e, ast.ColumnRef)
    ]
    return keys + values + appended


def _text(schema: Schema) -> str:
    return ", ".join(column_text(*c) for c in schema)


@dataclass(frozen=True)
class _Step:
    """One line of the summary: PlanSummary.OP_NAME, the step's schema, its query context, its sources."""

    op: str
    schema: Schema
    context: str
    sources: tuple[_Step, ...] = ()


def summarize(plan: Any, query_id: str, registry: Any) -> str | None:
    """PlanSummary.summarize of a persistent query's plan, or None for a shape not written here."""
    if isinstance(plan, AggregatePlan):
        return _aggregate(plan, query_id, registry)
    if not isinstance(plan, LogicalPlan):
        return None
    steps = plan.steps
    source = steps[0]
    sink = steps[-1]
    if not isinstance(source, SourceStep) or not isinstance(sink, SinkStep | OutputStep):
        return None
    join = next((s.join for s in steps if isinstance(s, JoinStep)), None)
    if join is not None:
        joined = _join(join, source.scope, steps)
        if joined is None:
            return None
        node = joined
    else:
        node = _Step(SOURCE, source_schema(source.source), "KsqlTopic.Source")
    schema = node.schema
    for step in steps[1:-1]:
        if isinstance(step, JoinStep):
            continue
        if isinstance(step, FilterStep):
            node = _Step(FILTER, schema, "WhereFilter", (node,))
        elif isinstance(step, RepartitionStep):
            rekeyed = _rekeyed(schema, step)
            if rekeyed is None:
                return None
            schema = rekeyed
            node = _Step(REKEY, schema, "PartitionBy", (node,))
        elif isinstance(step, ProjectStep):
            if table_positions(step.projections, registry):
                return None  # a FlatMapNode comes first: not written here
            if isinstance(sink, SinkStep):
                schema = [_col(c, KEY if c.namespace == KEY else "") for c in sink.sink.schema.columns]
            else:
                pushed = _push_projection(schema, step, source.scope if join is not None else None)
                if pushed is None:
                    return None
                schema = pushed
            node = _Step(PROJECT, schema, "Project", (node,))
        else:
            return None
    if isinstance(sink, OutputStep):
        # KsqlBareOutputNode.buildStream adds no step: a push query's plan ends at its projection
        return _render(node, query_id)
    return _render(_Step(SINK, schema, sink.sink.name, (node,)), query_id)


def _push_projection(parent: Schema, step: ProjectStep, joined: Scope | None = None) -> Schema | None:
    """A push query's StreamSelect / TableSelect (Selection.of with no selected keys): each key column of
    its source, named as FinalProjectNode's schema names it (SelectionUtil.buildProjectionSchema: the alias
    of the projection that selects it; the source's own names when the projection selects no key), then
    every projection, key columns included, as a value (only a persistent query removes them). Over a join
    (`joined`: the joined row's scope) a column `A.K` is the join's column `A_K` (the planner rewrites
    qualified references to the joined schema's names)."""

    def column(e: ast.Expression) -> str | None:
        if joined is not None:
            e = qualified_expr(e, joined)
            if isinstance(e, ast.ColumnRef) and e.source:
                return f"{e.source}_{e.name}"
        return e.name if isinstance(e, ast.ColumnRef) else None

    keys = [c for c in parent if c[2] == KEY]
    aliases = []
    for name, *_ in keys:
        hit = next((p.name for p in step.projections if column(p.expression) == name), None)
        if hit is not None:
            aliases.append(hit)
    names = aliases if aliases else [c[0] for c in keys]
    out: Schema = [(n, c[1], KEY, None) for n, c in zip(names, keys, strict=False)]
    for p in step.projections:
        if p.type is None:
            return None
        out.append((p.name, p.type, "", None))
    return out


def _join(join: JoinInfo, scope: Scope, steps: Sequence[Any]) -> _Step | None:
    """LogicalPlanner.buildJoin over the join tree (left-deep): see `_join_node`. The key of the root is
    the synthetic column when the join has one."""
    project = next((s for s in steps if isinstance(s, ProjectStep)), None)
    projected = [qualified_expr(p.expression, scope) for p in project.projections] if project else []
    synthetic = scope.columns[join.synthetic_key].name if join.synthetic_key is not None else None
    return _join_node(join.root, "", scope, projected, synthetic)


def _join_node(
    node: JoinNode, prefix: str, scope: Scope, projected: list[ast.Expression], synthetic: str | None
) -> _Step | None:
    """One JoinNode `<prefix>Join` (LogicalPlanner.buildJoin, a nested join's prefix `L_` more): each leaf
    a DataSourceNode `KafkaTopic_<prefix>Left` / `..Right` (its source step's context `<id>.Source`),
    re-keyed by its join expression when that is not its key (PreJoinRepartitionNode
    `<prefix>LeftSourceKeyed`: a StreamSelectKey, PlanSummary's REKEY), then PreJoinProjectNode
    `PrependAlias<prefix>Left` (a select naming each column `<alias>_<column>`); a nested join is used as
    it is when the join expression is in its equivalence set, else re-keyed (`<prefix>LeftSourceKeyed`).
    Sides re-keyed by an expression, and nested FULL OUTER joins (whose synthetic key is named by the
    rewriter), are not written here."""
    left: _Step | None
    if isinstance(node.left, JoinLeaf):
        left = _side(f"{prefix}Left", node.left, node.left_expr, node.foreign_key)
    else:
        if node.foreign_key:
            return None
        left = _join_node(node.left, f"{prefix}L_", scope, projected, None)
        if left is not None and not node.left_keyed:
            # buildInternalRepartitionNode over the joined rows: the expression's column becomes the key
            expr = qualified_expr(node.left_expr, node.left_scope)
            if not isinstance(expr, ast.ColumnRef) or not expr.source:
                return None
            name = f"{expr.source}_{expr.name}"
            col = next((c for c in left.schema if c[0] == name and c[2] == ""), None)
            if col is None:
                return None
            rekeyed = [(col[0], col[1], KEY, None), *[c for c in left.schema if c[2] != KEY]]
            left = _Step(REKEY, rekeyed, f"{prefix}LeftSourceKeyed", (left,))
    right = _side(f"{prefix}Right", node.right, node.right_expr, node.foreign_key)
    if left is None or right is None:
        return None
    values = [c for c in left.schema if c[2] != KEY] + [c for c in right.schema if c[2] != KEY]
    if node.foreign_key:
        # ForeignKeyJoinParamsFactory.createSchema: the left table's key, both sides' values
        schema = [c for c in left.schema if c[2] == KEY] + values
    else:
        # JoinParamsFactory.createSchema: the join key (the left key's type), both sides' values, and the key
        # again as a value when neither side has a value column of its name
        key_type = next(c[1] for c in left.schema if c[2] == KEY)
        name = synthetic if synthetic is not None else _join_key_name(node, scope, projected)
        if name is None:
            return None
        schema = [(name, key_type, KEY, None), *values]
        if all(c[0] != name for c in values):
            schema.append((name, key_type, "", None))
    return _Step(JOIN, schema, f"{prefix}Join", (left, right))


def _equivalents(node: JoinNode, scope: Scope) -> list[ast.Expression]:
    """JoinTree.Join.joinEquivalenceSet: both join expressions, plus the nested join's set when one of them
    is in it; none for a FULL OUTER join (a leaf has none)."""
    if node.kind == "FULL":
        return []
    keys = [qualified_expr(node.left_expr, node.left_scope), qualified_expr(node.right_expr, scope)]
    lefts = _equivalents(node.left, scope) if isinstance(node.left, JoinNode) else []
    return keys + lefts if any(k in lefts for k in keys) else keys


def _viable_keys(node: JoinNode, scope: Scope) -> list[ast.ColumnRef]:
    """JoinTree.Join.viableKeyColumns: the nested join's, the left expression, the right expression, each a
    qualified column in the equivalence set, without repeats; none for a FULL OUTER join."""
    if node.kind == "FULL":
        return []
    equivalents = _equivalents(node, scope)
    nested: list[ast.Expression] = list(_viable_keys(node.left, scope)) if isinstance(node.left, JoinNode) else []
    candidates = [*nested, qualified_expr(node.left_expr, node.left_scope), qualified_expr(node.right_expr, scope)]
    out: list[ast.ColumnRef] = []
    for e in candidates:
        if isinstance(e, ast.ColumnRef) and e.source and e not in out and e in equivalents:
            out.append(e)
    return out


def _side(side: str, leaf: JoinLeaf, expr: ast.Expression, foreign_key: bool) -> _Step | None:
    """One side of a join: its source, its re-key, its PrependAlias select (Selection of the aliased key
    names over the source key's types, then each value column of the node before it, aliased)."""
    schema = source_schema(leaf.source)
    step = _Step(SOURCE, schema, f"KafkaTopic_{side}.Source")
    keys = leaf.source.schema.key
    # Repartitioning.repartitionNeeded: a join on the side's only key column keeps it; a foreign-key join
    # repartitions neither side (LogicalPlanner.prepareSourceForJoin)
    on_key = isinstance(expr, ast.ColumnRef) and len(keys) == 1 and expr.name == keys[0].name
    if not foreign_key and not on_key:
        if not isinstance(expr, ast.ColumnRef):
            return None  # PartitionByParamsFactory names an expression's key: not written here
        col = next((c for c in schema if c[0] == expr.name and c[2] == ""), None)
        if col is None:
            return None
        schema = [(col[0], col[1], KEY, None), *[c for c in schema if c[2] != KEY]]
        step = _Step(REKEY, schema, f"{side}SourceKeyed", (step,))
    alias = leaf.alias
    aliased: Schema = [(f"{alias}_{n}", t, ns, None) for n, t, ns, _ in schema if ns in (KEY, "")]
    return _Step(PROJECT, aliased, f"PrependAlias{side}", (step,))


def _join_key_name(node: JoinNode, scope: Scope, projected: list[ast.Expression]) -> str | None:
    """LogicalPlanner.buildJoinKey: the first viable key column (JoinTree's viableKeyColumns) that the
    projection names, else the first viable one, as `<alias>_<column>`; None when there is none (a
    synthetic key)."""
    viable = _viable_keys(node, scope)
    if not viable:
        return None
    chosen = next((v for v in viable if v in projected), viable[0])
    return f"{chosen.source}_{chosen.name}"


def _aggregate(plan: AggregatePlan, query_id: str, registry: Any) -> str | None:
    """AggregateNode.buildStream over one source: `Aggregate.Prepare` (a select of the required columns and of
    each aggregate argument that is not a column, KSQL_INTERNAL_COL_<n>, keyed by the source's key),
    `Aggregate.GroupBy` (StreamGroupByKey keeps the schema; StreamGroupBy / TableGroupBy:
    GroupByParamsFactory's keys, a column by its name, another expression KSQL_COL_<n>), `Aggregate.Aggregate`
    (AggregateParamsFactory: the key, the required columns, KSQL_AGG_VARIABLE_<n> of each aggregate's return
    type, WINDOWSTART / WINDOWEND when windowed), `Aggregate.HavingFilter`, `Aggregate.Project`; no
    FinalProjectNode follows (LogicalPlanner.buildPlan). Joins and table functions are not written here."""
    a = plan.query
    if a.join is not None or plan.sink is None:
        return None
    if table_positions(a.projections, registry) or any(
        isinstance(n, ast.FunctionCall) and getattr(registry.get(n.name), "kind", "") == "TABLE"
        for x in a.aggs
        for e in x.args
        for n in ast.walk(e)
    ) if registry is not None else False:
        return None
    schema = source_schema(a.source)
    node = _Step(SOURCE, schema, "KsqlTopic.Source")
    if a.where is not None:
        node = _Step(FILTER, schema, "WhereFilter", (node,))
    values = {c[0]: c[1] for c in schema if c[2] == ""}
    arg_types = {sql(e): t for x in a.aggs for e, t in zip(x.args, x.arg_types, strict=False)}
    prepared: Schema = [c for c in schema if c[2] == KEY]
    for name, e in prepare_columns(a):
        t = values.get(name) if isinstance(e, ast.ColumnRef) else arg_types.get(sql(e))
        if t is None:
            return None
        prepared.append((name, t, "", None))
    node = _Step(PROJECT, prepared, "Aggregate.Prepare", (node,))
    if a.source.is_table or not groups_by_key(a):
        keys: Schema = []
        generated = 0  # ColumnAliasGenerator.nextKsqlColAlias: KSQL_COL_0, KSQL_COL_1, ...
        for _, e, t in a.group_by:
            if t is None or isinstance(e, ast.Dereference) or any(c[0].startswith("KSQL_COL_") for c in prepared):
                return None  # a field's alias, or numbering past existing KSQL_COL_ names: not written here
            if isinstance(e, ast.ColumnRef):
                keys.append((e.name, t, KEY, None))
            else:
                keys.append((f"KSQL_COL_{generated}", t, KEY, None))
                generated += 1
        grouped = keys + [c for c in prepared if c[2] != KEY]
    else:
        grouped = prepared
    node = _Step(GROUP_BY, grouped, "Aggregate.GroupBy", (node,))
    grouped_values = {c[0]: c[1] for c in grouped if c[2] == ""}
    aggregated: Schema = [c for c in grouped if c[2] == KEY]
    aggregated += [(c, grouped_values[c], "", None) for c in a.required_columns if c in grouped_values]
    aggregated += [(f"KSQL_AGG_VARIABLE_{i}", x.aggregator.type, "", None) for i, x in enumerate(a.aggs)]
    if a.window is not None:
        aggregated += [("WINDOWSTART", BIGINT, "", None), ("WINDOWEND", BIGINT, "", None)]
    node = _Step(AGGREGATE, aggregated, "Aggregate.Aggregate", (node,))
    if a.having is not None:
        node = _Step(FILTER, aggregated, "Aggregate.HavingFilter", (node,))
    out = [_col(c, KEY if c.namespace == KEY else "") for c in plan.sink.schema.columns]
    node = _Step(PROJECT, out, "Aggregate.Project", (node,))
    return _render(_Step(SINK, out, plan.sink.name, (node,)), query_id)


def _render(step: _Step, query_id: str, depth: int = 0) -> str:
    """The step's line, then each source's summary: each level two tabs deeper (PlanSummary.summarize
    prefixes a source's summary with a tab and its own indent)."""
    text = "\t" * (2 * depth) + f" > [ {step.op} ] | Schema: {_text(step.schema)} | Logger: {query_id}.{step.context}\n"
    return text + "".join(_render(s, query_id, depth + 1) for s in step.sources)
