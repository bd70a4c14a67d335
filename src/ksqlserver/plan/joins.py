"""A join plan compiled into one batch function: records of every source topic -> join operators ->
WHERE -> [PARTITION BY] -> projection -> output records (or rows for push queries).

Leaf rows come from each source's row reader; tables feed changes keyed by their primary key, streams
feed rows whose join key each join node computes with its compiled criteria (the in-process equivalent
of ksqlDB's repartition: the output is keyed by the join key; on Kafka, `plan/repartition.py` first
writes a stream side re-keyed to the repartition topic ksqlDB would write, so every server sees the records
of its partitions only). Windowed sources join on key and window. Table results that are deleted or
filtered out become tombstones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ksqlserver.analyze.join_build import qualified_expr
from ksqlserver.analyze.join_tree import JoinInfo, JoinLeaf, JoinNode
from ksqlserver.catalog.types import SqlType
from ksqlserver.compile.codegen import Emitter
from ksqlserver.compile.compiler import Compiler
from ksqlserver.drivers.base import Record
from ksqlserver.extensions.batching import table_positions
from ksqlserver.extensions.invoke import expand
from ksqlserver.functions import FunctionRegistry
from ksqlserver.plan.fast import fkjoin as fast_fkjoin
from ksqlserver.plan.fast import join as fastjoin
from ksqlserver.plan.logical import (
    FilterStep,
    JoinStep,
    LogicalPlan,
    OutputStep,
    ProjectStep,
    RepartitionStep,
    SinkStep,
    join_columns,
    select_error_texts,
)
from ksqlserver.plan.repartition import original_key
from ksqlserver.plan.sink_time import TOMBSTONE_MESSAGE, SinkTimeError, sink_time
from ksqlserver.runtime.log_row import generic_key_string, generic_row_string, joined_row_text, values_text
from ksqlserver.runtime.operators.joins import (
    ForeignKeyJoin,
    OpenStore,
    StreamStreamJoin,
    StreamTableJoin,
    TableTableJoin,
    hashable,
)
from ksqlserver.runtime.operators.windows import window_suffix
from ksqlserver.runtime.pipeline import (
    ErrorHandler,
    Pipeline,
    fail_serialization,
    join_source_context,
    json_ready,
    row_reader,
    with_logger,
)
from ksqlserver.runtime.record_cache import CacheSlot
from ksqlserver.runtime.state.base import InMemoryKeyValueStore, StateStores
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql

Operator = StreamTableJoin | StreamStreamJoin | TableTableJoin | ForeignKeyJoin
Clock = Callable[[], int]


def _nodes(root: JoinNode) -> list[JoinNode]:
    out: list[JoinNode] = []
    n: JoinLeaf | JoinNode = root
    while isinstance(n, JoinNode):
        out.append(n)
        n = n.left
    return out[::-1]


def _key_order(leaf: JoinLeaf) -> Callable[[Any], Any]:
    """A source's key bytes, the order of its keys in a Kafka Streams store (unsigned byte order)."""
    kser = leaf.source.key_serde.serialize

    def order(key: Any) -> Any:
        try:
            return kser([key]) or b""
        except Exception:
            return b""

    return order


class JoinGraph:
    """Routes a record to its leaf and pushes the resulting events up the left-deep join tree."""

    def __init__(
        self,
        info: JoinInfo,
        registry: FunctionRegistry,
        on_error: ErrorHandler,
        stores: StateStores,
        query_id: str,
        clock: Clock | None = None,
        rekeyed: Mapping[int, str] | None = None,
    ) -> None:
        self.on_error = on_error
        self.nodes = _nodes(info.root)
        self.windowed = all(lf.source.window is not None for lf in info.leaves)
        # store names carry the join's position (multi-way joins have several): "Join-<n>-<name>" from 1 on
        self.ops = [
            self._operator(
                n, registry, lambda name, i=i: stores.open(query_id, name if i == 0 else f"Join{i}-{name}"),
                clock, info.outer_emit_interval_ms,
            )
            for i, n in enumerate(self.nodes)
        ]  # fmt: skip
        for upstream, op in zip(self.ops, self.ops[1:], strict=False):
            if isinstance(upstream, TableTableJoin) and isinstance(op, TableTableJoin):
                op.left_ts = upstream.row_ts  # an unmaterialized join read through its value getter
        self.by_topic: dict[str, list[tuple[int, JoinLeaf, Callable[[Record], list[Any] | None]]]] = {}
        for i, leaf in enumerate(info.leaves):
            topic = (rekeyed or {}).get(i, leaf.source.topic)  # a re-keyed side: its repartition topic
            # each side's source step: LogicalPlanner.buildJoin's KafkaTopic_[L_...]Left / Right
            context = join_source_context(i, len(info.leaves))
            self.by_topic.setdefault(topic, []).append((i, leaf, row_reader(leaf.source, with_logger(on_error, context))))
        self.rekeyed_topics = frozenset((rekeyed or {}).values())
        self.pk_index = [
            next((k for k, c in enumerate(lf.source.schema.columns) if c.namespace == "KEY"), None)
            for lf in info.leaves
        ]
        # a table keyed by several columns (only a foreign-key join's left side can be one): its whole key
        self.pk_all = [
            [k for k, c in enumerate(lf.source.schema.columns) if c.namespace == "KEY"] for lf in info.leaves
        ]
        self.left_key: list[Callable[[list[Any]], Any] | None] = []
        self.right_key: list[Callable[[list[Any]], Any] | None] = []
        for n in self.nodes:
            # a table on the left joins by its key: its own for a foreign-key join too (the foreign key is
            # the operator's to compute)
            if n.left.is_table or n.left_keyed:
                self.left_key.append(None)
            else:
                c = Compiler(n.left_scope, registry, "JOIN")
                self.left_key.append(self._windowed_key(c.function(c.expr(n.left_expr)[0], "_left_key"), 0))
            if n.right.is_table:
                self.right_key.append(None)
            else:
                c = Compiler(n.right.scope, registry, "JOIN")
                self.right_key.append(
                    self._windowed_key(c.function(c.expr(n.right_expr)[0], "_right_key"), None, n.right)
                )

    def _windowed_key(
        self, fn: Callable[[list[Any]], Any], offset: int | None, leaf: JoinLeaf | None = None
    ) -> Callable[[list[Any]], Any]:
        """Windowed sources join on key and window: the key value with the row's window bounds."""
        if not self.windowed:
            return fn
        if leaf is not None:
            at = next(c.index for c in leaf.scope.columns if c.name == "WINDOWSTART")
        else:  # the left prefix of the joined row: the first source's window
            at = next(c.index for c in self.nodes[0].left_scope.columns if c.name == "WINDOWSTART")

        src = (leaf or self.nodes[0].left).source  # type: ignore[union-attr]
        if src.window is not None and src.window.kind != "SESSION":
            # a time window's serialized key holds its start only (the end comes from the key format's
            # size), so two time-windowed sources with different sizes still match on key and start
            def time_key(row: list[Any]) -> Any:
                k = fn(row)
                return None if k is None else (k, row[at])

            return time_key

        def key(row: list[Any]) -> Any:
            k = fn(row)
            return None if k is None else (k, row[at], row[at + 1])

        return key

    @staticmethod
    def _operator(
        node: JoinNode, registry: FunctionRegistry, open_store: OpenStore, clock: Clock | None, interval: int
    ) -> Operator:
        lw, rw = node.right.offset, node.right.width
        if node.foreign_key:
            comp = Compiler(node.left_scope, registry, "JOIN")
            fk_of = comp.function(comp.expr(node.left_expr)[0], "_fk")
            assert isinstance(node.left, JoinLeaf)
            return ForeignKeyJoin(node.kind, rw, fk_of, open_store, _key_order(node.left))
        if node.left.is_table and node.right.is_table:
            return TableTableJoin(node.kind, (lw, rw), open_store)
        if node.right.is_table:
            return StreamTableJoin(node.kind, rw, open_store)
        w = node.window
        assert w is not None
        return StreamStreamJoin(
            node.kind, w.before_ms, w.after_ms, w.grace_ms, (lw, rw), open_store, clock, interval,
            _key_order(node.right),
        )  # fmt: skip

    @staticmethod
    def hashable(key: Any) -> Any:
        return hashable(key)

    def restore(self, rec: Record) -> Record:
        """`rec` as its source wrote it: a record read from a repartition topic gets its own key back (and
        loses the header carrying it), so rows, headers and output records are the source's."""
        return original_key(rec) if rec.topic in self.rekeyed_topics else rec

    def feed(self, rec: Record) -> list[tuple[Any, list[Any] | None, int]]:
        """The events of the root for one input record (restored by `restore`): (key, joined row or None
        (a table deletion), ts)."""
        out: list[tuple[Any, list[Any] | None, int]] = []
        for i, leaf, reader in self.by_topic.get(rec.topic, ()):
            row = reader(rec)
            if row is None:
                continue
            tombstone = len(row) > leaf.width
            if tombstone:
                row.pop()
            ts = row[len(leaf.source.schema.columns)]
            if leaf.is_table:
                pk = self.pk_index[i]
                key = row[pk] if pk is not None else None
                if len(self.pk_all[i]) > 1:
                    key = tuple(row[k] for k in self.pk_all[i])
                if key is not None and self.windowed:
                    at = next(c.index for c in leaf.scope.columns if c.name == "WINDOWSTART")
                    w = leaf.source.window
                    key = (key, row[at]) if w is not None and w.kind != "SESSION" else (key, row[at], row[at + 1])
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
                try:
                    nxt += op.process(side, key, row, ts)
                except Exception as e:  # a failing foreign-key expression: reported, the record skipped
                    self.on_error("recordProcessing", f"Error computing the join key: {e}", rec, e)
            events, n, side = nxt, n + 1, 0
            if not events:
                return []
        return events


def _used(
    scope: Any, registry: FunctionRegistry, filt: FilterStep | None, repart: RepartitionStep | None
) -> set[int]:
    """Joined-row positions WHERE and PARTITION BY read."""
    used: set[int] = set()
    if filt is not None:
        comp = Compiler(scope, registry, "WHERE")
        comp.expr(filt.predicate)
        used |= comp.used_columns
    if repart is not None:
        comp = Compiler(scope, registry, "PARTITION BY")
        for _, e, _ in repart.keys:
            comp.expr(e)
        used |= comp.used_columns
    return used


def _pruner(
    width: int, used: set[int]
) -> tuple[Callable[[list[Any]], tuple[Any, ...]], Callable[[tuple[Any, ...]], list[Any]]] | None:
    """How a foreign-key join keeps its left rows when the query reads only some of their columns after
    the join: (row -> a tuple of those columns, that tuple -> the whole row with None for the others), or
    None when it reads them all. A tuple of plain values is small in the changelog and in memory, and the
    garbage collector stops tracking it."""
    keep = sorted(i for i in used if i < width)
    if len(keep) == width:
        return None
    em = Emitter()
    at = {i: k for k, i in enumerate(keep)}
    with em.block("def _stored(row):"):
        em.line("return (" + "".join(f"row[{i}], " for i in keep) + ")")
    with em.block("def _expand(kept):"):
        em.line("return [" + ", ".join(f"kept[{at[i]}]" if i in at else "None" for i in range(width)) + "]")
    em.build("_stored", "<ksql foreign-key join left row>")
    return em.ns["_stored"], em.ns["_expand"]


def compile_join_plan(
    plan: LogicalPlan,
    registry: FunctionRegistry,
    on_error: ErrorHandler,
    stores: StateStores | None = None,
    query_id: str = "transient",
    clock: Clock | None = None,
    rekeyed: Mapping[int, str] | None = None,
    fast_paths: bool = True,
) -> Pipeline:
    """`stores` holds the join state (persistent queries pass the engine's); push queries keep theirs in memory.
    `rekeyed`: the sources read from a repartition topic (plan/repartition.py) instead of their own.
    `fast_paths`: a stream-table join that qualifies runs its stream records in the generated loop
    (`plan/fast/join.py`), a foreign-key join its left table's records (`plan/fast/fkjoin.py`)."""
    join_step = next(s for s in plan.steps if isinstance(s, JoinStep))
    info = join_step.join
    filt = next((s for s in plan.steps if isinstance(s, FilterStep)), None)
    repart = next((s for s in plan.steps if isinstance(s, RepartitionStep)), None)
    project = next(s for s in plan.steps if isinstance(s, ProjectStep))
    sink_step = next((s for s in plan.steps if isinstance(s, SinkStep)), None)
    out_step = next((s for s in plan.steps if isinstance(s, OutputStep)), None)
    stores = stores or StateStores(InMemoryKeyValueStore)
    graph = JoinGraph(info, registry, on_error, stores, query_id, clock, rekeyed)
    synthetic = info.synthetic_key is not None
    table_result = info.root.is_table
    join_scope_width = info.width

    filter_fn = None
    filter_failures: Callable[[], list[Exception]] = list
    if filt is not None:
        comp = Compiler(project.scope, registry, "WHERE")
        filter_fn = comp.function(comp.expr(filt.predicate)[0], "_filter")
        filter_failures = comp.take_failures
    partition_fn = None
    if repart is not None:  # PARTITION BY: the new key, computed over the joined row
        comp = Compiler(project.scope, registry, "PARTITION BY")
        partition_fn = comp.projection([comp.expr(e)[0] for _, e, _ in repart.keys], "_partition_key")
    comp = Compiler(project.scope, registry, "SELECT")
    # a selected PARTITION BY expression reads the new key column, computed once (ksqlDB's projection
    # refers to the key column rather than evaluating the expression again)
    key_refs = {
        qualified_expr(e, project.scope): ast.ColumnRef(n)
        for n, e, _ in (repart.keys if repart is not None else ())
        if not isinstance(e, ast.ColumnRef | ast.NullLiteral)
    }
    codes = [comp.expr(key_refs.get(qualified_expr(p.expression, project.scope), p.expression))[0] for p in project.projections]
    project_fn = comp.projection(codes, "_project")
    tables = table_positions(project.projections, registry)  # columns with table functions
    table_set = frozenset(tables)
    renamed = join_columns(project.scope)
    # PartitionByParamsFactory's text for a new key that fails to compute, over the joined row's columns
    key_errors = [f"Error computing new key from expression {sql(renamed(e))}" for _, e, _ in repart.keys] if repart else []
    column_errors = select_error_texts(project.projections, sink_step is not None, registry, renamed)
    predicate_error = f"Error evaluating predicate {sql(renamed(filt.predicate))}" if filt is not None else ""
    fk_op: ForeignKeyJoin | None = None  # a foreign-key join
    kept: list[int] | None = None  # the left-row positions its store keeps, if not whole rows
    if len(graph.nodes) == 1 and graph.nodes[0].foreign_key:
        used: set[int] = set(comp.used_columns)
        if filt is not None or repart is not None:
            used |= _used(project.scope, registry, filt, repart)
        fk_op = graph.ops[0]
        assert isinstance(fk_op, ForeignKeyJoin)
        pruner = _pruner(graph.nodes[0].right.offset, used)
        if pruner is not None:
            fk_op.stored, fk_op.expand = pruner
            kept = sorted(i for i in used if i < graph.nodes[0].right.offset)

    # the joined row SqlPredicate and SelectValueMapper log (ksql.logging.processing.rows.include); a
    # foreign-key join's store may keep only the columns the query uses, so its rows are not logged
    leaves = [(leaf.source, leaf.offset, leaf.width) for leaf in info.leaves]
    log_row = joined_row_text(leaves, synthetic) if kept is None else None
    filter_error = with_logger(on_error, "WhereFilter")
    project_error = with_logger(on_error, "Project")

    def evaluate(
        rec: Record, row: list[Any], key: Any, failed: list[tuple[int, Exception]] | None = None
    ) -> list[Any] | bool | None:
        """Projected values; None when filtered out, False when it failed. `failed`: column failures are
        collected there rather than logged (table functions log them per output row)."""
        joined = row
        row_text = None if log_row is None else (lambda: log_row(joined))
        if synthetic:
            row = [*row, key[0] if graph.windowed and isinstance(key, tuple) else key]
        if filter_fn is not None:
            try:
                passed = filter_fn(row) is True
            except Exception as e:
                for failure in filter_failures():  # logged before the failure they may cause
                    filter_error("recordProcessing", predicate_error, rec, failure, row_text)
                filter_error("recordProcessing", predicate_error, rec, e, row_text)
                return False
            for failure in filter_failures():  # nested failures: null, and logged
                filter_error("recordProcessing", predicate_error, rec, failure, row_text)
            if not passed:
                return None

        def col_error(i: int, e: Exception) -> None:
            if failed is not None and i not in table_set:  # see extensions.batching.defer_failures
                failed.append((i, e))
            else:
                project_error("recordProcessing", column_errors[i], rec, e, row_text)

        if partition_fn is not None:
            while len(row) < join_scope_width:
                row.append(None)
            row = row + partition_fn(row, lambda i, e: on_error("recordProcessing", key_errors[i], rec, e))
        return project_fn(row, col_error)

    def projected(rec: Record, row: list[Any], key: Any) -> list[list[Any]] | bool | None:
        """The output rows of one joined row: one, or with table functions one per element (ksqlDB's
        FlatMap step runs on the join's result, before the projection); None/False as `evaluate`."""
        failed: list[tuple[int, Exception]] | None = [] if tables else None
        vals = evaluate(rec, row, key, failed)
        if not isinstance(vals, list):
            return vals
        if not tables:
            return [vals]
        return expand(vals, tables, lambda i, e: project_error("recordProcessing", column_errors[i], rec, e), failed or ())

    restore = graph.restore if graph.rekeyed_topics else (lambda rec: rec)
    topics = info.topics
    first_other = next((t for t in topics if t != info.leaves[0].source.topic), None)
    if out_step is not None:
        readies = [json_ready(p.type) for p in project.projections]

        def process_rows(records: Sequence[Record]) -> list[Any]:
            out = []
            for rec in records:
                rec = restore(rec)
                for key, row, _ts in graph.feed(rec):
                    if row is None:
                        continue
                    rows = projected(rec, row, key)
                    for vals in rows or ():
                        out.append([f(v) for f, v in zip(readies, vals, strict=True)])
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
    key_pos = [i for i, p in enumerate(project.projections) if p.is_key]
    val_pos = [i for i, p in enumerate(project.projections) if not p.is_key]
    kser = sink.key_serde.serialize
    vser = sink.value_serde.serialize
    suffix = window_suffix(sink.window.kind == "SESSION") if graph.windowed and sink.window else None
    # the sink's TIMESTAMP column sets each output record's time (ksqlDB's SinkBuilder timestamp transformer)
    sink_ts = _sink_timestamp(sink, [(p.name, p.type) for p in project.projections])
    tombstone_ts = _tombstone_timestamp(sink, [project.projections[i] for i in key_pos])
    # what a failing serializer was given, as SerializationError writes it (GenericKey / GenericRow)
    key_types: list[SqlType | None] = [c.type for c in sink.schema.key]
    value_types: list[SqlType | None] = [project.projections[i].type for i in val_pos]
    sink_error = with_logger(on_error, sink.name)  # the sink step's context: the sink's name

    # a table result under WHERE: a row filtered out (or deleted) is a tombstone only for a key whose
    # last result passed (Kafka Streams' table filter with old values). A foreign-key join's result table
    # sends no old values (KTableImpl.doJoinOnForeignKey's result source), so KTableFilter forwards every
    # row it filters out, or that the join deleted, as a tombstone.
    present = (
        stores.open(query_id, "Filter-Present")
        if table_result and filter_fn is not None and not info.root.foreign_key
        else None
    )

    def emit(rec: Record, key: Any, row: list[Any] | None, ts: int, out: list[Any]) -> None:
        """The output step of one event of the join (key, joined row or None (a deletion), ts)."""
        rows = None if row is None else projected(rec, row, key)
        if rows is False or (rows is None and not table_result):
            return
        for vals in rows if isinstance(rows, list) else [None]:
            emit_one(rec, key, vals, ts, out)

    def emit_one(rec: Record, key: Any, vals: list[Any] | None, ts: int, out: list[Any]) -> None:
        if present is not None:
            pkey = (hashable(key),)
            if vals is None:
                if present.get(pkey) is None:
                    return
                present.delete(pkey)
            elif present.get(pkey) is None:
                present.put(pkey, True)
        wnd = None
        if suffix is not None and isinstance(key, tuple):
            key, wnd = key[0], (key[1], key[2] if len(key) > 2 else key[1])  # time windows: start only
        if sink_ts is not None:  # TransformTimestamp, before the serializers (tombstones included)
            try:
                ts = sink_ts(vals) if vals is not None else tombstone_ts(key)
            except SinkTimeError as e:  # RecordProcessingError carries the value row (none for a tombstone)
                row_text = None
                if vals is not None:
                    row_vals = [vals[i] for i in val_pos]
                    row_text = lambda: values_text(row_vals, value_types)
                sink_error("recordProcessing", e.message, rec, e, row_text)
                return
        kv: list[Any] | None
        if repart is not None and vals is None:
            # a table join's deletion under a PARTITION BY of its own key (the only one a table result
            # allows): keyed by the join key
            kv = None if key is None else [key]
        elif repart is not None:  # the PARTITION BY key, as projected
            assert isinstance(vals, list)
            kv = [vals[i] for i in key_pos]
            kv = None if not kv or (len(kv) == 1 and kv[0] is None) else kv
        else:
            multi = isinstance(key, tuple) and suffix is None  # a multi-column left table key
            kv = (list(key) if multi else [key]) if keyed and key is not None else None
        # Kafka Streams serializes the key, then the value; a failure fails the query (fail_serialization)
        try:
            kb = None if kv is None else kser(kv)
        except Exception as e:
            fail_serialization(sink_error, sink, rec, e, True, lambda: generic_key_string(kv or [], key_types), ts)
        out_vals = None if vals is None else [vals[i] for i in val_pos]
        try:
            vb = None if out_vals is None else vser(out_vals)
        except Exception as e:
            fail_serialization(
                sink_error, sink, rec, e, False, lambda: generic_row_string(out_vals or [], value_types), ts
            )
        if wnd is not None and suffix is not None:
            kb = None if wnd[0] is None else (kb or b"") + suffix(*wnd)  # a null windowed key: none
        out.append(Record(kb, vb, ts, rec.partition, 0, rec.headers, sink.topic))

    def one(rec: Record, out: list[Any]) -> None:
        """The generic path for one record (appends its outputs to `out`)."""
        rec = restore(rec)
        for key, row, ts in graph.feed(rec):
            emit(rec, key, row, ts, out)

    fast: Callable[[Sequence[Record], list[Any]], None] | None = None
    if fast_paths and repart is None and len(graph.ops) == 1 and fk_op is None and not tables:
        stream_table = fastjoin.build(info, graph.ops[0], rekeyed, sink, filt, project, registry, key_pos, val_pos)
        if stream_table is not None:
            st_loop = stream_table

            def fast(records: Sequence[Record], out: list[Any]) -> None:
                st_loop(records, out, lambda rec: one(rec, out))

    elif (
        fast_paths
        and fk_op is not None
        and not tables
        and filt is None
        and repart is None
        and sink_ts is None
        and not synthetic
        and not graph.windowed
        and not graph.rekeyed_topics
    ):
        fast = fast_fkjoin.build(graph.nodes[0], fk_op, kept, registry, project, sink, one, emit)

    # A table join's projection: TableSelectBuilder materializes it in a named store (forceMaterialize: a join
    # has no materialization builder), a CachingKeyValueStore, so its outputs wait in the query's record
    # cache (runtime/record_cache.py) and a key whose new and last flushed values are both null forwards
    # nothing (CachingKeyValueStore.putAndMaybeForward). `live` holds the store's keys with a value.
    cache_slot = CacheSlot() if table_result else None
    live: set[bytes | None] = set()

    def cached(out: list[Record]) -> list[Any]:
        cache = None if cache_slot is None else cache_slot.cache
        if cache is None:
            return out
        for r in out:
            k = r.key
            if k in live:
                cache.append(r)
                if r.value is None:
                    live.discard(k)
            else:
                cache.fresh(r)  # no value in the store: a tombstone over nothing is dropped
                if r.value is not None:
                    live.add(k)
        return cache.take()

    def process_records(records: Sequence[Record]) -> list[Any]:
        out: list[Record] = []
        if fast is not None:
            fast(records, out)
            return cached(out)
        for rec in records:
            one(rec, out)
        return cached(out)

    return Pipeline(
        process_records,
        [(p.name, p.type) for p in project.projections],
        info.leaves[0].source,
        sink,
        None,
        fast is not None,
        first_other,
        cache=cache_slot,
    )


def _tombstone_timestamp(sink: Any, keys: list[Any]) -> Callable[[Any], int]:
    """A deletion's time from the sink's TIMESTAMP column: a key column is read from the join key
    (KeyColumnExtractor); a value column fails on the null row (ValueColumnExtractor), and TransformTimestamp
    logs it and writes no tombstone."""
    names = [p.name for p in keys]
    if sink.timestamp_column not in names:

        def fail(_key: Any) -> int:
            raise SinkTimeError(TOMBSTONE_MESSAGE)

        return fail
    at = names.index(sink.timestamp_column)
    t = keys[at].type
    extract = sink_time(t.base if t is not None else "BIGINT", sink.timestamp_format)
    return lambda key: extract(key[at] if isinstance(key, tuple) else key)


def _sink_timestamp(sink: Any, columns: list[tuple[str, Any]]) -> Callable[[list[Any]], int] | None:
    """The output time from the sink's TIMESTAMP column (a STRING one parsed with TIMESTAMP_FORMAT)."""
    names = [n for n, _ in columns]
    if not sink.timestamp_column or sink.timestamp_column not in names:
        return None
    at = names.index(sink.timestamp_column)
    t = columns[at][1]
    extract = sink_time(t.base if t is not None else "BIGINT", sink.timestamp_format)
    return lambda vals: extract(vals[at])
