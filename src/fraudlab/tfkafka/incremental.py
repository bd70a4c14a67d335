"""Incremental training on a stream: fit on mini-batches as they arrive, then save a new version."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fraudlab.kafka import KafkaConfig
from fraudlab.tfkafka.batches import StreamSpec, kafka_batches
from fraudlab.tfkafka.errors import TfKafkaError


@dataclass(frozen=True)
class IncrementalResult:
    version_dir: Path
    batches: int
    rows: int
    last_loss: float | None


def next_version_dir(models_dir: Path) -> Path:
    """`models_dir/v<N+1>` after the highest existing `v<N>`."""
    versions = [int(p.name[1:]) for p in models_dir.glob("v*") if p.name[1:].isdigit()]
    return models_dir / f"v{max(versions, default=0) + 1}"


def train_incrementally(
    model: Any, spec: StreamSpec, config: KafkaConfig, models_dir: Path, min_rows: int = 1,
    autoencoder: bool = False,
) -> IncrementalResult:
    """Fit `model` on each mini-batch of the stream (`train_on_batch`; for an autoencoder the target
    is the input), until the spec's bound, then save `models_dir/v<N>/model.keras`.
    `spec` in continuous mode commits each batch after it was trained on."""
    if spec.label is None and not autoencoder:
        raise TfKafkaError(spec.topic, "a supervised model needs spec.label (or autoencoder=True)")
    batches = rows = 0
    loss: float | None = None
    for x, y in kafka_batches(spec, config):
        target = x if autoencoder else y
        out = model.train_on_batch(x, target, return_dict=True)
        loss = float(out.get("loss", np.nan))
        batches += 1
        rows += len(x)
    if rows < min_rows:
        raise TfKafkaError(spec.topic, f"only {rows} rows arrived; not saving a new model version")
    version = next_version_dir(Path(models_dir))
    version.mkdir(parents=True)
    model.save(version / "model.keras")
    (version / "trained.txt").write_text(
        f"topic={spec.topic} batches={batches} rows={rows} last_loss={loss} at={time.strftime('%Y-%m-%dT%H:%M:%S')}\n"
    )
    return IncrementalResult(version, batches, rows, loss)
