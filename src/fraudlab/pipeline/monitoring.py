"""Notebook 05's glue around the product's monitoring: the late labels, `fraudlab.monitor.Monitor` over the
topics (with the drift reference training wrote into the bundle), and the KSQL windowed tables
(`ksql/05_monitoring.sql`) read through the REST API. The figures themselves are the monitor's and KSQL's;
nothing is recomputed here (precision and recall come from `fraudlab.monitor.precision_recall`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fraudlab.kafka import KafkaConfig, produce_values
from fraudlab.ksql import Applied, KsqlConfig, PipelineNames, apply, client, existing_sources, pull_frame
from fraudlab.monitor import precision_recall
from fraudlab.pipeline.data import LABEL_DELAY_MAX
from fraudlab.pipeline.errors import StageInputError

SERVICE_SCORES_FILE = "service_scores.sql"
MONITORING_FILE = "05_monitoring.sql"


def publish_late_labels(
    kafka: KafkaConfig, labelled: pd.DataFrame, topic: str, seed: int,
    min_delay_s: float = 600.0, max_delay_s: float = LABEL_DELAY_MAX.total_seconds(), progress: bool = True,
) -> pd.DataFrame:
    """Each label ({"ID", "CLASS"}) as a record timestamped when it becomes known: its transaction's
    event time plus a random delay, written in that order. `labelled` has ID, CLASS and `_timestamp_ms`
    (the transaction's event time). Returns the labels with their arrival time."""
    rng = np.random.default_rng(seed)
    delay_ms = rng.uniform(min_delay_s, max_delay_s, len(labelled)) * 1000
    labels = pd.DataFrame({"ID": labelled["ID"].astype("int64"), "CLASS": labelled["CLASS"].astype("int64"),
                           "event_ms": labelled["_timestamp_ms"].astype("int64")})
    labels["arrival_ms"] = labels["event_ms"] + delay_ms.astype("int64")
    labels = labels.sort_values("arrival_ms", kind="stable").reset_index(drop=True)
    payloads = (json.dumps({"ID": int(rid), "CLASS": int(cls)}).encode()
                for rid, cls in labels[["ID", "CLASS"]].itertuples(index=False))
    # written in arrival order (the idempotent producer keeps it), each stamped with its arrival time
    produce_values(kafka, topic, payloads, timestamps=labels["arrival_ms"].tolist(), total=len(labels),
                   progress=progress, producer_overrides={"linger.ms": 20}, flush_timeout_s=60.0)
    return labels


def metrics_frame(metrics: Sequence[dict[str, Any]], replay: bool = True) -> pd.DataFrame:
    """The monitor's window records as a table (window start as a timestamp, drift as a count). The
    latency percentiles become durations (`2 days 11:33:44`, not 214,424,673 ms) named for what they
    are: with `replay` (past transactions scored now) the gap from transaction time to score is how far
    the replay runs behind, so the columns say "replay lag", not "latency"."""
    rows = [{k: v for k, v in m.items() if k != "feature_psi"} for m in metrics]
    out = pd.DataFrame(rows)
    if len(out):
        out["window_start"] = pd.to_datetime(out["window_start"], unit="ms", utc=True)
        out["drifted"] = [len(m.get("drifted_features") or []) for m in metrics]
        label = "replay lag" if replay else "latency"
        for column, quantile in (("latency_p50_ms", "p50"), ("latency_p99_ms", "p99")):
            if column in out:
                lag = pd.to_timedelta(pd.to_numeric(out.pop(column)), unit="ms")
                out[f"{label} {quantile}"] = lag.dt.round("1s" if replay else "1ms")
    return out


def monitor_totals(metrics: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Run-wide figures from the window records: confusion counts summed, not rates averaged."""
    tp = sum(m["true_positives"] for m in metrics)
    fp = sum(m["false_positives"] for m in metrics)
    fn = sum(m["false_negatives"] for m in metrics)
    records = sum(m["records"] for m in metrics)
    precision, recall = precision_recall(tp, fp, fn)
    return {
        "windows": len(metrics),
        "records": records,
        "alerts": sum(m["alerts"] for m in metrics),
        "labelled": sum(m["labelled"] for m in metrics),
        "precision": precision,
        "recall": recall,
        "windows with drift": sum(bool(m.get("drifted_features")) for m in metrics),
        "drifted features": sorted({f for m in metrics for f in (m.get("drifted_features") or [])}),
        "max score PSI": max((m.get("score_psi") or 0.0 for m in metrics), default=0.0),
    }


def alert_rate_windows(frame: pd.DataFrame) -> pd.DataFrame:
    """The windowed alert-rate table's rows (a pull query), in window order, with the alert rate."""
    if frame.empty:
        return frame
    frame = frame.sort_values("WINDOWSTART").reset_index(drop=True)
    frame["window_start"] = pd.to_datetime(frame["WINDOWSTART"], unit="ms", utc=True)
    frame["alert_rate"] = frame["ALERTS"] / frame["TRANSACTIONS"]
    return frame


def quality_windows(frame: pd.DataFrame) -> pd.DataFrame:
    """The windowed confusion counts of scores joined with late labels; precision and recall per window."""
    if frame.empty:
        return frame
    frame = frame.sort_values("WINDOWSTART").reset_index(drop=True)
    frame["window_start"] = pd.to_datetime(frame["WINDOWSTART"], unit="ms", utc=True)
    rates = [precision_recall(int(tp), int(fp), int(fn), digits=None) for tp, fp, fn in
             zip(frame["TRUE_POSITIVES"], frame["FALSE_POSITIVES"], frame["FALSE_NEGATIVES"], strict=True)]
    frame["precision"] = pd.Series([p for p, _ in rates], index=frame.index, dtype="float64")
    frame["recall"] = pd.Series([r for _, r in rates], index=frame.index, dtype="float64")
    return frame


def ksql_windows_plot(alert_rate: pd.DataFrame, quality: pd.DataFrame) -> Any:
    """KSQL's own windows: alert rate per hour, precision and recall per hour of labelled scores."""
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 5.5), sharex=True)
    top.plot(alert_rate["window_start"], alert_rate["alert_rate"], marker=".", label="alert rate")
    top.set(title="KSQL table: alert rate per hour of transaction time", ylabel="alerts / transactions")
    if len(quality):
        bottom.plot(quality["window_start"], quality["precision"], marker=".", label="precision")
        bottom.plot(quality["window_start"], quality["recall"], marker=".", label="recall")
    bottom.set(title="KSQL table: precision and recall on late labels, per hour", ylim=(-0.05, 1.05))
    bottom.legend()
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def wait_for_window_counts(
    config: KsqlConfig, table: str, column: str, expected: int, timeout_s: float, poll_s: float = 0.5,
) -> pd.DataFrame:
    """Pull the windowed table until its windows' `column` adds up to `expected` (every input row
    counted), or raise once `timeout_s` has passed. The last pull is returned."""
    import time

    deadline = time.monotonic() + timeout_s
    while True:
        frame = pull_frame(config, f"SELECT * FROM {table};", timeout_s=max(5.0, deadline - time.monotonic()))
        got = int(frame[column].sum()) if len(frame) else 0
        if got >= expected:
            return frame
        if time.monotonic() + poll_s > deadline:
            raise StageInputError(f"KSQL table {table}", got, f"{column} adds up to {got} of {expected} "
                                                              f"within {timeout_s:.0f} s")
        time.sleep(poll_s)


def window_seconds(rows: int, span_s: float, min_rows: int = 500, step_s: int = 3600) -> int:
    """Monitor window length: whole hours, long enough for about `min_rows` scores per window (PSI on
    ten bins is noise below a few hundred rows)."""
    if rows <= 0 or span_s <= 0:
        return step_s
    per_step = rows / max(span_s / step_s, 1.0)
    return int(step_s * max(1, int(np.ceil(min_rows / per_step))))


def apply_monitoring(config: KsqlConfig, ksql_dir: Path, names: PipelineNames) -> tuple[str, list[Applied]]:
    """05_monitoring.sql over the KSQL scores stream when notebook 04 created it (the embedded server),
    otherwise over the scoring service's output declared by service_scores.sql (real ksqlDB). Returns
    which scores the tables count, and the statements applied."""
    variables = names.variables()
    applied: list[Applied] = []
    if variables["ksql_scored_stream"] in existing_sources(client(config)):
        source = f"KSQL ANOMALY_SCORE ({variables['ksql_scored_stream']})"
    else:
        applied += apply(config, [ksql_dir / SERVICE_SCORES_FILE], variables)
        variables["ksql_scored_stream"] = variables["service_scores_stream"]
        source = f"scoring service ({variables['service_scores_stream']})"
    applied += apply(config, [ksql_dir / MONITORING_FILE], variables)
    return source, applied
