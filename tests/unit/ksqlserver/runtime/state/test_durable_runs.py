"""A persistent query over changelog-backed stores processes its batch in runs of one input partition,
each with that partition in the stores' context (so each change lands in its input's changelog
partition, as Kafka Streams' per-task stores do): one call for a batch of one partition."""

from __future__ import annotations

from typing import Any

from ksqlserver.drivers.base import Record
from ksqlserver.runtime.state.changelog import SnapshotConfig
from ksqlserver.runtime.state.durable import DurableStateStores

from .test_durable_writer import _IO, _query, _Writer


def _installed() -> tuple[Any, list[tuple[int, list[int]]]]:
    stores = DurableStateStores(_IO(), "svc_", SnapshotConfig(), lambda: _Writer([]))
    store = stores.open("CTAS_A_1", "KafkaTopic_Left-Reduce")
    calls: list[tuple[int, list[int]]] = []

    def inner(records: Any) -> list[Any]:
        calls.append((store.ctx.partition, [r.offset for r in records]))
        return [r.offset for r in records]

    q = _query("CTAS_A_1")
    q.pipeline.process = inner
    stores.attach_query(q, ["in"])
    return q, calls


def _recs(parts: list[int]) -> list[Record]:
    return [Record(b"k", b"v", 0, p, i, (), "in") for i, p in enumerate(parts)]


def test_runs_of_one_partition() -> None:
    q, calls = _installed()
    assert q.pipeline.process(_recs([1, 1, 0, 0, 0, 1])) == [0, 1, 2, 3, 4, 5]
    assert calls == [(1, [0, 1]), (0, [2, 3, 4]), (1, [5])]
    calls.clear()
    assert q.pipeline.process(_recs([2, 2, 2])) == [0, 1, 2]
    assert calls == [(2, [0, 1, 2])]
    calls.clear()
    assert q.pipeline.process([]) == [] and [c[1] for c in calls] == [[]]
