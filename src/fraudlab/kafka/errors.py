"""Kafka errors; they keep the broker's error object (`.kafka_error`) where there is one."""

from __future__ import annotations

from typing import Any

from fraudlab.errors import FraudlabError


class KafkaError(FraudlabError):
    def __init__(self, message: str, kafka_error: Any = None) -> None:
        super().__init__(message)
        self.kafka_error = kafka_error


class TopicError(KafkaError):
    def __init__(self, topic: str, problem: str, kafka_error: Any = None) -> None:
        super().__init__(f"topic '{topic}': {problem}", kafka_error)
        self.topic = topic


class WaitTimeoutError(KafkaError):
    def __init__(self, topic: str, expected: int, seen: int, seconds: float) -> None:
        super().__init__(
            f"topic '{topic}' holds {seen} of the {expected} records expected after {seconds:.0f} s"
        )
        self.topic = topic
        self.expected = expected
        self.seen = seen


class InputFileError(KafkaError):
    def __init__(self, path: object, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
