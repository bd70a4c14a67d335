"""Errors of fraudlab's Kafka helpers; they keep the broker's error object (`.kafka_error`) where there is
one. The base is `KafkaClientError`, so as not to shadow confluent_kafka's own `KafkaError`."""

from __future__ import annotations

from typing import Any

from fraudlab.errors import FraudlabError


class KafkaClientError(FraudlabError):
    def __init__(self, message: str, kafka_error: Any = None) -> None:
        super().__init__(message)
        self.kafka_error = kafka_error


class TopicError(KafkaClientError):
    def __init__(self, topic: str, problem: str, kafka_error: Any = None) -> None:
        super().__init__(f"topic '{topic}': {problem}", kafka_error)
        self.topic = topic


class WaitTimeoutError(KafkaClientError):
    def __init__(self, topic: str, expected: int, seen: int, seconds: float) -> None:
        super().__init__(
            f"topic '{topic}' holds {seen} of the {expected} records expected after {seconds:.0f} s"
        )
        self.topic = topic
        self.expected = expected
        self.seen = seen


class InputFileError(KafkaClientError):
    def __init__(self, path: object, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
