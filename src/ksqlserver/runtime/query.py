"""Running queries: a consumer, a compiled pipeline and an output (a sink topic or a row queue)."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from ksqlserver.drivers.base import Consumer, Record, Scan, TopicDriver
from ksqlserver.drivers.partitioner import partition_of
from ksqlserver.runtime.pipeline import FatalRecordError, Pipeline
from ksqlserver.runtime.query_errors import QueryErrors

log = logging.getLogger("ksqlserver.runtime")


class RetryBackoff:
    """QueryMetadataImpl.RetryEvent: each restart after a failure waits twice as long as the last (the first
    twice `initial_ms`), at most `max_ms` (ksql.query.retry.backoff.initial.ms 15000, .max.ms 900000)."""

    def __init__(self, initial_ms: int = 15_000, max_ms: int = 900_000) -> None:
        self.waiting_ms = initial_ms
        self.max_ms = max_ms
        self.retries = 0

    def next_ms(self) -> int:
        """RetryEvent.backOff's wait, which becomes the base of the next one."""
        self.waiting_ms = self.waiting_ms * 2 if self.waiting_ms * 2 < self.max_ms else self.max_ms
        self.retries += 1
        return self.waiting_ms


class Explained(Protocol):
    """A query's plan as EXPLAIN shows it (plan/logical.py)."""

    def describe(self) -> str: ...


class RunningQuery:
    """Consume a batch -> process -> deliver -> commit; on a thread, or stepped by the caller.

    `statement` is the SQL text that started it, `plan` what EXPLAIN shows (None: nothing to show)."""

    def __init__(
        self,
        query_id: str,
        pipeline: Pipeline,
        consumer: Consumer,
        batch_size: int = 2000,
        poll_timeout: float = 0.1,
        reconnect: Callable[[], Consumer] | None = None,
        statement: str = "",
        plan: Explained | None = None,
    ) -> None:
        self.query_id = query_id
        self.statement = statement
        self.plan = plan
        self.reconnect = reconnect
        self.pipeline = pipeline
        self.consumer = consumer
        self.batch_size = batch_size
        self.poll_timeout = poll_timeout
        self.consumer_topics = [pipeline.source.topic] + (
            [] if pipeline.join_topic is None else [pipeline.join_topic]
        )
        self.state = "RUNNING"
        self.error: str | None = None
        # the failures that stopped it, classified (QueryMetadataImpl.getQueryErrors); the statement that
        # builds the query replaces this with one configured from its properties
        self.errors = QueryErrors()
        # told of each failure after it is recorded (a persistent query logs a KafkaStreamsThreadError)
        self.on_failure: Callable[[Exception], None] | None = None
        # the wait before a restart after a record failure Kafka Streams does not handle: a deterministic
        # failure comes back with the same record, so ksqlDB backs off; a lost connection retries each second
        self.retry_backoff = RetryBackoff()
        self.processed = 0
        # the request's property overrides it started with (QueryMetadata.getOverriddenProperties)
        self.overridden: dict[str, Any] = {}
        self._stop = threading.Event()
        self._paused = threading.Event()  # PAUSE: nothing is read until RESUME
        self._held: list[Record] = []  # a batch polled as PAUSE came: processed after RESUME
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        # Kafka Streams' commit.interval.ms: a persistent query flushes its producer and commits at most this
        # often (and when its input is idle); a record cache flushes at these commits only
        self.commit_interval = 1.0
        self._last_commit = time.monotonic()
        # False (synchronous mode): the record cache flushes only when a commit is forced (the end of a
        # drain, a stop), never by the wall clock, so what a drain outputs does not depend on its speed
        self.timed_flush = True

    @property
    def status(self) -> str:
        """The status SHOW QUERIES, DESCRIBE ... EXTENDED and EXPLAIN show (QueryMetadataImpl.getQueryStatus):
        PAUSED, else KsqlConstants.fromStreamsState - ERROR only for a KafkaStreams in state ERROR, where the
        uncaught handler's REPLACE_THREAD never puts it: a query whose thread died stays RUNNING while the
        thread backs off and is replaced (KafkaStreams.replaceStreamThread); its queryErrors say why."""
        return "PAUSED" if self.state == "PAUSED" or self._paused.is_set() else "RUNNING"

    def use_cache(self, max_bytes: int, commit_interval_s: float, timed: bool = True) -> None:
        """`cache.max.bytes.buffering` and `commit.interval.ms` of this query: an aggregation's outputs wait
        in a record cache (runtime/record_cache.py; 0 bytes: none) until a commit flushes them."""
        self.commit_interval = commit_interval_s
        self.timed_flush = timed
        if self.pipeline.cache is not None:
            self.pipeline.cache.install(max_bytes)

    def cache_dirty(self) -> bool:
        """Whether the record cache holds outputs a commit must flush first."""
        return self.pipeline.cache is not None and self.pipeline.cache.dirty()

    def commit_due(self, force: bool) -> bool:
        """A commit now: forced, or the commit interval is over (KafkaStreams' TaskExecutor commits when
        commit.interval.ms has passed). In synchronous mode a cache with outputs waits for a forced one."""
        if force:
            return True
        if time.monotonic() - self._last_commit < self.commit_interval:
            return False
        return self.timed_flush or not self.cache_dirty()

    def flush_cache(self) -> None:
        """NamedCache.flush at a commit: the cached outputs go downstream before the offsets are committed."""
        cache = self.pipeline.cache
        if cache is not None:
            out = cache.flush()
            if out:
                self.deliver(out)

    def deliver(self, out: list[Any]) -> None:
        raise NotImplementedError

    def step(self, timeout: float = 0.0) -> int:
        """Process one batch; returns the number of input records consumed."""
        with self._lock:
            if self._stop.is_set() or self._paused.is_set():
                return 0
            records: list[Record] = self._held or self.consumer.poll_batch(self.batch_size, timeout)
            self._held = []
            if records and self._paused.is_set():
                # PAUSE came while the poll waited: as after KafkaStreams.pause(), nothing more is processed;
                # the batch (neither processed nor committed) waits for RESUME
                self._held = records
                return 0
            self.restore_metadata()
            if not records:
                # idle: commit now, unless cached outputs wait for the commit interval (Kafka Streams flushes
                # its cache only when it commits)
                self.checkpoint(force=not self.cache_dirty())
                return 0
            out = self.pipeline.process(records)
            self.deliver(out)
            self.processed += len(records)
            self.checkpoint()
            return len(records)

    def restore_metadata(self) -> None:
        """Hand what the committed offsets of newly assigned partitions carried to the pipeline, before it
        processes their records (a restart or a rebalance)."""
        restored = self.consumer.restored_metadata()
        restore = self.pipeline.restore_metadata
        if restored and restore is not None:
            tasks: dict[int, dict[str, int]] = {}
            for (_, partition), meta in restored.items():
                tasks.setdefault(partition, {}).update(meta.processors)
            restore(tasks)

    def stage_metadata(self) -> None:
        """The pipeline's processor metadata goes with the next commit."""
        metadata = self.pipeline.commit_metadata
        if metadata is not None:
            self.consumer.set_processor_metadata(metadata())

    def checkpoint(self, force: bool = False) -> None:
        """Commit what has been consumed; outputs are acknowledged first (at-least-once). A push query's
        cached outputs are shown at each commit interval."""
        if self.cache_dirty() and self.commit_due(force):
            self.flush_cache()
            self._last_commit = time.monotonic()
        self.stage_metadata()
        self.consumer.commit()

    def drain(self) -> int:
        """Process until nothing is left to read (synchronous mode, tests), reading at most (give or take a
        batch) what the input held when the drain began: a query over its own sink (INSERT INTO S SELECT ...
        FROM S, which ksqlDB accepts and runs as an endless loop) reads each record it wrote once, in the
        next drain, instead of never returning. A commit at the end flushes the record cache."""
        if self.state == "ERROR":  # a failed query waits for the restart only the threaded loop makes
            return 0
        budget = self.consumer.pending()
        total = 0
        try:
            while (n := self.step(0.0)) > 0:
                total += n
                if budget is not None and total >= budget:
                    break
        except FatalRecordError as e:  # what the loop does with any failure (see `_loop`)
            self._fail(e)
            return total
        if (budget is not None and total >= budget) or self.cache_dirty():
            with self._lock:
                self.checkpoint(force=True)  # what the idle step that ends a drain does
        return total

    def pause(self) -> None:
        """Stop reading (its position and state are kept); `resume` goes on from there."""
        self._paused.set()
        if self.state == "RUNNING":
            self.state = "PAUSED"

    def resume(self) -> None:
        self._paused.clear()
        if self.state == "PAUSED":
            self.state = "RUNNING"

    def _loop(self) -> None:
        failed = False
        delay = 1.0
        while not self._stop.is_set():
            if self._paused.is_set():
                self._stop.wait(self.poll_timeout)
                continue
            if failed:  # the last step or restart failed: no step runs until a restart succeeds
                self._stop.wait(delay)
                failed = not self._restart()
                delay = 1.0
                continue
            try:
                self.step(self.poll_timeout)
            except Exception as e:
                self._fail(e)
                failed = True
                delay = self.retry_backoff.next_ms() / 1000 if isinstance(e, FatalRecordError) else 1.0

    def _fail(self, e: Exception) -> None:
        """The query stops on `e` (ksqlDB's uncaught exception handler: state ERROR, the error kept)."""
        self.state = "ERROR"
        self.error = str(e)
        error = self.errors.record(e)  # QueryMetadataImpl.uncaughtHandler
        log.exception("query %s failed (%s)", self.query_id, error.type)
        if self.on_failure is not None:
            try:
                self.on_failure(e)
            except Exception:  # telling of a failure must not hide it
                log.exception("query %s: could not report its failure", self.query_id)

    def _restart(self) -> bool:
        """After a failure, resume from the last committed offsets: records whose output may not have been
        acknowledged are read again (at-least-once) instead of being skipped. False when the restart
        failed (a broker still away): the loop tries again, as stepping on would poll a closed consumer
        and stall without a word."""
        if self.reconnect is None or self._stop.is_set():
            return True
        with self._lock:
            try:
                self.consumer.close()
                self.consumer = self.reconnect()
                self.on_restart()
                self.state = "RUNNING"
                return True
            except Exception:
                log.exception("query %s could not reconnect", self.query_id)
                return False

    def on_restart(self) -> None:
        """Forget per-connection progress (subclasses with uncommitted output override this)."""

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=f"ksql-{self.query_id}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.consumer.interrupt()  # a commit waiting for a broker that is away gives up
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        with self._lock:
            try:
                self.checkpoint(force=True)  # what was processed is acknowledged and committed
            except Exception:
                log.exception("query %s: final commit failed", self.query_id)
            self.consumer.close()
        self.state = "TERMINATED" if self.state != "ERROR" else self.state


class PersistentQuery(RunningQuery):
    """CSAS / CTAS / INSERT INTO: writes to the sink topic.

    `upstream`: the stage(s) this query reads from (plan/repartition.py: a GROUP BY's, or one per re-keyed
    join side), started, drained and stopped with it. `keep_partition`: write each output record into its
    own partition (a repartition stage)."""

    keep_partition = False
    # its Kafka Streams application id (QueryApplicationId.build with the statement's config), set by the
    # statement that builds it; "" for the server's default
    application_id = ""

    def __init__(
        self,
        query_id: str,
        pipeline: Pipeline,
        consumer: Consumer,
        driver: TopicDriver,
        statement: str,
        kind: str,
        commit_interval: float = 1.0,
        upstream: PersistentQuery | list[PersistentQuery] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(query_id, pipeline, consumer, statement=statement, **kw)
        self.driver = driver
        self.upstreams = upstream if isinstance(upstream, list) else [] if upstream is None else [upstream]
        self.upstream = self.upstreams[0] if self.upstreams else None
        self.kind = kind  # CSAS, CTAS, INSERT
        assert pipeline.sink is not None
        self.sink = pipeline.sink
        self.commit_interval = commit_interval
        self._uncommitted = False
        # what an at-least-once restart can replay: the records processed since the last successful
        # commit (`since_commit`); `largest_commit` is the most one commit has covered (one commit interval
        # at the rate the query actually ran), `rewinds` how many records each rewind sent back
        self.since_commit = 0
        self.largest_commit = 0
        self.commits = 0
        self.rewinds: list[int] = []
        consumer.on_rewind(self._rewound)
        # with durable state (runtime/state/durable.py): the input partitions the group assigned to this
        # server, and the query's changelog-backed stores
        self.owned_partitions: set[int] = set()
        self.durable_stores: list[Any] = []

    def deliver(self, out: list[Any]) -> None:
        if out and self.keep_partition:
            self.driver.produce(self.sink.topic, out, wait=False, keep_partition=True)
        elif out and self.sink.window is not None:
            self.driver.produce(self.sink.topic, self.windowed_partitions(out), wait=False, keep_partition=True)
        elif out:  # sent now, acknowledged by the flush before the next commit
            self.driver.produce(self.sink.topic, out, wait=False)
        self._uncommitted = True

    _sink_partitions: int | None = None

    def windowed_partitions(self, out: list[Record]) -> list[Record]:
        """Each record of a windowed sink in the partition of its key without the window, as Kafka Streams'
        StreamSinkNode does for a WindowedSerializer key (WindowedStreamPartitioner: murmur2 of the base
        key); the producer's partitioner would hash the window bytes too and spread one key's windows."""
        parts = self._sink_partitions
        if parts is None:
            info = self.driver.topics().get(self.sink.topic)
            parts = self._sink_partitions = info.partitions if info is not None else 1
        if parts == 1:  # (a record already in partition 0 is kept: _replace costs a microsecond each)
            return [r if r[3] == 0 else r._replace(partition=0) for r in out]
        cut = 16 if self.sink.window is not None and self.sink.window.kind == "SESSION" else 8
        return [r if r.key is None else r._replace(partition=partition_of(r.key[:-cut], parts)) for r in out]

    def start(self) -> None:
        for stage in self.upstreams:
            stage.start()
        super().start()

    def drain(self) -> int:
        for stage in self.upstreams:
            stage.drain()
        return super().drain()

    def stop(self) -> None:
        for stage in self.upstreams:
            stage.stop()
        super().stop()

    def step(self, timeout: float = 0.0) -> int:
        n = super().step(timeout)
        self.since_commit += n
        return n

    def pause(self) -> None:
        for stage in self.upstreams:
            stage.pause()
        super().pause()

    def resume(self) -> None:
        for stage in self.upstreams:
            stage.resume()
        super().resume()

    def on_restart(self) -> None:
        """The consumer was replaced after a failure: it starts again from the committed offsets."""
        self._rewound("restarted")
        self.consumer.on_rewind(self._rewound)
        self._uncommitted = False

    def _rewound(self, reason: str) -> None:
        """Everything processed since the last commit will be read again (a rebalance took the partitions,
        or the consumer restarted): under at-least-once their outputs come out twice."""
        if self.since_commit:
            log.warning(
                "query %s: consumer %s, reading again from the committed offsets: %d records processed "
                "since the last commit (largest commit so far: %d records)",
                self.query_id, reason, self.since_commit, self.largest_commit,
            )
        self.rewinds.append(self.since_commit)
        self.since_commit = 0
        if self.pipeline.cache is not None:  # cached outputs come again from the records read again
            self.pipeline.cache.reset()

    def committed(self) -> None:
        """Bookkeeping after a successful commit."""
        self.largest_commit = max(self.largest_commit, self.since_commit)
        self.commits += 1
        self.since_commit = 0
        self._uncommitted = False
        self._last_commit = time.monotonic()

    def commit_stats(self) -> dict[str, Any]:
        """What a restart of this query can replay (`since_commit`) beside what one commit interval has
        carried at most (`largest_commit`), and the records each rewind sent back."""
        return {"processed": self.processed, "commits": self.commits, "since_commit": self.since_commit,
                "largest_commit": self.largest_commit, "rewinds": list(self.rewinds)}

    def checkpoint(self, force: bool = False) -> None:
        # like Kafka Streams' commit.interval.ms: flush + commit at most every `commit_interval` seconds
        # and whenever the input is idle, so the producer keeps batching between commits
        if not self._uncommitted:
            return
        if self.commit_due(force):
            self.flush_cache()
            self.driver.flush()
            self.stage_metadata()
            self.consumer.commit()
            self.committed()


class TransientQuery(RunningQuery):
    """A push query: rows into a bounded queue until LIMIT or close. The queue's items are batches (lists
    of rows, at most BATCH_ROWS each), so a fast query costs one queue handoff per batch, not per row;
    `capacity` bounds the rows queued, in whole batches."""

    is_pull = False
    batched = True  # `rows` holds lists of rows (a table pull's PullResult holds single rows)
    # QueryApplicationId.build(config, false, id): its consumer group, set by the statement that starts it
    application_id = ""
    schema: str | None = None  # the response header's schema: built from `columns`
    BATCH_ROWS = 500

    def __init__(
        self,
        query_id: str,
        pipeline: Pipeline,
        consumer: Consumer,
        capacity: int = 10_000,
        on_done: Callable[[str], None] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(query_id, pipeline, consumer, **kw)
        self.rows: queue.Queue[list[list[Any]]] = queue.Queue(maxsize=max(1, capacity // self.BATCH_ROWS))
        self.limit = pipeline.limit
        self.emitted = 0
        self.finished = threading.Event()
        self.on_done = on_done
        self.terminated = False  # stopped (TERMINATE, /close-query) before it finished by itself
        self.exclude_tombstones = False
        if self.limit is not None and self.limit <= 0 and not isinstance(self, StreamPullQuery):
            # TransientQueryQueue.setLimitHandler: a LIMIT already passed (0, or negative: the grammar
            # takes `LIMIT -1`) ends the query as it starts, before any row
            self.finished.set()
            self._stop.set()

    def stop(self) -> None:
        """A stopped push query is finished: its response ends once the rows already queued are out."""
        if not self.finished.is_set():
            self.terminated = True
        super().stop()
        self.finished.set()

    @property
    def columns(self) -> list[tuple[str, Any]]:
        """[(name, type)] of the rows, in order."""
        return self.pipeline.columns

    def deliver(self, out: list[Any]) -> None:
        if self.exclude_tombstones:  # QueryExecutor's excludeTombstones: they neither show nor count
            out = [row for row in out if not getattr(row, "tombstone", False)]
        if self.limit is not None:
            out = out[: max(0, self.limit - self.emitted)]
        for start in range(0, len(out), self.BATCH_ROWS):
            batch = out[start : start + self.BATCH_ROWS]
            while not self._stop.is_set():
                try:
                    self.rows.put(batch, timeout=0.1)
                    break
                except queue.Full:
                    continue
            self.emitted += len(batch)
        if self.limit is not None and self.emitted >= self.limit:
            self.finished.set()
            self._stop.set()


class RepartitionQuery(PersistentQuery):
    """Stage 1 of a repartitioned aggregation (plan/repartition.py); runs beside (and is stopped with) the
    aggregation."""

    keep_partition = True


class StreamPullQuery(TransientQuery):
    """A pull query on a stream: a push query's pipeline over a bounded scan of the stream's topic (from
    its beginning to the end offsets it had at the start). It completes by itself: "Query Completed" once
    the scan is exhausted, "Limit Reached" at its LIMIT. Rows leave through the bounded queue as they are
    produced, so a scan of any length holds at most a queue's worth of rows."""

    final_message: str | None = None
    stream_pull = True  # QueryExecutor.handleStreamPullQuery applies the pull queries' rate limit

    def __init__(self, query_id: str, pipeline: Pipeline, scan: Scan, **kw: Any) -> None:
        super().__init__(query_id, pipeline, scan, **kw)
        self.scan = scan
        if pipeline.limit == 0 or scan.exhausted:
            self._complete("Limit Reached" if pipeline.limit == 0 else "Query Completed")

    def _complete(self, message: str) -> None:
        if not self.finished.is_set():
            self.final_message = message
            self.finished.set()
        self._stop.set()

    def deliver(self, out: list[Any]) -> None:
        super().deliver(out)
        if self.finished.is_set() and self.final_message is None:
            self.final_message = "Limit Reached"

    def step(self, timeout: float = 0.0) -> int:
        n = super().step(timeout)
        if n == 0 and self.scan.exhausted and not self._stop.is_set():
            self._complete("Query Completed")
        return n
