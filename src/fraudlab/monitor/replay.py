"""`fraudlab monitor replay`: a file's transactions through scoring and the monitor in transaction-time
order, with optional injected drift, for offline checks of the monitor itself.

The reference is the training period's: the bundle's own (`model.json` `reference`, written by
training: `fraudlab.monitor.reference`) when it carries the like-hours view, else one built the same
way from the rows of this file that the bundle's split put in training. Labels
are the file's `Class`, handed to each window when it closes (as if every label had arrived within
the window's label lag), so each window has its estimate before labels and its realized figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from fraudlab.data.schema import FEATURES, LABEL
from fraudlab.monitor.analysis import AnalysisConfig, WindowAnalyzer
from fraudlab.monitor.errors import MonitorError
from fraudlab.monitor.estimate import precision_at_k, totals
from fraudlab.monitor.inject import Injection
from fraudlab.monitor.reference import Reference, training_reference


@dataclass(frozen=True)
class ReplayConfig:
    window_s: float = 3600.0
    analysis: AnalysisConfig = field(default_factory=AnalysisConfig)
    progress: bool = True


def file_reference(frame: pd.DataFrame, scorer: Any, config: AnalysisConfig) -> Reference:
    """The training reference built from the rows of `frame` in the bundle's training period (fit +
    validation) and the bundle's scores on them, as training builds it."""
    from fraudlab.splits import make_split

    card = scorer.card
    data = card.get("training_data", {})
    cfg = card.get("train_config", {})
    split = make_split(frame, data.get("split", "time"), cfg.get("test_fraction", 0.2), cfg.get("val_fraction", 0.2))
    raw = frame.iloc[split.train].loc[:, list(FEATURES)].to_numpy(np.float32)
    return training_reference(frame, split.train, scorer.score(raw), FEATURES, config.drift)


def training_rows(frame: pd.DataFrame, card: dict[str, Any]) -> np.ndarray | None:
    """Positions of `frame`'s rows in the bundle's training period (fit + validation) when `frame` is
    the bundle's own training file (same rows and frauds as its card records), else None."""
    from fraudlab.splits import make_split

    data = card.get("training_data", {})
    if data.get("rows") != len(frame) or data.get("frauds") != int(frame[LABEL].sum()):
        return None
    cfg = card.get("train_config", {})
    split = make_split(frame, data.get("split", "time"), cfg.get("test_fraction", 0.2), cfg.get("val_fraction", 0.2))
    return np.asarray(split.train)


def by_period(scores: np.ndarray, flags: np.ndarray, labels: np.ndarray, train: np.ndarray) -> dict[str, Any]:
    """Estimated vs realized precision of the alerts on the rows the deployed model learned from and on
    the later rows. On its own training rows a model is right more often than its calibration (fitted
    on rows it had not seen) says, so the estimate there is expected to be low."""
    seen = np.zeros(len(scores), dtype=bool)
    seen[train] = True
    out: dict[str, Any] = {}
    for name, part in (("training_period", seen), ("after_training", ~seen)):
        alerted = part & flags
        n = int(alerted.sum())
        out[name] = {
            "rows": int(part.sum()),
            "alerts": n,
            "estimated_precision": round(float(scores[alerted].mean()), 4) if n else None,
            "realized_precision": round(float(labels[alerted].mean()), 4) if n else None,
        }
    return out


def time_windows(time_s: np.ndarray, width_s: float) -> list[tuple[int, slice]]:
    """The replay's windows over rows sorted by the transactions' `Time` (seconds): (window number k,
    rows) per non-empty window [k * width, (k + 1) * width) of the data's own clock."""
    if len(time_s) == 0:
        return []
    starts = np.floor(np.asarray(time_s, dtype=np.float64) / width_s).astype(np.int64)
    bounds = np.flatnonzero(np.diff(starts)) + 1
    edges = [0, *bounds.tolist(), len(starts)]
    return [(int(starts[a]), slice(a, b)) for a, b in pairwise(edges)]


def replay(frame: pd.DataFrame, model_dir: Path, injections: Sequence[Injection] = (),
           config: ReplayConfig | None = None, reference: Reference | None = None) -> dict[str, Any]:
    from fraudlab.model import load

    config = config or ReplayConfig()
    missing = [c for c in (*FEATURES, LABEL) if c not in frame.columns]
    if missing:
        raise MonitorError("replay data", f"lacks the column(s) {missing}")
    frame = frame.sort_values("Time", kind="stable").reset_index(drop=True)
    scorer = load(model_dir)
    reference_source = "given"
    if reference is None:
        reference = Reference.from_card(scorer.card)
        reference_source = "the bundle's (training rows and scores)"
    if reference is None or reference.hourly is None:
        # a bundle trained before it stored one: the file's rows of its training split
        reference = file_reference(frame, scorer, config.analysis)
        reference_source = "training rows of the data file (the bundle's split)"
    raw = np.array(frame.loc[:, list(FEATURES)].to_numpy(np.float32), copy=True)  # injections write into it
    time_s = frame["Time"].to_numpy(np.float64)
    for inj in injections:
        inj.apply(raw, FEATURES, time_s)
    labels = frame[LABEL].to_numpy(np.int64)
    scores = np.concatenate([scorer.score(raw[i : i + 50_000]) for i in range(0, len(raw), 50_000)] or
                            [np.empty(0, np.float32)]).astype(np.float64)
    flags = scorer.is_fraud(scores)
    analyzer = WindowAnalyzer(reference, FEATURES, config.analysis)
    width = config.window_s
    windows = []
    for start, sl in tqdm(time_windows(time_s, width), desc="replay windows", disable=not config.progress):
        windows.append(analyzer.window(
            int(start * width * 1000), int((start + 1) * width * 1000), scores[sl], flags[sl], time_s[sl],
            labels=labels[sl], features=raw[sl], feature_time_s=time_s[sl]))
    run = totals(windows)
    flags_total = sum(len(w.get("drifted_features") or []) for w in windows)
    drifted = sorted({f for w in windows for f in (w.get("drifted_features") or [])})
    alarms = [t for w in windows for t in (w.get("score_change_alarms_s") or [])]
    injected_at = min((i.at_hour for i in injections), default=None)
    detected_at = alarm_at = None
    if injected_at is not None:
        # a window's drift is known when it closes: detection time is the end of the first window
        # (starting at or after the injection's window) that flags an injected feature
        injected = {i.feature for i in injections}
        after = [w["window_end"] / 3.6e6 for w in windows
                 if injected & set(w.get("drifted_features") or [])
                 and w["window_end"] / 3.6e6 > injected_at]
        detected_at = min(after, default=None)
        alarm_at = min((t / 3600 for t in alarms if t / 3600 >= injected_at), default=None)
    day = np.floor(time_s / 86_400).astype(np.int64)
    train = training_rows(frame, scorer.card)
    return {
        "data_rows": len(frame),
        "model_version": scorer.model_version,
        "threshold": scorer.threshold,
        "window_s": width,
        "reference": reference_source,
        "injections": [str(i) for i in injections],
        "windows": len(windows),
        "drift_flags": flags_total,
        "windows_with_drift": sum(bool(w.get("drifted_features")) for w in windows),
        "drifted_features": drifted,
        "dataset_drift_windows": sum(bool(w.get("dataset_drift")) for w in windows),
        "score_psi_bands": {b: sum(w.get("score_psi_band") == b for w in windows)
                            for b in ("stable", "moderate", "significant")},
        "score_change_alarms_h": [round(t / 3600, 3) for t in alarms],
        "injected_at_hour": injected_at,
        "detected_at_hour": None if detected_at is None else round(detected_at, 3),
        "detection_delay_h": None if detected_at is None or injected_at is None else round(detected_at - injected_at, 3),
        "score_change_alarm_after_injection_h": None if alarm_at is None else round(alarm_at, 3),
        **{k: v for k, v in run.items()},
        "precision_by_period": None if train is None else by_period(scores, flags, labels, train),
        "precision_at_k": precision_at_k(day, scores, labels, config.analysis.budget_k),
        "per_window": windows,
    }
