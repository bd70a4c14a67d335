"""The replay's split of the precision estimate into the deployed model's training period and after it."""

from __future__ import annotations

import numpy as np

from fraudlab.data import synthetic
from fraudlab.monitor.replay import by_period, training_rows


def test_training_rows_only_for_the_bundles_own_file() -> None:
    frame = synthetic(5000, 0.02, seed=5).sort_values("Time", kind="stable").reset_index(drop=True)
    card = {"training_data": {"rows": len(frame), "frauds": int(frame["Class"].sum()), "split": "time"},
            "train_config": {"test_fraction": 0.2, "val_fraction": 0.2}}
    train = training_rows(frame, card)
    assert train is not None and len(train) == 4000
    # the time split: the training period is the earliest 80 % of rows
    assert frame["Time"].to_numpy()[train].max() <= frame["Time"].to_numpy()[np.setdiff1d(np.arange(5000), train)].min()
    other = {"training_data": {**card["training_data"], "rows": len(frame) + 1}, "train_config": card["train_config"]}
    assert training_rows(frame, other) is None


def test_by_period_counts_and_means() -> None:
    scores = np.array([0.9, 0.8, 0.1, 0.95, 0.6, 0.2])
    flags = scores >= 0.5
    labels = np.array([1, 1, 0, 1, 0, 0])
    out = by_period(scores, flags, labels, np.array([0, 1, 2]))
    assert out["training_period"] == {"rows": 3, "alerts": 2, "estimated_precision": 0.85, "realized_precision": 1.0}
    assert out["after_training"] == {"rows": 3, "alerts": 2, "estimated_precision": 0.775, "realized_precision": 0.5}
