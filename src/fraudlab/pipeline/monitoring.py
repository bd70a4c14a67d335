"""Notebook 05's figures, computed with pandas from what the topics hold: alert rate and delayed-label
precision/recall per window of transaction time, feature drift (PSI) and end-to-end latency.

These are one-shot computations for the notebook; the continuous monitor that writes a metrics topic is
`fraudlab.monitor` (issue 6) and the KSQL windowed tables come with issue 5.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

PSI_FLAG = 0.2


def scored_transactions(scores: pd.DataFrame, transactions: pd.DataFrame) -> pd.DataFrame:
    """Scores joined with the transactions they belong to (by id): transaction time, label (may be
    missing: not known yet), score, flag and latency in ms (ingested record time -> scored)."""
    tx = transactions.rename(columns=str.upper)
    left = scores.assign(id=scores["id"].astype(str))
    right = pd.DataFrame({"id": tx["ID"].astype(str), "time": tx["TIME"], "label": tx["CLASS"]})
    out = left.merge(right, on="id", how="left", validate="one_to_one")
    out["latency_ms"] = out["scored_at"] - out["event_time"]
    return out


def windows(scored: pd.DataFrame, window_s: float) -> pd.DataFrame:
    """Per window of transaction time: transactions, alerts, alert rate; among the labelled rows,
    frauds, precision and recall of the alerts (NaN where undefined)."""
    frame = scored.assign(window=(scored["time"] // window_s).astype(int))
    labelled = frame[frame["label"].notna()]
    grouped = frame.groupby("window")
    out = pd.DataFrame(
        {
            "start_s": grouped["window"].first() * window_s,
            "transactions": grouped.size(),
            "alerts": grouped["is_fraud"].sum(),
        }
    )
    out["alert_rate"] = out["alerts"] / out["transactions"]
    lab = labelled.assign(tp=labelled["is_fraud"] & (labelled["label"] == 1)).groupby("window")
    out["labelled"] = lab.size()
    out["frauds"] = lab["label"].sum()
    out["true_alerts"] = lab["tp"].sum()
    flagged = labelled[labelled["is_fraud"]].groupby("window").size()
    out["precision"] = out["true_alerts"] / flagged.reindex(out.index)
    out["recall"] = out["true_alerts"] / out["frauds"].where(out["frauds"] > 0)
    return out.fillna({"labelled": 0, "frauds": 0, "true_alerts": 0}).reset_index(drop=True)


def psi(reference: np.ndarray, current: np.ndarray, bins: int = 10) -> float:
    """Population stability index over the reference's quantile bins."""
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)))
    if len(edges) < 3:
        return 0.0
    edges[0], edges[-1] = -np.inf, np.inf
    ref = np.histogram(reference, edges)[0] / max(len(reference), 1)
    cur = np.histogram(current, edges)[0] / max(len(current), 1)
    ref, cur = np.clip(ref, 1e-4, None), np.clip(cur, 1e-4, None)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def drift(reference: pd.DataFrame, current: pd.DataFrame, features: Sequence[str]) -> pd.DataFrame:
    """PSI per feature (column names matched case-insensitively), flagged above 0.2."""
    ref = reference.rename(columns=str.upper)
    cur = current.rename(columns=str.upper)
    rows = [
        {"feature": f, "psi": psi(ref[f.upper()].to_numpy(float), cur[f.upper()].to_numpy(float))}
        for f in features
    ]
    out = pd.DataFrame(rows).sort_values("psi", ascending=False).reset_index(drop=True)
    out["drift"] = out["psi"] > PSI_FLAG
    return out


def latency_summary(scored: pd.DataFrame) -> dict[str, float]:
    lat = scored["latency_ms"].to_numpy(float)
    p50, p95, p99 = np.percentile(lat, [50, 95, 99])
    return {"latency_p50_ms": float(p50), "latency_p95_ms": float(p95), "latency_p99_ms": float(p99)}
