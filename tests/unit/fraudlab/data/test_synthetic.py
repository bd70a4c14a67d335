"""The synthetic generator: schema, determinism, fraud rate, and frauds that are findable but not trivially."""

from __future__ import annotations

import pytest

from fraudlab.data import COLUMNS, SyntheticDataError, synthetic
from fraudlab.evaluate import ranking_metrics


def test_schema_and_determinism() -> None:
    a = synthetic(2000, 0.01, seed=7)
    b = synthetic(2000, 0.01, seed=7)
    c = synthetic(2000, 0.01, seed=8)
    assert list(a.columns) == list(COLUMNS)
    assert a.equals(b)
    assert not a.equals(c)
    assert int(a["Class"].sum()) == 20
    assert a["Time"].is_monotonic_increasing
    assert (a["Amount"] >= 0).all()
    assert not a.isna().any().any()


def test_tiny_positive_rate_still_has_one_fraud() -> None:
    assert int(synthetic(50, 0.001, seed=1)["Class"].sum()) == 1


@pytest.mark.parametrize(("n", "rate"), [(0, 0.1), (10, -0.1), (10, 1.0)])
def test_rejects_bad_arguments(n: int, rate: float) -> None:
    with pytest.raises(SyntheticDataError):
        synthetic(n, rate, seed=0)


def test_frauds_separable_but_not_trivially() -> None:
    frame = synthetic(20_000, 0.01, seed=11)
    y = frame["Class"].to_numpy()
    v14 = -frame["V14"].to_numpy()  # the strongest single fraud direction
    pr_auc = ranking_metrics(y, v14)["pr_auc"]
    assert 0.2 < pr_auc < 0.97
