"""Drift that respects the time of day, test choice by sample size, multiple-testing correction,
estimated performance before labels, change detection, injected drift specs."""

from __future__ import annotations

import numpy as np
import pytest

from fraudlab.monitor import MonitorError
from fraudlab.monitor.analysis import WindowAnalyzer
from fraudlab.monitor.changes import ChangeConfig, ScoreChangeDetector
from fraudlab.monitor.drift import Binning
from fraudlab.monitor.drift_tests import DriftConfig, drifted, holm, hour_of_day, psi_band
from fraudlab.monitor.estimate import estimated, precision_at_k, totals
from fraudlab.monitor.inject import parse
from fraudlab.monitor.reference import HourlyReference, Reference

NAMES = ("Time", "A", "B")


def daily(n: int, seed: int, days: float = 2.0, shift: float = 0.0) -> np.ndarray:
    """Rows whose feature A follows the clock (high by day, low at night), B does not."""
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0, days * 86_400, n))
    a = 3.0 * np.sin(2 * np.pi * t / 86_400) + rng.normal(0, 1, n)
    b = rng.normal(0, 1, n) + shift
    return np.column_stack([t, a, b])


def windows(matrix: np.ndarray) -> list[np.ndarray]:
    hour = (matrix[:, 0] // 3600).astype(int)
    return [matrix[hour == h] for h in np.unique(hour)]


def test_like_hours_do_not_cry_wolf_where_a_whole_day_reference_would() -> None:
    ref_rows = daily(100_000, 1)
    live = daily(60_000, 2)
    config = DriftConfig()
    hourly = HourlyReference.fit(ref_rows, NAMES, ref_rows[:, 0], watch=["A", "B"], config=config)
    flags = sum(len(drifted(hourly.compare(w, NAMES, w[:, 0], config), config)) for w in windows(live))
    assert flags == 0
    # the same test against one whole-day reference (every hour pooled) flags the daily cycle of A
    flat = HourlyReference.fit(ref_rows, NAMES, np.zeros(len(ref_rows)), watch=["A", "B"],
                               config=DriftConfig(neighbour_hours=12))
    flat_flags = [f for w in windows(live)
                  for f in drifted(flat.compare(w, NAMES, np.zeros(len(w)), config), config)]
    assert flat_flags.count("A") >= 20 and "B" not in flat_flags


def test_a_shift_is_flagged_in_its_first_window() -> None:
    ref_rows = daily(100_000, 1)
    live = daily(60_000, 3)
    live[live[:, 0] >= 30 * 3600, 2] += 0.5  # B moves half a standard deviation from hour 30 on
    config = DriftConfig()
    hourly = HourlyReference.fit(ref_rows, NAMES, ref_rows[:, 0], watch=["A", "B"], config=config)
    flagged_hours = [int(w[0, 0] // 3600) for w in windows(live)
                     if drifted(hourly.compare(w, NAMES, w[:, 0], config), config) == ["B"]]
    assert flagged_hours[0] == 30 and len(flagged_hours) >= 15


def test_the_test_is_chosen_by_window_size() -> None:
    ref_rows = daily(50_000, 1)
    hourly = HourlyReference.fit(ref_rows, NAMES, ref_rows[:, 0], watch=["A", "B"])
    small, large = daily(500, 4, days=1 / 24), daily(5000, 5, days=1 / 24)
    assert {r["test"] for r in hourly.compare(small, NAMES, small[:, 0], DriftConfig()).values()} == {"ks"}
    assert {r["test"] for r in hourly.compare(large, NAMES, large[:, 0], DriftConfig()).values()} == {"wasserstein"}
    # a large window with a tiny but significant shift is not drift: the distance stays under 0.1
    big = daily(200_000, 6, days=1 / 24)
    big[:, 2] += 0.05
    result = hourly.compare(big, NAMES, big[:, 0], DriftConfig())
    assert result["B"]["p_value"] < 1e-6 and result["B"]["wasserstein"] < 0.1
    assert drifted(result, DriftConfig()) == []


def test_holm_and_psi_bands() -> None:
    assert holm({"a": 0.001, "b": 0.03, "c": 0.04}, 0.05) == {"a": True, "b": False, "c": False}
    assert holm({"a": 0.02, "b": 0.001}, 0.01) == {"a": False, "b": True}
    assert [psi_band(v) for v in (0.05, 0.1, 0.2, 0.3, None)] == ["stable", "moderate", "moderate", "significant",
                                                                   None]
    assert hour_of_day(np.array([0.0, 3599.0, 3600.0, 86_400.0 + 7200])).tolist() == [0, 0, 1, 2]


def test_reference_round_trips_through_json() -> None:
    rows = daily(20_000, 1)
    ref = HourlyReference.fit(rows, NAMES, rows[:, 0], scores=rows[:, 2], watch=["A", "B"])
    back = HourlyReference.from_json(ref.to_json())
    w = daily(3000, 9, days=1 / 24)
    assert back.compare(w, NAMES, w[:, 0], DriftConfig())["A"]["ks"] == pytest.approx(
        ref.compare(w, NAMES, w[:, 0], DriftConfig())["A"]["ks"], abs=1e-4)
    with pytest.raises(MonitorError, match="hourly_quantiles"):
        HourlyReference.from_json({"kind": "deciles"})


def test_estimates_before_labels_match_the_labels_of_calibrated_scores() -> None:
    rng = np.random.default_rng(0)
    p = rng.beta(0.3, 20, 200_000)
    y = rng.random(len(p)) < p  # labels drawn from the probabilities: calibrated by construction
    flags = p >= 0.2
    est = estimated(p, flags)
    assert est["estimated_precision"] == pytest.approx(y[flags].mean(), abs=0.02)
    assert est["estimated_recall"] == pytest.approx(y[flags].sum() / y.sum(), abs=0.02)
    assert est["alerts"] == int(flags.sum())
    analyzer = WindowAnalyzer(None, NAMES)
    ws = [analyzer.window(0, 1, p[i:i + 50_000], flags[i:i + 50_000], np.zeros(50_000),
                          labels=y[i:i + 50_000].astype(int)) for i in range(0, len(p), 50_000)]
    run = totals(ws)
    assert abs(run["estimated_precision"] - run["realized_precision"]) < 0.02
    assert run["estimated_vs_realized_precision_mae"] < 0.05 and run["windows_compared"] == 4


def test_labels_not_yet_arrived_do_not_count() -> None:
    w = WindowAnalyzer(None, NAMES).window(0, 1, np.array([0.9, 0.8, 0.1]), np.array([True, True, False]),
                                           np.zeros(3), labels=np.array([1, -1, -1]))
    assert (w["labelled"], w["true_positives"], w["false_positives"], w["precision"]) == (1, 1, 0, 1.0)
    assert w["estimated_precision"] == pytest.approx(0.85)


def test_precision_at_k_per_day() -> None:
    day = np.array([0, 0, 0, 1, 1, 1])
    scores = np.array([0.9, 0.1, 0.8, 0.7, 0.6, 0.05])
    labels = np.array([1, 0, 0, 1, 1, 0])
    rows = precision_at_k(day, scores, labels, 2)
    assert [r["precision_at_k"] for r in rows] == [0.5, 1.0]
    assert [r["estimated_precision_at_k"] for r in rows] == [0.85, 0.65]


def test_change_detector_alarms_on_a_shift_and_not_on_uniform_ranks() -> None:
    rng = np.random.default_rng(1)
    times = np.arange(100_000) * 0.6  # 100 transactions a minute
    quiet = ScoreChangeDetector(ChangeConfig())
    assert quiet.update(rng.uniform(size=100_000), times) == []
    ranks = np.concatenate([rng.uniform(size=50_000), rng.uniform(0.2, 1.0, size=50_000)])  # mean +0.1
    loud = ScoreChangeDetector(ChangeConfig())
    # fed in two calls, as windows close: the per-minute buckets carry over
    alarms = loud.update(ranks[:30_000], times[:30_000]) + loud.update(ranks[30_000:], times[30_000:])
    # ADWIN on [0, 1]-bounded means needs about 100 buckets after a 0.1 shift (its range term)
    assert alarms and 30_000 <= alarms[0] <= 30_000 + 120 * 60
    ph = ScoreChangeDetector(ChangeConfig(detector="page_hinkley"))
    assert ph.update(ranks, times)
    with pytest.raises(ValueError, match="change detector"):
        ScoreChangeDetector(ChangeConfig(detector="cusum"))


@pytest.mark.parametrize(("spec", "expected"), [
    ("amount*3@30h", ("Amount", "*", 3.0, 30.0)),
    ("V14+2@30h", ("V14", "+", 2.0, 30.0)),
    ("v3 - 0.5 @ 12.5", ("V3", "-", 0.5, 12.5)),
])
def test_inject_specs(spec: str, expected: tuple[object, ...]) -> None:
    inj = parse(spec, ("Time", "V3", "V14", "Amount"))
    assert (inj.feature, inj.op, inj.value, inj.at_hour) == expected
    m = np.ones((4, 4))
    inj.apply(m, ("Time", "V3", "V14", "Amount"), np.array([0.0, 1e9, 1e9, 0.0]))
    col = ("Time", "V3", "V14", "Amount").index(inj.feature)
    assert m[0, col] == 1.0 and m[1, col] != 1.0


@pytest.mark.parametrize(("spec", "message"), [
    ("amount^3@30h", "expected FEATURE OP NUMBER@HOURh"),
    ("amount*3", "expected FEATURE OP NUMBER@HOURh"),
    ("colour*3@1h", "unknown feature 'colour'"),
    ("Time+5@1h", "Time is the clock"),
    ("amount/0@1h", "division by zero"),
])
def test_bad_inject_specs_name_the_spec_and_the_problem(spec: str, message: str) -> None:
    with pytest.raises(MonitorError, match=message) as info:
        parse(spec, ("Time", "V3", "Amount"))
    assert spec in str(info.value)


def test_reference_from_a_model_card() -> None:
    """One section holds both views; the reader gives the like-hours view with the PSI bins, and reads a
    section of the earlier layout (the hourly view alone, the score's bins inside it) too."""
    rows = daily(5000, 1)
    ref = HourlyReference.fit(rows, NAMES, rows[:, 0], scores=rows[:, 2], watch=["A", "B"])
    score = Binning.fit(rows[:, 2])
    card = {"reference": Reference({}, score, ref).to_json()}
    back = Reference.from_card(card)
    assert back is not None and back.hourly is not None and back.score is not None
    assert back.hourly.features == ("A", "B") and back.hourly.score_quantiles is not None
    assert Reference.from_card({}) is None and Reference.from_card({"reference": {"features": {}}}) is None
    earlier = {"reference": {"hourly": {**ref.to_json(), "score_edges": score.edges.tolist(),
                                        "score_shares": score.proportions.tolist()}}}
    old = Reference.from_card(earlier)
    assert old is not None and old.hourly is not None and old.score is not None
    assert old.score_psi(rows[:, 2] + 1.0) == pytest.approx(back.score_psi(rows[:, 2] + 1.0))


def test_the_analyzer_takes_score_psi_from_the_bins_and_drift_from_the_hours() -> None:
    """A reference with only PSI bins gives the score PSI and its band but no like-hours tests (nor a
    change detector); with the hourly view the window gets both."""
    rows = daily(20_000, 1)
    live = daily(2000, 2, days=1 / 24)
    flags = np.zeros(len(live), dtype=bool)
    bins_only = Reference({}, Binning.fit(rows[:, 2]))
    w = WindowAnalyzer(bins_only, NAMES).window(0, 1, live[:, 2] + 2.0, flags, live[:, 0], features=live,
                                               feature_time_s=live[:, 0])
    assert w["score_psi"] > 0.25 and w["score_psi_band"] == "significant"
    assert "feature_drift" not in w and "score_change_alarms_s" not in w
    hourly = HourlyReference.fit(rows, NAMES, rows[:, 0], scores=rows[:, 2], watch=["A", "B"])
    full = Reference({}, Binning.fit(rows[:, 2]), hourly)
    w = WindowAnalyzer(full, NAMES).window(0, 1, live[:, 2], flags, live[:, 0], features=live,
                                          feature_time_s=live[:, 0])
    assert set(w["feature_drift"]) == {"A", "B"} and w["drifted_features"] == [] and w["score_psi_band"] == "stable"
    assert "score_change_alarms_s" in w


def test_a_window_over_two_hours_is_compared_with_the_mixture_of_their_quantiles() -> None:
    """A window that covers parts of two hours of the day (live windows need not start on the hour) gets
    the quantiles of the two hours' mixture, weighted by its rows in each: in the tails too, where a
    heavy-tailed feature's extreme quantiles lie far out."""
    rng = np.random.default_rng(5)
    a = rng.standard_t(2, 40_000)
    b = rng.standard_t(2, 40_000) + 0.5
    grid = np.linspace(0.0, 1.0, 101)
    q = np.tile(np.quantile(a, grid), (24, 1))
    q[11] = np.quantile(b, grid)
    hourly = HourlyReference(("x",), {"x": q}, {"x": 1.0}, np.full(24, 1000))
    # two hours with the same distribution: their mixture is that distribution, exactly
    np.testing.assert_allclose(hourly.window_quantiles(q, np.array([9] * 30 + [10] * 70)), q[10], atol=1e-9)
    # 3 rows of hour 10 for each of hour 11: the quantiles of 3 parts a and 1 part b
    mixed = hourly.window_quantiles(q, np.array([10] * 300 + [11] * 100))
    pooled = np.quantile(np.concatenate([a, a, a, b]), grid)
    assert (mixed[0], mixed[-1]) == (min(q[10, 0], q[11, 0]), max(q[10, -1], q[11, -1]))
    np.testing.assert_allclose(mixed[1:-1], pooled[1:-1], atol=0.05 * (pooled[-2] - pooled[1]))
