"""`IngestConfig`: where Kafka Connect and Kafka are, and where the worker reads its input files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fraudlab.kafka import KafkaConfig


@dataclass(frozen=True)
class IngestConfig:
    """Where Connect and Kafka are, and where the worker reads its input files from."""

    kafka: KafkaConfig
    connect_url: str
    spool_dir: Path
    timeout_s: float = 600.0
    progress: bool = True
