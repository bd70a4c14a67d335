"""EXPLAIN's `executionPlan`: ksqlDB's PlanSummary.summarize of the query's physical plan (its sink step),
each step as ` > [ OP ] | Schema: <schema> | Logger: <query id>.<query context>` followed by its sources,
each level two tabs deeper.

Written here for a persistent query over one source without table functions: the steps LogicalPlanner
builds for it (DataSourceNode's source step `KsqlTopic.Source`, FilterNode's `WhereFilter`,
UserRepartitionNode's `PartitionBy`, FinalProjectNode's `Project`, the output node's sink named after the
sink) with the schemas StepSchemaResolver gives them. Other shapes keep the plan's own outline
(`summarize` answers None)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import BIGINT, HEADER, INTEGER, KEY, Column, SqlType
from ksqlserver.extensions.batching import table_positions
from ksqlserver.plan.logical import (
    FilterStep,
    LogicalPlan,
    ProjectStep,
    RepartitionStep,
    SinkStep,
    SourceStep,
)
from ksqlserver.sql import ast
from ksqlserver.sql.formatter import escape

# PlanSummary.OP_NAME of the steps written here
SOURCE, FILTER, REKEY, PROJECT, SINK = "SOURCE", "FILTER", "REKEY", "PROJECT", "SINK"


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


def summarize(plan: Any, query_id: str, registry: Any) -> str | None:
    """PlanSummary.summarize of a persistent query's plan, or None for a shape not written here."""
    if not isinstance(plan, LogicalPlan):
        return None
    steps = plan.steps
    source = steps[0]
    sink = steps[-1]
    if not isinstance(source, SourceStep) or not isinstance(sink, SinkStep):
        return None
    lines: list[tuple[str, str, str]] = []  # (op, schema text, query context), source first
    schema = source_schema(source.source)
    lines.append((SOURCE, _text(schema), "KsqlTopic.Source"))
    for step in steps[1:-1]:
        if isinstance(step, FilterStep):
            lines.append((FILTER, _text(schema), "WhereFilter"))
        elif isinstance(step, RepartitionStep):
            rekeyed = _rekeyed(schema, step)
            if rekeyed is None:
                return None
            schema = rekeyed
            lines.append((REKEY, _text(schema), "PartitionBy"))
        elif isinstance(step, ProjectStep):
            if table_positions(step.projections, registry):
                return None  # a FlatMapNode comes first: not written here
            schema = [_col(c, KEY if c.namespace == KEY else "") for c in sink.sink.schema.columns]
            lines.append((PROJECT, _text(schema), "Project"))
        else:
            return None
    lines.append((SINK, _text(schema), sink.sink.name))
    return _lines(list(reversed(lines)), query_id)


def _lines(chain: Sequence[tuple[str, str, str]], query_id: str) -> str:
    """A chain of one-source steps, the sink first: each step's line is indented two tabs more than its
    parent's (PlanSummary.summarize prefixes a source's summary with a tab and its own indent)."""
    return "".join(
        "\t" * (2 * depth) + f" > [ {op} ] | Schema: {schema} | Logger: {query_id}.{context}\n"
        for depth, (op, schema, context) in enumerate(chain)
    )
