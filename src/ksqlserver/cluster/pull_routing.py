"""Pull queries in a scale-out: answer from local state for the partitions this server owns, forward the
same query to the live server owning each other partition, merge the rows.

A forwarded request is marked as ksqlDB marks its own (`requestProperties`:
`request.internal.request = true`, `request.query.pull.skip.forwarding = true`,
`request.query.pull.partitions = "0,2"`): the receiving server answers from its store for exactly those
partitions and forwards nothing. When an owner does not answer, its partitions are answered from the local
copy of its state (restored from the changelog at start, possibly behind) and a warning is logged.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from typing import Any

import httpx

from ksqlserver.catalog.properties import Properties
from ksqlserver.cluster.membership import Cluster, Member
from ksqlserver.errors import KsqlError
from ksqlserver.runtime.pull import DEFAULT_NODE, PullResult, run_pull

log = logging.getLogger("ksqlserver.cluster")

INTERNAL = "request.internal.request"
SKIP_FORWARDING = "request.query.pull.skip.forwarding"
PARTITIONS = "request.query.pull.partitions"


class ForwardError(KsqlError):
    """A pull query the owner of some partitions did not answer; carries the owner's URL."""

    def __init__(self, message: str, url: str) -> None:
        super().__init__(message)
        self.url = url


class _PartitionView:
    """The part of a durable store a pull query may read: entries of the given partitions."""

    def __init__(self, store: Any, partitions: set[int] | None) -> None:
        self._store = store
        self._partitions = partitions

    def items(self) -> Iterator[tuple[Any, Any]]:
        return self._store.owned_items(self._partitions)


def is_internal(props: Properties | None) -> bool:
    return props is not None and props.get(INTERNAL, "false").lower() == "true"


def requested_partitions(props: Properties | None) -> set[int] | None:
    text = "" if props is None else props.get(PARTITIONS, "")
    return {int(p) for p in text.split(",") if p.strip()} if text.strip() else None


def restricted(materialization: Any, partitions: set[int] | None) -> Any:
    """`materialization` reading only the entries of `partitions` (itself when the store is not durable)."""
    store = materialization.store
    if partitions is None or not hasattr(store, "owned_items"):
        return materialization
    view = copy.copy(materialization)
    view.store = _PartitionView(store, partitions)
    return view


def plan_routes(query: Any, cluster: Cluster | None, partitions: int) -> tuple[set[int] | None, dict[str, list[int]]]:
    """(partitions answered locally or None for all, {owner url: its partitions})."""
    if cluster is None:
        return None, {}
    local = set(getattr(query, "owned_partitions", ()) or ())
    remote = cluster.remote_owners(query.query_id, local)
    if local:
        orphans = set(range(partitions)) - local - set(remote)
        if orphans:  # owned by a server whose heartbeat is late or gone: our copy may be behind
            log.warning("query %s: no live server owns partitions %s; answering them from local state "
                        "(live servers: %s)", query.query_id, sorted(orphans),
                        ", ".join(f"{m.url} {list(m.owned.get(query.query_id, ()))}" for m in cluster.members())
                        or "none")
    if not remote:
        return None, {}
    routes: dict[str, list[int]] = {}
    for p, m in sorted(remote.items()):
        routes.setdefault(m.url, []).append(p)
    return set(range(partitions)) - set(remote), routes


def forward(url: str, sql: str, partitions: list[int], timeout: float = 10.0) -> list[list[Any]]:
    """The rows `url` holds for `partitions` (its REST /query endpoint, ksqlDB's internal-request marker)."""
    body = {
        "ksql": sql if sql.rstrip().endswith(";") else sql + ";",
        "streamsProperties": {},
        "requestProperties": {
            INTERNAL: True,
            SKIP_FORWARDING: True,
            PARTITIONS: ",".join(str(p) for p in partitions),
        },
    }
    try:
        r = httpx.post(
            url + "/query", json=body, timeout=timeout, headers={"Accept": "application/vnd.ksql.v1+json"}
        )
    except httpx.HTTPError as e:
        raise ForwardError(f"pull query forwarded to {url} failed: {e}", url) from None
    if r.status_code != 200:
        raise ForwardError(f"pull query forwarded to {url} failed: HTTP {r.status_code} {r.text[:300]}", url)
    rows = []
    for item in r.json():
        if "row" in item:
            rows.append(item["row"]["columns"])
        elif "errorMessage" in item:
            raise ForwardError(f"pull query forwarded to {url} failed: {item['errorMessage']}", url)
    return rows


def members_of(cluster: Cluster | None) -> list[Member]:
    return [] if cluster is None else cluster.members()


def partition_count(query: Any) -> int:
    stores = getattr(query, "durable_stores", None) or []
    return max((s.partition_count() for s in stores), default=1)


def _scans_enabled(props: Properties | None, name: str = "ksql.query.pull.table.scan.enabled") -> bool:
    value = "true" if props is None else str(props.get(name, "true"))
    return value.strip().lower() == "true"


def run_routed_pull(
    state: Any, pq: Any, q: Any, table: Any, mat: Any, query_id: str, props: Properties | None
) -> PullResult:
    """Local rows (every partition, or those this server answers for) plus the owners' rows."""
    scans = _scans_enabled(props)
    ranges = _scans_enabled(props, "ksql.query.pull.range.scan.enabled")
    info = state.driver.topic(table.topic)
    parts = info.partitions if info is not None else 1
    host = getattr(state, "host_info", "")
    node = f"http://{host}/" if host else DEFAULT_NODE  # KsLocator.buildLocation: this host's URI
    if is_internal(props):  # forwarded to us: exactly the partitions asked for, no further hops
        view = restricted(mat, requested_partitions(props))
        return run_pull(
            q, table, view, state.registry, query_id, scans, range_scans_enabled=ranges, partitions=parts, node=node,
            on_error=state.error_handler(query_id),
        )
    local, routes = plan_routes(pq, getattr(state, "cluster", None), partition_count(pq))
    remote_rows: list[list[Any]] = []
    for url, asked in routes.items():  # `parts` stays the topic's partition count
        try:
            remote_rows += forward(url, q.text, asked)
        except ForwardError as e:  # the owner is gone or failing: our (possibly older) copy answers
            log.warning("%s; answering partitions %s from local state", e.message, asked)
            local = (local or set()) | set(asked)
    return run_pull(
        q, table, restricted(mat, local), state.registry, query_id, scans, remote_rows, range_scans_enabled=ranges,
        partitions=parts, node=node, on_error=state.error_handler(query_id),
    )
