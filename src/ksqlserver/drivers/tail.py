"""Reading one internal topic from its beginning, then following it (the command and heartbeat topics).

Unlike a query's `Consumer`, a tail has no consumer group and never commits: every server reads the whole
topic at start. `read()` returns what was appended since the previous call; `caught_up` on the first call
means the topic's end at that moment was reached, so a replay is complete.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from ksqlserver.drivers.base import Record, TopicDriver


class TopicTail(ABC):
    """Everything in one topic, in offset order, handed out once."""

    @abstractmethod
    def read(self, timeout: float = 0.0) -> list[Record]:
        """Records appended since the last call, up to the topic's current end (waits at most `timeout` s
        when nothing is new)."""

    def close(self) -> None:  # noqa: B027 - tails over in-memory logs hold nothing
        """Release the underlying client; idempotent."""


class MemoryTail(TopicTail):
    """Over `MemoryDriver.records` (the in-memory driver keeps every record)."""

    def __init__(self, driver: TopicDriver, topic: str) -> None:
        self._driver = driver
        self._topic = topic
        self._pos = 0

    def read(self, timeout: float = 0.0) -> list[Record]:
        records = self._driver.records(self._topic)  # type: ignore[attr-defined]
        new = records[self._pos :]
        self._pos = len(records)
        return new


def open_tail(driver: TopicDriver, topic: str) -> TopicTail:
    """A tail for `topic` (which must exist) over whichever driver the engine runs on."""
    if hasattr(driver, "records"):
        return MemoryTail(driver, topic)
    from ksqlserver.drivers.kafka_tail import KafkaTail  # confluent-kafka only when running on Kafka

    return KafkaTail(driver.config, topic)  # type: ignore[attr-defined]
