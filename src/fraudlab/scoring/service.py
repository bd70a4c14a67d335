"""The scoring service: consume a micro-batch, parse, score in one ONNX Runtime call, produce results.

Two delivery guarantees, after confluent-kafka-python's examples:
- at-least-once (`examples/consumer.py`): offsets are committed, synchronously, only after `flush()` has
  seen every output of the consumed records acknowledged, and nothing more is read until the commit went
  through (it waits out a restarting broker); a crash or a lost assignment re-scores the records read since
  the last commit, one commit interval at most (duplicates).
- exactly-once (`examples/eos_transactions.py`): outputs, alerts, dead letters and the consumed
  offsets go into one transaction (`send_offsets_to_transaction`); readers use read_committed.
Both commit every `commit_interval_s` rather than per batch, which keeps the commit cost off the
per-record budget. Several instances with one `group_id` share the partitions.

At-least-once can run on `kafkanative` (`ScoringConfig.kafka_io` "native" or "auto"; off by default): records are
consumed as tuples built in C and outputs produced a batch per call with the GIL released
(`fraudlab.kafka.native`); outputs, offsets and dead-letter records and headers are the same as on
confluent-kafka, which stays for exactly-once (transactions) and as the fallback.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

import numpy as np
import orjson
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

from fraudlab.kafka.native import (
    KafkaRecord,
    NativeConsumer,
    NativeProducer,
    NativeUnavailable,
    native_reason,
)
from fraudlab.kafka.producer import send, send_all
from fraudlab.model import Scorer, load
from fraudlab.scoring.config import ScoringConfig
from fraudlab.scoring.deadletter import source_headers
from fraudlab.scoring.errors import ScoringError
from fraudlab.scoring.formats import Parser, make_parser
from fraudlab.scoring.results import result_lines, score_features
from fraudlab.scoring.stats import ServiceReport, ServiceStats

log = logging.getLogger(__name__)

PRODUCER_SETTINGS = {
    "linger.ms": 5,
    "batch.size": 1_000_000,
    "batch.num.messages": 100_000,
    "queue.buffering.max.messages": 2_000_000,
    "queue.buffering.max.kbytes": 2_097_151,
    "compression.type": "lz4",
    "acks": "all",
    "enable.idempotence": True,
    # Only failures call back into Python: success reports would cost a call per record.
    "delivery.report.only.error": True,
}
# a commit whose calls pass their own 60 s timeouts by this much is taken as hung
TXN_CALL_DEADLINE_S = 75.0
TXN_RETRIES = 10
# at-least-once: librdkafka retries an output until message.timeout.ms (300 s by default) before it
# reports it failed, so the flush before a commit waits that long (and a little more) for a restarting broker
DELIVERY_WAIT_S = 330.0
# ... and an offset commit is retried this long while the group coordinator is away (a broker restart,
# the group's state loading), as the Java consumer's commitSync waits out default.api.timeout.ms
COMMIT_WAIT_S = 120.0
# the group coordinator is away: ask again
COORDINATOR_AWAY = frozenset({
    KafkaError._TRANSPORT, KafkaError._WAIT_COORD, KafkaError._ALL_BROKERS_DOWN, KafkaError._TIMED_OUT,
    KafkaError.REQUEST_TIMED_OUT, KafkaError.NETWORK_EXCEPTION, KafkaError.COORDINATOR_NOT_AVAILABLE,
    KafkaError.NOT_COORDINATOR, KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
})
CONSUMER_SETTINGS = {
    "enable.auto.commit": False,
    "enable.auto.offset.store": False,
    "enable.partition.eof": False,
    "isolation.level": "read_committed",
    "fetch.max.bytes": 52_428_800,
    "max.partition.fetch.bytes": 10_485_760,
    "queued.min.messages": 200_000,
    "fetch.wait.max.ms": 10,
}


class ScoringService:
    """One scoring instance. `run()` returns when `stop` is set, `max_records` were read, input stayed
    idle for `idle_timeout_s`, or on a fatal error (raised as ScoringError)."""

    native_io = False  # set per instance by __init__ (`_use_native`)

    def __init__(
        self,
        config: ScoringConfig,
        scorer: Scorer | None = None,
        on_report: Callable[[ServiceReport], None] | None = None,
    ) -> None:
        self.config = config
        self.scorer = scorer or load(config.model_dir, threads=config.onnx_threads)
        names = self.scorer.feature_names
        self.parser: Parser = make_parser(
            config.value_format, names, config.columns, config.kafka.schema_registry_url
        )
        self.on_report = on_report
        self.stats = ServiceStats()
        self._pending: dict[tuple[str, int], int] = {}
        self._in_txn = False
        self._failures: list[str] = []
        self._eos = config.guarantee == "exactly-once"
        self.native_io = self._use_native()
        self._consumer: Any = None  # Consumer, or NativeConsumer (the same calls)
        self._producer: Any = None  # Producer, or NativeProducer
        self._assigned: set[int] = set()
        self._assigned_at = 0.0

    # -- Kafka clients -------------------------------------------------------------------------
    def _use_native(self) -> bool:
        """Whether this instance reads and writes through kafkanative (see `ScoringConfig.kafka_io`)."""
        mode = self.config.kafka_io
        if mode == "confluent" or self._eos:
            return False
        why = native_reason()
        if why is not None:
            if mode == "native":
                raise ScoringError(f"native Kafka I/O is unavailable: {why}")
            log.info("native Kafka I/O unavailable (%s); scoring on confluent-kafka", why)
            return False
        return True

    def _on_delivery(self, err: Any, msg: Any) -> None:
        if err is not None and len(self._failures) < 10:
            self._failures.append(f"{msg.topic()}: {err.str()}")

    def _make_producer(self) -> Any:
        cfg = self.config
        if self.native_io:
            try:
                return NativeProducer(cfg.kafka.as_librdkafka(**PRODUCER_SETTINGS))
            except (NativeUnavailable, ValueError) as exc:
                raise ScoringError(f"cannot make the native producer: {exc}") from exc
        pconf: dict[str, Any] = {**PRODUCER_SETTINGS, "on_delivery": self._on_delivery}
        if self._eos:
            pconf["transactional.id"] = cfg.transactional_id
            pconf["transaction.timeout.ms"] = cfg.transaction_timeout_ms
        producer = Producer(cfg.kafka.as_librdkafka(**pconf))
        if self._eos:
            try:
                # fences an older producer with this id and aborts its open transaction
                producer.init_transactions(60)
            except KafkaException as exc:
                problem = f"cannot initialise transactions as {cfg.transactional_id}: {exc}"
                raise ScoringError(problem, exc.args[0]) from exc
        return producer

    def _make_clients(self) -> tuple[Any, Any]:
        return self._make_consumer(), self._make_producer()

    def _make_consumer(self) -> Any:
        cfg = self.config
        group = {"group.id": cfg.group_id, "auto.offset.reset": cfg.auto_offset_reset}
        if cfg.instance_id is not None:
            # Static membership: a restarted instance takes its partitions back at once instead of
            # waiting for the dead member's session to time out.
            group["group.instance.id"] = f"{cfg.group_id}-{cfg.instance_id}"
        if self.native_io:
            try:
                return NativeConsumer(cfg.kafka.as_librdkafka(**CONSUMER_SETTINGS, **group))
            except (NativeUnavailable, ValueError) as exc:
                raise ScoringError(f"cannot make the native consumer: {exc}") from exc
        return Consumer(cfg.kafka.as_librdkafka(**CONSUMER_SETTINGS, **group))

    def _subscribe(self, consumer: Consumer) -> None:
        consumer.subscribe(
            [self.config.input_topic], on_assign=self._on_assign, on_revoke=self._on_revoke, on_lost=self._on_lost
        )

    # -- checkpoints ---------------------------------------------------------------------------
    def _offsets(self) -> list[TopicPartition]:
        return [TopicPartition(t, p, o) for (t, p), o in self._pending.items()]

    def checkpoint(self, rewind_on_failure: bool = True) -> None:
        """Make everything consumed so far durable: outputs acknowledged, then offsets committed
        (at-least-once), or the transaction with its offsets committed (exactly-once).

        At-least-once commits synchronously and, while the group coordinator is away (a broker restart),
        retries right here: the loop reads nothing more until the commit went through, so what a crash or a
        lost assignment makes the service score again is never more than one commit interval of records (the
        batches read since the last commit), as in Kafka Streams, whose thread blocks in flush + commitSync.
        A commit the group refuses (the partitions went to another member, or the coordinator stayed away
        longer than COMMIT_WAIT_S) rewinds to the committed offsets (`rewind_on_failure`; a revoked
        partition is simply let go)."""
        consumer, producer = self._consumer, self._producer
        assert consumer is not None and producer is not None
        if self._eos:
            if not self._in_txn:
                return
            offsets = self._offsets() if self._pending else None
            group = consumer.consumer_group_metadata() if offsets else None

            def commit() -> None:
                if offsets:
                    producer.send_offsets_to_transaction(offsets, group, 60)
                producer.commit_transaction(60)

            for attempt in range(1, TXN_RETRIES + 1):
                try:
                    _with_deadline(commit, TXN_CALL_DEADLINE_S)
                    break
                except KafkaException as exc:
                    err = exc.args[0]
                    # a retriable error (a coordinator timing out while the broker restarts): call again
                    if err.retriable() and not err.txn_requires_abort() and attempt < TXN_RETRIES:
                        log.warning("transaction commit: %s; retrying (%d/%d)", err.str(), attempt, TXN_RETRIES)
                        time.sleep(1.0)
                        continue
                    self._transaction_failed(exc)
                    return
                except TimeoutError:
                    self._replace_producer()
                    return
            self._in_txn = False
            self._pending.clear()
            return
        if not self._pending:
            return
        self._await_outputs(producer)
        offsets = self._offsets()
        deadline = time.monotonic() + COMMIT_WAIT_S
        delay = 0.1
        while True:
            try:
                consumer.commit(offsets=offsets, asynchronous=False)
                break
            except KafkaException as exc:
                err = exc.args[0]
                away = err.code() in COORDINATOR_AWAY or (err.retriable() and not _membership_lost(err))
                if away and time.monotonic() + delay < deadline:
                    if delay >= 1.0:
                        log.warning("offset commit: %s; retrying until the group coordinator answers", err.str())
                    time.sleep(delay)
                    delay = min(delay * 2, 2.0)
                    continue
                self._pending.clear()
                if not rewind_on_failure:
                    log.warning("offset commit failed (%s); the next owner scores those records again", err.str())
                    return
                log.warning("offset commit failed (%s); scoring again from the committed offsets", err.str())
                self._resume_from_committed()
                return
        self._pending.clear()

    def _await_outputs(self, producer: Any) -> None:
        """Every output produced so far acknowledged, else ScoringError (offsets not committed: a restarted
        service scores those records again)."""
        deadline = time.monotonic() + DELIVERY_WAIT_S
        remaining = producer.flush(min(60.0, DELIVERY_WAIT_S))
        self._take_failures(producer)
        while remaining and not self._failures and time.monotonic() < deadline:
            log.warning("%d outputs not acknowledged yet; waiting for the broker", remaining)
            remaining = producer.flush(min(60.0, max(0.0, deadline - time.monotonic())))
            self._take_failures(producer)
        if remaining:
            raise ScoringError(f"{remaining} outputs were not acknowledged within {DELIVERY_WAIT_S:.0f} s; "
                               "offsets not committed")
        if self._failures:
            raise ScoringError(f"output delivery failed ({'; '.join(self._failures)}); offsets not committed")

    def _take_failures(self, producer: Any) -> None:
        """The native producer counts failed deliveries in C (confluent-kafka's call `_on_delivery`)."""
        if self.native_io:
            self._failures.extend(producer.take_failures()[: max(0, 10 - len(self._failures))])

    def _resume_from_committed(self) -> None:
        """Seek every assigned partition back to its committed offset; with the coordinator unreachable
        for that too, a new consumer (which starts from the committed offsets once it joins)."""
        try:
            self._rewind()
        except KafkaException as exc:
            log.warning("cannot read the committed offsets (%s); resuming with a new consumer", exc.args[0])
            self._replace_consumer()

    def _replace_producer(self) -> None:
        """A transactional call outlived its own timeout (librdkafka can wait forever for a group
        coordinator that went away with a broker restart). A new producer with the same transactional.id
        fences the stuck one and aborts its transaction; a new consumer resumes from the committed
        offsets, so the aborted outputs are produced again, once."""
        log.warning("a transaction commit hung for %.0f s; replacing the producer (the open transaction is "
                    "aborted and its records are scored again)", TXN_CALL_DEADLINE_S)
        self._in_txn = False
        self._pending.clear()
        self._producer = self._make_producer()  # the stuck one stays with its blocked thread until it ends
        # and a fresh consumer, as after a restart: it starts from the offsets the group coordinator
        # holds once the stuck transaction is aborted, with no fetched records or positions of the old one
        self._replace_consumer()

    def _replace_consumer(self) -> None:
        old = self._consumer
        self._consumer = None
        self._assigned = set()
        if old is not None:
            try:
                old.close()
            except KafkaException as exc:  # a fenced or lost consumer may fail to leave cleanly
                log.warning("closing the replaced consumer: %s", exc.args[0])
        self._consumer = self._make_consumer()
        self._subscribe(self._consumer)

    def _consumer_failed(self, err: Any) -> None:
        """A fatal consumer error (e.g. a static member fenced by its own rejoin after a broker restart):
        what was consumed but not committed is dropped (exactly-once: its transaction aborted) and a new
        consumer resumes from the committed offsets, as a restarted service would."""
        log.warning("consumer failed (%s); resuming with a new consumer from the committed offsets", err.str())
        if self._eos and self._in_txn and self._producer is not None:
            self._producer.abort_transaction(60)
            self._in_txn = False
        self._pending.clear()
        self._replace_consumer()

    def _rewind(self) -> None:
        consumer = self._consumer
        assert consumer is not None
        assignment = consumer.assignment()
        if not assignment:
            return
        committed = consumer.committed(assignment, timeout=30)
        if self.native_io:
            # the whole assignment again at the committed offsets (one with none committed starts at
            # auto.offset.reset, where a restarted consumer would)
            consumer.rewind(committed)
            return
        for tp in committed:
            if tp.offset >= 0:
                consumer.seek(tp)

    def _transaction_failed(self, exc: KafkaException) -> None:
        err = exc.args[0]
        producer, consumer = self._producer, self._consumer
        assert producer is not None and consumer is not None
        if err.fatal() or not err.txn_requires_abort():
            raise ScoringError(f"transaction failed: {err.str()}", err) from exc
        log.warning("aborting transaction (%s); rewinding to the committed offsets", err.str())
        producer.abort_transaction(60)
        self._in_txn = False
        self._pending.clear()
        self._rewind()

    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        self._assigned = {tp.partition for tp in partitions}
        self._assigned_at = time.monotonic()  # the idle clock starts when there is something to read

    def _on_revoke(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        if consumer is not self._consumer:  # a consumer being replaced: its transaction is gone already
            return
        self.checkpoint(rewind_on_failure=False)
        self._assigned = set()

    def _on_lost(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        # Another member owns them now: committing would be refused; drop what we hold.
        if self._eos and self._in_txn and self._producer is not None:
            self._producer.abort_transaction(60)
            self._in_txn = False
        self._pending.clear()
        self._assigned = set()

    # -- the loop ------------------------------------------------------------------------------
    def run(self, stop: threading.Event | None = None) -> ServiceReport:
        cfg = self.config
        stop = stop or threading.Event()
        self._consumer, self._producer = self._make_clients()
        self._subscribe(self._consumer)
        last_commit = last_report = last_input = time.monotonic()
        try:
            while not stop.is_set():
                # not locals: a hung transaction replaces both clients
                if self.native_io:
                    records, errors = self._consumer.consume_records(cfg.batch_size, cfg.poll_timeout_s)
                    now = time.monotonic()
                    if records or errors:
                        self._process_records(records, errors)
                    if records:
                        last_input = now
                else:
                    msgs = self._consumer.consume(cfg.batch_size, cfg.poll_timeout_s)
                    now = time.monotonic()
                    if msgs:
                        self._process(msgs)
                        last_input = now
                last_input = max(last_input, self._assigned_at)
                self._producer.poll(0)
                if self._pending and self._checkpoint_due(now - last_commit):
                    self.checkpoint()
                    last_commit = time.monotonic()
                if now - last_report >= cfg.report_interval_s:
                    self._report()
                    last_report = now
                if cfg.max_records is not None and self.stats.records_in >= cfg.max_records:
                    break
                if cfg.idle_timeout_s is not None and now - last_input >= cfg.idle_timeout_s:
                    break
            self.checkpoint(rewind_on_failure=False)  # drain: consumed -> scored, acknowledged, committed
            if not self._eos:
                self._producer.flush(60)
            return self._report()
        finally:
            if self._consumer is not None:
                try:
                    self._consumer.close()
                except KafkaException as exc:  # e.g. the group coordinator is away: the session lapses
                    log.warning("closing the consumer: %s", exc.args[0])
            self._consumer = None
            self._assigned = set()

    def _checkpoint_due(self, since: float) -> bool:
        """At-least-once: once the interval has passed, commit at a moment when no output is in
        flight (the flush is then free, which keeps low-rate latency flat), but after three
        intervals flush and wait regardless (a busy stream is never idle)."""
        interval = self.config.commit_interval_s
        if since < interval:
            return False
        if self._eos or since >= 3 * interval:
            return True
        assert self._producer is not None
        return len(self._producer) == 0

    def assigned_partitions(self) -> list[int]:
        """Partitions this instance holds now (empty before it joined its group). Kept from the
        rebalance callbacks: asking librdkafka from another thread can block on the rebalance."""
        return sorted(self._assigned)

    def _report(self) -> ServiceReport:
        report = self.stats.report(self._lag())
        if self.on_report is not None:
            self.on_report(report)
        topic = self.config.metrics_topic
        # exactly-once: a transactional producer writes only inside a transaction, so a report made
        # between transactions is not published (the next one is)
        if topic is not None and self._producer is not None and (not self._eos or self._in_txn):
            record = {"kind": "service", "reported_at": time.time_ns() // 1_000_000,
                      "model_version": self.scorer.model_version, **report.as_dict()}
            if self.native_io:
                self._producer.produce(topic, orjson.dumps(record), b"service")
            else:
                send(self._producer, topic, orjson.dumps(record), b"service")
        return report

    def _lag(self) -> int | None:
        consumer = self._consumer
        if consumer is None:
            return None
        try:
            assignment = consumer.assignment()
            if not assignment:
                return 0
            lag = 0
            for tp in consumer.position(assignment):
                _, high = consumer.get_watermark_offsets(tp, timeout=5, cached=False)
                if high >= 0 and tp.offset >= 0:
                    lag += max(0, high - tp.offset)
            return lag
        except KafkaException:
            return None

    def _process(self, msgs: list[Any]) -> None:
        """Parse, score and produce one batch of confluent-kafka Messages. Per-record Python work is kept
        to a few attribute reads per message; parsing, scoring and JSON formatting go batch by batch."""
        good = msgs
        if any([m.error() is not None for m in msgs]):
            good = []
            for m in msgs:
                err = m.error()
                if err is None:
                    good.append(m)
                elif err.fatal() or err.code() == KafkaError._FATAL:
                    self._consumer_failed(err)
                    return
                else:
                    log.warning("consumer error: %s", err.str())
        if not good:
            return
        self._score(
            good[0].topic(),  # one input topic
            [m.partition() for m in good], [m.offset() for m in good], [m.value() for m in good],
            [m.timestamp()[1] for m in good], lambda i: good[i].key(), lambda index: [good[i].key() for i in index],
        )

    def _process_records(self, records: list[KafkaRecord], errors: list[KafkaError]) -> None:
        """`_process` for the native consumer's record tuples and error events."""
        for err in errors:
            if err.fatal() or err.code() == KafkaError._FATAL:
                self._consumer_failed(err)
                return
            log.warning("consumer error: %s", err.str())
        if not records:
            return
        def keys_at(index: Sequence[int]) -> list[bytes | None]:
            if len(index) == len(records):  # the whole batch (index is range(n)): one C pass
                return list(map(_KEY, records))
            return [records[i].key for i in index]

        self._score(
            records[0].topic, list(map(_PARTITION, records)), list(map(_OFFSET, records)),
            list(map(_VALUE, records)), list(map(_TIMESTAMP, records)), lambda i: records[i].key, keys_at,
        )

    def _score(self, topic: str, parts: list[int], offsets: list[int], values: list[Any], stamps: list[int],
               key_at: Callable[[int], bytes | None],
               keys_at: Callable[[Sequence[int]], list[bytes | None]]) -> None:
        """Score one consumed batch (its records' partitions, offsets, values and timestamps; `key_at(i)` the
        i-th key, `keys_at(index)` the keys at those positions) and produce the scores, alerts and dead
        letters."""
        cfg = self.config
        producer = self._producer
        assert producer is not None
        if self._eos and not self._in_txn:
            producer.begin_transaction()
            self._in_txn = True
        n = len(parts)
        # Offsets rise within a partition, so the last one seen per partition is the highest.
        for p, o in dict(zip(parts, offsets, strict=True)).items():
            self._pending[(topic, p)] = o + 1
        parsed = self.parser.parse(values)
        scores, flags = score_features(self.scorer, parsed.features)
        scored_at = time.time_ns() // 1_000_000
        whole = len(parsed.index) == n
        index: Sequence[int] = range(n) if whole else parsed.index
        ids = self._ids(index, keys_at, parsed.ids, parts if whole else [parts[i] for i in index],
                        offsets if whole else [offsets[i] for i in index], topic)
        times = stamps if whole else [stamps[i] for i in index]
        lines = result_lines(ids, scores, flags, times, scored_at, self.scorer.threshold, self.scorer.model_version)
        # the native producer writes a str key as its UTF-8 bytes from C (no bytes object per record)
        keys: list[Any] = ids if self.native_io else list(map(str.encode, ids))
        alerts = np.flatnonzero(flags).tolist() if cfg.alerts_topic is not None and flags.any() else []
        if self.native_io:
            producer.produce_many(cfg.output_topic, lines, keys)
            if alerts:
                producer.produce_many(cfg.alerts_topic, [lines[i] for i in alerts], [keys[i] for i in alerts])
            for i, error in parsed.rejects:
                producer.produce(cfg.dlq_topic, values[i], key_at(i),
                                 source_headers(topic, parts[i], offsets[i], stamps[i], error))
        else:
            send_all(producer, cfg.output_topic, lines, keys)
            for i in alerts:
                send(producer, cfg.alerts_topic, lines[i], keys[i])
            for i, error in parsed.rejects:
                send(producer, cfg.dlq_topic, values[i], key_at(i),
                     headers=source_headers(topic, parts[i], offsets[i], stamps[i], error))
        latencies = scored_at - np.asarray(times, dtype=np.int64) if times else np.empty(0, dtype=np.int64)
        self.stats.add_batch(n, len(index), int(flags.sum()), len(parsed.rejects), latencies)

    @staticmethod
    def _ids(index: Sequence[int], keys_at: Callable[[Sequence[int]], list[bytes | None]], parsed: list[str | None],
             parts: list[int], offsets: list[int], topic: str) -> list[str]:
        """The id field when the layout has one, else the record key, else topic-partition-offset."""
        if parsed and parsed[0] is not None and None not in parsed:
            return parsed  # type: ignore[return-value]
        keys = keys_at(index)
        if not any(keys):
            prefix = topic.replace("%", "%%") + "-%d-%d"
            return list(map(prefix.__mod__, zip(parts, offsets, strict=True)))
        return [
            rid if rid is not None else (k.decode("utf-8", errors="replace") if k else f"{topic}-{p}-{o}")
            for rid, k, p, o in zip(parsed, keys, parts, offsets, strict=True)
        ]


_PARTITION, _OFFSET, _VALUE, _TIMESTAMP, _KEY = (itemgetter(i) for i in (3, 4, 1, 2, 0))


def _membership_lost(err: KafkaError) -> bool:
    """The group gave this member's partitions away (or fenced it): its offsets cannot be committed."""
    return err.code() in (KafkaError.ILLEGAL_GENERATION, KafkaError.UNKNOWN_MEMBER_ID,
                          KafkaError.REBALANCE_IN_PROGRESS, KafkaError.FENCED_INSTANCE_ID,
                          KafkaError._ASSIGNMENT_LOST)


def _with_deadline(call: Callable[[], None], seconds: float) -> None:
    """Runs `call` on a helper thread; its exception is raised here, TimeoutError if it is still running
    after `seconds` (the thread is left to finish or hang on its own)."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
            outcome.append(None)
        except BaseException as exc:  # handed to the caller
            outcome.append(exc)

    worker = threading.Thread(target=run, name="fraudlab-txn-commit", daemon=True)
    worker.start()
    worker.join(seconds)
    if not outcome:
        raise TimeoutError(f"transaction commit still running after {seconds:.0f} s")
    if outcome[0] is not None:
        raise outcome[0]

