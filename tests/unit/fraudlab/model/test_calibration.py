"""Calibration maps: Platt and beta calibration recover the probabilities they are fitted on, stay
monotone, round-trip through the model card, and the choice by cross-validated log loss picks the
map whose family generated the data."""

from __future__ import annotations

import numpy as np
import pytest

from fraudlab.model.calibration import Beta, Platt, calibration_from_json, fit_calibration, log_loss, sigmoid


def _beta_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A fraud-like score: a large bulk of low z and a tail, labels drawn from a two-slope map."""
    rng = np.random.default_rng(seed)
    z = np.concatenate([rng.normal(-7.0, 1.5, n), rng.normal(3.0, 2.0, n // 200)])
    true = Beta(0.9, 2.3, -1.0)(z)
    return z, (rng.random(len(z)) < true).astype(np.int64), true


def test_beta_recovers_its_parameters_and_beats_platt_on_two_slope_data() -> None:
    z, y, true = _beta_data(200_000, seed=1)
    beta = Beta.fit(z, y)
    assert beta.a == pytest.approx(0.9, abs=0.15)
    assert beta.b == pytest.approx(2.3, abs=0.6)
    platt = Platt.fit(z, y)
    # the single slope cannot follow both the bulk and the tail: the alerts' mean probability is off
    alerts = z > 2.0
    realized = true[alerts].mean()
    assert abs(beta(z)[alerts].mean() - realized) < abs(platt(z)[alerts].mean() - realized)
    assert log_loss(y, beta(z)) < log_loss(y, platt(z))


def test_beta_is_monotone_and_bounded() -> None:
    z, y, _ = _beta_data(50_000, seed=2)
    p = Beta.fit(z, y)(np.linspace(-40, 40, 2001))
    assert (np.diff(p) >= 0).all() and p[0] >= 0.0 and p[-1] <= 1.0


@pytest.mark.parametrize("calibration", [Platt(1.2, -0.3), Beta(0.8, 2.1, -0.7)])
def test_card_round_trip(calibration: Platt | Beta) -> None:
    z = np.linspace(-10, 10, 101)
    again = calibration_from_json(calibration.to_json() | {"fitted_on": "validation"})
    assert type(again) is type(calibration)
    assert np.array_equal(again(z), calibration(z))


def test_card_without_method_is_platt_and_unknown_method_fails() -> None:
    assert calibration_from_json({"a": 2.0, "b": 0.0}) == Platt(2.0, 0.0)
    with pytest.raises(ValueError, match="isotonic"):
        calibration_from_json({"method": "isotonic"})


def test_choice_by_cross_validated_log_loss() -> None:
    z, y, _ = _beta_data(100_000, seed=3)
    chosen, info = fit_calibration(z, y)
    assert info["chosen"] == "beta" and isinstance(chosen, Beta)
    assert info["methods"]["beta"]["cv_log_loss"] < info["methods"]["platt"]["cv_log_loss"]
    # data from a single logistic: beta calibration nests Platt (a = b): both find about the same map
    rng = np.random.default_rng(4)
    z2 = rng.normal(-5.0, 3.0, 100_000)
    y2 = (rng.random(len(z2)) < sigmoid(1.3 * z2 + 0.5)).astype(np.int64)
    chosen2, info2 = fit_calibration(z2, y2)
    losses = {m: v["cv_log_loss"] for m, v in info2["methods"].items()}
    assert info2["chosen"] == min(losses, key=losses.__getitem__)
    assert abs(losses["beta"] - losses["platt"]) < 1e-3 * losses["platt"]
    grid = np.linspace(-10, 5, 31)
    assert np.abs(chosen2(grid) - sigmoid(1.3 * grid + 0.5)).max() < 0.03
