"""The last stage of an aggregation: an aggregate row projected and serialised to the sink (a record, or a
tombstone keyed by the grouping values), or projected to JSON-ready values for a transient query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.analyze.aggregate_query import AggregateQuery
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import SqlType
from ksqlserver.drivers.base import Record
from ksqlserver.runtime.log_row import generic_key_string, generic_row_string
from ksqlserver.runtime.operators.windows import WindowSpec, windowed_key_serializer
from ksqlserver.runtime.pipeline import ErrorHandler, fail_serialization, json_ready, with_logger
from ksqlserver.runtime.record_cache import CACHE_CLASSES

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
            else:
                vals = project_fn(row, col_error)
                kv = [vals[i] for i in key_pos]
                out_vals = [vals[i] for i in val_pos]
            # Kafka Streams serializes the key (a Windowed one for a windowed sink), then the value; a
            # failure fails the query (fail_serialization)
            try:
                key = wkser(kv, wnd[0], wnd[1]) if wkser is not None and wnd is not None else kser(kv)
            except Exception as e:
                fail_serialization(sink_error, sink, rec, e, True, lambda: key_text(kv, wnd))
            try:
                value = None if out_vals is None else vser(out_vals)
            except Exception as e:
                fail_serialization(sink_error, sink, rec, e, False, lambda: generic_row_string(out_vals or [], value_types))
            if fresh and out.__class__ in CACHE_CLASSES:
                out.fresh(Record(key, value, ts, rec.partition, 0, (), topic))  # type: ignore[attr-defined]
            else:
                out.append(Record(key, value, ts, rec.partition, 0, (), topic))

        def sink_key_bytes(gkey: tuple[Any, ...]) -> bytes:
            try:
                return kser(list(gkey)) or b""
            except Exception:
                return b""

        emit = emit_record
        key_bytes = sink_key_bytes
    else:
        readies = [json_ready(p.type) for p in aq.projections]

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
                if cache is not None:  # a row shown before the flush is withdrawn
                    cache.keyed((gkey, wnd), None, False)  # type: ignore[attr-defined]
                return
            vals = project_fn(row, col_error)
            ready = [f(v) for f, v in zip(readies, vals, strict=True)]
            if cache is not None:
                cache.keyed((gkey, wnd), ready, fresh)  # type: ignore[attr-defined]
            else:
                out.append(ready)

        emit = emit_row
    return emit, key_bytes
