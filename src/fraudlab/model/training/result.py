"""What a training run produces: the models' names, their scores (`ModelScores`), the run's
`TrainingResult`, and the helpers every model family's fitting shares."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from fraudlab.model.trees import TreeModel
from fraudlab.monitor.reference import Reference
from fraudlab.splits import Split

BUNDLE_MODEL = "calibrated_ensemble"
AE_HEAD = "workbench_ae_head"
TREES = "trees_hour"
WORKBENCH_AE = "workbench_autoencoder"
REFERENCE = "reference_autoencoder"


@dataclass
class ModelScores:
    val: np.ndarray
    test: np.ndarray
    seconds: float


@dataclass
class TrainingResult:
    split: Split
    y: np.ndarray
    amount: np.ndarray
    models: dict[str, ModelScores] = field(default_factory=dict)
    metrics: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    threshold: Any = None
    scoring_model: Any = None  # the autoencoder member's Keras graph (None: trees alone)
    trees: TreeModel | None = None
    ensemble: dict[str, Any] = field(default_factory=dict)  # weights, calibration, candidates
    card: dict[str, Any] = field(default_factory=dict)
    reference: Reference | None = None  # the drift reference: training rows' inputs and deployed scores

    def summary(self) -> dict[str, Any]:
        return {
            name: m | {"train_seconds": round(self.models[name].seconds, 1)}
            for name, m in self.metrics.items()
        }


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """`fn()` and its wall-clock seconds."""
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def with_epochs(cfg: Any, epochs: int, seed: int) -> Any:
    """An autoencoder's config with the run's epochs and seed."""
    from dataclasses import replace

    return replace(cfg, epochs=epochs, seed=seed)


def log_subdir(log_dir: Path | None, name: str) -> Path | None:
    """A model's own log folder under the run's (None: no logs)."""
    return None if log_dir is None else log_dir / name
