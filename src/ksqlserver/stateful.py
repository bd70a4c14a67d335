"""The executor's entry points for stateful queries: aggregate analysis, sink shaping, start, pull queries.

Kept apart from the stateless path so the executor only branches once per statement.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ksqlserver.aggregation import AggregateAnalyzer, AggregateQuery, is_aggregate
from ksqlserver.errors import KsqlStatementError
from ksqlserver.metastore import DataSource, WindowInfo
from ksqlserver.plan.physical import ErrorHandler, Pipeline
from ksqlserver.properties import Properties
from ksqlserver.runtime.aggregate import compile_aggregate
from ksqlserver.runtime.pull import PullResult
from ksqlserver.runtime.pull_routing import run_routed_pull
from ksqlserver.runtime.windows import WindowSpec

if TYPE_CHECKING:
    from ksqlserver.executor import EngineState

__all__ = ["AggregateQuery", "aggregate_sink", "analyze_aggregate", "is_aggregate", "start_aggregate", "start_pull"]

INTERMEDIATE_MSG = (
    "One of the functions used in the statement has an intermediate type that the value format can not "
    "handle. Please remove the function or change the format."
)


class AggregatePlan:
    """EXPLAIN's outline of an aggregate query."""

    def __init__(self, a: AggregateQuery, sink: DataSource | None) -> None:
        self.a = a
        self.sink = sink

    def describe(self) -> str:
        steps = [f"> [ SOURCE ] [{self.a.source.name}]"]
        if self.a.where is not None:
            steps.append("> [ FILTER ]")
        steps.append("> [ GROUP BY ]")
        if self.a.window is not None:
            steps.append(f"> [ WINDOW {self.a.window.kind} ]")
        steps.append("> [ AGGREGATE ]")
        if self.a.having is not None:
            steps.append("> [ HAVING ]")
        steps.append("> [ PROJECT ]")
        if self.sink is not None:
            steps.append(f"> [ SINK ] [{self.sink.name}]")
        return "\n".join(" " * (2 * i) + s for i, s in enumerate(steps))


def analyze_aggregate(
    state: EngineState, q: Any, sink_name: str | None, props: Properties | None = None
) -> AggregateQuery:
    return AggregateAnalyzer(state.metastore, state.registry, props).analyze(
        q, sink_name, persistent=sink_name is not None
    )


def aggregate_sink(a: AggregateQuery, sink: DataSource) -> DataSource:
    """The sink of a CTAS ... GROUP BY: windowed key info, and ksqlDB's format checks."""
    if sink.value_format == "DELIMITED" and any(x.aggregator.complex_state for x in a.aggs):
        raise KsqlStatementError(INTERMEDIATE_MSG)
    key_cols = sink.schema.key
    if sink.key_format == "KAFKA":
        reason = None
        if len(key_cols) > 1:
            reason = (
                "The 'KAFKA' format only supports a single field. Got: ["
                + ", ".join(f"`{c.name}` {c.type}" for c in key_cols)
                + "]"
            )
        elif key_cols and key_cols[0].type.base not in ("INTEGER", "BIGINT", "DOUBLE", "STRING", "BYTES"):
            reason = f"The 'KAFKA' format does not support type '{key_cols[0].type.base}'"
        if reason is not None:
            cols = ", ".join(f"`{c.name}` {c.type} KEY" for c in key_cols)
            raise KsqlStatementError(
                f"Key format does not support schema.\nformat: KAFKA\nschema: Persistence{{columns=[{cols}], "
                f"features=[]}}\nreason: {reason}"
            )
    if a.window is not None:
        spec = WindowSpec.of(a.window)
        sink = dataclasses.replace(
            sink, window=WindowInfo(spec.kind, None if spec.is_session else spec.size_ms)
        )
    return sink


def start_pull(state: EngineState, q: Any, query_id: str, props: Properties | None = None) -> PullResult | None:
    """A pull query on a table materialised by an aggregate query; None when `q` reads anything else.

    In a scale-out the rows of partitions other servers own come from them (`runtime/pull_routing.py`)."""
    table = state.metastore.get(q.from_.name)
    if table is None or not table.is_table:
        return None
    for pq in state.persistent.values():
        mat = getattr(pq.pipeline, "materialization", None)
        if mat is not None and pq.pipeline.sink is not None and pq.pipeline.sink.name == table.name:
            return run_routed_pull(state, pq, q, table, mat, query_id, props)
    return None


def start_aggregate(
    state: EngineState, a: AggregateQuery, sink: DataSource | None, query_id: str, on_error: ErrorHandler
) -> tuple[Pipeline, AggregatePlan]:
    # plugin UDAFs report their failures to this query's processing log (built-in aggregators unchanged)
    aggs = [dataclasses.replace(x, aggregator=x.aggregator.reporting(on_error)) for x in a.aggs]
    a = dataclasses.replace(a, aggs=aggs)
    pipeline, mat = compile_aggregate(a, sink, state.registry, on_error, state.stores, query_id)
    pipeline.materialization = mat  # type: ignore[attr-defined]
    return pipeline, AggregatePlan(a, sink)
