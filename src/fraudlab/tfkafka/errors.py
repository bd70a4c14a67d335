"""Errors of the TensorFlow-from-Kafka helpers."""

from __future__ import annotations

from fraudlab.errors import FraudlabError


class TfKafkaError(FraudlabError):
    """A Kafka dataset cannot be built or read."""

    def __init__(self, topic: str, problem: str) -> None:
        super().__init__(f"Kafka dataset on '{topic}': {problem}")
        self.topic = topic
        self.problem = problem
