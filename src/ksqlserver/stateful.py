"""The executor's entry points for stateful queries: aggregate analysis, sink shaping, start, pull queries.

Kept apart from the stateless path so the executor only branches once per statement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ksqlserver.catalog.properties import Properties
from ksqlserver.cluster.pull_routing import run_routed_pull
from ksqlserver.runtime.pull import PullResult

if TYPE_CHECKING:
    from ksqlserver.executor import EngineState

__all__ = ["start_pull"]





def start_pull(state: EngineState, q: Any, query_id: str, props: Properties | None = None) -> PullResult | None:
    """A pull query on a table materialised by an aggregate query; None when `q` reads anything else.

    In a scale-out the rows of partitions other servers own come from them (`runtime/pull_routing.py`)."""
    table = state.metastore.get(q.from_.name)
    if table is None or not table.is_table:
        return None
    for pq in state.persistent.values():
        mat = pq.pipeline.materialization
        if mat is not None and pq.pipeline.sink is not None and pq.pipeline.sink.name == table.name:
            return run_routed_pull(state, pq, q, table, mat, query_id, props)
    return None

