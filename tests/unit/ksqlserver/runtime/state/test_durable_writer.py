"""When the at-least-once changelog writer is created: as the first query with stores attaches (its
connection and producer id are set up while the stores restore and the consumer joins), not at the first
commit. Kafka Streams' StreamThread likewise creates its producer with the thread, before processing."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from ksqlserver.drivers.base import Record
from ksqlserver.runtime.guarantee import TransactionalQuery
from ksqlserver.runtime.state.changelog import SnapshotConfig
from ksqlserver.runtime.state.durable import DurableStateStores


class _IO:
    def ensure_topic(self, topic: str, partitions: int) -> None:
        pass

    def partitions(self, topic: str) -> int:
        return 1

    def read(self, topic: str, partition: int, start: int) -> tuple[list[Record], int]:
        return [], start

    def end_offset(self, topic: str, partition: int) -> int:
        return 0


class _Writer:
    def __init__(self, made: list[Any]) -> None:
        made.append(self)
        self.records: list[Record] = []

    def produce(self, topic: str, records: Sequence[Record]) -> None:
        self.records.extend(records)

    def flush(self) -> None:
        pass


def _query(query_id: str) -> Any:
    noop = lambda *a, **k: None
    return SimpleNamespace(
        query_id=query_id, application_id="", pipeline=SimpleNamespace(process=noop), checkpoint=noop,
        on_restart=noop, stop=noop, consumer=SimpleNamespace(assignment=lambda: None),
    )


def test_the_writer_is_made_when_the_first_query_attaches_and_then_reused() -> None:
    made: list[Any] = []
    stores = DurableStateStores(_IO(), "svc_", SnapshotConfig(), lambda: _Writer(made))
    stores.open("CTAS_A_1", "KafkaTopic_Left-Reduce")
    assert made == []
    stores.attach_query(_query("CTAS_A_1"), ["in"])
    assert len(made) == 1  # before any commit
    stores.open("CTAS_B_2", "KafkaTopic_Right-Reduce")
    stores.attach_query(_query("CTAS_B_2"), ["in"])
    stores._produce([Record(b"k", b"v", 0, 0, 0, (), "")], "t")
    assert len(made) == 1 and len(made[0].records) == 1


def test_no_writer_for_a_query_without_stores_or_a_transactional_one() -> None:
    made: list[Any] = []
    stores = DurableStateStores(_IO(), "svc_", SnapshotConfig(), lambda: _Writer(made))
    stores.attach_query(_query("CSAS_C_3"), ["in"])  # no stores
    assert made == []
    stores.open("CTAS_D_4", "Aggregate-Aggregate-Materialize")
    q = TransactionalQuery.__new__(TransactionalQuery)  # its changelog records go through its transaction
    for name, value in vars(_query("CTAS_D_4")).items():
        setattr(q, name, value)
    q.on_flush = None
    stores.attach_query(q, ["in"])
    assert made == []
