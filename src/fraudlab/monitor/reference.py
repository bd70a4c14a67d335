"""The drift reference: what the model was trained on, as quantile bins per model input and of the score.

One format, owned here: training writes it into the bundle's model card (`model.json`, key `reference`,
see `model.training.write_bundle`), and the monitor reads it back from there (`Monitor` with a
`model_dir`, `fraudlab monitor --model DIR`, notebook 05).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fraudlab.data.schema import FEATURES
from fraudlab.monitor.drift import Binning
from fraudlab.monitor.errors import MonitorError

CARD_KEY = "reference"
NOT_DRIFT = ("Time",)  # seconds since the first transaction: it grows with the clock, always "drifts"


@dataclass(frozen=True)
class Reference:
    """Training-time distributions: one Binning per feature, and optionally the score's."""

    features: dict[str, Binning]
    score: Binning | None = None

    @classmethod
    def from_frame(cls, frame: Any, features: Sequence[str], scores: np.ndarray | None = None,
                   bins: int = 10) -> Reference:
        """From training rows (a DataFrame with the feature columns) and, optionally, their scores."""
        missing = [f for f in features if f not in frame.columns]
        if missing:
            raise MonitorError("reference frame", f"lacks the column(s) {missing}")
        binned = {f: Binning.fit(frame[f].to_numpy(), bins) for f in features}
        return cls(binned, Binning.fit(scores, bins) if scores is not None else None)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reference:
        score = data.get("score")
        return cls({k: Binning.from_json(v) for k, v in data["features"].items()},
                   Binning.from_json(score) if score else None)

    @classmethod
    def from_card(cls, card: Mapping[str, Any]) -> Reference | None:
        """From a model card's `reference` section ({"features": {name: binning}, "score": binning}),
        or None when the card has no feature statistics."""
        ref = card.get(CARD_KEY)
        if not ref or "features" not in ref:
            return None
        return cls.from_json(ref)

    def to_json(self) -> dict[str, Any]:
        return {"features": {k: v.to_json() for k, v in self.features.items()},
                "score": self.score.to_json() if self.score else None}

    def feature_psi(self, matrix: np.ndarray, names: Sequence[str]) -> dict[str, float]:
        """PSI per reference feature for rows of `matrix` whose columns are `names`."""
        index = {n: i for i, n in enumerate(names)}
        return {f: round(b.psi(matrix[:, index[f]]), 4) for f, b in self.features.items() if f in index}


def training_reference(frame: Any, rows: np.ndarray, scores: np.ndarray,
                       features: Sequence[str] = FEATURES) -> Reference:
    """The reference of a training run: the distributions of `frame`'s training `rows` for every model
    input but the clock-like ones (NOT_DRIFT), and of the model's `scores` on those rows."""
    train = frame.iloc[np.asarray(rows)]
    watched = [f for f in features if f not in NOT_DRIFT]
    return Reference.from_frame(train, watched, scores=np.asarray(scores, dtype=np.float64))


def read_reference(model_dir: Path | str) -> Reference:
    """The drift reference in a bundle's card; MonitorError when the card has none (a bundle trained
    before training wrote it: train it again)."""
    from fraudlab.model.bundle import read_card

    reference = Reference.from_card(read_card(model_dir))
    if reference is None:
        raise MonitorError(f"bundle {model_dir}", "its model card holds no drift reference (train it again)")
    return reference
