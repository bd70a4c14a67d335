"""Notebook 04's scoring step: the scoring service over a known number of records, with a progress bar
and a deadline, so the cell ends whether or not every record arrives; and the figure of the scores."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from fraudlab.pipeline.errors import StageInputError
from fraudlab.scoring import ScoringConfig, ScoringService, ServiceReport


def score_stream(
    config: ScoringConfig, expected: int, timeout_s: float = 300.0, progress: bool = True
) -> ServiceReport:
    """Run the service until it has read `expected` records (then drain and commit) or `timeout_s`
    passes (then StageInputError, after the drain)."""
    stop = threading.Event()
    bar = tqdm(total=expected, desc="scoring", unit="rec", disable=not progress)

    def on_report(report: ServiceReport) -> None:
        bar.n = min(report.records_in, expected)
        bar.set_postfix(rate=f"{report.records_per_s:,.0f}/s", lag=report.lag)
        bar.refresh()

    service = ScoringService(replace(config, max_records=expected, report_interval_s=1.0), on_report=on_report)
    timer = threading.Timer(timeout_s, stop.set)
    timer.start()
    try:
        final = service.run(stop)
    finally:
        timer.cancel()
        bar.close()
    if final.records_in < expected:
        raise StageInputError(
            "scoring input", config.input_topic, f"{final.records_in} of {expected} records within {timeout_s:.0f} s"
        )
    return final


def scores_plot(scores: pd.DataFrame, both: pd.DataFrame | None = None) -> Any:
    """Left: the service's scores of the live stream with the threshold. Right: per transaction, the
    service's score against KSQL's ANOMALY_SCORE when both paths scored (`both`, from
    `ksql_scoring.compare_scores`), else how far behind transaction time the replay was scored."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.5))
    left.hist(scores["score"], bins=50, log=True)
    left.axvline(scores["threshold"].iloc[0], color="red", linestyle="--", label="threshold")
    left.set(title="scores of the live stream (service)", xlabel="fraud score", ylabel="transactions (log)")
    left.legend()
    if both is not None:
        right.scatter(both["service_score"], both["ksql_score"], s=4)
        right.set(title="per transaction: service vs KSQL ANOMALY_SCORE", xlabel="service score",
                  ylabel="KSQL score")
    else:
        right.hist((scores["scored_at"] - scores["event_time"]) / 3.6e6, bins=50)
        right.set(title="replay: transaction time -> scored", xlabel="hours", ylabel="transactions")
    fig.tight_layout()
    return fig
