"""Notebook 04's scoring step: the scoring service over a known number of records, with a progress bar
and a deadline, so the cell ends whether or not every record arrives."""

from __future__ import annotations

import threading
from dataclasses import replace

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
