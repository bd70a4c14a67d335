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
Stream-table, table-table, foreign-key and stream-stream joins are modelled (`_join`), n-way ones over a
nested join too; a table re-keyed for a foreign-key join is not: its query keeps the plan outline (`None`
here). Table functions add FlatMapNode's `FlatMap` before the projection.
"""

from __future__ import annotations

from dataclasses import dataclass
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
        materialized = True
        if a.join is not None:
            joined = _join(t, a.join)
            if joined is None:
                return None
            node, is_table, materialized = joined
        else:
            node, is_table = _source(t, a.source)
        node = _filter(t, node, is_table, a.where, "WhereFilter")
        if _table_functions([p.expression for p in a.projections], registry):
            node = t.processor("FlatMap", [node])  # StreamFlatMapBuilder's flatTransformValues
        node = _aggregate(t, node, is_table, materialized, a)
        _output(t, node, True, plan.sink)
        return t.describe()
    join = next((s.join for s in plan.steps if isinstance(s, JoinStep)), None)
    materialized = True
    if join is not None:
        joined = _join(t, join)
        if joined is None:
            return None
        node, is_table, materialized = joined
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
    node = _select(t, node, is_table and not materialized, "Project")  # FinalProjectNode: Stream/TableSelectBuilder
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


@dataclass(eq=False)
class _Table:
    """A KTable's value getter (KTableValueGetterSupplier.storeNames()) and whether ksqlDB's KTableHolder
    carries a materialization (a join's result is KTableHolder.unmaterialized)."""

    getter: list[str]
    materialized: bool = True
    # a foreign-key join's result: its KTableSource store, added to `source` once something asks for its
    # value getter (KTableImpl.valueGetterSupplier / enableSendingOldValues(true) materialize a KTableSource)
    source: Node | None = None

    def stores(self) -> list[str]:
        if self.source is not None and self.getter[0] not in self.source.stores:
            self.source.stores.append(self.getter[0])
        return self.getter


@dataclass(eq=False)
class _Side:
    """One side of a join as its builder sees it: the last node, the table (None for a stream), re-keyed."""

    node: Node
    table: _Table | None
    rekeyed: bool = False


def _join(t: StreamsTopology, join: JoinInfo) -> tuple[Node, bool, bool] | None:
    """The JoinNode tree (LogicalPlanner.buildJoin), built left first as KSPlanBuilder visits the steps:
    (last node, is a table, carries a materialization)."""
    side = _join_node(t, join.root, "")
    if side is None:
        return None
    return side.node, side.table is not None, side.table is None or side.table.materialized


def _join_node(t: StreamsTopology, node: JoinNode, prefix: str) -> _Side | None:
    """JoinNode `<prefix>Join` (a nested join's prefix `L_` more; LogicalPlanner.buildJoin /
    prepareSourceForJoin): each source side's source (`KafkaTopic_<prefix>Left` / `..Right`), a stream
    re-keyed by its join expression (PreJoinRepartitionNode: `<prefix>LeftSourceKeyed-SelectKey`),
    `PrependAlias<prefix>Left` / `..Right`; a nested join as it is, a nested stream re-keyed when the join
    expression is not in its equivalence set; then StreamTableJoinBuilder (`<prefix>Join`, re-partitioned by
    KStreamImpl.repartitionForJoin after a re-key), TableTableJoinBuilder (KTableImpl.doJoin: KTABLE-MERGE,
    -JOINTHIS, -JOINOTHER, each reading the other side's value getter: a nested join of tables reads all its
    sources' stores), ForeignKeyTableTableJoinBuilder (`_foreign_key_join`; no re-key: FK joins have no
    co-partitioning needs) or StreamStreamJoinBuilder (`_stream_stream_join`)."""
    sides: list[_Side] = []
    if isinstance(node.left, JoinNode):
        nested = _join_node(t, node.left, f"{prefix}L_")
        if nested is None:
            return None
        if node.foreign_key or node.left_keyed:
            sides.append(nested)
        elif nested.table is not None:
            return None  # a re-keyed table: refused by the analysis
        else:
            left_node = t.processor(f"{prefix}LeftSourceKeyed-SelectKey", [nested.node])
            sides.append(_Side(left_node, None, True))
    leaves = [("Left", node.left, node.left_expr)] if isinstance(node.left, JoinLeaf) else []
    for side, leaf, expr in (*leaves, ("Right", node.right, node.right_expr)):
        assert isinstance(leaf, JoinLeaf)
        node_id = f"KafkaTopic_{prefix}{side}"
        src, is_table = _source(t, leaf.source, node_id)
        keys = leaf.source.schema.key
        if node.foreign_key:
            rekeyed = side == "Right" and _fk_join_repartitions(leaf.source)
        else:
            rekeyed = not (isinstance(expr, ast.ColumnRef) and len(keys) == 1 and expr.name == keys[0].name)
        if rekeyed and is_table:
            return None  # refused by the analysis, or (FK) TableSelectKeyBuilder: not modelled
        if rekeyed:
            src = t.processor(f"{prefix}{side}SourceKeyed-SelectKey", [src])  # KStream.map: key-changing
        table = _Table([f"{node_id}-Reduce"]) if is_table else None
        sides.append(_Side(t.processor(f"PrependAlias{prefix}{side}", [src]), table, rekeyed))
    left, right = sides
    name = f"{prefix}Join"  # StreamsUtil.buildOpName of the join's query context
    if node.foreign_key:
        if left.table is None or right.table is None:
            return None
        return _foreign_key_join(t, left, right)
    if node.window is not None and left.table is None and right.table is None:
        pairs = [(s.node, False, s.rekeyed) for s in sides]
        return _Side(_stream_stream_join(t, name, node.kind, node.window.grace_ms is not None, pairs), None)
    if left.table is None and right.table is not None:
        left_node = _repartition(t, left.node, name) if left.rekeyed else left.node
        return _Side(t.processor(name, [left_node], right.table.stores()), None)
    if left.table is not None and right.table is not None:
        this, other = (right, left) if node.kind == "RIGHT" else (left, right)
        assert this.table is not None and other.table is not None
        merge = t.new_name("KTABLE-MERGE-")
        this_node = t.processor(t.new_name("KTABLE-JOINTHIS-"), [this.node], other.table.stores())
        other_node = t.processor(t.new_name("KTABLE-JOINOTHER-"), [other.node], this.table.stores())
        merged = t.processor(merge, [this_node, other_node])
        # KTableKTableJoinMerger.view(): an unmaterialized merge reads both parents' getters
        getter = list(dict.fromkeys(left.table.getter + right.table.getter))
        return _Side(merged, _Table(getter, materialized=False))
    return None


def _fk_join_repartitions(source: DataSource) -> bool:
    """LogicalPlanner.shouldRepartitionFKJoin: the right table of a key format with a schema registry and a
    STRUCT key column."""
    return source.key_format.upper() in ("AVRO", "PROTOBUF", "JSON_SR") and any(
        c.type.base == "STRUCT" for c in source.schema.key
    )


def _foreign_key_join(t: StreamsTopology, left: _Side, right: _Side) -> _Side:
    """ForeignKeyTableTableJoinBuilder: `left.join / leftJoin(right, extractor, joiner, Materialized)` without a
    name, so Kafka Streams 3.5's KTableImpl.doJoinOnForeignKey generates every name in this order: the
    subscription topic (`KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-<n>-topic`), the registration processor,
    its KTABLE-SINK and the KTABLE-SOURCE reading it, the subscription store, the subscription receive
    processor (the store), the join-foreign processor (the right table's value getter), the foreign table's
    processor (the store, after the right table), the response topic (`..-SUBSCRIPTION-RESPONSE-<n>-topic`)
    with its sink (fed by both) and source, the response resolver (the left table's value getter) and the
    result KTableSource `KTABLE-FK-JOIN-OUTPUT-<n>`, whose store name MaterializedInternal burns last; that
    store is only materialized when something reads its value getter. Both tables send old values
    (enableSendingOldValues(true))."""
    assert left.table is not None and right.table is not None
    right_getter, left_getter = right.table.stores(), left.table.stores()
    registration = "KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-"
    processor = "KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-"
    topic = f"{t.new_name(registration)}-topic"
    send = t.processor(t.new_name(registration), [left.node])
    t.sink(t.new_name("KTABLE-SINK-"), topic, send)
    node = t.source(t.new_name("KTABLE-SOURCE-"), topic)
    store = t.new_name("KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-")
    node = t.processor(t.new_name(processor), [node], [store])
    join_foreign = t.processor(t.new_name(processor), [node], right_getter)
    foreign = t.processor(t.new_name(processor), [right.node], [store])
    response = f"{t.new_name('KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-')}-topic"
    t.sink(t.new_name("KTABLE-SINK-"), response, join_foreign, foreign)
    node = t.source(t.new_name("KTABLE-SOURCE-"), response)
    node = t.processor(t.new_name("KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-"), [node], left_getter)
    result = t.processor(t.new_name("KTABLE-FK-JOIN-OUTPUT-"), [node])
    output_store = t.new_store_name("KTABLE-FK-JOIN-OUTPUT-")
    return _Side(result, _Table([output_store], materialized=False, source=result))


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


def _select(t: StreamsTopology, node: Node, force_materialize: bool, name: str) -> Node:
    """Stream/TableSelectBuilder's transformValues named `name`; TableSelectBuilder materializes a table whose
    KTableHolder has no materialization (a join's result) with an unnamed transformValues and the store
    `<name>-Last`."""
    if force_materialize:
        return t.processor(t.new_name("KTABLE-TRANSFORMVALUES-"), [node], [f"{name}-Last"])
    return t.processor(name, [node])


def _aggregate(t: StreamsTopology, node: Node, is_table: bool, materialized: bool, a: AggregateQuery) -> Node:
    """AggregateNode: `Prepare`, the group-by, the aggregation and its output steps, HAVING, `Project`."""
    node = _select(t, node, is_table and not materialized, "Aggregate-Prepare")
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
