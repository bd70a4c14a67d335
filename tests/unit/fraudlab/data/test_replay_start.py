"""The pipeline replays the transactions as if they happened before the run: `Time == 0` on a whole hour, so
KSQL's epoch-aligned hourly windows and the monitor's Time-aligned ones are the same hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd

from fraudlab.pipeline.data import LABEL_DELAY_MAX, replay_start


def test_time_zero_falls_on_a_whole_hour_and_the_replay_ends_before_the_labels_are_due() -> None:
    frame = pd.DataFrame({"Time": [0.0, 100.0, 172_792.0]})
    now = datetime(2026, 12, 6, 14, 37, 34, 123456, tzinfo=UTC)
    start = replay_start(frame, now)
    assert (start.minute, start.second, start.microsecond) == (0, 0, 0)
    end = start + timedelta(seconds=172_792.0)
    assert now - LABEL_DELAY_MAX - timedelta(hours=1) < end < now - LABEL_DELAY_MAX
