"""A join plan compiled into one batch function: records of every source topic -> join operators ->
WHERE -> projection -> output records (or rows for push queries).

Leaf rows come from each source's row reader; tables feed changes keyed by their primary key, streams
feed rows whose join key each join node computes with its compiled criteria (the in-process equivalent
of ksqlDB's repartition: the output is keyed by the join key). Table results that are deleted or filtered
out become tombstones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ksqlserver.analyze.join_tree import JoinInfo, JoinLeaf, JoinNode
from ksqlserver.compile.compiler import Compiler
from ksqlserver.drivers.base import Record
from ksqlserver.functions import FunctionRegistry
from ksqlserver.plan.logical import FilterStep, JoinStep, LogicalPlan, OutputStep, ProjectStep, SinkStep
from ksqlserver.runtime.operators.joins import (
    ForeignKeyJoin,
    OpenStore,
    StreamStreamJoin,
    StreamTableJoin,
    TableTableJoin,
)
from ksqlserver.runtime.pipeline import ErrorHandler, Pipeline, json_ready, row_reader
from ksqlserver.runtime.state.base import InMemoryKeyValueStore, StateStores
from ksqlserver.sql.printer import sql

Operator = StreamTableJoin | StreamStreamJoin | TableTableJoin | ForeignKeyJoin


def _nodes(root: JoinNode) -> list[JoinNode]:
    out: list[JoinNode] = []
    n: JoinLeaf | JoinNode = root
    while isinstance(n, JoinNode):
        out.append(n)
        n = n.left
    return out[::-1]


def _operator(node: JoinNode, registry: FunctionRegistry, open_store: OpenStore) -> Operator:
    lw, rw = node.right.offset, node.right.width
    if node.foreign_key:
        comp = Compiler(node.left_scope, registry, "JOIN")
        fk_of = comp.function(comp.expr(node.left_expr)[0], "_fk")
        return ForeignKeyJoin(node.kind, rw, fk_of, open_store)
    if node.left.is_table and node.right.is_table:
        return TableTableJoin(node.kind, (lw, rw), open_store)
    if node.right.is_table:
        return StreamTableJoin(node.kind, rw, open_store)
    w = node.window
    assert w is not None
    return StreamStreamJoin(node.kind, w.before_ms, w.after_ms, w.grace_ms, (lw, rw), open_store)


class JoinGraph:
    """Routes a record to its leaf and pushes the resulting events up the left-deep join tree."""

    def __init__(
        self,
        info: JoinInfo,
        registry: FunctionRegistry,
        on_error: ErrorHandler,
        stores: StateStores,
        query_id: str,
    ) -> None:
        self.on_error = on_error
        self.nodes = _nodes(info.root)
        # store names carry the join's position (multi-way joins have several): "Join-<n>-<name>" from 1 on
        self.ops = [
            _operator(
                n, registry, lambda name, i=i: stores.open(query_id, name if i == 0 else f"Join{i}-{name}")
            )
            for i, n in enumerate(self.nodes)
        ]
        self.by_topic: dict[str, list[tuple[int, JoinLeaf, Callable[[Record], list[Any] | None]]]] = {}
        for i, leaf in enumerate(info.leaves):
            self.by_topic.setdefault(leaf.source.topic, []).append(
                (i, leaf, row_reader(leaf.source, on_error))
            )
        self.pk_index = [
            next((k for k, c in enumerate(lf.source.schema.columns) if c.namespace == "KEY"), None)
            for lf in info.leaves
        ]
        self.left_key: list[Callable[[list[Any]], Any] | None] = []
        self.right_key: list[Callable[[list[Any]], Any] | None] = []
        for n in self.nodes:
            left_is_keyed_table = n.left.is_table and not n.foreign_key
            if left_is_keyed_table:
                self.left_key.append(None)
            else:
                c = Compiler(n.left_scope, registry, "JOIN")
                self.left_key.append(c.function(c.expr(n.left_expr)[0], "_left_key"))
            if n.right.is_table:
                self.right_key.append(None)
            else:
                c = Compiler(n.right.scope, registry, "JOIN")
                self.right_key.append(c.function(c.expr(n.right_expr)[0], "_right_key"))

    def feed(self, rec: Record) -> list[tuple[Any, list[Any] | None, int]]:
        out: list[tuple[Any, list[Any] | None, int]] = []
        for i, leaf, reader in self.by_topic.get(rec.topic, ()):
            row = reader(rec)
            if row is None:
                continue
            tombstone = len(row) > leaf.width
            if tombstone:
                row.pop()
            ts = row[leaf.width - 3]
            if leaf.is_table:
                pk = self.pk_index[i]
                key = row[pk] if pk is not None else None
                events = [(key, None if tombstone else row, ts)]
            elif tombstone:
                continue  # a stream record without a value does not join
            else:
                events = [(None, row, ts)]
            if i == 0:
                out += self._push(0, 0, events, rec)
            else:
                out += self._push(i - 1, 1, events, rec)
        return out

    def _push(self, n: int, side: int, events: list[Any], rec: Record) -> list[Any]:
        while n < len(self.ops):
            key_fn = self.left_key[n] if side == 0 else self.right_key[n]
            op = self.ops[n]
            nxt: list[Any] = []
            for key, row, ts in events:
                if key_fn is not None and row is not None:
                    try:
                        key = key_fn(row)
                    except Exception as e:
                        self.on_error("recordProcessing", f"Error computing the join key: {e}", rec, e)
                        continue
                nxt += op.process(side, key, row, ts)
            events, n, side = nxt, n + 1, 0
            if not events:
                return []
        return events


def compile_join_plan(
    plan: LogicalPlan,
    registry: FunctionRegistry,
    on_error: ErrorHandler,
    stores: StateStores | None = None,
    query_id: str = "transient",
) -> Pipeline:
    """`stores` holds the join state (persistent queries pass the engine's); push queries keep theirs in memory."""
    join_step = next(s for s in plan.steps if isinstance(s, JoinStep))
    info = join_step.join
    filt = next((s for s in plan.steps if isinstance(s, FilterStep)), None)
    project = next(s for s in plan.steps if isinstance(s, ProjectStep))
    sink_step = next((s for s in plan.steps if isinstance(s, SinkStep)), None)
    out_step = next((s for s in plan.steps if isinstance(s, OutputStep)), None)
    graph = JoinGraph(info, registry, on_error, stores or StateStores(InMemoryKeyValueStore), query_id)
    synthetic = info.synthetic_key is not None
    table_result = info.root.is_table

    filter_fn = None
    if filt is not None:
        comp = Compiler(project.scope, registry, "WHERE")
        filter_fn = comp.function(comp.expr(filt.predicate)[0], "_filter")
    comp = Compiler(project.scope, registry, "SELECT")
    project_fn = comp.projection([comp.expr(p.expression)[0] for p in project.projections], "_project")
    column_errors = [  # ksqlDB's processing-log texts; the cause goes in the entry's cause
        f"Error computing expression {sql(p.expression)} for column {p.name} with index {i}"
        for i, p in enumerate(project.projections)
    ]
    predicate_error = f"Error evaluating predicate {sql(filt.predicate)}" if filt is not None else ""

    def evaluate(rec: Record, row: list[Any], key: Any) -> list[Any] | bool | None:
        """Projected values; None when filtered out, False when it failed."""
        if synthetic:
            row = [*row, key]
        if filter_fn is not None:
            try:
                if filter_fn(row) is not True:
                    return None
            except Exception as e:
                on_error("recordProcessing", predicate_error, rec, e)
                return False

        def col_error(i: int, e: Exception) -> None:
            on_error("recordProcessing", column_errors[i], rec, e)

        return project_fn(row, col_error)

    topics = info.topics
    first_other = next((t for t in topics if t != info.leaves[0].source.topic), None)
    if out_step is not None:
        readies = [json_ready(p.type) for p in project.projections]

        def process_rows(records: Sequence[Record]) -> list[Any]:
            out = []
            for rec in records:
                for key, row, _ts in graph.feed(rec):
                    if row is None:
                        continue
                    vals = evaluate(rec, row, key)
                    if vals:
                        out.append([f(v) for f, v in zip(readies, vals, strict=True)])  # type: ignore[arg-type]
            return out

        return Pipeline(
            process_rows,
            [(p.name, p.type) for p in project.projections],
            info.leaves[0].source,
            None,
            out_step.limit,
            join_topic=first_other,
        )

    assert sink_step is not None
    sink = sink_step.sink
    keyed = any(p.is_key for p in project.projections)
    val_pos = [i for i, p in enumerate(project.projections) if not p.is_key]
    kser = sink.key_serde.serialize
    vser = sink.value_serde.serialize

    def process_records(records: Sequence[Record]) -> list[Any]:
        out: list[Record] = []
        for rec in records:
            for key, row, ts in graph.feed(rec):
                vals = None if row is None else evaluate(rec, row, key)
                if vals is False or (vals is None and not table_result):
                    continue
                try:
                    kb = kser([key]) if keyed and key is not None else None
                    vb = None if vals is None else vser([vals[i] for i in val_pos])  # type: ignore[index]
                except Exception as e:
                    on_error(
                        "serialization", f"Error serializing message to topic: {sink.topic}. {e}", rec, e
                    )
                    continue
                out.append(Record(kb, vb, ts, rec.partition, 0, rec.headers, sink.topic))
        return out

    return Pipeline(
        process_records,
        [(p.name, p.type) for p in project.projections],
        info.leaves[0].source,
        sink,
        None,
        False,
        first_other,
    )
