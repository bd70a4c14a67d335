"""Drift tests that do not cry wolf: like hours compared, the test chosen by sample size, and a
multiple-testing correction across features and windows.

Card transactions follow the clock: at 4 a.m. there are few of them, smaller and of other kinds
than at noon. An hourly window compared with a whole-day reference sees that daily cycle and flags
it as drift every night. The reference's like-hours part (`fraudlab.monitor.reference.HourlyReference`)
keeps, for each hour of the day, the quantiles of every feature (and of the score) over the training
rows of that hour and its two neighbours, and a window is compared with the hours it covers; the
tests themselves are here.

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

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats

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


def mid_cdf(x: np.ndarray, q: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """The reference CDF at x from its quantiles q (on `grid`); where quantiles tie (a point mass,
    e.g. many equal scores) the mid-point of the tied stretch, as a mid-rank."""
    lo = np.interp(x, q, grid, left=0.0, right=1.0)
    hi = 1.0 - np.interp(-x, -q[::-1], grid, left=0.0, right=1.0)
    return 0.5 * (lo + hi)


def ks_against_quantiles(values: np.ndarray, ref_q: np.ndarray) -> tuple[float, float]:
    """One-sample KS of `values` against the reference CDF interpolated from its quantiles (the
    reference holds tens of thousands of rows, so this is the two-sample test's large-m limit)."""
    grid = np.linspace(0.0, 1.0, len(ref_q))
    x = np.sort(values)
    n = len(x)
    cdf = mid_cdf(x, ref_q, grid)
    ecdf_hi = np.arange(1, n + 1) / n
    ecdf_lo = np.arange(0, n) / n
    d = float(max(np.max(ecdf_hi - cdf), np.max(cdf - ecdf_lo)))
    p = float(stats.kstwo.sf(d, n))
    return d, p


def wasserstein_to_quantiles(values: np.ndarray, ref_q: np.ndarray) -> float:
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
