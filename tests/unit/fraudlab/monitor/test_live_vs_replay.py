"""The live monitor and the offline replay judge the same windows of the same transactions.

A pipeline run maps the transactions' `Time == 0` to some wall-clock instant (the Kafka timestamps are
that instant plus `Time`), rarely a whole hour. The replay windows the data by its own clock
(`Time // width`) and the like-hours reference is keyed by that clock's hour of day, so the live
monitor must cut its windows on the same clock, whichever topic it happens to read first."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import orjson
import pytest

from fraudlab.data import synthetic
from fraudlab.data.schema import FEATURES
from fraudlab.monitor import (
    AnalysisConfig,
    Binning,
    Monitor,
    MonitorConfig,
    Reference,
    WindowAnalyzer,
    training_reference,
)
from fraudlab.monitor.replay import time_windows

HOUR_MS = 3_600_000
BASE_MS = 1_796_344_654_000  # 2026-12-04T00:37:34Z: where a pipeline run put Time == 0 (not a whole hour)
BATCH = 700


@pytest.fixture(scope="module")
def case() -> dict:
    train = synthetic(30_000, 0.01, seed=1)
    rng = np.random.default_rng(3)
    reference = training_reference(train, np.arange(len(train)), rng.beta(0.3, 30, len(train)))
    live = synthetic(12_000, 0.01, seed=2)
    live.loc[live["Time"] >= 30 * 3600, "V3"] += 3.0  # drift from hour 30 on: some windows must flag
    time_s = live["Time"].to_numpy(np.float64)
    # as notebook 01 writes the demo file: Timestamp = the run's start + whole seconds of Time
    event_ms = BASE_MS + np.floor(time_s).astype(np.int64) * 1000
    scores = rng.beta(0.3, 30, len(live))
    flags = scores >= 0.1
    matrix = live.loc[:, list(FEATURES)].to_numpy(np.float32)
    # KSQL's JSON rows of the features stream: upper-case names, an id, columns the model does not read
    tx = [orjson.dumps({"ID": i, "TIMESTAMP": "x", "USER_MASKED": "Xxx",
                        **{f.upper(): float(v) for f, v in zip(FEATURES, row, strict=True)}, "CLASS": 0})
          for i, row in enumerate(matrix)]
    sc = [orjson.dumps({"id": str(i), "score": float(s), "is_fraud": bool(f), "event_time": int(e)})
          for i, (s, f, e) in enumerate(zip(scores, flags, event_ms, strict=True))]
    analyzer = WindowAnalyzer(reference, FEATURES, AnalysisConfig())
    replayed = [analyzer.window(k * HOUR_MS, (k + 1) * HOUR_MS, scores[sl], flags[sl], time_s[sl],
                                features=matrix[sl], feature_time_s=time_s[sl])
                for k, sl in time_windows(time_s, 3600.0)]
    return {"reference": reference, "tx": tx, "scores": sc, "event_ms": event_ms.tolist(), "replayed": replayed}


def _batches(n: int) -> list[slice]:
    return [slice(a, a + BATCH) for a in range(0, n, BATCH)]


def _scores_first(mon: Monitor, case: dict) -> None:
    """The scores topic read to its end before the first transaction (topics are read at their own pace)."""
    ev, n = case["event_ms"], len(case["tx"])
    for sl in _batches(n):
        mon.add_scores(case["scores"][sl], ev[sl])
        mon.close_windows()
    for sl in _batches(n):
        mon.add_transactions(case["tx"][sl], ev[sl])
        mon.close_windows()


def _transactions_first(mon: Monitor, case: dict) -> None:
    ev, n = case["event_ms"], len(case["tx"])
    for sl in _batches(n):
        mon.add_transactions(case["tx"][sl], ev[sl])
        mon.close_windows()
    for sl in _batches(n):
        mon.add_scores(case["scores"][sl], ev[sl])
        mon.close_windows()


def _interleaved(mon: Monitor, case: dict) -> None:
    """`Monitor.run`'s order within a consumed batch: transactions, then scores; the scores run a batch
    ahead of the transactions."""
    ev, parts = case["event_ms"], _batches(len(case["tx"]))
    mon.add_scores(case["scores"][parts[0]], ev[parts[0]])
    for here, ahead in zip(parts, [*parts[1:], None], strict=True):
        mon.add_transactions(case["tx"][here], ev[here])
        if ahead is not None:
            mon.add_scores(case["scores"][ahead], ev[ahead])
        mon.close_windows()


@pytest.mark.parametrize("feed", [_scores_first, _transactions_first, _interleaved])
def test_live_windows_and_drift_flags_equal_the_replays(case: dict, feed: Callable[[Monitor, dict], None]) -> None:
    mon = Monitor(MonitorConfig(scores_topic="s", transactions_topic="t", window_s=3600.0, value_format="json"),
                  reference=case["reference"])
    feed(mon, case)
    mon.close_windows(final=True)
    live = mon.emitted
    replayed = case["replayed"]
    assert mon.clock_offset_s == pytest.approx(BASE_MS / 1000)
    # the replay's window k is [k h, (k + 1) h) of Time: BASE_MS + k h on the wall clock
    assert [w["window_start"] for w in live] == [BASE_MS + w["window_start"] for w in replayed]
    assert [w["records"] for w in live] == [w["records"] for w in replayed]
    assert [w["drifted_features"] for w in live] == [w["drifted_features"] for w in replayed]
    assert sum(len(w["drifted_features"]) for w in replayed) >= 5  # the V3 shift is seen, by both
    for a, b in zip(live, replayed, strict=True):
        assert a["feature_drift"] == b["feature_drift"]
        assert (a["alerts"], a["estimated_precision"]) == (b["alerts"], b["estimated_precision"])


def test_a_record_of_a_window_already_reported_does_not_open_a_second_one() -> None:
    """A transaction read after its window was reported (e.g. from a partition that lags) is counted as
    late instead of making a second record for the same window."""
    reference = Reference({"x": Binning.fit(np.linspace(0, 1, 100)), "y": Binning.fit(np.linspace(0, 1, 100))})
    mon = Monitor(MonitorConfig(scores_topic="s", transactions_topic="t", window_s=10.0, value_format="json"),
                  reference=reference, feature_names=("x", "y"))
    tx = [orjson.dumps({"x": i / 10, "y": 0.5}) for i in range(12)]
    ts = [i * 1000 for i in range(10)] + [25_000, 26_000]
    sc = [orjson.dumps({"id": str(i), "score": 0.1, "is_fraud": False, "event_time": t}) for i, t in enumerate(ts)]
    mon.add_transactions(tx, ts)
    mon.add_scores(sc, ts)
    (first,) = mon.close_windows()
    assert first["window_start"] == 0 and first["records"] == 10
    mon.add_transactions([orjson.dumps({"x": 0.5, "y": 0.5})], [3_000])  # window [0, 10 s) is already out
    mon.add_scores([orjson.dumps({"id": "late", "score": 0.1, "is_fraud": False, "event_time": 4_000})], [4_000])
    rest = mon.close_windows(final=True)
    assert [w["window_start"] for w in rest] == [20_000]
    assert mon.late_records == 2
