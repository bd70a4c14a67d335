"""`CREATE OR REPLACE ... AS SELECT`: may a running query be replaced by a new plan in place?

ksqlDB 0.29 compares the two physical plans step by step from the sink down (`ExecutionStep
.validateUpgrade`). *Passive* steps (projections and filters) may be added, removed or changed freely;
*enforcing* steps (sources, sinks, re-keying, grouping, aggregation) must be present in both plans with
matching properties; any other step (joins, windowed or table aggregations, ...) is not upgradeable at
all. The messages are ksqlDB's. A plan is described here as the chain of those steps, sink first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ksqlserver.analyze.aggregate_query import AggregateQuery
from ksqlserver.analyze.scope import rewrite_refs
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.errors import KsqlStatementError
from ksqlserver.plan.logical import (
    AggregatePlan,
    FilterStep,
    JoinStep,
    LogicalPlan,
    Plan,
    ProjectStep,
    RepartitionStep,
    SinkStep,
    SourceStep,
)
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql

_PACKAGE = "io.confluent.ksql.execution.plan."
SOURCES = frozenset({"StreamSource", "TableSource", "WindowedStreamSource", "WindowedTableSource"})


@dataclass(frozen=True)
class PlanStep:
    """One execution step: its Java class name, its kind (True: enforcing, False: passive, None: no
    upgrade supported) and the properties an upgrade must keep."""

    name: str
    enforcing: bool | None
    props: tuple[tuple[str, Any], ...] = ()

    @property
    def java_class(self) -> str:
        return f"class {_PACKAGE}{self.name}"


def _features(features: tuple[str, ...]) -> str:
    """SerdeFeatures as Java prints the set: [UNWRAP_SINGLES]."""
    return "[" + ", ".join(features) + "]"


def _formats(source: DataSource) -> str:
    return (
        f"Formats{{keyFormat=FormatInfo{{format={source.key_format}, properties={{}}}}, "
        f"valueFormat=FormatInfo{{format={source.value_format}, properties={{}}}}, "
        f"keyFeatures={_features(source.key_features)}, valueFeatures={_features(source.value_features)}}}"
    )


def _ts(source: DataSource) -> str:
    """Optional<TimestampColumn> as Java prints it (TimestampColumn.toString; the ColumnName back-quoted)."""
    if not source.timestamp_column:
        return "Optional.empty"
    fmt = f"Optional[{source.timestamp_format}]" if source.timestamp_format else "Optional.empty"
    return f"Optional[TimestampColumn{{column=`{source.timestamp_column}`, format={fmt}}}]"


def _source_step(source: DataSource) -> PlanStep:
    kind = "Table" if source.is_table else "Stream"
    name = f"Windowed{kind}Source" if source.window is not None else f"{kind}Source"
    return PlanStep(name, True, (("topicName", source.topic), ("formats", _formats(source)), ("timestampColumn", _ts(source))))


def _sink_step(sink: DataSource) -> PlanStep:
    name = "TableSink" if sink.is_table else "StreamSink"
    return PlanStep(name, True, (("formats", _formats(sink)), ("topicName", sink.topic), ("timestampColumn", _ts(sink))))


def _join_step(step: JoinStep) -> PlanStep:
    root = step.join.root
    if root.foreign_key:
        return PlanStep("ForeignKeyTableTableJoin", None)
    if root.is_table:
        return PlanStep("TableTableJoin", None)
    return PlanStep("StreamTableJoin" if root.right.is_table else "StreamStreamJoin", None)


def _rekeys(source: DataSource, keys: list[ast.Expression]) -> bool:
    """ksqlDB's Repartitioning.repartitionNeeded."""
    key = source.schema.key
    if len(key) != 1 or len(keys) != 1:
        return True
    return not (isinstance(keys[0], ast.ColumnRef) and keys[0].name == key[0].name)


def _unqualified(e: Any) -> Any:
    """`e` with its column references' source names dropped."""
    return rewrite_refs(e, lambda r: ast.ColumnRef(r.name) if r.source else r)


def upgrade_steps(p: Plan) -> list[PlanStep]:
    """The execution steps of a plan, sink first."""
    if isinstance(p, AggregatePlan):
        return _aggregate_steps(p)
    assert isinstance(p, LogicalPlan)
    steps: list[PlanStep] = []
    table = False
    source: DataSource | None = None
    for s in p.steps:
        if isinstance(s, SourceStep):
            table, source = s.source.is_table, s.source
    for s in reversed(p.steps):
        if isinstance(s, SinkStep):
            steps.append(_sink_step(s.sink))
        elif isinstance(s, ProjectStep):
            steps.append(PlanStep("TableSelect" if table else "StreamSelect", False))
        elif isinstance(s, FilterStep):
            steps.append(PlanStep("TableFilter" if table else "StreamFilter", False))
        elif isinstance(s, RepartitionStep):
            if source is not None and not _rekeys(source, [e for _, e, _ in s.keys]):
                continue  # SchemaKStream.selectKey adds no step when the key stays (Repartitioning)
            # the step holds the analysis' expressions, in which a single source's columns are unqualified
            keys = "[" + ", ".join(sql(_unqualified(e)) for _, e, _ in s.keys) + "]"
            steps.append(PlanStep("TableSelectKey" if table else "StreamSelectKey", True, (("keyExpressions", keys),)))
        elif isinstance(s, JoinStep):
            steps.append(_join_step(s))
            return steps  # nothing below a join is ever compared
        elif isinstance(s, SourceStep):
            steps.append(_source_step(s.source))
    return steps


def _aggregate_steps(p: AggregatePlan) -> list[PlanStep]:
    a = p.query
    steps: list[PlanStep] = []
    if p.sink is not None:
        steps.append(_sink_step(p.sink))
    steps.append(PlanStep("TableSelect", False))
    if a.having is not None:
        steps.append(PlanStep("TableFilter", False))
    if a.join is not None:
        steps.append(_join_step(JoinStep(a.join)))
        return steps
    if a.input_is_table:
        steps.append(PlanStep("TableAggregate", None))
        return steps
    if a.window is not None:
        steps.append(PlanStep("StreamWindowedAggregate", None))
        return steps
    required = "[" + ", ".join(f"`{c}`" for c in a.required_columns) + "]"
    steps.append(
        PlanStep(
            "StreamAggregate",
            True,
            (("columns not part of aggregate", required), ("aggregate functions", _internal_calls(a))),
        )
    )
    if not _rekeys(a.source, [e for _, e, _ in a.group_by]):  # SchemaKStream.groupBy
        steps.append(PlanStep("StreamGroupByKey", True))
    else:
        exprs = "[" + ", ".join(sql(_unqualified(e)) for _, e, _ in a.group_by) + "]"
        steps.append(PlanStep("StreamGroupBy", True, (("group by clause", exprs),)))
    if a.where is not None:
        steps.append(PlanStep("StreamFilter", False))
    steps.append(_source_step(a.source))
    return steps


def _internal_calls(a: AggregateQuery) -> str:
    """The aggregate calls as the StreamAggregate step holds them (AggregateNode's internal schema): an
    argument-less call reads ROWTIME, a column argument keeps its name, any other argument expression is
    an internal column numbered after the required columns, literal arguments stay as written."""
    internal: dict[str, str] = {c: c for c in a.required_columns}
    calls = []
    for x in [a.aggs[i] for i in a.call_order] if a.call_order else a.aggs:
        call = x.call
        if not call.args:
            calls.append(f"{call.name}(ROWTIME)")
            continue
        parts = []
        for i, arg in enumerate(call.args):
            if i >= len(x.args):  # the initial arguments (TOPK's k, ...) are literals
                parts.append(sql(arg))
            elif isinstance(arg, ast.ColumnRef):
                parts.append(arg.name)
            else:
                parts.append(internal.setdefault(sql(arg), f"KSQL_INTERNAL_COL_{len(internal)}"))
        calls.append(f"{call.name}({', '.join(parts)})")
    return "[" + ", ".join(calls) + "]"


def validate_upgrade(old: list[PlanStep], new: list[PlanStep]) -> None:
    """Raise ksqlDB's error if the query planned as `old` cannot be replaced in place by `new`."""
    _validate(old, 0, new, 0)


def _validate(this: list[PlanStep], i: int, to: list[PlanStep], j: int) -> None:
    while True:
        step = this[i]
        if step.enforcing is None:
            raise KsqlStatementError(f"Upgrades not yet supported for {step.name}")
        if not step.enforcing:  # a passive step hands the comparison over: `to` against this one's source
            this, i, to, j = to, j, this, i + 1
            if i >= len(this) or j >= len(to):
                return
            continue
        if step.name in SOURCES:
            _validate_source(step, to, j)
            return
        _must_match(step, to[j])  # an enforcing step compares classes first, whatever the other step is
        i, j = i + 1, j + 1
        if i >= len(this) or j >= len(to):
            return


def _validate_source(step: PlanStep, to: list[PlanStep], j: int) -> None:
    """StreamSource / TableSource.validateUpgrade: walk the new plan down to its source. A join has two
    sources; a step without any is a source of another kind; any other step must be passive, and asking an
    enforcing step other than a sink or source for its kind is itself the error (ExecutionStep.type)."""
    while to[j].name != step.name:
        other = to[j]
        if other.name.endswith("Join"):
            raise KsqlStatementError("Query is not upgradeable. Cannot change a non-join source into a join source.")
        if j + 1 >= len(to):
            raise KsqlStatementError(
                f"Query is not upgradeable. The root source node of the upgrade tree must be {step.name}, but "
                f"was {other.java_class}"
            )
        if other.enforcing is not False:
            if other.name not in ("StreamSink", "StreamSource"):
                raise KsqlStatementError(f"Upgrades not yet supported for {other.name}")
            raise KsqlStatementError(
                f"Query is not upgradeable. Cannot add a {other.java_class} step that is not in the original "
                "query plan."
            )
        j += 1
    _must_match(step, to[j])


def _must_match(step: PlanStep, other: PlanStep) -> None:
    if step.name != other.name:
        raise KsqlStatementError(
            f"Query is not upgradeable. Plan step of type {step.name} must have matching class. Values differ: "
            f"{step.java_class} vs. {other.java_class}"
        )
    theirs = dict(other.props)
    for name, value in step.props:
        if theirs.get(name) != value:
            raise KsqlStatementError(
                f"Query is not upgradeable. Plan step of type {step.name} must have matching {name}. Values "
                f"differ: {value} vs. {theirs.get(name)}"
            )


def source_upgrade_error(old: DataSource, new: DataSource) -> str | None:
    """ksqlDB's DataSource.canUpgradeTo: what keeps `old` from being replaced by `new`, or None."""
    issues = []
    # StructuredDataSource.getCompatMessage formats the SourceName: Name.toString() back-quotes it
    # (FormatOptions.none()), as ksqlDB 0.29 built from source answers ("DataSource '`O`' has ...")
    quoted = f"`{old.name}`"

    def prop(name: str, a: Any, b: Any) -> None:
        if a != b:
            issues.append(f"DataSource '{quoted}' has {name} = {a} which is not upgradeable to {b}")

    prop("type", "KTABLE" if old.is_table else "KSTREAM", "KTABLE" if new.is_table else "KSTREAM")
    prop("topic", _topic(old), _topic(new))
    prop("timestampColumn", _ts(old), _ts(new))
    schema_issue = _schema_issue(old, new)
    if schema_issue is not None:
        issues.append(
            f"DataSource '{quoted}' has schema = {old.schema.describe()} which is not upgradeable to "
            f"{new.schema.describe()}. ({schema_issue})"
        )
    return "\n\tAND ".join(issues) if issues else None


def _topic(s: DataSource) -> str:
    window = "Optional.empty" if s.window is None else f"Optional[{_window_info(s)}]"
    return (
        f"KsqlTopic{{kafkaTopicName='{s.topic}', keyFormat=KeyFormat{{format=FormatInfo{{format={s.key_format}, "
        f"properties={_format_properties(s.key_options)}}}, features={_features(s.key_features)}, window={window}}}, "
        f"valueFormat=ValueFormat{{format=FormatInfo{{format={s.value_format}, "
        f"properties={_format_properties(s.value_options)}}}, features={_features(s.value_features)}}}}}"
    )


# CreateSourceProperties / CreateSourceAsProperties.get{Key,Value}FormatProperties build the FormatInfo's
# properties as an ImmutableMap in this order (AVRO keys' default fullSchemaName included)
_PROPERTY_ORDER = ("fullSchemaName", "delimiter", "unwrapPrimitives", "nullableRepresentation", "schemaId")


def _format_properties(opts: Any) -> str:
    """FormatInfo's properties as ImmutableMap.toString prints them: `{fullSchemaName=io.x.TKey}`."""
    props = dict(opts.extra)
    if opts.delimiter != ",":  # only a WITH clause's delimiter is a property; ',' is the format's default
        props["delimiter"] = opts.delimiter
    ordered = [k for k in _PROPERTY_ORDER if k in props] + [k for k in props if k not in _PROPERTY_ORDER]
    return "{" + ", ".join(f"{k}={props[k]}" for k in ordered) + "}"


def _window_info(s: DataSource) -> str:
    """WindowInfo.toString: the size an Optional of its millis, the emit strategy CHANGES unless the source's
    query refined it with EMIT FINAL."""
    assert s.window is not None
    size = "Optional.empty" if s.window.size_ms is None else f"Optional[{s.window.size_ms}]"
    final = re.search(r"\bEMIT\s+FINAL\b", s.statement or "", re.IGNORECASE) is not None
    return f"WindowInfo{{type={s.window.kind}, size={size}, emitStrategy={'FINAL' if final else 'CHANGES'}}}"


def _schema_issue(old: DataSource, new: DataSource) -> str | None:
    def indexed(cols: Any) -> list[tuple[str, str, str, int]]:
        out, seen = [], {}
        for c in cols:
            n = seen.get(c.namespace, 0)
            seen[c.namespace] = n + 1
            out.append((c.name, str(c.type), c.namespace, n))
        return out

    def shown(cols: list[tuple[str, str, str, int]]) -> str:
        return "[" + ", ".join(f"`{n}` {t}{'' if ns == 'VALUE' else ' ' + ns}" for n, t, ns, _ in cols) + "]"

    old_key, new_key = indexed(old.schema.key), indexed(new.schema.key)
    missing = [c for c in old_key if c not in new_key]
    if missing:
        return f"Key columns must be identical. The following key columns are changed, missing or reordered: {shown(missing)}"
    old_all, new_all = indexed(old.schema.columns), indexed(new.schema.columns)
    missing = [c for c in old_all if c not in new_all]
    if missing:
        return f"The following columns are changed, missing or reordered: {shown(missing)}"
    return None
