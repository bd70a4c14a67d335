"""A deterministic synthetic stand-in for the Kaggle data, same 31-column schema.

Normal rows come from a low-dimensional nonlinear manifold plus noise (so an autoencoder has
structure to learn, like the PCA components of the real data); frauds are normal-looking rows pushed
along a few fraud directions by a random, sometimes small, amount, so classes overlap partly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fraudlab.data.errors import SyntheticDataError
from fraudlab.data.schema import COLUMNS, LABEL

_TWO_DAYS = 172_800.0
_N_V = 28
_LATENT = 6
# Features that move most for frauds, echoing the real data (V14, V12, V10, V17, V4, V11).
_FRAUD_FEATURES = (13, 11, 9, 16, 3, 10)


def synthetic(n_rows: int, fraud_rate: float = 0.0017, seed: int = 0) -> pd.DataFrame:
    """`n_rows` transactions in time order, `round(n_rows * fraud_rate)` of them frauds (at least one
    when the rate is positive)."""
    if n_rows < 1 or not 0.0 <= fraud_rate < 1.0:
        raise SyntheticDataError(n_rows, fraud_rate)
    rng = np.random.default_rng(seed)
    # The structure is drawn from a fixed generator: every seed shares one "population".
    structure = np.random.default_rng(20131)
    mix = structure.normal(size=(_LATENT, _N_V)) / np.sqrt(_LATENT)
    scales = np.linspace(1.9, 0.3, _N_V)

    latent = rng.normal(size=(n_rows, _LATENT))
    v = np.tanh(latent @ mix) * 2.0 + 0.35 * rng.normal(size=(n_rows, _N_V))
    v = v / v.std(axis=0, keepdims=True).clip(1e-9) * scales if n_rows > 1 else v

    amount = np.round(np.exp(rng.normal(3.0, 1.3, size=n_rows)), 2)
    time = np.sort(np.floor(rng.uniform(0.0, _TWO_DAYS, size=n_rows)))
    label = np.zeros(n_rows, dtype=np.int64)

    n_fraud = round(n_rows * fraud_rate)
    if fraud_rate > 0 and n_fraud == 0:
        n_fraud = 1
    if n_fraud:
        idx = rng.choice(n_rows, size=n_fraud, replace=False)
        label[idx] = 1
        direction = np.zeros(_N_V)
        direction[list(_FRAUD_FEATURES)] = [-1.0, -0.8, -0.7, -0.6, 0.6, 0.5]
        direction /= np.linalg.norm(direction)
        strength = rng.gamma(1.5, 0.9, size=(n_fraud, 1))  # many strong, some barely visible
        jitter = rng.normal(scale=0.15, size=(n_fraud, _N_V))
        v[idx] += strength * direction * scales.max() * 1.5 + jitter
        amount[idx] = np.round(
            np.where(rng.random(n_fraud) < 0.4, 1.0, np.exp(rng.normal(4.0, 1.5, n_fraud))), 2
        )

    frame = pd.DataFrame(v, columns=[f"V{i}" for i in range(1, _N_V + 1)])
    frame.insert(0, "Time", time)
    frame["Amount"] = amount
    frame[LABEL] = label
    return frame.loc[:, list(COLUMNS)]
