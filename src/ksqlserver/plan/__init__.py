"""Planning: an analysed query -> a plan (what EXPLAIN shows) -> a compiled `runtime.pipeline.Pipeline`.

`plan/` compiles and `runtime/` runs: the modules here build pipelines out of runtime's operators, stores
and row readers; nothing in `runtime/` imports `plan/`. `build` makes the plan of an analysis, `compile`
turns it into the pipeline of its kind: stateless (`physical`), join (`joins`) or aggregate (`aggregate`).
"""

from __future__ import annotations

from collections.abc import Mapping

from ksqlserver.analyze import Analysis
from ksqlserver.analyze.aggregate_query import AggregateQuery
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.functions import FunctionRegistry
from ksqlserver.plan import logical
from ksqlserver.plan.aggregate import Clock, compile_aggregate, wall_clock_ms
from ksqlserver.plan.joins import compile_join_plan
from ksqlserver.plan.logical import AggregatePlan, JoinStep, Plan, SinkStep
from ksqlserver.plan.physical import compile_plan
from ksqlserver.runtime.pipeline import ErrorHandler, Pipeline
from ksqlserver.runtime.state.base import StateStores


def build(a: Analysis, sink: DataSource | None) -> Plan:
    """The plan of an analysed query writing to `sink` (None: a push query)."""
    if isinstance(a, AggregateQuery):
        return AggregatePlan(a, sink)
    return logical.build(a, sink)


def compile(
    plan: Plan,
    registry: FunctionRegistry,
    on_error: ErrorHandler,
    stores: StateStores,
    query_id: str,
    clock: Clock = wall_clock_ms,
    rekeyed: Mapping[int, str] | None = None,
    fast_paths: bool = True,
) -> Pipeline:
    """The pipeline that runs `plan`, reporting failed records to `on_error`; `fast_paths`: with the
    generated fast loop where the query qualifies (`plan/fast/`).

    An aggregate keeps its state in `stores` under `query_id` (where pull queries find it). A join keeps
    its state there too when it writes to a sink; a push query's join keeps it to itself, in memory.
    `clock` is Kafka Streams' wall clock (ms): it paces EMIT FINAL and outer joins' held results."""
    if isinstance(plan, AggregatePlan):
        return compile_aggregate(
            plan.query, plan.sink, registry, on_error, stores, query_id, clock, fast_paths
        )
    if any(isinstance(s, JoinStep) for s in plan.steps):
        persistent = any(isinstance(s, SinkStep) for s in plan.steps)
        return compile_join_plan(
            plan, registry, on_error, stores if persistent else None, query_id, clock, rekeyed, fast_paths
        )
    persistent = any(isinstance(s, SinkStep) for s in plan.steps)
    return compile_plan(plan, registry, on_error, stores if persistent else None, query_id, fast_paths)
