"""The first stage of an aggregation: its input events, read from a source or from the rows a join emits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.analyze.aggregate_query import AggregateQuery
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.drivers.base import Record
from ksqlserver.functions import FunctionRegistry
from ksqlserver.plan.joins import Clock, JoinGraph
from ksqlserver.runtime.pipeline import ErrorHandler, row_reader
from ksqlserver.runtime.state.base import StateStores

# one input event: (table key or None for a stream row, row or None for a table deletion, timestamp)
InputEvent = tuple[Any, "list[Any] | None", int]


def source_input(source: DataSource, on_error: ErrorHandler) -> Callable[[Record], list[InputEvent]]:
    """Record -> input events of a source stream or table (a table deletion has no row)."""
    row_of = row_reader(source, on_error)
    width = source.row_width
    ts_at = len(source.schema.columns)
    table = source.is_table

    def events(rec: Record) -> list[InputEvent]:
        row = row_of(rec)
        if row is None:
            return []
        null_value = len(row) > width
        if null_value:
            row.pop()
        if table:
            return [(rec.key, None if null_value else row, row[ts_at])]
        return [] if null_value else [(None, row, row[ts_at])]

    return events


def join_input(
    aq: AggregateQuery,
    registry: FunctionRegistry,
    on_error: ErrorHandler,
    stores: StateStores,
    query_id: str,
    clock: Clock,
) -> Callable[[Record], list[InputEvent]]:
    """Record -> input events: the rows the query's join emits for it (a table join's rows keyed)."""
    assert aq.join is not None
    graph = JoinGraph(aq.join, registry, on_error, stores, query_id, clock)
    synthetic = aq.join.synthetic_key is not None
    table = aq.join.root.is_table

    def events(rec: Record) -> list[InputEvent]:
        out: list[InputEvent] = []
        for key, row, ts in graph.feed(rec):
            if row is not None and synthetic:
                row = [*row, key]
            if table:
                out.append((graph.hashable(key), row, ts))
            elif row is not None:
                out.append((None, row, ts))
        return out

    return events
