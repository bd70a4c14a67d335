"""Population stability index (PSI): a `Binning` holds quantile bin edges and the share of reference rows
in each bin, and measures how far new values moved. PSI above 0.2 is the usual "significant shift" flag.
The training reference built from binnings is `fraudlab.monitor.reference.Reference`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
