"""Feature preparation: raw Kaggle columns in, standardised model inputs out.

`Time` becomes the time of day on a circle (sin, cos): the absolute time only grows, so on a
time-ordered split it would put every test row outside the training range, while the hour of day
carries real signal (fraud is relatively more frequent at night). `Amount` is heavy-tailed, so it is
log1p-transformed. Everything is then standardised with statistics of the fitting rows only.
The same arithmetic is rebuilt inside the exported graphs (`fraudlab.model.graph`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fraudlab.data.schema import FEATURES

DAY_SECONDS = 86_400.0
MODEL_INPUTS: tuple[str, ...] = (*(f"V{i}" for i in range(1, 29)), "log_amount", "tod_sin", "tod_cos")
_TIME = FEATURES.index("Time")
_AMOUNT = FEATURES.index("Amount")
_V = slice(1, 29)


def expand(raw: np.ndarray) -> np.ndarray:
    """(n, 30) raw columns in `FEATURES` order -> (n, 31) unscaled model inputs (`MODEL_INPUTS`)."""
    raw = np.asarray(raw, dtype=np.float64)
    angle = (2.0 * np.pi / DAY_SECONDS) * np.mod(raw[:, _TIME], DAY_SECONDS)
    return np.column_stack(
        [raw[:, _V], np.log1p(np.maximum(raw[:, _AMOUNT], 0.0)), np.sin(angle), np.cos(angle)]
    )


@dataclass(frozen=True)
class Standardizer:
    """Per-column affine scaling `(x - mean) / scale`, fitted on training rows only."""

    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray) -> Standardizer:
        x = np.asarray(x, dtype=np.float64)
        std = x.std(axis=0)
        return cls(mean=x.mean(axis=0), scale=np.where(std > 1e-12, std, 1.0))

    def transform(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, dtype=np.float64) - self.mean) / self.scale

    def to_json(self) -> dict[str, list[float]]:
        return {"mean": self.mean.tolist(), "scale": self.scale.tolist()}

    @classmethod
    def from_json(cls, data: dict[str, list[float]]) -> Standardizer:
        return cls(
            mean=np.asarray(data["mean"], dtype=np.float64), scale=np.asarray(data["scale"], dtype=np.float64)
        )


@dataclass(frozen=True)
class WorkbenchFeatures:
    """`expand` then standardise: the workbench models' preprocessing."""

    scaler: Standardizer

    @classmethod
    def fit(cls, raw: np.ndarray) -> WorkbenchFeatures:
        return cls(Standardizer.fit(expand(raw)))

    def transform(self, raw: np.ndarray) -> np.ndarray:
        return self.scaler.transform(expand(raw))


@dataclass(frozen=True)
class DemoFeatures:
    """The original demo's preprocessing: `Time` and `Amount` standardised, V1..V28 left raw."""

    time: tuple[float, float]
    amount: tuple[float, float]

    @classmethod
    def fit(cls, raw: np.ndarray) -> DemoFeatures:
        raw = np.asarray(raw, dtype=np.float64)
        t, a = raw[:, _TIME], raw[:, _AMOUNT]
        return cls((float(t.mean()), float(t.std() or 1.0)), (float(a.mean()), float(a.std() or 1.0)))

    def transform(self, raw: np.ndarray) -> np.ndarray:
        out = np.array(raw, dtype=np.float64, copy=True)
        out[:, _TIME] = (out[:, _TIME] - self.time[0]) / self.time[1]
        out[:, _AMOUNT] = (out[:, _AMOUNT] - self.amount[0]) / self.amount[1]
        return out
