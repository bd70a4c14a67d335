"""Durable state for persistent queries on Kafka: changelog topics, restore before start, partition ownership.

`durable_stores(...)` is the engine's `StateStores` provider: in-memory stores on the in-memory driver (the
conformance suite runs there; nothing changes), changelog-backed stores on Kafka. `attach_query(q, topics)`
is called once a persistent query is built and before it starts:
- each store gets its changelog topic `_confluent-ksql-<service id><ksql.persistent.prefix><ID>-<store>-changelog`
  (compacted, as many partitions as the input) and is restored: snapshot + changelog tail, or the
  changelog alone. Every server restores every partition (simpler than standby bookkeeping; a partition
  this server is assigned later is first caught up with what its previous owner wrote);
- `pipeline.process` runs per input-partition run, so each change lands in its input's changelog partition;
- at-least-once: the changes are produced and flushed before the input offsets are committed;
  exactly_once_v2: they are written inside the query's transaction (`TransactionalQuery.on_flush`);
- after a failure the query resumes from committed offsets, so its stores are restored again first;
- the query's owned partitions (`q.owned_partitions`) follow the consumer group's assignment.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any

from ksqlserver.drivers.base import ChangelogIO, ChangelogWriter, Record, TopicDriver
from ksqlserver.runtime import gc_policy
from ksqlserver.runtime.guarantee import TransactionalQuery
from ksqlserver.runtime.state.base import StateStores
from ksqlserver.runtime.state.changelog import DurableKeyValueStore, SeqClock, SnapshotConfig

log = logging.getLogger("ksqlserver.runtime.state")
_partition_of = itemgetter(3)  # Record.partition


def changelog_topic(service_id: str, query_id: str, store: str, persistent_prefix: str = "query_") -> str:
    """A store's changelog: the query's application id (QueryApplicationId.build) + `-<store>-changelog`."""
    return f"_confluent-ksql-{service_id}{persistent_prefix}{query_id}-{store}-changelog"


class DurableStateStores(StateStores):
    def __init__(
        self,
        io: ChangelogIO,
        service_id: str,
        snapshot: SnapshotConfig,
        writer: Callable[[], ChangelogWriter],
        persistent_prefix: str = "query_",
    ) -> None:
        super().__init__(DurableKeyValueStore)
        self.io = io
        self.service_id = service_id
        self.persistent_prefix = persistent_prefix
        self.snapshot = snapshot
        self.clock = SeqClock()
        self._writer = writer  # the changelog producer (at-least-once), created when the first at-least-once query with stores attaches
        self._producer: Any = None

    def _produce(self, records: Sequence[Record], topic: str) -> None:
        if self._producer is None:
            self._producer = self._writer()
        self._producer.produce(topic, records)

    def _flush(self) -> None:
        if self._producer is not None:
            self._producer.flush()

    def attach_query(self, q: Any, topics: Sequence[str]) -> None:
        stores = [s for s in self.of_query(q.query_id) if isinstance(s, DurableKeyValueStore)]
        if not stores:
            return
        if self._producer is None and not isinstance(q, TransactionalQuery):
            # created now, not at the first commit: its connection and producer id are set up while the
            # stores restore and the consumer joins its group (created lazily, the first flush waited for
            # them: about 0.5 s of a benchmark's join on a busy broker)
            self._producer = self._writer()
        partitions = max(1, self.io.partitions(topics[0]))
        started = time.monotonic()
        for s in stores:
            topic = (
                f"{q.application_id}-{s.name}-changelog"
                if getattr(q, "application_id", "")
                else changelog_topic(self.service_id, q.query_id, s.name, self.persistent_prefix)
            )
            self.io.ensure_topic(topic, partitions)
            s.attach(self.io, topic, self.snapshot, self.clock)
            n = s.restore()
            log.info("store %s restored: %d entries (%d changelog records)", s.full_name, len(s), n)
        log.info("query %s: %d stores restored in %.2fs", q.query_id, len(stores), time.monotonic() - started)
        _QueryDurability(self, q, stores, topics[0]).install()


    def cleanup(self, query_id: str) -> None:
        super().cleanup(query_id)
        d = self.snapshot.directory
        if d is not None:
            shutil.rmtree(d / query_id, ignore_errors=True)


class _QueryDurability:
    """The hooks one persistent query gets: partition runs, changelog before commit, restore on restart."""

    def __init__(self, owner: DurableStateStores, q: Any, stores: list[DurableKeyValueStore], topic: str):
        self.owner = owner
        self.q = q
        self.stores = stores
        self.topic = topic
        self.ctx = stores[0].ctx
        for s in stores:
            s.ctx = self.ctx  # one context per query: every store sees the partition being processed
        q.owned_partitions = set()
        q.durable_stores = stores

    def install(self) -> None:
        q = self.q
        self._process = q.pipeline.process
        q.pipeline.process = self.process
        self._checkpoint = q.checkpoint
        q.checkpoint = self.checkpoint
        self._on_restart = q.on_restart
        q.on_restart = self.on_restart
        self._stop = q.stop
        q.stop = self.stop
        if isinstance(q, TransactionalQuery):  # changelog records join the transaction
            q.on_flush = self.emit_transactional

    def _assignment(self) -> set[int] | None:
        assigned = self.q.consumer.assignment()
        if assigned is None:  # a driver that does not track assignments: every partition is read here
            return None
        return {p for t, p in assigned if t == self.topic}

    def _follow_assignment(self) -> None:
        now = self._assignment()
        if now is None:
            return
        if now == self.q.owned_partitions:
            return
        log.info("query %s owns input partitions %s (before: %s)", self.q.query_id, sorted(now),
                 sorted(self.q.owned_partitions))
        gained = now - self.q.owned_partitions
        for p in sorted(gained):  # what the previous owner wrote since our restore
            for s in self.stores:
                n = s.catch_up(p)
                if n:
                    log.info("store %s: partition %d caught up (%d records)", s.full_name, p, n)
        self.q.owned_partitions = now

    def process(self, records: Sequence[Record]) -> list[Any]:
        self._follow_assignment()
        if not records:
            return self._process(records)
        ctx = self.ctx
        # the partitions read by index, in C (Record.partition through the NamedTuple descriptor, in a
        # Python loop, cost about 0.17 us a record: a tenth of a CSAS's whole record)
        parts = list(map(_partition_of, records))
        first = parts[0]
        if parts.count(first) == len(parts):  # one partition's run: the usual batch
            ctx.partition = first
            return list(self._process(records))
        out: list[Any] = []
        start = 0
        for i in range(1, len(records) + 1):
            if i == len(records) or parts[i] != parts[start]:
                ctx.partition = parts[start]
                out.extend(self._process(records[start:i]))
                start = i
        return out

    def _emit(self, produce: Callable[[str, list[Record]], None]) -> None:
        # one record per changed key, all alive until produced: no collection traverses them (gc_policy)
        with gc_policy.paused():
            for s in self.stores:
                recs = s.emit()
                if recs:
                    produce(s.topic, recs)
                del recs

    def emit_transactional(self) -> None:
        self._emit(self.q.write)

    def checkpoint(self, force: bool = False) -> None:
        q = self.q
        self._follow_assignment()  # also while idle: a partition gained without new records
        transactional = isinstance(q, TransactionalQuery)
        due = q._uncommitted and q.commit_due(force)
        if due and not transactional:  # at-least-once: the changelog is acknowledged before the commit
            self._emit(lambda topic, recs: self.owner._produce(recs, topic))
            self.owner._flush()
        self._checkpoint(force)
        if not q._uncommitted:
            self._snapshot(force=False)

    def _snapshot(self, force: bool) -> None:
        for s in self.stores:
            try:
                s.maybe_snapshot(self.q.owned_partitions, force=force)
            except Exception as e:  # a snapshot is an optimisation: the changelog stays the truth
                log.warning("store %s: snapshot failed (%s)", s.full_name, e)

    def stop(self) -> None:
        self._stop()  # the final checkpoint commits everything emitted
        if self.q.state != "ERROR":
            self._snapshot(force=True)

    def on_restart(self) -> None:
        self._on_restart()
        # the consumer goes back to the committed offsets: the stores go back to the changelog's state
        for s in self.stores:
            s.restore()
        self.q.owned_partitions = set()


def durable_stores(
    driver: TopicDriver, service_id: str, state_dir: Path | None, persistent_prefix: str = "query_"
) -> StateStores:
    """Changelog-backed stores on Kafka; plain in-memory stores otherwise."""
    durability = driver.durability
    if durability is None:
        return StateStores()
    snapshot = SnapshotConfig(directory=None if state_dir is None else state_dir / "stores")
    return DurableStateStores(
        durability.changelog_io(), service_id, snapshot, durability.changelog_producer, persistent_prefix
    )
