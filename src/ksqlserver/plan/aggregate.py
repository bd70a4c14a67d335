"""The aggregation plan: an `AggregateQuery` compiled into a batch function over records.

Per record, in order (one output per input, as ksqlDB with caching off): deserialise -> WHERE -> grouping
key (a null or failing key drops the record) -> update the group's accumulators in the state store ->
project the aggregate row -> HAVING -> serialise. A table source is re-aggregated like Kafka Streams 3.x:
the old row is subtracted from its group (one output) before the new row is added (another output).
HAVING turns a row that stops qualifying into a tombstone, and says nothing for one that never did.
Windows: tumbling/hopping accumulate per (key, window); sessions keep their inputs and merge; EMIT FINAL
holds each window's last result until stream time passes end + grace.

State layout (`Aggregate-Aggregate-Materialize`): key = grouping values (+ window start, end), value =
[accumulators, timestamp, emitted]; sessions keep [inputs, timestamp, emitted]. A table source keeps each
source row's grouping key and arguments in `KsqlTopic-Reduce` so it can be subtracted later.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from ksqlserver.analyze.aggregate import AggregateQuery
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.compile.compiler import Compiler
from ksqlserver.drivers.base import Record
from ksqlserver.functions import FunctionRegistry
from ksqlserver.plan.fast import aggregate as fastagg
from ksqlserver.runtime.operators.materialization import Materialization
from ksqlserver.runtime.operators.windows import WindowSpec, windowed_key_serializer
from ksqlserver.runtime.pipeline import ErrorHandler, Pipeline, json_ready, row_reader
from ksqlserver.runtime.state.base import StateStores
from ksqlserver.sql.printer import sql

AGG_STORE = "Aggregate-Aggregate-Materialize"
SOURCE_STORE = "KsqlTopic-Reduce"
PLAIN_STATE_UDAFS = frozenset({"COUNT", "SUM", "AVG", "MIN", "MAX"})


def compile_aggregate(
    aq: AggregateQuery,
    sink: DataSource | None,
    registry: FunctionRegistry,
    on_error: ErrorHandler,
    stores: StateStores,
    query_id: str,
    fast_paths: bool = True,
) -> Pipeline:
    """The aggregation as a pipeline; its `materialization` is the state pull queries read. `fast_paths`:
    with the generated loop (plan/fast/aggregate.py) where the query qualifies."""
    # plugin UDAFs report their failures to this query's processing log (built-in aggregators unchanged)
    reporting = [dataclasses.replace(x, aggregator=x.aggregator.reporting(on_error)) for x in aq.aggs]
    aq = dataclasses.replace(aq, aggs=reporting)
    source = aq.source
    n_cols = len(source.schema.columns)
    width = n_cols  # ROWTIME's index in a source row
    row_of = row_reader(source, on_error)
    comp = Compiler(aq.input_scope, registry, "WHERE")
    where_fn = comp.function(comp.expr(aq.where)[0], "_where") if aq.where is not None else None
    used_columns = comp.used_columns  # source-row positions any expression reads (the rest: unread)
    comp = Compiler(aq.input_scope, registry, "GROUP BY")
    group_codes = [comp.expr(e)[0] for _, e, _ in aq.group_by]
    group_fn = comp.function("(" + ", ".join(group_codes) + ",)", "_group")
    used_columns |= comp.used_columns
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
    aggregators = [a.aggregator for a in aq.aggs]
    inits = [a.init for a in aggregators]
    adds = [a.add for a in aggregators]
    undos = [a.undo for a in aggregators]
    results = [a.result for a in aggregators]

    acomp = Compiler(aq.agg_scope, registry, "SELECT")
    project_codes = [acomp.expr(p.expression)[0] for p in aq.projections]
    project_fn = acomp.projection(project_codes, "_project")
    having_fn = None
    if aq.having is not None:
        hcomp = Compiler(aq.agg_scope, registry, "HAVING")
        having_fn = hcomp.function(hcomp.expr(aq.having)[0], "_having")
    names = [p.name for p in aq.projections]
    window = WindowSpec.of(aq.window) if aq.window is not None else None
    session = window is not None and window.is_session
    final = aq.emit == "FINAL"
    store = stores.open(query_id, AGG_STORE)
    # these functions' states are numbers, lists and column values, never tuples: the changelog may write
    # them in one orjson call (state_codec.encode_plain)
    store.plain_values = all(a.name in PLAIN_STATE_UDAFS for a in aq.aggs)
    src_store = stores.open(query_id, SOURCE_STORE) if source.is_table else None
    stream_time = [-1]

    def col_error(i: int, e: Exception) -> None:
        on_error(
            "recordProcessing",
            f"Error computing expression {names[i] if i < len(names) else i}: {e}",
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
            return having_fn(row) is True
        except Exception as e:
            col_error(0, e)
            return False

    def view(skey: tuple[Any, ...], state: list[Any]) -> list[Any] | None:
        """The projected row for a store entry (pull queries)."""
        wnd = (skey[-2], skey[-1]) if window is not None else None
        gkey = skey[:-2] if window is not None else skey
        accs = _session_accs(state[0]) if session else state[0]
        row = agg_row(gkey, accs, state[1], wnd)
        if not passes(row):
            return None
        return project_fn(row, col_error)

    merges = [a.merge for a in aggregators]
    # plugin UDAFs (every aggregate merges): a session keeps accumulators, merged as Kafka Streams does
    merging = session and all(m is not None for m in merges)

    def _session_accs(inputs: list[list[Any]]) -> list[Any]:
        if merging:
            return inputs
        accs = [f() for f in inits]
        for args in inputs:
            accs = [add(a, v) for add, a, v in zip(adds, accs, args, strict=True)]
        return accs

    # --- output --------------------------------------------------------------------------------------
    emit: Callable[[tuple[Any, ...], list[Any] | None, int, tuple[int, int] | None, Record, list[Any]], None]
    if sink is not None:
        key_pos = aq.key_order
        val_pos = [i for i, p in enumerate(aq.projections) if not p.is_key]
        kser = sink.key_serde.serialize
        wkser = windowed_key_serializer(kser, session) if window is not None else None
        vser = sink.value_serde.serialize
        topic = sink.topic

        def emit_record(
            gkey: tuple[Any, ...],
            row: list[Any] | None,
            ts: int,
            wnd: tuple[int, int] | None,
            rec: Record,
            out: list[Any],
        ) -> None:
            try:
                if row is None:  # tombstone: the key comes from the grouping values
                    kv = list(gkey)
                    value = None
                else:
                    vals = project_fn(row, col_error)
                    kv = [vals[i] for i in key_pos]
                    value = vser([vals[i] for i in val_pos])
                key = wkser(kv, wnd[0], wnd[1]) if wkser is not None and wnd is not None else kser(kv)
            except Exception as e:
                on_error("serialization", f"Error serializing message to topic: {topic}. {e}", rec, e)
                return
            out.append(Record(key, value, ts, rec.partition, 0, (), topic))

        emit = emit_record
    else:
        readies = [json_ready(p.type) for p in aq.projections]

        def emit_row(
            gkey: tuple[Any, ...],
            row: list[Any] | None,
            ts: int,
            wnd: tuple[int, int] | None,
            rec: Record,
            out: list[Any],
        ) -> None:
            if row is None:
                return
            vals = project_fn(row, col_error)
            out.append([f(v) for f, v in zip(readies, vals, strict=True)])

        emit = emit_row

    pending: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # EMIT FINAL: last result per open window

    def publish(
        skey: tuple[Any, ...],
        gkey: tuple[Any, ...],
        state: list[Any],
        accs: list[Any],
        ts: int,
        wnd: tuple[int, int] | None,
        rec: Record,
        out: list[Any],
    ) -> None:
        row = agg_row(gkey, accs, ts, wnd)
        ok = passes(row)
        if ok:
            state[2] = True
        elif state[2]:
            state[2] = False
            row = None  # type: ignore[assignment]
        else:
            return
        if final:
            pending[skey] = (gkey, row, ts, wnd, rec)
        else:
            emit(gkey, row if ok else None, ts, wnd, rec, out)

    def flush_final(out: list[Any]) -> None:
        assert window is not None
        done = [k for k, v in pending.items() if window.closed(v[3][1], stream_time[0])]
        for k in sorted(done, key=lambda k: (pending[k][3][0], pending[k][3][1])):
            gkey, row, ts, wnd, rec = pending.pop(k)
            emit(gkey, row, ts, wnd, rec, out)

    # --- per record ----------------------------------------------------------------------------------
    def inputs_of(row: list[Any], rec: Record) -> tuple[tuple[Any, ...], list[Any]] | None:
        """(grouping key, aggregate arguments) of a source row, or None when it does not aggregate."""
        if where_fn is not None:
            try:
                if where_fn(row) is not True:
                    return None
            except Exception as e:
                on_error("recordProcessing", f"Error evaluating predicate: {e}", rec, e)
                return None
        try:
            gkey = group_fn(row)
        except Exception as e:
            on_error("recordProcessing", f"Error computing the GROUP BY key: {e}", rec, e)
            return None
        if any(v is None for v in gkey):
            return None
        try:
            return gkey, [f(row) for f in arg_fns]
        except Exception:
            return gkey, [args_with_nulls(j, row, rec) for j in range(len(arg_fns))]

    def args_with_nulls(j: int, row: list[Any], rec: Record) -> Any:
        """Aggregate `j`'s argument(s) with each failing expression reported and null, as ksqlDB's
        pre-aggregation projection does (the record still aggregates)."""
        vals = []
        for text, f in arg_parts[j]:
            try:
                vals.append(f(row))
            except Exception as e:
                on_error("recordProcessing", f"Error computing expression {text}: {e}", rec, e)
                vals.append(None)
        if not vals:
            return 1
        return vals[0] if len(vals) == 1 else tuple(vals)

    def add_to(
        gkey: tuple[Any, ...], args: list[Any], ts: int, rec: Record, out: list[Any], undo: bool = False
    ) -> None:
        skey = gkey
        state = store.get(skey)
        if state is None:
            state = [[f() for f in inits], ts, False]
        else:
            state = [state[0], max(ts, state[1]) if not undo else ts, state[2]]
        fs = undos if undo else adds
        state[0] = [f(a, v) for f, a, v in zip(fs, state[0], args, strict=True)]  # type: ignore[misc]
        store.put(skey, state)
        publish(skey, gkey, state, state[0], state[1], None, rec, out)

    def add_windowed(gkey: tuple[Any, ...], args: list[Any], ts: int, rec: Record, out: list[Any]) -> None:
        assert window is not None
        for start, end in window.windows_for(ts):
            if window.closed(end, stream_time[0]):
                continue  # late: the window is closed
            skey = (*gkey, start, end)
            state = store.get(skey)
            if state is None:
                state = [[f() for f in inits], ts, False]
            else:
                state = [state[0], max(ts, state[1]), state[2]]
            state[0] = [f(a, v) for f, a, v in zip(adds, state[0], args, strict=True)]
            store.put(skey, state)
            publish(skey, gkey, state, state[0], state[1], (start, end), rec, out)

    def add_session(gkey: tuple[Any, ...], args: list[Any], ts: int, rec: Record, out: list[Any]) -> None:
        assert window is not None
        gap = window.size_ms
        if window.closed(ts, stream_time[0]):
            return
        n = len(gkey)
        merged = [
            (k, v)
            for k, v in store.range((*gkey, None, None))
            if k[:n] == gkey and k[n] - gap <= ts <= k[n + 1] + gap
        ]
        start, end, inputs, t = ts, ts, ([f() for f in inits] if merging else []), ts
        emitted_before = False
        for k, v in merged:
            start, end = min(start, k[n]), max(end, k[n + 1])
            pairs = zip(merges, inputs, v[0], strict=True)  # merging: (merge, accumulator, session's)
            inputs = [f(a, b) for f, a, b in pairs] if merging else inputs + v[0]
            t = max(t, v[1])
            emitted_before = emitted_before or v[2]
            store.delete(k)
            if (k[n], k[n + 1]) != (start, end) or True:
                pending.pop(k, None)
                if v[2]:
                    emit(gkey, None, t, (k[n], k[n + 1]), rec, out)
        inputs = [f(a, x) for f, a, x in zip(adds, inputs, args, strict=True)] if merging else [*inputs, args]
        skey = (*gkey, start, end)
        state = [inputs, t, False]
        store.put(skey, state)
        del emitted_before
        publish(skey, gkey, state, _session_accs(inputs), t, (start, end), rec, out)

    add_stream = add_session if session else (add_windowed if window is not None else add_to)

    def one(rec: Record, out: list[Any]) -> None:
        """The generic path for one record (appends its outputs to `out`)."""
        row = row_of(rec)
        if row is None:
            return
        null_value = len(row) > n_cols + 3
        ts = row[width]
        if src_store is not None:  # table source: subtract the old row, add the new one
            skey = (rec.key,)
            old = src_store.get(skey)
            new = None if null_value else inputs_of(row, rec)
            if old is not None:
                add_to(tuple(old[0]), old[1], ts, rec, out, undo=True)
            if new is not None:
                src_store.put(skey, [list(new[0]), new[1]])
                add_to(new[0], new[1], ts, rec, out)
            elif old is not None:
                src_store.delete(skey)
            return
        if null_value:
            return
        if ts > stream_time[0]:
            stream_time[0] = ts
        got = inputs_of(row, rec)
        if got is None:
            return
        add_stream(got[0], got[1], ts, rec, out)
        if final:
            flush_final(out)

    fast = None
    if fast_paths and sink is not None:
        parts = fastagg.AggParts(
            aq, sink, store, window, stream_time, where_fn, group_fn, group_codes, arg_fns, arg_codes,
            project_fn, project_codes, col_error, one, emit, frozenset(used_columns),
        )  # fmt: skip
        fast = fastagg.build(parts)

    def process(records: Sequence[Record]) -> list[Any]:
        out: list[Any] = []
        if fast is not None:
            fast(records, out)
        else:
            for rec in records:
                one(rec, out)
        return out

    value_pos = [i for i, p in enumerate(aq.projections) if not p.is_key]
    mat = Materialization(store, view, window, aq.key_order, value_pos)
    columns = [(p.name, p.type) for p in aq.projections]
    return Pipeline(process, columns, source, sink, aq.limit, fast is not None, materialization=mat)
