"""The engine's I/O boundary: topics, a batch producer and batch consumers with committed offsets.

Two implementations: `memory.MemoryDriver` (tests, conformance) and `kafka.KafkaDriver` (real brokers).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

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


class TopicDriver(ABC):
    """Topic administration, production and consumption."""

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
    def consumer(self, topics: Sequence[str], group_id: str, from_beginning: bool = True) -> Consumer:
        """A consumer in group `group_id`; with no committed offset it starts at the beginning or end."""

    def close(self) -> None:  # noqa: B027 - optional hook, most drivers hold nothing
        """Release connections."""
