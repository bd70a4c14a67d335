"""Drift tests that do not cry wolf: like hours compared, the test chosen by sample size, and a
multiple-testing correction across features and windows.

Card transactions follow the clock: at 4 a.m. there are few of them, smaller and of other kinds
than at noon. An hourly window compared with a whole-day reference sees that daily cycle and flags
it as drift every night. `HourlyReference` keeps, for each hour of the day, the quantiles of every
feature (and of the score) over the training rows of that hour and its two neighbours, and a window
is compared with the hours it covers.

Which test, as Evidently chooses (its defaults for numerical columns):
- up to `small_n` (1,000) rows: the Kolmogorov-Smirnov test, drift when its p-value is below alpha;
- above: the Wasserstein distance normed by the feature's reference spread, drift above 0.1. With
  thousands of rows any p-value is tiny for differences nobody cares about, so an effect size decides.

Natural variation: the Kaggle file's two days differ on their own (V3's mean is +0.65 on day one and
-0.7 on day two, hour for hour: the PCA features carry day-level effects), so a like-hours distance
of 0.1 is routine for some features. The reference measures, per feature, how far the same hour of
another day of the training period lies (`natural`), and a window drifts only beyond
max(0.1, `natural_margin` x that): a feature is compared with its own day-to-day variation, and a
feature that never moves keeps Evidently's 0.1.

Multiple testing: 30 features x 48 hourly windows are 1,440 tests in two days; at alpha 0.05 about
70 false flags would be expected from noise alone. The KS p-values are Holm-corrected across the
features of a window at a family-wise alpha of `alpha / horizon_windows` (Bonferroni across the
windows of the horizon), so the chance of any false flag over the horizon stays below alpha. Large
windows must pass the same corrected KS test as well as the distance threshold: a distance above 0.1
that sampling noise could produce is not reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from fraudlab.monitor.errors import MonitorError

HOUR_S = 3600.0
DAY_S = 86_400.0
N_QUANTILES = 101  # quantile grid: 0 %, 1 %, ..., 100 %
SMALL_N = 1000
WASSERSTEIN_THRESHOLD = 0.1
PSI_BANDS = ((0.1, "stable"), (0.25, "moderate"))  # < 0.1 stable, 0.1-0.25 moderate, > 0.25 significant


def psi_band(psi: float | None) -> str | None:
    if psi is None:
        return None
    for bound, name in PSI_BANDS:
        if psi < bound:
            return name
    return "significant"


def hour_of_day(time_s: np.ndarray) -> np.ndarray:
    """Integer hour of the day (0..23) of Kaggle `Time` seconds (or any seconds since a midnight)."""
    return (np.mod(np.asarray(time_s, dtype=np.float64), DAY_S) // HOUR_S).astype(np.int64)


@dataclass(frozen=True)
class DriftConfig:
    """How windows are tested. `horizon_windows`: how many windows the family-wise alpha covers."""

    alpha: float = 0.05
    horizon_windows: int = 48
    small_n: int = SMALL_N
    wasserstein_threshold: float = WASSERSTEIN_THRESHOLD
    neighbour_hours: int = 1  # a reference hour pools the training rows of h-1, h, h+1
    dataset_drift_share: float = 0.5  # Evidently's default: drift of the dataset when half the features drift
    natural_margin: float = 1.25  # the threshold over the like-hours day-to-day distance of the training period
    natural_min_rows: int = 500  # hour-of-day windows smaller than this do not measure natural variation


@dataclass(frozen=True)
class HourlyReference:
    """Per hour of day and feature, the quantiles of the training rows; per feature its overall spread.

    `quantiles[name]` is (24, N_QUANTILES); `score_quantiles` likewise for the model's score, and
    `score_edges`/`score_shares` the decile bins of the score over all training rows (for PSI).
    """

    features: tuple[str, ...]
    quantiles: dict[str, np.ndarray]
    spread: dict[str, float]
    rows_per_hour: np.ndarray
    score_quantiles: np.ndarray | None = None
    score_edges: np.ndarray | None = None
    score_shares: np.ndarray | None = None
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
        score_q = edges = shares = None
        if scores is not None:
            scores = np.asarray(scores, dtype=np.float64)
            score_q = np.vstack([np.quantile(scores[p], grid) if p.any() else np.quantile(scores, grid)
                                 for p in pools])
            edges = np.unique(np.quantile(scores, np.linspace(0, 1, 11)[1:-1]))
            shares = np.bincount(np.searchsorted(edges, scores, side="right"), minlength=len(edges) + 1) / len(scores)
        return cls(watch, quantiles, spread, counts, score_q, edges, shares, natural)

    # -- serialisation -----------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "hourly_quantiles",
            "features": list(self.features),
            "quantiles": {k: np.round(v, 6).tolist() for k, v in self.quantiles.items()},
            "spread": self.spread,
            "rows_per_hour": self.rows_per_hour.tolist(),
            "score_quantiles": None if self.score_quantiles is None else np.round(self.score_quantiles, 8).tolist(),
            "score_edges": None if self.score_edges is None else self.score_edges.tolist(),
            "score_shares": None if self.score_shares is None else self.score_shares.tolist(),
            "natural": self.natural,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HourlyReference:
        if data.get("kind") != "hourly_quantiles":
            raise MonitorError("reference", f"kind {data.get('kind')!r} is not 'hourly_quantiles'")

        def arr(key: str) -> np.ndarray | None:
            v = data.get(key)
            return None if v is None else np.asarray(v, dtype=np.float64)

        return cls(
            tuple(data["features"]),
            {k: np.asarray(v, dtype=np.float64) for k, v in data["quantiles"].items()},
            {k: float(v) for k, v in data["spread"].items()},
            np.asarray(data["rows_per_hour"], dtype=np.int64),
            arr("score_quantiles"),
            arr("score_edges"),
            arr("score_shares"),
            {k: float(v) for k, v in (data.get("natural") or {}).items()},
        )

    @classmethod
    def from_card(cls, card: Mapping[str, Any]) -> HourlyReference | None:
        """The like-hours reference training stored in a model card (`reference.hourly`), or None."""
        hourly = (card.get("reference") or {}).get("hourly")
        return cls.from_json(hourly) if hourly else None

    # -- comparison ----------------------------------------------------------------------------
    def window_quantiles(self, q: np.ndarray, hours: np.ndarray) -> np.ndarray:
        """The reference quantiles of the hours a window covers, weighted by its rows in each hour
        (a mixture's quantile function, approximated on the common grid by sorting pooled points)."""
        counts = np.bincount(hours, minlength=24)
        present = np.flatnonzero(counts)
        if len(present) == 1:
            return q[present[0]]
        points = np.concatenate([q[h] for h in present])
        weights = np.concatenate([np.full(q.shape[1], counts[h]) for h in present])
        order = np.argsort(points, kind="stable")
        cum = np.cumsum(weights[order]) / weights.sum()
        grid = np.linspace(0.0, 1.0, q.shape[1])
        return np.interp(grid, cum, points[order])

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
            ks, p = _ks_against_quantiles(values, ref_q)
            distance = _wasserstein_to_quantiles(values, ref_q) / self.spread[name]
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
            out[sel] = _mid_cdf(np.asarray(scores, dtype=np.float64)[sel], self.score_quantiles[h], grid)
        return out

    def score_psi(self, scores: np.ndarray) -> float | None:
        if self.score_edges is None or self.score_shares is None or len(scores) == 0:
            return None
        actual = np.bincount(np.searchsorted(self.score_edges, scores, side="right"),
                             minlength=len(self.score_edges) + 1) / len(scores)
        ref = np.maximum(self.score_shares, 1e-4)
        act = np.maximum(actual, 1e-4)
        return float(np.sum((act - ref) * np.log(act / ref)))


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
                d_w = _wasserstein_to_quantiles(column[own], ref_q) / spread[name]
                out[name] = max(out[name], float(d_w))
    return out


def _pool(hours: np.ndarray, h: int, k: int) -> np.ndarray:
    near = [(h + d) % 24 for d in range(-k, k + 1)]
    return np.isin(hours, near)


def _mid_cdf(x: np.ndarray, q: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """The reference CDF at x from its quantiles q (on `grid`); where quantiles tie (a point mass,
    e.g. many equal scores) the mid-point of the tied stretch, as a mid-rank."""
    lo = np.interp(x, q, grid, left=0.0, right=1.0)
    hi = 1.0 - np.interp(-x, -q[::-1], grid, left=0.0, right=1.0)
    return 0.5 * (lo + hi)


def _ks_against_quantiles(values: np.ndarray, ref_q: np.ndarray) -> tuple[float, float]:
    """One-sample KS of `values` against the reference CDF interpolated from its quantiles (the
    reference holds tens of thousands of rows, so this is the two-sample test's large-m limit)."""
    grid = np.linspace(0.0, 1.0, len(ref_q))
    x = np.sort(values)
    n = len(x)
    cdf = _mid_cdf(x, ref_q, grid)
    ecdf_hi = np.arange(1, n + 1) / n
    ecdf_lo = np.arange(0, n) / n
    d = float(max(np.max(ecdf_hi - cdf), np.max(cdf - ecdf_lo)))
    p = float(stats.kstwo.sf(d, n))
    return d, p


def _wasserstein_to_quantiles(values: np.ndarray, ref_q: np.ndarray) -> float:
    """W1 = integral over u of |F^-1_window(u) - F^-1_ref(u)|, on the reference's quantile grid."""
    grid = np.linspace(0.0, 1.0, len(ref_q))
    cur_q = np.quantile(values, grid)
    return float(np.trapezoid(np.abs(cur_q - ref_q), grid))


def holm(p_values: Mapping[str, float], alpha: float) -> dict[str, bool]:
    """Holm-Bonferroni step-down: which hypotheses are rejected at family-wise level alpha."""
    items = sorted(p_values.items(), key=lambda kv: kv[1])
    m = len(items)
    out = {k: False for k in p_values}
    for i, (k, p) in enumerate(items):
        if p <= alpha / (m - i):
            out[k] = True
        else:
            break
    return out


def drifted(results: Mapping[str, Mapping[str, float]], config: DriftConfig) -> list[str]:
    """Features that drift in one window: the corrected KS test rejects, and on a large window the
    normed Wasserstein distance is also above the threshold."""
    if not results:
        return []
    family_alpha = config.alpha / max(1, config.horizon_windows)
    rejected = holm({k: v["p_value"] for k, v in results.items()}, family_alpha)
    out = []
    for name, r in results.items():
        if not rejected[name]:
            continue
        if r["test"] == "wasserstein" and r["wasserstein"] <= r.get("threshold", config.wasserstein_threshold):
            continue
        out.append(name)
    return sorted(out)
