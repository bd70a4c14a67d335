"""Train/test splits: time-ordered (the default) or stratified random (the original demo's protocol).

A validation slice is always carved out of the training part, never out of the test part: the latest
rows of the training period for the time split, a stratified sample for the random split.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from fraudlab.data.schema import LABEL
from fraudlab.errors import FraudlabError

SplitKind = Literal["time", "random"]
DEMO_SEED = 314


class SplitError(FraudlabError):
    def __init__(self, kind: str, n_rows: int, reason: str) -> None:
        self.kind = kind
        self.n_rows = n_rows
        super().__init__(f"cannot make a {kind!r} split of {n_rows} rows: {reason}")


@dataclass(frozen=True)
class Split:
    """Index arrays into the frame; `fit` and `val` together are the training period."""

    kind: SplitKind
    fit: np.ndarray
    val: np.ndarray
    test: np.ndarray

    @property
    def train(self) -> np.ndarray:
        return np.sort(np.concatenate([self.fit, self.val]))


def _stratified(
    labels: np.ndarray, fraction: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Positions split so that each class keeps `fraction` of its rows on the second side."""
    first, second = [], []
    for cls in np.unique(labels):
        pos = np.flatnonzero(labels == cls)
        rng.shuffle(pos)
        n_second = round(len(pos) * fraction)
        second.append(pos[:n_second])
        first.append(pos[n_second:])
    return np.sort(np.concatenate(first)), np.sort(np.concatenate(second))


def make_split(
    frame: pd.DataFrame,
    kind: SplitKind = "time",
    test_fraction: float = 0.2,
    val_fraction: float = 0.2,
    seed: int = DEMO_SEED,
) -> Split:
    """Split `frame` into fit / validation / test row positions.

    time: rows sorted by `Time` (stable); the latest `test_fraction` is the test set, and the latest
    `val_fraction` of the remaining training period is the validation slice.
    random: stratified by `Class` with `seed` (314 as in the original demo), validation likewise.
    """
    n = len(frame)
    if not (0 < test_fraction < 1 and 0 < val_fraction < 1):
        raise SplitError(kind, n, "fractions must be strictly between 0 and 1")
    if n < 10:
        raise SplitError(kind, n, "need at least 10 rows")
    if kind == "time":
        order = np.argsort(frame["Time"].to_numpy(), kind="stable")
        n_test = round(n * test_fraction)
        train, test = order[: n - n_test], order[n - n_test :]
        n_val = round(len(train) * val_fraction)
        return Split(kind, fit=train[: len(train) - n_val], val=train[len(train) - n_val :], test=test)
    if kind == "random":
        rng = np.random.default_rng(seed)
        labels = frame[LABEL].to_numpy()
        train, test = _stratified(labels, test_fraction, rng)
        fit_rel, val_rel = _stratified(labels[train], val_fraction, rng)
        return Split(kind, fit=train[fit_rel], val=train[val_rel], test=test)
    raise SplitError(kind, n, "kind must be 'time' or 'random'")
