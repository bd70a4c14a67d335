"""Splits: time-ordered without leakage, stratified random with the demo seed; scalers fitted on train."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fraudlab.data import FEATURES, synthetic
from fraudlab.features import DemoFeatures, Standardizer, WorkbenchFeatures, expand
from fraudlab.splits import SplitError, make_split


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    # shuffle so that time order is not the row order
    return synthetic(5000, 0.02, seed=5).sample(frac=1.0, random_state=1).reset_index(drop=True)


def test_time_split_is_ordered_and_disjoint(frame: pd.DataFrame) -> None:
    s = make_split(frame, "time", test_fraction=0.2, val_fraction=0.25)
    t = frame["Time"].to_numpy()
    assert len(s.test) == 1000 and len(s.val) == 1000 and len(s.fit) == 3000
    assert t[s.fit].max() <= t[s.val].min()
    assert t[s.val].max() <= t[s.test].min()
    every = np.concatenate([s.fit, s.val, s.test])
    assert len(np.unique(every)) == len(frame)
    assert set(s.train) == set(s.fit) | set(s.val)


def test_random_split_is_stratified_and_seeded(frame: pd.DataFrame) -> None:
    a = make_split(frame, "random")
    b = make_split(frame, "random")
    c = make_split(frame, "random", seed=315)
    np.testing.assert_array_equal(a.test, b.test)
    assert not np.array_equal(a.test, c.test)
    y = frame["Class"].to_numpy()
    assert y[a.test].sum() == 20  # 20 % of 100 frauds
    assert y[a.val].sum() == 16  # 20 % of the remaining 80
    assert len(np.intersect1d(a.train, a.test)) == 0


def test_split_errors() -> None:
    with pytest.raises(SplitError):
        make_split(synthetic(5, 0.2, seed=0))
    with pytest.raises(SplitError):
        make_split(synthetic(100, 0.1, seed=0), "weekly")  # type: ignore[arg-type]
    with pytest.raises(SplitError):
        make_split(synthetic(100, 0.1, seed=0), test_fraction=1.0)


def test_scalers_use_fit_rows_only(frame: pd.DataFrame) -> None:
    s = make_split(frame, "time")
    raw = frame.loc[:, list(FEATURES)].to_numpy()
    raw[s.test, FEATURES.index("V1")] += 100.0  # a shift in the test period must not move the scaler
    wb = WorkbenchFeatures.fit(raw[s.fit])
    np.testing.assert_allclose(wb.scaler.mean, expand(raw[s.fit]).mean(axis=0))
    z = wb.transform(raw)
    np.testing.assert_allclose(z[s.fit].mean(axis=0), 0.0, atol=1e-9)
    assert z[s.test, 0].mean() > 10  # the test shift stays visible after scaling
    demo = DemoFeatures.fit(raw[s.fit])
    assert demo.time[0] == pytest.approx(raw[s.fit, 0].mean())


def test_expand_time_of_day_and_log_amount() -> None:
    raw = np.zeros((2, 30))
    raw[:, 0] = [0.0, 86_400.0 + 21_600.0]  # midnight, and 6 am next day
    raw[:, 29] = [0.0, np.e - 1]
    out = expand(raw)
    assert out.shape == (2, 31)
    np.testing.assert_allclose(out[:, 28], [0.0, 1.0])
    np.testing.assert_allclose(out[:, 29:], [[0.0, 1.0], [1.0, 0.0]], atol=1e-12)


def test_standardizer_json_round_trip_and_constant_column() -> None:
    x = np.column_stack([np.arange(10.0), np.ones(10)])
    st = Standardizer.fit(x)
    assert st.scale[1] == 1.0  # constant column: no division by zero
    back = Standardizer.from_json(st.to_json())
    np.testing.assert_allclose(back.transform(x), st.transform(x))
