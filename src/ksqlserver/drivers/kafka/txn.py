"""A transactional producer for one persistent query (`processing.guarantee = exactly_once_v2`).

Output records, changelog records and the input offsets of a batch commit in one Kafka transaction
(`send_offsets_to_transaction` with the consumer's group metadata, KIP-447), so a consumer reading
read_committed sees each input's output exactly once, whatever crash happens in between.

Each blocking transaction call runs on a helper thread and is given up after its own timeout plus
`WEDGE_GRACE_S`: librdkafka (up to 2.16 at least) can leave `send_offsets_to_transaction` waiting forever
for a group coordinator whose broker went away and came back, whatever timeout it was given (librdkafka
issue 5511, fixed after 2.16). The query's thread would hang with it and its output stop for good; instead
the call fails as fatal, the query replaces the producer (whose `init_transactions` fences the wedged one
and aborts its transaction) and resumes from the committed offsets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from confluent_kafka import KafkaException, Producer

from ksqlserver.drivers.base import DriverError, Record
from ksqlserver.drivers.kafka.bounded import Unfinished, bounded
from ksqlserver.drivers.kafka.config import KafkaDriverConfig
from ksqlserver.drivers.kafka.consumer import KafkaConsumer
from ksqlserver.drivers.kafka.records import produce_all


class TransactionError(DriverError):
    """A transaction step the broker refused; `fatal` means the producer must be replaced."""

    def __init__(self, message: str, transactional_id: str, fatal: bool) -> None:
        super().__init__(message)
        self.transactional_id = transactional_id
        self.fatal = fatal


# how long past its own timeout a transaction call may take before it counts as hung
WEDGE_GRACE_S = 10.0


class TransactionalProducer:
    def __init__(self, config: KafkaDriverConfig, transactional_id: str, timeout_ms: int = 10_000) -> None:
        self.transactional_id = transactional_id
        self._timeout = config.admin_timeout_s
        settings: dict[str, Any] = {
            **config.producer(),
            "enable.idempotence": True,
            "transactional.id": transactional_id,
            # an aborted server's open transaction blocks read_committed readers at most this long
            "transaction.timeout.ms": timeout_ms,
            "delivery.report.only.error": True,
        }
        settings.pop("partitioner", None)
        settings["partitioner"] = "murmur2_random"
        # librdkafka refuses a message.timeout.ms above transaction.timeout.ms; left unset, it takes the
        # transaction timeout (the at-least-once producers' longer delivery wait does not apply here)
        settings.pop("message.timeout.ms", None)
        self._p = Producer(settings)
        self.in_transaction = False
        # a call that never returned: nothing of this producer is used again
        self.wedged = False
        # fences an older producer with this id (a killed server) and aborts its open transaction
        self._call("init_transactions", self._p.init_transactions, self._timeout * 4)

    def _call(self, what: str, fn: Any, *args: Any) -> None:
        """`fn(*args)`, whose last argument is its timeout in seconds, bounded by that timeout plus
        WEDGE_GRACE_S (see the module's doc); librdkafka's errors become TransactionError."""
        if self.wedged:
            raise TransactionError(f"{what}: the producer {self.transactional_id} is wedged",
                                   self.transactional_id, fatal=True)
        try:
            bounded(f"txn-{what}", fn, float(args[-1]) + WEDGE_GRACE_S, *args)
        except Unfinished as e:
            self.wedged = True
            raise TransactionError(f"{e} for {self.transactional_id}: the producer is replaced",
                                   self.transactional_id, fatal=True) from None
        except KafkaException as e:
            err = e.args[0]
            raise TransactionError(
                f"{what} failed for {self.transactional_id}: {err}", self.transactional_id, err.fatal()
            ) from None

    def produce(self, topic: str, records: Sequence[Record], keep_partition: bool = False) -> None:
        """Into the open transaction (begun on demand); `keep_partition`: each record's own partition (state
        changelogs), else the key's."""
        if not self.in_transaction:
            try:  # local, never blocks: no helper thread
                self._p.begin_transaction()
            except KafkaException as e:
                err = e.args[0]
                raise TransactionError(f"begin_transaction failed for {self.transactional_id}: {err}",
                                       self.transactional_id, err.fatal()) from None
            self.in_transaction = True
        produce_all(self._p, topic, records, keep_partition)

    def commit(self, consumer: KafkaConsumer) -> None:
        """Commit the open transaction with the consumer's positions; nothing to do without one."""
        if not self.in_transaction:
            return
        offsets = consumer.positions()
        if offsets:
            self._call(
                "send_offsets_to_transaction",
                self._p.send_offsets_to_transaction,
                offsets,
                consumer.group_metadata(),
                self._timeout,
            )
        self._call("commit_transaction", self._p.commit_transaction, self._timeout * 4)
        self.in_transaction = False

    def abort(self) -> None:
        if self.in_transaction:
            self.in_transaction = False
            self._call("abort_transaction", self._p.abort_transaction, self._timeout)

    def close(self) -> None:
        if not self.wedged:
            self._p.flush(self._timeout)

    def discard(self) -> None:
        """Purge what is queued or in flight, without waiting for a broker: a newer producer with this
        transactional id has fenced this one, and its open transaction is aborted by the coordinator."""
        self.in_transaction = False
        try:
            self._p.purge(in_queue=True, in_flight=True, blocking=False)
            self._p.poll(0)
        except KafkaException:
            pass  # a producer in a fatal state: nothing of it is used again
