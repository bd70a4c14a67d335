"""Durations in readable units: the helper, the monitor table's replay lag, the latency plot's axis."""

from __future__ import annotations

import pandas as pd
import pytest

from fraudlab.monitor.plots import duration_unit
from fraudlab.pipeline.monitoring import metrics_frame
from fraudlab.units import format_duration, format_ms


@pytest.mark.parametrize(("seconds", "text"), [
    (0.0123, "12 ms"), (1.26, "1.3 s"), (289.0, "4 min 49 s"), (7500.0, "2 h 05 min"),
    (214_424.673, "2 d 11 h"), (-3.0, "-3.0 s"), (None, "n/a"),
])
def test_format_duration(seconds: float | None, text: str) -> None:
    assert format_duration(seconds) == text


def test_format_ms() -> None:
    assert format_ms(214_424_673) == "2 d 11 h"


def test_the_monitor_table_labels_replay_lag_as_a_duration() -> None:
    metrics = [{"window_start": 0, "records": 10, "latency_p50_ms": 214_424_673.0, "latency_p99_ms": 214_500_000.4,
                "drifted_features": []}]
    frame = metrics_frame(metrics)
    assert "latency_p50_ms" not in frame and "latency_p99_ms" not in frame
    assert frame["replay lag p50"].iloc[0] == pd.Timedelta(days=2, hours=11, minutes=33, seconds=45)
    assert str(frame["replay lag p50"].iloc[0]) == "2 days 11:33:45"
    live = metrics_frame(metrics, replay=False)
    assert live["latency p99"].iloc[0] == pd.Timedelta(milliseconds=214_500_000)


def test_duration_axis_unit() -> None:
    assert duration_unit(214_424_673) == ("days", 86_400_000.0)
    assert duration_unit(90_000) == ("seconds", 1_000.0)
    assert duration_unit(150) == ("ms", 1.0)
