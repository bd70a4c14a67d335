"""Matplotlib helpers for the notebooks: each takes the monitor's metrics records and returns a Figure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _x(metrics: Sequence[dict[str, Any]]) -> np.ndarray:
    return np.asarray([m["window_start"] for m in metrics], dtype="datetime64[ms]")


def alert_rate(metrics: Sequence[dict[str, Any]]) -> Any:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3))
    ax.plot(_x(metrics), [m.get("alert_rate") or 0 for m in metrics], marker="o")
    ax.set(title="alert rate per window", ylabel="alerts / records")
    fig.autofmt_xdate()
    return fig


def precision_recall(metrics: Sequence[dict[str, Any]]) -> Any:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3))
    for key in ("precision", "recall"):
        ax.plot(_x(metrics), [np.nan if m.get(key) is None else m[key] for m in metrics], marker="o", label=key)
    ax.set(title="precision and recall on labels that arrived", ylim=(0, 1.05))
    ax.legend()
    fig.autofmt_xdate()
    return fig


def feature_drift(metrics: Sequence[dict[str, Any]], flag: float = 0.2) -> Any:
    """Heat map of PSI per feature and window, with the flag level in the title."""
    import matplotlib.pyplot as plt

    rows = [m for m in metrics if m.get("feature_psi")]
    names = list(rows[0]["feature_psi"]) if rows else []
    grid = np.asarray([[m["feature_psi"].get(n, np.nan) for m in rows] for n in names]) if rows else np.zeros((0, 0))
    fig, ax = plt.subplots(figsize=(8, max(3, len(names) * 0.2)))
    image = ax.imshow(grid, aspect="auto", cmap="viridis", vmin=0, vmax=max(flag * 2, float(np.nanmax(grid, initial=0))))
    ax.set_yticks(range(len(names)), names, fontsize=6)
    ax.set(title=f"PSI per feature and window (flag > {flag})", xlabel="window")
    fig.colorbar(image, ax=ax)
    return fig


_UNITS = (("days", 86_400_000.0), ("hours", 3_600_000.0), ("minutes", 60_000.0), ("seconds", 1_000.0))


def duration_unit(largest_ms: float) -> tuple[str, float]:
    """The unit a duration axis reads best in (at least 2 of them at the top), with its size in ms."""
    for name, size in _UNITS:
        if largest_ms >= 2 * size:
            return name, size
    return "ms", 1.0


def latency(metrics: Sequence[dict[str, Any]], replay: bool = False) -> Any:
    """p50/p99 of input timestamp -> score record per window, in a readable unit. With `replay` (past
    transactions scored now) that gap is how far the replay runs behind, and the plot says so."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3))
    values = {k: [np.nan if m.get(k) is None else m[k] for m in metrics] for k in ("latency_p50_ms", "latency_p99_ms")}
    unit, size = duration_unit(float(np.nanmax([v for vs in values.values() for v in vs] or [0.0], initial=0.0)))
    for key, series in values.items():
        ax.plot(_x(metrics), np.asarray(series, dtype=float) / size, marker="o", label=key.split("_")[1])
    title = ("replay lag: transaction time -> score (how far the replay runs behind)" if replay
             else "end-to-end latency (input timestamp -> score record)")
    ax.set(title=title, ylabel=unit)
    ax.legend()
    fig.autofmt_xdate()
    return fig
