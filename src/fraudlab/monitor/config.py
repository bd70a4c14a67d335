"""`MonitorConfig`: which topics the monitor reads and writes, its windows, its drift analysis and when it
stops."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fraudlab.kafka import KafkaConfig
from fraudlab.monitor.analysis import AnalysisConfig
from fraudlab.monitor.drift import PSI_FLAG


@dataclass(frozen=True)
class MonitorConfig:
    scores_topic: str
    kafka: KafkaConfig = field(default_factory=KafkaConfig)
    transactions_topic: str | None = None  # for feature drift
    labels_topic: str | None = None  # {"id", "label"} JSON (or key=id, value "0"/"1")
    metrics_topic: str | None = None
    window_s: float = 60.0
    label_lag_s: float = 0.0  # how long a window waits for its labels before it is reported
    psi_flag: float = PSI_FLAG
    value_format: str = "delimited"  # of the transactions topic
    columns: tuple[str, ...] | None = None
    group_id: str | None = None  # None: a fresh group reading from the beginning
    duration_s: float | None = 60.0
    max_records: int | None = None
    idle_timeout_s: float | None = None
    model_dir: Path | None = None  # the bundle: its card's drift reference and feature names
    analysis: AnalysisConfig = field(default_factory=AnalysisConfig)
    # records of any input topic that cannot be read (raw bytes + reason in headers); None: log only
    dead_letter_topic: str | None = None
