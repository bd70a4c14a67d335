"""The last stage of an aggregation: an aggregate row projected and serialised to the sink (a record, or a
tombstone keyed by the grouping values), or projected to JSON-ready values for a transient query (a deleted
row, too: a `TombstoneRow`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.analyze.aggregate_query import AggregateQuery
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import SqlType
from ksqlserver.drivers.base import Record
from ksqlserver.plan.sink_time import TOMBSTONE_MESSAGE, SinkTimeError, sink_time
from ksqlserver.runtime.log_row import generic_key_string, generic_row_string, values_text
from ksqlserver.runtime.operators.windows import WindowSpec, windowed_key_serializer
from ksqlserver.runtime.pipeline import (
    ErrorHandler,
    TombstoneRow,
    fail_serialization,
    json_ready,
    with_logger,
)
from ksqlserver.runtime.record_cache import _NODE_OVERHEAD, CACHE_CLASSES
from ksqlserver.sql import ast

# (grouping key, aggregate row or None for a tombstone, timestamp, window or None, input record, outputs,
# fresh: the key had no live output before). `outputs` is a list, or the query's RecordCache, which the
# fresh flag tells that nothing live was flushed for the key (so a tombstone before the flush cancels it)
Emit = Callable[..., None]
KeyBytes = Callable[[tuple[Any, ...]], bytes]  # a grouping key as the sink's key bytes (ordering only)
Project = Callable[[list[Any], Callable[[int, Exception], None]], list[Any]]


def emitter(
    aq: AggregateQuery,
    sink: DataSource | None,
    project_fn: Project,
    col_error: Callable[[int, Exception], None],
    on_error: ErrorHandler,
    window: WindowSpec | None,
    session: bool,
) -> tuple[Emit, KeyBytes]:
    """(emit, key_bytes): `emit` appends the output of one aggregate row (or tombstone) to `out`."""
    emit: Emit
    key_bytes: KeyBytes = lambda gkey: b""
    if sink is not None:
        key_pos = aq.key_order
        val_pos = [i for i, p in enumerate(aq.projections) if not p.is_key]
        kser = sink.key_serde.serialize
        wkser = windowed_key_serializer(kser, session) if window is not None else None
        vser = sink.value_serde.serialize
        topic = sink.topic
        key_types: list[SqlType | None] = [c.type for c in sink.schema.key]
        value_types: list[SqlType | None] = [aq.projections[i].type for i in val_pos]
        sink_error = with_logger(on_error, sink.name)  # the sink step's context: the sink's name
        # the sink's TIMESTAMP column: TableSinkBuilder runs SinkBuilder.TransformTimestamp on every row of a
        # table, aggregations included, so the record takes the column's time
        names = [p.name for p in aq.projections]
        ts_at = names.index(sink.timestamp_column) if sink.timestamp_column in names else None
        ts_type = aq.projections[ts_at].type if ts_at is not None else None
        time_of = sink_time(ts_type.base if ts_type is not None else "BIGINT", sink.timestamp_format)

        def key_text(kv: list[Any], wnd: tuple[int, int] | None) -> str:
            """The key a failing serializer was given: a GenericKey, in a Windowed `[key@start/end]`."""
            text = generic_key_string(kv, key_types)
            return text if wnd is None else f"[{text}@{wnd[0]}/{wnd[1]}]"

        def emit_record(
            gkey: tuple[Any, ...],
            row: list[Any] | None,
            ts: int,
            wnd: tuple[int, int] | None,
            rec: Record,
            out: list[Any],
            fresh: bool = False,
        ) -> None:
            out_vals: list[Any] | None = None
            if row is None:  # tombstone: the key comes from the grouping values
                kv = list(gkey)
                if ts_at is not None:  # TransformTimestamp on a tombstone: only a key column can be read
                    try:
                        if ts_at not in key_pos:
                            raise SinkTimeError(TOMBSTONE_MESSAGE)
                        ts = time_of(kv[key_pos.index(ts_at)])
                    except SinkTimeError as e:
                        sink_error("recordProcessing", e.message, rec, e)
                        return
            else:
                vals = project_fn(row, col_error)
                if ts_at is not None:
                    try:
                        ts = time_of(vals[ts_at])
                    except SinkTimeError as e:  # TransformTimestamp logs it (with the value row), forwards nothing
                        row_vals = [vals[i] for i in val_pos]
                        sink_error("recordProcessing", e.message, rec, e, lambda: values_text(row_vals, value_types))
                        return
                kv = [vals[i] for i in key_pos]
                out_vals = [vals[i] for i in val_pos]
            # Kafka Streams serializes the key (a Windowed one for a windowed sink), then the value; a
            # failure fails the query (fail_serialization)
            try:
                key = wkser(kv, wnd[0], wnd[1]) if wkser is not None and wnd is not None else kser(kv)
            except Exception as e:
                fail_serialization(sink_error, sink, rec, e, True, lambda: key_text(kv, wnd), ts)
            try:
                value = None if out_vals is None else vser(out_vals)
            except Exception as e:
                fail_serialization(
                    sink_error, sink, rec, e, False, lambda: generic_row_string(out_vals or [], value_types), ts
                )
            # the output keeps the triggering record's headers: Kafka Streams forwards the aggregate with the
            # record's context (KStreamAggregate, or a cache entry's LRUCacheEntry context on eviction), and the
            # sink writes them
            if fresh and out.__class__ in CACHE_CLASSES:
                out.fresh(Record(key, value, ts, rec.partition, 0, rec.headers, topic))  # type: ignore[attr-defined]
            else:
                out.append(Record(key, value, ts, rec.partition, 0, rec.headers, topic))

        def sink_key_bytes(gkey: tuple[Any, ...]) -> bytes:
            try:
                return kser(list(gkey)) or b""
            except Exception:
                return b""

        emit = emit_record
        key_bytes = sink_key_bytes
    else:
        readies = [json_ready(p.type) for p in aq.projections]
        tomb = tombstone_columns(aq)

        def tombstone(gkey: tuple[Any, ...], wnd: tuple[int, int] | None) -> TombstoneRow:
            key = [*gkey, *(wnd or ())]
            return TombstoneRow(None if k is None else f(key[k]) for f, k in zip(readies, tomb, strict=True))

        def emit_row(
            gkey: tuple[Any, ...],
            row: list[Any] | None,
            ts: int,
            wnd: tuple[int, int] | None,
            rec: Record,
            out: list[Any],
            fresh: bool = False,
        ) -> None:
            cache = out if out.__class__ in CACHE_CLASSES else None
            if row is None:
                # QueryBuilder.buildTransientQueryQueue passes the table's tombstones to the queue and
                # QueryStreamWriter shows them (TombstoneFactory): a merged-away session, a row HAVING
                # no longer passes
                dead = tombstone(gkey, wnd)
                if cache is None:
                    out.append(dead)
                    return
                # as `keyed` does, with a tombstone to flush: shown only where a live row was flushed
                ckey: Any = (gkey, wnd)
                try:
                    hash(ckey)
                except TypeError:
                    ckey = repr(ckey)
                cache.put(ckey, dead, False, not fresh, _NODE_OVERHEAD + len(repr(ckey)))  # type: ignore[attr-defined]
                return
            vals = project_fn(row, col_error)
            ready = [f(v) for f, v in zip(readies, vals, strict=True)]
            if cache is not None:
                cache.keyed((gkey, wnd), ready, fresh)  # type: ignore[attr-defined]
            else:
                out.append(ready)

        emit = emit_row
    return emit, key_bytes


def tombstone_columns(aq: AggregateQuery) -> list[int | None]:
    """Per projection, the index in (grouping values..., window start, window end) that a push query's
    tombstone row shows there, or None (TombstoneFactory.buildKeyIdx: the value columns named as a key
    column; LogicalPlanner.buildAggregateSchema names a grouping key as the one projection of its
    expression, and a windowed table's key has WINDOWSTART and WINDOWEND after it)."""
    n = len(aq.group_by)
    bounds = {"WINDOWSTART": n, "WINDOWEND": n + 1} if aq.window is not None else {}
    grouping = {f"$K{i}": i for i in range(n)}
    out: list[int | None] = []
    for p in aq.projections:
        e = p.expression
        if isinstance(e, ast.ColumnRef) and e.source is None and e.name in grouping:
            out.append(grouping[e.name])
        else:
            out.append(bounds.get(p.name))
    return out
