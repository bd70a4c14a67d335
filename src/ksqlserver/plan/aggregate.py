"""The aggregation plan: an `AggregateQuery` compiled into a batch function over records.

Per record, in order (one output per input, as ksqlDB with caching off; with `cache.max.bytes.buffering`
above 0 the outputs go through the query's record cache, runtime/record_cache.py): read the input (a source row, or
the rows a join emits) -> WHERE -> grouping key (a null or failing key drops the row) -> update the
group's accumulators in the state store -> project the aggregate row -> HAVING -> serialise. Stream time,
which closes windows, is the largest timestamp among the rows that reach the aggregation (after WHERE and
the grouping key), kept per input partition as Kafka Streams keeps it per task.

A table input (a source table, or a join of tables) is re-aggregated as Kafka Streams 3.4 does it: the old
row is subtracted from its group (one output) before the new row is added (another output), each result
timestamped with the larger of the record's and the group's timestamps. HAVING turns a row that stops
qualifying into a tombstone and says nothing for one that never did.

Windows (`runtime/operators/windows.py`): tumbling/hopping windows accumulate per (key, window) and drop
records for closed windows; sessions are found through a `SessionIndex` (no store scan), merged with each
aggregate's merge function (Kafka Streams' Merger: initialize(), then each session in store order, then the
new record), the merged sessions deleted with tombstones, every session output stamped with its end.
EMIT FINAL (Kafka Streams' `EmitStrategy.onWindowClose`) emits nothing per record: at most once per emit
interval of wall-clock time, the windows closed since the last emission are emitted once each, by start
(sessions by end) and key bytes. Windows leave the store after their retention, so state stays bounded.

State layout (`Aggregate-Aggregate-Materialize`): key = grouping values (structs and arrays frozen to
tuples) + (window start, end), value = [accumulators, timestamp, passed HAVING]; under EMIT FINAL,
[accumulators, timestamp, emitted, input partition]. A table input keeps each
input row's grouping key and arguments in `KsqlTopic-Reduce` so it can be subtracted later.

This module compiles the expressions and holds the per-record state updates; the stages around them live
beside it: `aggregate_input.py` (input events from a source or a join), `grouping.py` (grouping keys as
store keys), `aggregate_output.py` (projection and serialisation of output rows), `window_close.py`
(window indexes, retention, EMIT FINAL).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from typing import Any

from ksqlserver.analyze.aggregate_query import AggregateQuery, groups_by_key
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.compile.compiler import Compiler
from ksqlserver.drivers.base import ProcessorMetadata, Record
from ksqlserver.errors import KsqlError
from ksqlserver.functions import FunctionRegistry
from ksqlserver.plan import aggregate_log
from ksqlserver.plan.aggregate_input import join_input, source_input
from ksqlserver.plan.aggregate_output import emitter
from ksqlserver.plan.fast import aggregate as fastagg
from ksqlserver.plan.grouping import freezer, key_codec
from ksqlserver.plan.window_close import window_closing
from ksqlserver.runtime.log_row import java_row_text, joined_row_text, value_text
from ksqlserver.runtime.operators.materialization import Materialization
from ksqlserver.runtime.operators.windows import SessionIndex, WindowIndex, WindowSpec
from ksqlserver.runtime.pipeline import SOURCE_CONTEXT, ErrorHandler, Pipeline, with_logger
from ksqlserver.runtime.record_cache import CacheSlot
from ksqlserver.runtime.state.base import StateStores
from ksqlserver.runtime.state.cache_bypass import CacheBypassStore
from ksqlserver.sql.printer import sql

AGG_STORE = "Aggregate-Aggregate-Materialize"
SOURCE_STORE = "KsqlTopic-Reduce"
PLAIN_STATE_UDAFS = frozenset({"COUNT", "SUM", "AVG", "MIN", "MAX"})

Clock = Callable[[], int]  # wall-clock milliseconds (Kafka Streams' currentSystemTimeMs)


def wall_clock_ms() -> int:
    return int(time.time() * 1000)


# --- the aggregation ---------------------------------------------------------------------------------------


def compile_aggregate(
    aq: AggregateQuery,
    sink: DataSource | None,
    registry: FunctionRegistry,
    on_error: ErrorHandler,
    stores: StateStores,
    query_id: str,
    clock: Clock = wall_clock_ms,
    fast_paths: bool = True,
) -> Pipeline:
    """The aggregation as a pipeline; its `materialization` is the state pull queries read. `fast_paths`:
    with the generated loop (plan/fast/aggregate.py) where the query qualifies."""
    # plugin UDAFs report their failures to this query's processing log (built-in aggregators unchanged)
    reporting = [dataclasses.replace(x, aggregator=x.aggregator.reporting(on_error)) for x in aq.aggs]
    aq = dataclasses.replace(aq, aggs=reporting)
    source = aq.source
    table_input = aq.input_is_table
    if aq.join is not None:
        input_events = join_input(aq, registry, on_error, stores, query_id, clock)
    else:
        input_events = source_input(source, with_logger(on_error, SOURCE_CONTEXT))
    comp = Compiler(aq.input_scope, registry, "WHERE")
    where_code = comp.expr(aq.where)[0] if aq.where is not None else None
    where_fn = comp.function(where_code, "_where") if where_code is not None else None
    where_failures = comp.take_failures  # nested failures in the WHERE: null, and logged (SqlPredicate)
    where_guarded = where_code is not None and comp.guarded(where_code)
    predicate_error = f"Error evaluating predicate {sql(aq.where)}" if aq.where is not None else ""
    used_columns = comp.used_columns  # source-row positions any expression reads (the rest: unread)
    comp = Compiler(aq.input_scope, registry, "GROUP BY")
    group_codes = [comp.expr(e)[0] for _, e, _ in aq.group_by]
    group_fn = comp.function("(" + ", ".join(group_codes) + ",)", "_group")
    # one function per grouping column, for reporting a key that fails or is null by its column
    group_col_fns = [comp.function(code, f"_group{i}") for i, code in enumerate(group_codes)]
    group_failures = comp.take_failures  # nested failures in GROUP BY: logged by the GroupBy step
    group_guarded = comp.guarded(*group_codes)
    used_columns |= comp.used_columns
    freeze, thaw = key_codec([t for _, _, t in aq.group_by])
    comp = Compiler(aq.input_scope, registry, "SELECT")
    arg_fns: list[Callable[[list[Any]], Any]] = []
    arg_codes: list[list[str]] = []
    # per argument expression, for a record where some argument fails: (text, function) of each
    arg_parts: list[list[tuple[str, Callable[[list[Any]], Any]]]] = []
    for a in aq.aggs:
        codes = [comp.expr(x)[0] for x in a.args]
        arg_codes.append(codes)
        arg_parts.append([(sql(x), comp.function(c, "_part")) for x, c in zip(a.args, codes, strict=True)])
        if not codes:
            arg_fns.append(lambda row: 1)
        elif len(codes) == 1:
            arg_fns.append(comp.function(codes[0], "_arg"))
        else:
            arg_fns.append(comp.function("(" + ", ".join(codes) + ",)", "_args"))
    used_columns |= comp.used_columns
    arg_failures = comp.take_failures  # nested failures in the arguments: logged by the Prepare step
    args_guarded = comp.guarded(*(c for codes in arg_codes for c in codes))
    arg_texts = aggregate_log.argument_texts(aq)
    # the Prepare step's row (required columns, then internal columns): what the GroupBy step logs
    pcomp = Compiler(aq.input_scope, registry, "SELECT")
    try:
        prepared = [pcomp.expr(e) for _, e in aggregate_log.prepare_columns(aq)]
        prepare_fn = pcomp.projection([c for c, _ in prepared], "_prepare")
    except KsqlError:  # a column this scope cannot name alone: the row is left out of the log
        prepared, prepare_fn = [], None

    def prepare_text(row: list[Any]) -> str | None:
        if prepare_fn is None:
            return None
        values = prepare_fn(row, lambda i, e: None)
        pcomp.take_failures()
        return "[" + ",".join(value_text(v, t) for v, (_, t) in zip(values, prepared, strict=True)) + "]"

    aggregators = [a.aggregator for a in aq.aggs]
    inits = [a.init for a in aggregators]
    adds = [a.add for a in aggregators]
    undos = [a.undo for a in aggregators]
    results = [a.result for a in aggregators]
    merges = [a.merge for a in aggregators]

    acomp = Compiler(aq.agg_scope, registry, "SELECT")
    project_codes = [acomp.expr(p.expression)[0] for p in aq.projections]
    project_fn = acomp.projection(project_codes, "_project")
    having_fn = None
    having_failures: Callable[[], list[Exception]] = list
    if aq.having is not None:
        hcomp = Compiler(aq.agg_scope, registry, "HAVING")
        having_fn = hcomp.function(hcomp.expr(aq.having)[0], "_having")
        having_failures = hcomp.take_failures
    having_error = with_logger(on_error, aggregate_log.HAVING)
    having_text = aggregate_log.having_text(aq)
    project_error = with_logger(on_error, aggregate_log.PROJECT)
    project_texts = aggregate_log.project_texts(aq, sink is not None)
    names = [p.name for p in aq.projections]
    window = WindowSpec.of(aq.window) if aq.window is not None else None
    session = window is not None and window.is_session
    final = aq.emit == "FINAL" and window is not None
    store = stores.open(query_id, AGG_STORE)
    # these functions' states are numbers, lists and column values, never tuples: the changelog may write
    # them in one orjson call (state_codec.encode_plain)
    store.plain_values = all(a.name in PLAIN_STATE_UDAFS for a in aq.aggs) and not any(
        freezer(t) for _, _, t in aq.group_by
    )
    # the record cache (runtime/record_cache.py): EMIT FINAL emits each window once anyway
    cache_slot = None if final else CacheSlot()
    if window is not None and cache_slot is not None:
        # KsMaterializedWindowTable / KsMaterializedSessionTable read below the cache (WindowStoreCacheBypass)
        store = CacheBypassStore(store, cache_slot)
    src_store = stores.open(query_id, SOURCE_STORE) if table_input else None
    stream_times: dict[int, int] = {}  # per input partition (Kafka Streams: per task)
    time_index = WindowIndex() if window is not None and not session else None
    sessions = SessionIndex() if session else None
    indexed = [False]  # the indexes are built from the store at the first batch (after any restore)

    def col_error(i: int, e: Exception) -> None:
        """SelectValueMapper of the Project step (the aggregate's row is not ours to log: no record)."""
        project_error(
            "recordProcessing",
            project_texts[i] if i < len(project_texts) else f"Error computing expression {names[i]}",
            Record(None, None),
            e,
        )

    def agg_row(gkey: tuple[Any, ...], accs: list[Any], ts: int, wnd: tuple[int, int] | None) -> list[Any]:
        row = list(gkey)
        row += [f(a) for f, a in zip(results, accs, strict=True)]
        row.append(ts)
        if wnd is not None:
            row += wnd
        return row

    def passes(row: list[Any]) -> bool:
        if having_fn is None:
            return True
        try:
            passed = having_fn(row) is True
        except Exception as e:  # SqlPredicate of the HavingFilter step
            # nested failures first: the generated catch block logs before returning SqlPredicate's default
            # (false), which may itself fail the predicate (a CAST's `(java.lang.Integer) defaultValue`)
            for failure in having_failures():
                having_error("recordProcessing", having_text, Record(None, None), failure)
            having_error("recordProcessing", having_text, Record(None, None), e)
            return False
        for failure in having_failures():  # nested failures: null, logged with the step's logger
            having_error("recordProcessing", having_text, Record(None, None), failure)
        return passed

    def view(skey: tuple[Any, ...], state: list[Any]) -> list[Any] | None:
        """The projected row for a store entry (pull queries)."""
        wnd = (skey[-2], skey[-1]) if window is not None else None
        gkey = thaw(skey[:-2] if window is not None else skey)
        row = agg_row(gkey, state[0], state[1], wnd)
        if not passes(row):
            return None
        return project_fn(row, col_error)

    # --- output (plan/aggregate_output.py) and window closing (plan/window_close.py) ------------------
    emit, key_bytes = emitter(aq, sink, project_fn, col_error, on_error, window, session)

    def publish(
        gkey: tuple[Any, ...],
        state: list[Any],
        ts: int,
        wnd: tuple[int, int] | None,
        rec: Record,
        out: list[Any],
    ) -> None:
        """The output of a changed entry: its row if it passes HAVING, a tombstone if it stops passing."""
        row = agg_row(gkey, state[0], ts, wnd)
        if passes(row):
            fresh = not state[2]  # no live output before: the record cache may drop a later tombstone
            state[2] = True
            emit(gkey, row, ts, wnd, rec, out, fresh)
        elif state[2]:
            state[2] = False
            emit(gkey, None, ts, wnd, rec, out)

    build_indexes: Callable[[], None]
    expire: Callable[[], None]
    emit_final: Callable[[Record, list[Any]], None]
    expire_due: list[int] | None = None
    pending: Callable[[int, tuple[Any, ...]], None] = lambda part, skey: None
    commit_metadata: Callable[[], ProcessorMetadata] | None = None
    restore_metadata: Callable[[ProcessorMetadata], None] | None = None
    if window is not None:
        build_indexes, expire, expire_due, emit_final, pending, commit_metadata, restore_metadata = window_closing(
            window, final, store, sessions, time_index, stream_times, clock, max(aq.emit_interval_ms, 0),
            thaw, key_bytes, agg_row, passes, emit,
        )  # fmt: skip
    else:  # no windows: no index to build, nothing expires or closes
        build_indexes = expire = lambda: None
        emit_final = lambda rec, out: None

    # --- per record ------------------------------------------------------------------------------------
    # a stream grouped by its key is StreamGroupByKey: no GroupByParams mapper to log a null key, which
    # Kafka Streams' KStreamAggregate skips silently (StreamGroupByBuilderTest.shouldNotBuildGroupByParams-
    # OnGroupByKey); a table is always re-grouped (TableGroupBy)
    by_key = groups_by_key(aq) and not aq.source.is_table

    # the row the WHERE's SqlPredicate logs (ksql.logging.processing.rows.include): the source's row, or
    # the joined row of a join
    if aq.join is None:
        log_row = java_row_text(aq.source)
    else:
        leaves = [(leaf.source, leaf.offset, leaf.width) for leaf in aq.join.leaves]
        log_row = joined_row_text(leaves, aq.join.synthetic_key is not None)
    filter_error = with_logger(on_error, "WhereFilter")
    group_by_error = with_logger(on_error, aggregate_log.GROUP_BY)
    prepare_error = with_logger(on_error, aggregate_log.PREPARE)

    def inputs_of(row: list[Any], rec: Record) -> tuple[tuple[Any, ...], list[Any]] | None:
        """(grouping key, aggregate arguments) of an input row, or None when it does not aggregate."""
        if where_fn is not None:
            row_text = lambda _row=row: log_row(_row)
            try:
                passed = where_fn(row) is True
            except Exception as e:
                for failure in where_failures():  # logged before the failure they may cause
                    filter_error("recordProcessing", predicate_error, rec, failure, row_text)
                filter_error("recordProcessing", predicate_error, rec, e, row_text)
                return None
            for failure in where_failures():
                filter_error("recordProcessing", predicate_error, rec, failure, row_text)
            if not passed:
                return None
        try:
            args = [f(row) for f in arg_fns]
        except Exception:
            arg_failures()
            args = [args_with_nulls(j, row, rec) for j in range(len(arg_fns))]
        else:
            if args_guarded:  # nested failures: null, logged by the Prepare step's SelectValueMapper
                for failure in arg_failures():
                    prepare_error("recordProcessing", "", rec, failure, lambda _row=row: log_row(_row))
        try:
            gkey = group_fn(row)
        except Exception:
            group_failures()
            report_key(row, rec)
            return None
        if group_guarded and group_failures():
            return None if report_key(row, rec) else (gkey, args)
        if any(v is None for v in gkey):
            if not by_key:
                report_key(row, rec)
            return None
        return gkey, args

    def report_key(row: list[Any], rec: Record) -> bool:
        """GroupByParamsFactory's grouper, column by column: each one's nested failures, then the first
        that fails or is null, logged with the Prepare step's row; whether the row is left out of the
        aggregation."""
        row_text = lambda _row=row: prepare_text(_row)
        for i, f in enumerate(group_col_fns):
            try:
                value = f(row)
            except Exception as e:
                group_failures()
                group_by_error(
                    "recordProcessing",
                    f"Error calculating group-by column with index {i}. The source row will be excluded from "
                    "the table.",
                    rec,
                    e,
                    row_text,
                )
                return True
            for failure in group_failures():
                group_by_error("recordProcessing", "", rec, failure, row_text)
            if value is None:
                group_by_error(
                    "recordProcessing",
                    f"Group-by column with index {i} resolved to null. The source row will be excluded from the "
                    "table.",
                    rec,
                    None,
                    row_text,
                )
                return True
        return False

    def args_with_nulls(j: int, row: list[Any], rec: Record) -> Any:
        """Aggregate `j`'s argument(s) with each failing expression reported and null, as the Prepare
        step's SelectValueMapper does (the record still aggregates)."""
        vals = []
        for text, f in arg_parts[j]:
            try:
                vals.append(f(row))
            except Exception as e:
                message = arg_texts.get(text, f"Error computing expression {text}")
                prepare_error("recordProcessing", message, rec, e, lambda _row=row: log_row(_row))
                vals.append(None)
            for failure in arg_failures():
                prepare_error("recordProcessing", "", rec, failure, lambda _row=row: log_row(_row))
        if not vals:
            return 1
        return vals[0] if len(vals) == 1 else tuple(vals)

    def add_to(
        gkey: tuple[Any, ...], args: list[Any], ts: int, rec: Record, out: list[Any], undo: bool = False
    ) -> None:
        """KStreamAggregate / KTableAggregate: the group's new value, stamped max(record, group) time."""
        skey = freeze(gkey)
        state = store.get(skey)
        if state is None:
            if undo:
                return  # nothing to subtract from
            state = [[f() for f in inits], ts, False]
        else:
            state = [state[0], max(ts, state[1]), state[2]]
        fs = undos if undo else adds
        state[0] = [f(a, v) for f, a, v in zip(fs, state[0], args, strict=True)]  # type: ignore[misc]
        store.put(skey, state)
        publish(gkey, state, state[1], None, rec, out)

    def add_windowed(gkey: tuple[Any, ...], args: list[Any], ts: int, rec: Record, out: list[Any]) -> None:
        assert window is not None and time_index is not None
        fk = freeze(gkey)
        part = rec.partition
        st = stream_times.get(part, -1)
        for start, end in window.windows_for(ts):
            if window.closed(end, st):
                continue  # late: the window is closed (by its partition's stream time)
            skey = (*fk, start, end)
            state = store.get(skey)
            if state is None:
                state = [[f() for f in inits], ts, False, part] if final else [[f() for f in inits], ts, False]
                time_index.track(start, skey)
                if final:
                    pending(part, skey)
            else:
                state = [state[0], max(ts, state[1]), *state[2:]]
            state[0] = [f(a, v) for f, a, v in zip(adds, state[0], args, strict=True)]
            store.put(skey, state)
            if not final:
                publish(gkey, state, state[1], (start, end), rec, out)

    store_time = [-1]  # the record's partition's stream time before the record (one() sets it)

    def add_session(gkey: tuple[Any, ...], args: list[Any], ts: int, rec: Record, out: list[Any]) -> None:
        """KStreamSessionWindowAggregate: merge the sessions within the gap, or start one."""
        assert window is not None and sessions is not None
        gap = window.size_ms
        part = rec.partition
        close = stream_times.get(part, -1) - window.grace_ms - gap
        fk = freeze(gkey)
        # findSessions(key, ts - gap, ts + gap) reads no session ending before the store's stream time -
        # retention + 1 (AbstractRocksDBSegmentedBytesStore.fetch / getActualFrom): an older session is not
        # merged, though not yet dropped
        found = sessions.overlapping(fk, max(ts - gap, store_time[0] - window.retention + 1), ts + gap)
        start, end = ts, ts
        accs = [f() for f in inits]
        merged = []
        for s, e in found:
            state = store.get((*fk, s, e))
            if state is None:  # the index is ahead of an evicted entry
                sessions.remove(fk, s, e)
                continue
            merged.append((s, e, state))
            accs = [m(a, b) for m, a, b in zip(merges, accs, state[0], strict=True)]  # type: ignore[misc]
            start, end = min(start, s), max(end, e)
        if end < close:
            return  # late: the merged session is closed
        if (start, end) != (ts, ts):
            for s, e, state in merged:
                sessions.remove(fk, s, e)
                store.delete((*fk, s, e))
                if state[2] and not final:
                    emit(gkey, None, e, (s, e), rec, out)  # the merged-away session, stamped with its end
        accs = [f(a, v) for f, a, v in zip(adds, accs, args, strict=True)]
        skey = (*fk, start, end)
        old = store.get(skey)
        new = old is None
        state = [accs, end, False] if new else [accs, end, old[2]]  # type: ignore[index]
        if final:
            state.append(part)
        store.put(skey, state)
        if new:
            sessions.add(fk, start, end)
            # a record inside a session merges it into the same bounds: still pending once (Kafka Streams'
            # time-ordered session store holds it once, so EMIT FINAL emits it once)
            if final and not any((s, e) == (start, end) for s, e, _ in merged):
                pending(part, skey)
        if not final:
            publish(gkey, state, end, (start, end), rec, out)

    add_stream = add_session if session else (add_windowed if window is not None else add_to)

    def one(rec: Record, out: list[Any]) -> None:
        """The generic path for one record (appends its outputs to `out`)."""
        for tkey, row, ts in input_events(rec):
            if src_store is not None:  # table input: subtract the old row, add the new one
                skey = (tkey,)
                old = src_store.get(skey)
                new = None if row is None else inputs_of(row, rec)
                if old is not None:
                    add_to(thaw(tuple(old[0])), old[1], ts, rec, out, undo=True)
                if new is not None:
                    src_store.put(skey, [list(freeze(new[0])), new[1]])
                    add_to(new[0], new[1], ts, rec, out)
                elif old is not None:
                    src_store.delete(skey)
                continue
            assert row is not None
            got = inputs_of(row, rec)
            if got is None:
                continue
            st = stream_times.get(rec.partition, -1)
            store_time[0] = st  # the session store's stream time: the largest session end put so far
            if ts > st:
                stream_times[rec.partition] = ts
            add_stream(got[0], got[1], ts, rec, out)
            if window is not None:
                if final:
                    emit_final(rec, out)
                expire()

    fast = None
    # the loop does not look for nested failures in GROUP BY or the arguments: those go the generic way
    if fast_paths and sink is not None and aq.join is None and not (group_guarded or args_guarded):
        parts = fastagg.AggParts(
            aq, sink, store, window, stream_times, where_fn, group_fn, group_codes, arg_fns, arg_codes,
            project_fn, project_codes, col_error, one, emit, frozenset(used_columns),
            time_index.track if time_index is not None else None, expire if window is not None else None,
            sessions, expire_due, (lambda: bool(where_failures())) if where_guarded else None,
        )  # fmt: skip
        fast = fastagg.build(parts)

    def process(records: Sequence[Record]) -> list[Any]:
        if not indexed[0]:
            indexed[0] = True
            build_indexes()
        cache = None if cache_slot is None else cache_slot.cache
        out: Any = [] if cache is None else cache  # the outputs, or the cache that holds them until a flush
        if fast is not None:
            fast(records, out)
        else:
            for rec in records:
                one(rec, out)
        return out if cache is None else cache.take()

    value_pos = [i for i, p in enumerate(aq.projections) if not p.is_key]
    mat = Materialization(store, view, window, aq.key_order, value_pos, time_ordered=final)
    columns = [(p.name, p.type) for p in aq.projections]
    return Pipeline(
        process, columns, source, sink, aq.limit, fast is not None, materialization=mat,
        commit_metadata=commit_metadata if final else None, restore_metadata=restore_metadata if final else None,
        cache=cache_slot,
    )  # fmt: skip
