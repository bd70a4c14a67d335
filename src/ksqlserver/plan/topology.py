"""EXPLAIN's `topology`: the Kafka Streams topology ksqlDB 0.29's step builders would build for a plan.

Each step adds the Kafka Streams operators its ksqlDB builder calls, with the processor names that builder
gives (StreamsUtil.buildOpName of the step's query context: `WhereFilter`, `Project`, `Aggregate-GroupBy`,
...) and generated names (`KSTREAM-SOURCE-0000000000`) where it passes none:
- SourceBuilderV1.buildKStream: `stream()` then an unnamed transformValues; SourceBuilder.buildKTable:
  `table()` (its unnamed store, its two source nodes), transformValues materialized as `KsqlTopic-Reduce`,
  a second transformValues;
- StreamFilterBuilder (flatTransformValues `WhereFilter`), TableFilterBuilder (`-ApplyPredicate`,
  `-Filter`, `-PostProcess`), StreamSelectKeyBuilder (map `PartitionBy-SelectKey`), Stream/TableSelectBuilder;
- StreamGroupByBuilderBase (groupByKey, or a null filter and groupBy with a repartition), TableGroupByBuilder,
  Stream/TableAggregateBuilder (`Aggregate-Aggregate-Materialize`, `-ToOutputSchema`, `-WindowSelect`);
- SinkBuilder (`ApplyTimestampTransform-<sink>`, then `to()`), a table sink after `toStream()`;
  QueryBuilder.buildTransientQueryQueue: `process()` of a stream, `toStream().foreach()` of a table.
Stream-table, table-table and stream-stream joins are modelled (`_join`), n-way ones over a nested join
of streams too; foreign-key joins are not: their queries keep the plan outline (`None` here). Table functions add
FlatMapNode's `FlatMap` before the projection.
"""

from __future__ import annotations

from typing import Any

from ksqlserver.analyze.aggregate_query import AggregateQuery, groups_by_key
from ksqlserver.analyze.join_tree import JoinInfo, JoinLeaf, JoinNode
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.plan.logical import (
    AggregatePlan,
    FilterStep,
    JoinStep,
    LogicalPlan,
    ProjectStep,
    RepartitionStep,
    SinkStep,
    SourceStep,
)
from ksqlserver.plan.streams_topology import Node, StreamsTopology
from ksqlserver.sql import ast

SOURCE_NODE = "KsqlTopic"  # LogicalPlanner.buildSourceNode's PlanNodeId


def describe(plan: LogicalPlan | AggregatePlan, registry: Any = None) -> str | None:
    """TopologyDescription.toString() of the plan's topology; None for a shape not modelled. `registry`: the
    function registry, which says whether a projection calls a table function (FlatMapNode)."""
    t = StreamsTopology()
    if isinstance(plan, AggregatePlan):
        a = plan.query
        if a.join is not None:
            joined = _join(t, a.join)
            if joined is None:
                return None
            node, is_table = joined
        else:
            node, is_table = _source(t, a.source)
        node = _filter(t, node, is_table, a.where, "WhereFilter")
        if _table_functions([p.expression for p in a.projections], registry):
            node = t.processor("FlatMap", [node])  # StreamFlatMapBuilder's flatTransformValues
        node = _aggregate(t, node, is_table, a)
        _output(t, node, True, plan.sink)
        return t.describe()
    join = next((s.join for s in plan.steps if isinstance(s, JoinStep)), None)
    if join is not None:
        joined = _join(t, join)
        if joined is None:
            return None
        node, is_table = joined
    else:
        source = next(s for s in plan.steps if isinstance(s, SourceStep))
        node, is_table = _source(t, source.source)
    sink: DataSource | None = None
    for s in plan.steps:
        if isinstance(s, FilterStep):
            node = _filter(t, node, is_table, s.predicate, "WhereFilter")
        elif isinstance(s, RepartitionStep):
            if is_table:
                return None  # TableSelectKeyBuilder: not modelled
            # StreamSelectKeyBuilder: KStream.map, named after UserRepartitionNode's id
            node = t.processor("PartitionBy-SelectKey", [node])
        elif isinstance(s, ProjectStep) and _table_functions([p.expression for p in s.projections], registry):
            node = t.processor("FlatMap", [node])  # FlatMapNode: StreamFlatMapBuilder's flatTransformValues
        elif isinstance(s, SinkStep):
            sink = s.sink
    node = t.processor("Project", [node])  # FinalProjectNode: Stream/TableSelectBuilder's transformValues
    _output(t, node, is_table, sink)
    return t.describe()


def _table_functions(exprs: list[ast.Expression], registry: Any) -> bool:
    if registry is None:
        return False
    return any(
        isinstance(n, ast.FunctionCall) and getattr(registry.get(n.name), "kind", "") == "TABLE"
        for e in exprs
        for n in ast.walk(e)
    )


def _source(t: StreamsTopology, source: DataSource, node_id: str = SOURCE_NODE) -> tuple[Node, bool]:
    """SourceBuilderV1.buildKStream / SourceBuilder.buildKTable (the table materialised as `KsqlTopic-Reduce`:
    PlanInfo finds no repartition of a table source in these plans)."""
    if not source.is_table:
        node = t.source(t.new_name("KSTREAM-SOURCE-"), source.topic)
        return t.processor(t.new_name("KSTREAM-TRANSFORMVALUES-"), [node]), False
    t.new_store_name(f"{source.topic}-")  # StreamsBuilder.table: the KTableSource's unqueryable store
    node = t.source(t.new_name("KSTREAM-SOURCE-"), source.topic)
    node = t.processor(t.new_name("KTABLE-SOURCE-"), [node])
    node = t.processor(t.new_name("KTABLE-TRANSFORMVALUES-"), [node], [f"{node_id}-Reduce"])
    return t.processor(t.new_name("KTABLE-TRANSFORMVALUES-"), [node]), True


def _join(t: StreamsTopology, join: JoinInfo) -> tuple[Node, bool] | None:
    """The JoinNode tree (LogicalPlanner.buildJoin), built left first as KSPlanBuilder visits the steps."""
    return _join_node(t, join.root, "")


def _join_node(t: StreamsTopology, node: JoinNode, prefix: str) -> tuple[Node, bool] | None:
    """JoinNode `<prefix>Join` (a nested join's prefix `L_` more; LogicalPlanner.buildJoin /
    prepareSourceForJoin): each source side's source (`KafkaTopic_<prefix>Left` / `..Right`), a stream
    re-keyed by its join expression (PreJoinRepartitionNode: `<prefix>LeftSourceKeyed-SelectKey`),
    `PrependAlias<prefix>Left` / `..Right`; a nested join's stream as it is, or re-keyed when the join
    expression is not in its equivalence set; then StreamTableJoinBuilder (`<prefix>Join`, re-partitioned by
    KStreamImpl.repartitionForJoin after a re-key), TableTableJoinBuilder (KTableImpl.doJoin: KTABLE-MERGE,
    -JOINTHIS, -JOINOTHER) or StreamStreamJoinBuilder (`_stream_stream_join`). Foreign-key joins, and a
    nested join of tables (whose value getter reads both its sources' stores), are not modelled (None)."""
    if node.foreign_key:
        return None
    sides = []
    if isinstance(node.left, JoinNode):
        nested = _join_node(t, node.left, f"{prefix}L_")
        if nested is None or nested[1]:
            return None
        left_node = nested[0]
        if not node.left_keyed:
            left_node = t.processor(f"{prefix}LeftSourceKeyed-SelectKey", [left_node])
        sides.append((left_node, False, not node.left_keyed))
    leaves = [("Left", node.left, node.left_expr)] if isinstance(node.left, JoinLeaf) else []
    for side, leaf, expr in (*leaves, ("Right", node.right, node.right_expr)):
        assert isinstance(leaf, JoinLeaf)
        src, is_table = _source(t, leaf.source, f"KafkaTopic_{prefix}{side}")
        keys = leaf.source.schema.key
        rekeyed = not (isinstance(expr, ast.ColumnRef) and len(keys) == 1 and expr.name == keys[0].name)
        if rekeyed and is_table:
            return None  # refused by the analysis
        if rekeyed:
            src = t.processor(f"{prefix}{side}SourceKeyed-SelectKey", [src])  # KStream.map: key-changing
        sides.append((t.processor(f"PrependAlias{prefix}{side}", [src]), is_table, rekeyed))
    (left, left_table, left_rekeyed), (right, right_table, _) = sides
    name = f"{prefix}Join"  # StreamsUtil.buildOpName of the join's query context
    if node.window is not None and not left_table and not right_table:
        return _stream_stream_join(t, name, node.kind, node.window.grace_ms is not None, sides), False
    if not left_table and right_table:
        if left_rekeyed:
            left = _repartition(t, left, name)
        return t.processor(name, [left], [f"KafkaTopic_{prefix}Right-Reduce"]), False
    if left_table and right_table:
        this, other = (right, left) if node.kind == "RIGHT" else (left, right)
        stores = {id(left): [f"KafkaTopic_{prefix}Left-Reduce"], id(right): [f"KafkaTopic_{prefix}Right-Reduce"]}
        merge = t.new_name("KTABLE-MERGE-")
        this_node = t.processor(t.new_name("KTABLE-JOINTHIS-"), [this], stores[id(other)])
        other_node = t.processor(t.new_name("KTABLE-JOINOTHER-"), [other], stores[id(this)])
        return t.processor(merge, [this_node, other_node]), True
    return None


def _stream_stream_join(
    t: StreamsTopology, name: str, kind: str, grace: bool, sides: list[tuple[Node, bool, bool]]
) -> Node:
    """StreamStreamJoinBuilder: `this.join / leftJoin / outerJoin(other, ..., StreamJoined.withName(name))`
    (`name`: `Join`, a nested join's `L_Join`), RIGHT as right.leftJoin(left). KStreamImpl.doJoin
    repartitions a re-keyed side (`Join-left` for this side, `Join-right` for the other);
    KStreamImplJoin.join names the `-this-windowed` / `-other-windowed`
    KStreamJoinWindow processors, takes a generated name for each join processor (JOINTHIS / OUTERTHIS when
    the other side is outer, JOINOTHER / OUTEROTHER when this side is), whose window stores are named after
    them (`<generated>-store`: StreamJoinedFactory gives no store name), and the `-merge` PassThrough.
    StreamStreamJoinNode connects each side's window store to its own windowed processor and to the other
    side's join processor; with GRACE PERIOD (the spurious-results fix) a left or outer join's shared store
    (`KSTREAM-OUTERSHARED-<this join's index>-store`, KStreamImplJoin.buildOuterJoinWindowStoreName) goes
    to both join processors."""
    this, other = (sides[1], sides[0]) if kind == "RIGHT" else (sides[0], sides[1])
    left_outer, right_outer = kind != "INNER", kind == "FULL"  # KStreamImplJoin(builder, leftOuter, rightOuter)
    this_node, other_node = this[0], other[0]
    if this[2]:
        this_node = _repartition(t, this_node, f"{name}-left")
    if other[2]:
        other_node = _repartition(t, other_node, f"{name}-right")
    this_generated = t.new_name("KSTREAM-OUTERTHIS-" if right_outer else "KSTREAM-JOINTHIS-")
    other_generated = t.new_name("KSTREAM-OUTEROTHER-" if left_outer else "KSTREAM-JOINOTHER-")
    this_store, other_store = f"{this_generated}-store", f"{other_generated}-store"
    this_windowed = t.processor(f"{name}-this-windowed", [this_node], [this_store])
    other_windowed = t.processor(f"{name}-other-windowed", [other_node], [other_store])
    shared = []
    if left_outer and grace:
        index = this_generated[len("KSTREAM-OUTERTHIS-" if right_outer else "KSTREAM-JOINTHIS-") :]
        shared = [f"KSTREAM-OUTERSHARED-{index}-store"]
    this_join = t.processor(
        f"{name}-outer-this-join" if right_outer else f"{name}-this-join", [this_windowed], [other_store, *shared]
    )
    other_join = t.processor(
        f"{name}-outer-other-join" if left_outer else f"{name}-other-join", [other_windowed], [this_store, *shared]
    )
    return t.processor(f"{name}-merge", [this_join, other_join])


def _repartition(t: StreamsTopology, node: Node, name: str) -> Node:
    """KStreamImpl.createRepartitionedSource with a given name: three generated names burnt, then the
    `<name>-repartition-filter` / `-sink` and the `-source` of the next sub-topology."""
    for prefix in ("KSTREAM-SINK-", "KSTREAM-FILTER-", "KSTREAM-SOURCE-"):
        t.new_name(prefix)
    topic = f"{name}-repartition"
    node = t.processor(f"{topic}-filter", [node])
    t.sink(f"{topic}-sink", topic, node)
    return t.source(f"{topic}-source", topic)


def _filter(t: StreamsTopology, node: Node, is_table: bool, predicate: ast.Expression | None, name: str) -> Node:
    """StreamFilterBuilder (one flatTransformValues) / TableFilterBuilder (transformValues, filter, mapValues)."""
    if predicate is None:
        return node
    if not is_table:
        return t.processor(name, [node])
    for op in ("ApplyPredicate", "Filter", "PostProcess"):
        node = t.processor(f"{name}-{op}", [node])
    return node


def _aggregate(t: StreamsTopology, node: Node, is_table: bool, a: AggregateQuery) -> Node:
    """AggregateNode: `Prepare`, the group-by, the aggregation and its output steps, HAVING, `Project`."""
    node = t.processor("Aggregate-Prepare", [node])
    store = "Aggregate-Aggregate-Materialize"
    if is_table:
        # TableGroupByBuilderBase: filter(v != null).groupBy(...); KGroupedTableImpl.doAggregate names its
        # repartition's sink and source before the aggregate
        node = t.processor(t.new_name("KTABLE-FILTER-"), [node])
        node = t.processor("Aggregate-GroupBy", [node])
        sink_name, source_name = t.new_name("KSTREAM-SINK-"), t.new_name("KSTREAM-SOURCE-")
        topic = "Aggregate-GroupBy-repartition"
        t.sink(sink_name, topic, node)
        node = t.source(source_name, topic)
        node = t.processor(t.new_name("KTABLE-AGGREGATE-"), [node], [store])
    elif groups_by_key(a):  # SchemaKStream.groupBy: Repartitioning.repartitionNeeded
        node = t.processor(t.new_name("KSTREAM-AGGREGATE-"), [node], [store])
    else:
        # StreamGroupByBuilderBase: filter(v != null).groupBy(mapper, Grouped.as("Aggregate-GroupBy"));
        # the aggregate is named before KStreamImpl.createRepartitionedSource burns three names
        node = t.processor(t.new_name("KSTREAM-FILTER-"), [node])
        node = t.processor("Aggregate-GroupBy", [node])
        aggregate = t.new_name("KSTREAM-AGGREGATE-")
        node = _repartition(t, node, "Aggregate-GroupBy")
        node = t.processor(aggregate, [node], [store])
    node = t.processor("Aggregate-Aggregate-ToOutputSchema", [node])
    if a.window is not None:
        node = t.processor("Aggregate-Aggregate-WindowSelect", [node])
    node = _filter(t, node, True, a.having, "Aggregate-HavingFilter")
    return t.processor("Aggregate-Project", [node])


def _output(t: StreamsTopology, node: Node, is_table: bool, sink: DataSource | None) -> None:
    """SinkBuilder / QueryBuilder.buildTransientQueryQueue (EXPLAIN's sandbox keeps tombstones: no filter)."""
    if sink is None:
        if not is_table:
            t.processor(t.new_name("KSTREAM-PROCESSOR-"), [node])
            return
        node = t.processor(t.new_name("KTABLE-TOSTREAM-"), [node])
        t.processor(t.new_name("KSTREAM-FOREACH-"), [node])
        return
    if is_table:
        node = t.processor(t.new_name("KTABLE-TOSTREAM-"), [node])
    if sink.timestamp_column is not None:
        node = t.processor(f"ApplyTimestampTransform-{sink.name}", [node])
    t.sink(t.new_name("KSTREAM-SINK-"), sink.topic, node)
