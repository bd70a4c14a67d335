"""Population stability index (PSI) per feature and for the score, against a training reference.

The reference holds quantile bin edges and the share of training rows in each bin. PSI above 0.2
is the usual "significant shift" flag.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from fraudlab.monitor.errors import MonitorError

PSI_FLAG = 0.2
_EPS = 1e-4  # floor for empty bins, so one empty bin does not make the PSI infinite


@dataclass(frozen=True)
class Binning:
    """Inner bin edges (len k-1 for k bins) and the reference share per bin (sums to 1)."""

    edges: np.ndarray
    proportions: np.ndarray

    @classmethod
    def fit(cls, values: np.ndarray, bins: int = 10) -> Binning:
        values = np.asarray(values, dtype=np.float64)
        values = values[np.isfinite(values)]
        if values.size == 0:
            raise MonitorError("reference", "no finite values to bin")
        edges = np.unique(np.quantile(values, np.linspace(0, 1, bins + 1)[1:-1]))
        return cls(edges, _shares(values, edges))

    def psi(self, values: np.ndarray) -> float:
        actual = _shares(np.asarray(values, dtype=np.float64), self.edges)
        ref = np.maximum(self.proportions, _EPS)
        act = np.maximum(actual, _EPS)
        return float(np.sum((act - ref) * np.log(act / ref)))

    def to_json(self) -> dict[str, list[float]]:
        return {"edges": self.edges.tolist(), "proportions": self.proportions.tolist()}

    @classmethod
    def from_json(cls, data: Mapping[str, Sequence[float]]) -> Binning:
        return cls(np.asarray(data["edges"], dtype=np.float64), np.asarray(data["proportions"], dtype=np.float64))


def _shares(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    counts = np.bincount(np.searchsorted(edges, values, side="right"), minlength=len(edges) + 1)
    return counts / max(values.size, 1)


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
    def from_card(cls, card: Mapping[str, Any]) -> Reference | None:
        """From a model card's `reference` section ({"features": {name: binning}, "score": binning}),
        or None when the card has no feature statistics."""
        ref = card.get("reference")
        if not ref or "features" not in ref:
            return None
        score = ref.get("score")
        return cls({k: Binning.from_json(v) for k, v in ref["features"].items()},
                   Binning.from_json(score) if score else None)

    def to_json(self) -> dict[str, Any]:
        return {"features": {k: v.to_json() for k, v in self.features.items()},
                "score": self.score.to_json() if self.score else None}

    def feature_psi(self, matrix: np.ndarray, names: Sequence[str]) -> dict[str, float]:
        """PSI per reference feature for rows of `matrix` whose columns are `names`."""
        index = {n: i for i, n in enumerate(names)}
        return {f: round(b.psi(matrix[:, index[f]]), 4) for f, b in self.features.items() if f in index}
