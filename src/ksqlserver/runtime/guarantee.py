"""`processing.guarantee`: at_least_once (default: flush, then commit the consumer) or exactly_once_v2
(a transactional producer per query; output, changelog and offsets commit together).

`with_guarantee` turns a freshly built `PersistentQuery` into a `TransactionalQuery` when the statement's
properties ask for exactly-once and the engine runs on Kafka. The in-memory driver has no transactions and
keeps the at-least-once loop (its writes cannot fail half-way).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from ksqlserver.catalog.properties import Properties
from ksqlserver.drivers.base import Record, TransactionalWriter
from ksqlserver.errors import KsqlStatementError
from ksqlserver.runtime.query import PersistentQuery

log = logging.getLogger("ksqlserver.runtime")

AT_LEAST_ONCE = "at_least_once"
EXACTLY_ONCE = ("exactly_once", "exactly_once_v2", "exactly_once_beta")


def guarantee_of(props: Properties, statement: str = "") -> str:
    value = props.get("processing.guarantee", AT_LEAST_ONCE).strip().lower()
    if value == AT_LEAST_ONCE:
        return AT_LEAST_ONCE
    if value in EXACTLY_ONCE:
        return "exactly_once_v2"
    raise KsqlStatementError(
        f"Invalid value {value} for configuration processing.guarantee: String must be one of: "
        f"at_least_once, exactly_once, exactly_once_beta, exactly_once_v2",
        statement,
    )


class TransactionalQuery(PersistentQuery):
    """Each commit interval is one transaction: sink records, changelog records, input offsets."""

    producer: TransactionalWriter
    # changelog-backed stores (runtime/state/durable.py) hook their pending writes into each transaction
    on_flush: Callable[[], None] | None = None

    def _attach(self, new_producer: Callable[[], TransactionalWriter]) -> None:
        self._new_producer = new_producer
        self.producer = new_producer()

    def write(self, topic: str, records: Sequence[Record]) -> None:
        """For state stores: changelog records go into the current transaction."""
        if records:
            self.producer.produce(topic, records, keep_partition=True)

    def deliver(self, out: list[Any]) -> None:
        if out and not self.keep_partition and self.sink.window is not None:
            self.producer.produce(self.sink.topic, self.windowed_partitions(out), keep_partition=True)
        elif out:
            self.producer.produce(self.sink.topic, out, keep_partition=self.keep_partition or False)
        self._uncommitted = True

    def checkpoint(self, force: bool = False) -> None:
        if not self._uncommitted:
            return
        if self.commit_due(force):
            self.flush_cache()  # the cached outputs join this transaction
            self.flush_state()
            self.stage_metadata()
            self.producer.commit(self.consumer)
            self.committed()

    def flush_state(self) -> None:
        """Changelog-backed stores: their pending writes join the transaction."""
        if self.on_flush is not None:
            self.on_flush()

    def on_restart(self) -> None:
        # The consumer goes back to the committed offsets: what the open transaction holds must not count.
        # The producer is replaced rather than aborted and reused: after a failed step (a broker away, a
        # timed-out send_offsets_to_transaction) its abort purges records still in flight, and the gap
        # this leaves in its sequence numbers fails the next transaction (OUT_OF_ORDER_SEQUENCE_NUMBER),
        # whose send_offsets_to_transaction librdkafka then never returns from. The new producer's
        # init_transactions fences the old one and has the coordinator abort its open transaction; if it
        # fails (the broker still away), the old producer is kept and the restart is tried again.
        old = self.producer
        self.producer = self._new_producer()
        try:
            old.discard()
        except Exception as e:  # the old producer is not used again whatever happens
            log.warning("query %s: discarding the replaced producer failed (%s)", self.query_id, e)
        super().on_restart()

    def stop(self) -> None:
        super().stop()
        try:
            self.producer.close()
        except Exception:
            log.exception("query %s: closing the producer failed", self.query_id)


def with_guarantee(q: PersistentQuery, props: Properties, instance: str = "") -> PersistentQuery:
    """`q` itself under at-least-once (or on the in-memory driver), else its transactional twin."""
    if guarantee_of(props, q.statement) == AT_LEAST_ONCE:
        return q
    durability = q.driver.durability
    if durability is None:
        return q  # in-memory topics: no transactions
    service = props.get("ksql.service.id", "default_")
    persistent_prefix = props.get("ksql.persistent.prefix", "query_")  # as QueryApplicationId.build reads it
    tid = f"{service}{persistent_prefix}{q.query_id}-{durability.instance_id or instance or 'x'}"
    twin = TransactionalQuery.__new__(TransactionalQuery)
    twin.__dict__.update(q.__dict__)  # every attribute of the query, same consumer and pipeline
    twin.keep_partition = q.keep_partition  # a class attribute of a repartition stage
    twin._attach(lambda: durability.transactional_producer(tid))
    return twin
