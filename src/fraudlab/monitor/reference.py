"""The drift reference: what the model was trained on, in one format with two views of the same rows.

- `features` and `score`: quantile bins (`Binning`) per watched model input and of the model's score
  over all training rows, for the population stability index (PSI) of a window;
- `hourly`: per hour of day, the quantiles of every watched input and of the score (`HourlyReference`),
  for the like-hours drift tests and the score change detector (`fraudlab.monitor.drift_tests`,
  `fraudlab.monitor.analysis`).

Owned here: training builds it (`training_reference`) and writes it into the bundle's model card
(`model.json`) under one key,

    "reference": {"features": {name: {"edges", "proportions"}}, "score": {"edges", "proportions"},
                  "hourly": {"kind": "hourly_quantiles", "features", "quantiles", "spread",
                             "rows_per_hour", "score_quantiles", "natural"}}

and one reader (`Reference.from_card`, `read_reference`) gives it to the live `Monitor`
(`fraudlab monitor --model DIR`, notebook 05) and to the offline replay (`fraudlab monitor replay`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fraudlab.data.schema import FEATURES
from fraudlab.monitor.drift import Binning
from fraudlab.monitor.drift_tests import (
    DAY_S,
    N_QUANTILES,
    DriftConfig,
    hour_of_day,
    ks_against_quantiles,
    mid_cdf,
    wasserstein_to_quantiles,
)
from fraudlab.monitor.errors import MonitorError

CARD_KEY = "reference"
NOT_DRIFT = ("Time",)  # seconds since the first transaction: it grows with the clock, always "drifts"
TIME_COLUMN = "Time"  # the transactions' own clock, whose time of day keys the hourly view
HOURLY_KIND = "hourly_quantiles"


@dataclass(frozen=True)
class HourlyReference:
    """Per hour of day and feature, the quantiles of the training rows; per feature its overall spread.

    `quantiles[name]` is (24, N_QUANTILES); `score_quantiles` likewise for the model's score.
    """

    features: tuple[str, ...]
    quantiles: dict[str, np.ndarray]
    spread: dict[str, float]
    rows_per_hour: np.ndarray
    score_quantiles: np.ndarray | None = None
    natural: dict[str, float] | None = None  # per feature: largest like-hours distance between days

    def threshold(self, name: str, config: DriftConfig) -> float:
        natural = (self.natural or {}).get(name, 0.0)
        return max(config.wasserstein_threshold, config.natural_margin * natural)

    @classmethod
    def fit(
        cls,
        matrix: np.ndarray,
        names: Sequence[str],
        time_s: np.ndarray,
        scores: np.ndarray | None = None,
        config: DriftConfig | None = None,
        watch: Sequence[str] | None = None,
    ) -> HourlyReference:
        config = config or DriftConfig()
        matrix = np.asarray(matrix, dtype=np.float64)
        watch = tuple(watch) if watch is not None else tuple(names)
        index = {n: i for i, n in enumerate(names)}
        missing = [w for w in watch if w not in index]
        if missing:
            raise MonitorError("reference", f"no column(s) {missing} among {list(names)}")
        hours = hour_of_day(time_s)
        counts = np.bincount(hours, minlength=24)
        if (counts == 0).all():
            raise MonitorError("reference", "no training rows")
        grid = np.linspace(0.0, 1.0, N_QUANTILES)
        pools = [_pool(hours, h, config.neighbour_hours) for h in range(24)]
        quantiles = {}
        spread = {}
        for name in watch:
            column = matrix[:, index[name]]
            spread[name] = float(np.std(column)) or 1.0
            quantiles[name] = np.vstack([np.quantile(column[p], grid) if p.any() else np.quantile(column, grid)
                                         for p in pools])
        natural = _natural_variation(matrix, index, watch, time_s, spread, config)
        score_q = None
        if scores is not None:
            scores = np.asarray(scores, dtype=np.float64)
            score_q = np.vstack([np.quantile(scores[p], grid) if p.any() else np.quantile(scores, grid)
                                 for p in pools])
        return cls(watch, quantiles, spread, counts, score_q, natural)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": HOURLY_KIND,
            "features": list(self.features),
            "quantiles": {k: np.round(v, 6).tolist() for k, v in self.quantiles.items()},
            "spread": self.spread,
            "rows_per_hour": self.rows_per_hour.tolist(),
            "score_quantiles": None if self.score_quantiles is None else np.round(self.score_quantiles, 8).tolist(),
            "natural": self.natural,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HourlyReference:
        if data.get("kind") != HOURLY_KIND:
            raise MonitorError("reference", f"kind {data.get('kind')!r} is not {HOURLY_KIND!r}")
        score_q = data.get("score_quantiles")
        return cls(
            tuple(data["features"]),
            {k: np.asarray(v, dtype=np.float64) for k, v in data["quantiles"].items()},
            {k: float(v) for k, v in data["spread"].items()},
            np.asarray(data["rows_per_hour"], dtype=np.int64),
            None if score_q is None else np.asarray(score_q, dtype=np.float64),
            {k: float(v) for k, v in (data.get("natural") or {}).items()},
        )

    def window_quantiles(self, q: np.ndarray, hours: np.ndarray) -> np.ndarray:
        """The reference quantiles of the hours a window covers, weighted by its rows in each hour: the
        quantile function of the mixture of the hours' distributions (each one piecewise linear between
        its quantiles), on the common grid."""
        counts = np.bincount(hours, minlength=24)
        present = np.flatnonzero(counts)
        if len(present) == 1:
            return q[present[0]]
        grid = np.linspace(0.0, 1.0, q.shape[1])
        weights = counts[present] / counts[present].sum()
        points = np.unique(q[present])
        # the mixture's CDF just below and at every quantile point of any hour: a point mass (tied
        # quantiles) is a step there, and between the points the CDF is linear
        below = sum(w * _cdf(points, q[h], grid, right=False) for w, h in zip(weights, present, strict=True))
        at = sum(w * _cdf(points, q[h], grid, right=True) for w, h in zip(weights, present, strict=True))
        cdf = np.column_stack([below, at]).ravel()
        return np.interp(grid, cdf, np.repeat(points, 2))

    def compare(self, matrix: np.ndarray, names: Sequence[str], time_s: np.ndarray,
                config: DriftConfig) -> dict[str, dict[str, float]]:
        """Per watched feature: rows, test ("ks" or "wasserstein"), statistic, raw p-value, distance."""
        index = {n: i for i, n in enumerate(names)}
        hours = hour_of_day(time_s)
        out: dict[str, dict[str, float]] = {}
        n = matrix.shape[0]
        if n == 0:
            return out
        for name in self.features:
            if name not in index:
                continue
            values = np.asarray(matrix[:, index[name]], dtype=np.float64)
            ref_q = self.window_quantiles(self.quantiles[name], hours)
            ks, p = ks_against_quantiles(values, ref_q)
            distance = wasserstein_to_quantiles(values, ref_q) / self.spread[name]
            out[name] = {
                "test": "ks" if n <= config.small_n else "wasserstein",
                "ks": ks,
                "p_value": p,
                "wasserstein": distance,
                "threshold": self.threshold(name, config),
            }
        return out

    def score_rank(self, scores: np.ndarray, time_s: np.ndarray) -> np.ndarray:
        """Each score's quantile within the training scores of its hour of day: uniform on [0, 1]
        while nothing changes, whatever the hour (the change detectors' input)."""
        if self.score_quantiles is None:
            raise MonitorError("reference", "holds no score quantiles")
        hours = hour_of_day(time_s)
        grid = np.linspace(0.0, 1.0, self.score_quantiles.shape[1])
        out = np.empty(len(scores), dtype=np.float64)
        for h in np.unique(hours):
            sel = hours == h
            out[sel] = mid_cdf(np.asarray(scores, dtype=np.float64)[sel], self.score_quantiles[h], grid)
        return out


@dataclass(frozen=True)
class Reference:
    """Training-time distributions: one Binning per watched feature, optionally the score's, and
    optionally the like-hours view of the same rows (`hourly`)."""

    features: dict[str, Binning]
    score: Binning | None = None
    hourly: HourlyReference | None = None

    @classmethod
    def from_frame(cls, frame: Any, features: Sequence[str], scores: np.ndarray | None = None,
                   bins: int = 10, time_column: str | None = None,
                   drift: DriftConfig | None = None) -> Reference:
        """From training rows (a DataFrame with the feature columns) and, optionally, their scores;
        with `time_column` (the transactions' clock, seconds) also the like-hours view."""
        missing = [f for f in (*features, *([time_column] if time_column else [])) if f not in frame.columns]
        if missing:
            raise MonitorError("reference frame", f"lacks the column(s) {missing}")
        values = None if scores is None else np.asarray(scores, dtype=np.float64)
        binned = {f: Binning.fit(frame[f].to_numpy(), bins) for f in features}
        hourly = None
        if time_column is not None:
            hourly = HourlyReference.fit(frame.loc[:, list(features)].to_numpy(np.float64), features,
                                         frame[time_column].to_numpy(np.float64), values, drift)
        return cls(binned, Binning.fit(values, bins) if values is not None else None, hourly)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reference:
        """From the card's `reference` section; any of its three parts may be absent. A section written
        before the parts were combined ({"hourly": {..., "score_edges", "score_shares"}}) reads too."""
        score = data.get("score")
        hourly = data.get("hourly")
        if not score and hourly and hourly.get("score_edges") is not None:
            score = {"edges": hourly["score_edges"], "proportions": hourly["score_shares"]}
        return cls({k: Binning.from_json(v) for k, v in (data.get("features") or {}).items()},
                   Binning.from_json(score) if score else None,
                   HourlyReference.from_json(hourly) if hourly else None)

    @classmethod
    def from_card(cls, card: Mapping[str, Any]) -> Reference | None:
        """The reference a model card holds under `reference`, or None when it holds none."""
        section = card.get(CARD_KEY)
        if not section or not any(section.get(part) for part in ("features", "score", "hourly")):
            return None
        return cls.from_json(section)

    def to_json(self) -> dict[str, Any]:
        return {"features": {k: v.to_json() for k, v in self.features.items()},
                "score": self.score.to_json() if self.score else None,
                "hourly": self.hourly.to_json() if self.hourly else None}

    def feature_psi(self, matrix: np.ndarray, names: Sequence[str]) -> dict[str, float]:
        """PSI per reference feature for rows of `matrix` whose columns are `names`."""
        index = {n: i for i, n in enumerate(names)}
        return {f: round(b.psi(matrix[:, index[f]]), 4) for f, b in self.features.items() if f in index}

    def score_psi(self, scores: np.ndarray) -> float | None:
        """PSI of a window's scores against the training scores; None without either."""
        if self.score is None or len(scores) == 0:
            return None
        return self.score.psi(scores)


def training_reference(frame: Any, rows: np.ndarray, scores: np.ndarray, features: Sequence[str] = FEATURES,
                       drift: DriftConfig | None = None) -> Reference:
    """The reference of a training run: the distributions of `frame`'s training `rows` for every model
    input but the clock-like ones (NOT_DRIFT), and of the model's `scores` on those rows, over the
    whole period and, keyed by the transactions' `Time`, per hour of day."""
    train = frame.iloc[np.asarray(rows)]
    watched = [f for f in features if f not in NOT_DRIFT]
    return Reference.from_frame(train, watched, scores=np.asarray(scores, dtype=np.float64),
                                time_column=TIME_COLUMN, drift=drift)


def read_reference(model_dir: Path | str) -> Reference:
    """The drift reference in a bundle's card; MonitorError when the card has none (a bundle trained
    before training wrote it: train it again)."""
    from fraudlab.model.bundle import read_card

    reference = Reference.from_card(read_card(model_dir))
    if reference is None:
        raise MonitorError(f"bundle {model_dir}", "its model card holds no drift reference (train it again)")
    return reference


def _natural_variation(matrix: np.ndarray, index: dict[str, int], watch: Sequence[str], time_s: np.ndarray,
                       spread: dict[str, float], config: DriftConfig) -> dict[str, float]:
    """Per feature, the largest normed distance between one day's hour-of-day window and the same
    hours of the other days in the training rows (0 when the rows cover a single day)."""
    time_s = np.asarray(time_s, dtype=np.float64)
    day = np.floor(time_s / DAY_S).astype(np.int64)
    hours = hour_of_day(time_s)
    grid = np.linspace(0.0, 1.0, N_QUANTILES)
    out = {name: 0.0 for name in watch}
    for h in range(24):
        pool = _pool(hours, h, config.neighbour_hours)
        here = hours == h
        for d in np.unique(day[here]):
            own = here & (day == d)
            other = pool & (day != d)
            if own.sum() < config.natural_min_rows or other.sum() < config.natural_min_rows:
                continue
            for name in watch:
                column = matrix[:, index[name]]
                ref_q = np.quantile(column[other], grid)
                d_w = wasserstein_to_quantiles(column[own], ref_q) / spread[name]
                out[name] = max(out[name], float(d_w))
    return out


def _cdf(x: np.ndarray, q: np.ndarray, grid: np.ndarray, right: bool) -> np.ndarray:
    """The CDF whose quantiles at `grid` are `q` (linear between them), at `x`: P(X <= x) with `right`,
    else P(X < x) (they differ where quantiles tie)."""
    k = np.searchsorted(q, x, side="right" if right else "left")
    inner = np.clip(k, 1, len(q) - 1)
    lo, hi = q[inner - 1], q[inner]
    span = np.where(hi > lo, hi - lo, 1.0)
    frac = np.clip((x - lo) / span, 0.0, 1.0)
    value = grid[inner - 1] + frac * (grid[inner] - grid[inner - 1])
    return np.where(k == 0, 0.0, np.where(k == len(q), 1.0, value))


def _pool(hours: np.ndarray, h: int, k: int) -> np.ndarray:
    near = [(h + d) % 24 for d in range(-k, k + 1)]
    return np.isin(hours, near)
