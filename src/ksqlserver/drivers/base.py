"""The engine's I/O boundary: topics, a batch producer and batch consumers with committed offsets.

Two implementations: `memory.MemoryDriver` (tests, conformance) and `kafka.KafkaDriver` (real brokers).
A driver declares what it offers beyond topics in `durability` (None: nothing, as the in-memory driver):
the server's identity, transactions, changelog topics for durable state, followers of internal topics.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from ksqlserver.errors import KsqlError


class DriverError(KsqlError):
    """A topic or broker operation that failed; carries the topic name."""

    def __init__(self, message: str, topic: str = "") -> None:
        super().__init__(message)
        self.topic = topic


class Record(NamedTuple):
    """One Kafka record as the runtime sees it (a tuple: cheap to build per consumed message)."""

    key: bytes | None
    value: bytes | None
    timestamp: int = 0
    partition: int = 0
    offset: int = 0
    headers: tuple[tuple[str, bytes | None], ...] = ()
    topic: str = ""


@dataclass(frozen=True)
class TopicInfo:
    name: str
    partitions: int = 1
    replicas: int = 1
    config: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CommitMetadata:
    """What a commit keeps beside an input partition's offset (Kafka Streams' `TopicPartitionMetadata`):
    the partition time (the largest timestamp read from the partition, -1 when unknown) and the processor
    metadata of the partition's task (EMIT FINAL's last window close time, by store name)."""

    partition_time: int = -1
    processors: Mapping[str, int] = field(default_factory=dict)


ProcessorMetadata = dict[int, dict[str, int]]  # task (input partition number) -> key -> value


class Consumer(ABC):
    """Reads batches from one or more topics for one consumer group."""

    @abstractmethod
    def poll_batch(self, max_records: int, timeout: float) -> list[Record]:
        """Up to `max_records` records, waiting at most `timeout` seconds for the first."""

    @abstractmethod
    def commit(self) -> None:
        """Commit the offsets of every record returned so far (call after their output is acknowledged)."""

    @abstractmethod
    def close(self) -> None:
        """Leave the group; idempotent."""

    def pending(self) -> int | None:
        """How many records are there to read now, beyond what was returned; None when the driver does not
        say (a synchronous drain then reads until nothing is left)."""
        return None

    def assignment(self) -> list[tuple[str, int]] | None:
        """The (topic, partition)s the group gave this member now; None when the driver does not say (one
        member reads everything)."""
        return None

    def restored_metadata(self) -> dict[tuple[str, int], CommitMetadata]:
        """What the committed offsets of the partitions assigned since the last call carried, each handed
        out once (read it after `poll_batch`, before processing what it returned)."""
        return {}

    def set_processor_metadata(self, metadata: ProcessorMetadata) -> None:  # noqa: B027 - nothing to keep
        """Processor metadata to commit with the next commit, beside every input partition of each task
        (as Kafka Streams commits its task's processor metadata)."""

    def interrupt(self) -> None:  # noqa: B027 - in-memory commits never wait
        """Stop waiting in `commit` (the query is being stopped); called from another thread."""

    def set_event_times(self, extractors: dict[str, Callable[[Record], int]]) -> None:  # noqa: B027
        """Topic -> the event time a query's timestamp extractor gives each of its records (a source with
        a TIMESTAMP column). A driver that chooses among topics by time (Kafka Streams' PartitionGroup
        picks the partition whose head record has the smallest extracted timestamp) uses it: the in-memory
        broker mode and the Kafka driver's join merge (`TimestampMerge`)."""

    def on_rewind(self, callback: Callable[[str], None]) -> None:  # noqa: B027 - one member, no rebalance
        """Call `callback(reason)` whenever the group takes partitions away from this member (a
        rebalance): the records returned since the last commit will be read again, by this member or
        another one, from the committed offsets."""


class Scan(Consumer):
    """A group-less read of topics from their beginning up to the end offsets they had when the scan was
    created (a pull query on a stream); `exhausted` once everything up to there was returned."""

    exhausted: bool = False

    def commit(self) -> None:  # a scan belongs to no group: nothing to commit
        return None


class TopicTail(ABC):
    """Everything in one topic, in offset order, handed out once (the command and heartbeat topics).

    Unlike a query's `Consumer`, a tail has no consumer group and never commits: every server reads the
    whole topic at start. `read()` returns what was appended since the previous call."""

    @abstractmethod
    def read(self, timeout: float = 0.0) -> list[Record]:
        """Records appended since the last call, up to the topic's current end (waits at most `timeout` s
        when nothing is new)."""

    def close(self) -> None:  # noqa: B027 - tails over in-memory logs hold nothing
        """Release the underlying client; idempotent."""


class ChangelogIO(Protocol):
    """The topic side of durable state stores (runtime/state/changelog.py): create and read changelogs
    (drivers/kafka/changelog.py; a dict-backed twin in tests)."""

    def ensure_topic(self, topic: str, partitions: int) -> None: ...

    def partitions(self, topic: str) -> int: ...

    def read(self, topic: str, partition: int, start: int) -> tuple[list[Record], int]:
        """Every record from `start` to the partition's end (committed records only), and the next offset."""
        ...

    def end_offset(self, topic: str, partition: int) -> int: ...


class ChangelogWriter(Protocol):
    """At-least-once writes into the partition each record names: `produce` now, `flush` before a commit."""

    def produce(self, topic: str, records: Sequence[Record]) -> None: ...

    def flush(self) -> None: ...


class TransactionalWriter(Protocol):
    """A producer whose writes commit atomically with a consumer's positions (exactly_once_v2)."""

    def produce(self, topic: str, records: Sequence[Record], keep_partition: bool = False) -> None: ...

    def commit(self, consumer: Any) -> None: ...

    def abort(self) -> None: ...

    def close(self) -> None: ...

    def discard(self) -> None:
        """Drop a producer a newer one with the same transactional id has replaced, without waiting for
        its records (they belong to a transaction the coordinator aborts)."""


@dataclass(frozen=True)
class Durability:
    """What a driver over durable topics offers beyond reading and writing them.

    `instance_id`: this server's identity across restarts (cluster/instance.py), "" when it has
    none (no scale-out membership then). The factories make the clients of exactly-once queries
    (`transactional_producer(transactional_id)`), of durable state stores (`changelog_io`,
    `changelog_producer`) and of the heartbeat topic (`follower(topic)`: whatever arrived since the last
    read, without waiting for the topic's end)."""

    instance_id: str
    transactional_producer: Callable[[str], TransactionalWriter]
    changelog_io: Callable[[], ChangelogIO]
    changelog_producer: Callable[[], ChangelogWriter]
    follower: Callable[[str], TopicTail]


class TopicDriver(ABC):
    """Topic administration, production and consumption."""

    durability: Durability | None = None

    @abstractmethod
    def create_topic(
        self, name: str, partitions: int = 1, replicas: int = 1, config: dict[str, str] | None = None
    ) -> None:
        """Create `name` unless it exists."""

    @abstractmethod
    def delete_topic(self, name: str) -> None: ...

    @abstractmethod
    def topics(self) -> dict[str, TopicInfo]: ...

    def topic(self, name: str) -> TopicInfo | None:
        return self.topics().get(name)

    def topic_config(self, name: str) -> dict[str, str]:
        """The configs of an existing topic as the broker describes them (KafkaTopicClient.getTopicConfig,
        defaults included where the broker has them); {} for a topic that does not exist."""
        info = self.topic(name)
        return dict(info.config) if info is not None else {}

    @abstractmethod
    def produce(
        self, topic: str, records: Sequence[Record], wait: bool = True, keep_partition: bool = False
    ) -> None:
        """Write the records in order; with `wait`, return once the broker acknowledged all of them,
        otherwise `flush()` later (before committing the input they came from). `keep_partition`: into
        each record's own partition, else where its key hashes."""

    def flush(self) -> None:  # noqa: B027 - drivers that write synchronously have nothing to wait for
        """Wait until everything produced so far is acknowledged; raise if any record failed."""

    @abstractmethod
    def consumer(
        self, topics: Sequence[str], group_id: str, from_beginning: bool = True, earliest: Collection[str] = ()
    ) -> Consumer:
        """A consumer in group `group_id`; with no committed offset it starts at the beginning or end of each
        topic, the beginning for the topics in `earliest` whatever `from_beginning` says."""

    @abstractmethod
    def scan(self, topics: Sequence[str]) -> Scan:
        """A bounded reader of `topics` (which must exist) from their beginning to their current ends."""

    @abstractmethod
    def tail(self, topic: str) -> TopicTail:
        """A reader of `topic` (which must exist) from its beginning; its first `read` reaches the end
        the topic had at that moment (a replay is then complete)."""

    def close(self) -> None:  # noqa: B027 - optional hook, most drivers hold nothing
        """Release connections."""
