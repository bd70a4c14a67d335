"""Monitor logic without a broker: PSI, windows closing after the label lag, precision/recall."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import orjson
import pandas as pd
import pytest

from fraudlab.monitor import (
    Binning,
    Monitor,
    MonitorConfig,
    MonitorError,
    Reference,
    confusion,
    precision_recall,
    read_reference,
)


def test_psi_is_zero_for_the_same_distribution_and_flags_a_shift() -> None:
    rng = np.random.default_rng(0)
    ref = Binning.fit(rng.normal(size=50_000))
    assert ref.psi(rng.normal(size=50_000)) < 0.01
    assert ref.psi(rng.normal(loc=1.0, size=50_000)) > 0.2
    assert np.isclose(ref.proportions.sum(), 1.0)
    again = Binning.from_json(ref.to_json())
    np.testing.assert_array_equal(again.edges, ref.edges)


def test_reference_from_frame_and_card_roundtrip() -> None:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=1000), "b": rng.uniform(size=1000)})
    ref = Reference.from_frame(frame, ["a", "b"], scores=rng.uniform(size=1000))
    card_ref = Reference.from_card({"reference": ref.to_json()})
    assert card_ref is not None and set(card_ref.features) == {"a", "b"} and card_ref.score is not None
    assert Reference.from_card({}) is None
    shifted = np.column_stack([rng.normal(size=1000) + 2, rng.uniform(size=1000)])
    psi = ref.feature_psi(shifted, ["a", "b"])
    assert psi["a"] > 0.2 > psi["b"]
    with pytest.raises(MonitorError, match="'c'"):
        Reference.from_frame(frame, ["a", "c"])


def test_a_bundle_without_a_reference_is_named(tmp_path: Path) -> None:
    card = {"feature_names": ["x"], "threshold": {"value": 0.5}, "model_version": "v", "format_version": 1}
    (tmp_path / "model.json").write_text(json.dumps(card))
    with pytest.raises(MonitorError, match="holds no drift reference"):
        read_reference(tmp_path)
    assert Monitor(MonitorConfig(scores_topic="s", model_dir=tmp_path)).reference is None
    ref = Reference.from_frame(pd.DataFrame({"x": np.arange(100.0)}), ["x"])
    (tmp_path / "model.json").write_text(json.dumps({**card, "reference": ref.to_json()}))
    assert read_reference(tmp_path).features["x"].edges.tolist() == ref.features["x"].edges.tolist()


def test_precision_and_recall_are_none_when_undefined() -> None:
    assert precision_recall(2, 1, 3) == (0.6667, 0.4)
    assert precision_recall(2, 1, 3, digits=None) == (2 / 3, 0.4)
    assert precision_recall(0, 0, 5) == (None, 0.0) and precision_recall(0, 2, 0) == (0.0, None)


def test_confusion_counts_only_labelled_rows() -> None:
    out = confusion([True, True, False, False, True], ["1", "2", "3", "4", "5"], {"1": 1, "2": 0, "3": 1, "4": 0})
    assert (out["true_positives"], out["false_positives"], out["false_negatives"], out["labelled"]) == (1, 1, 1, 4)
    assert out["precision"] == 0.5 and out["recall"] == 0.5


def _score(rid: int, event_ms: int, score: float, threshold: float = 0.5) -> bytes:
    return orjson.dumps({"id": str(rid), "score": score, "is_fraud": score >= threshold, "threshold": threshold,
                         "model_version": "v", "event_time": event_ms, "scored_at": event_ms + 3})


def test_windows_wait_for_late_labels() -> None:
    mon = Monitor(MonitorConfig(scores_topic="s", window_s=10.0, label_lag_s=5.0), feature_names=("x",))
    # window [0, 10 s): ids 0..9, ids 0-2 alert; labels: 0, 1 and 5 are fraud
    mon.add_scores([_score(i, i * 1000, 0.9 if i < 3 else 0.1) for i in range(10)], [i * 1000 + 7 for i in range(10)])
    mon.add_scores([_score(10, 12_000, 0.1)], [12_007])
    assert mon.close_windows() == []  # watermark 12 s < 10 s + 5 s lag
    mon.add_labels([orjson.dumps({"id": str(i), "label": int(i in (0, 1, 5))}) for i in range(10)], [None] * 10)
    mon.add_scores([_score(11, 15_000, 0.1)], [15_007])
    (first,) = mon.close_windows()
    assert (first["records"], first["alerts"], first["alert_rate"]) == (10, 3, 0.3)
    assert (first["precision"], first["recall"]) == (round(2 / 3, 4), round(2 / 3, 4))
    assert first["latency_p50_ms"] == 7.0
    rest = mon.close_windows(final=True)
    assert [m["records"] for m in rest] == [2]
    assert rest[0]["labelled"] == 0 and rest[0]["precision"] is None


def test_with_a_labels_topic_windows_also_wait_for_the_labels_to_catch_up() -> None:
    """Scores may be read ahead of the labels topic: a window closes only once labels as late as its end
    plus the lag have been read too (KSQL-style {"ID", "CLASS"} labels are understood)."""
    mon = Monitor(MonitorConfig(scores_topic="s", labels_topic="l", window_s=10.0, label_lag_s=5.0),
                  feature_names=("x",))
    mon.add_scores([_score(i, i * 1000, 0.9 if i < 3 else 0.1) for i in range(10)], [i * 1000 + 7 for i in range(10)])
    mon.add_scores([_score(99, 40_000, 0.1)], [40_007])  # the scores' watermark is far ahead
    mon.add_labels([orjson.dumps({"ID": i, "CLASS": int(i in (0, 5))}) for i in range(5)], [None] * 5,
                   [2_000 + i for i in range(5)])
    assert mon.close_windows() == []  # labels read only up to 2 s: ids 5..9 may still come
    mon.add_labels([orjson.dumps({"ID": i, "CLASS": int(i in (0, 5))}) for i in range(5, 10)], [None] * 5,
                   [16_000] * 5)
    (first,) = mon.close_windows()
    assert (first["labelled"], first["true_positives"], first["false_negatives"]) == (10, 1, 1)


def test_with_a_transactions_topic_windows_wait_for_their_features() -> None:
    """Scores read ahead of the transactions: the window stays open until its features are in, so late
    features never open a second window with the same start."""
    import numpy as np

    from fraudlab.monitor import Binning, Reference

    reference = Reference({"x": Binning.fit(np.linspace(0, 1, 100)), "y": Binning.fit(np.linspace(0, 1, 100))})
    mon = Monitor(MonitorConfig(scores_topic="s", transactions_topic="t", window_s=10.0, value_format="json"),
                  reference=reference, feature_names=("x", "y"))
    mon.add_scores([_score(i, i * 1000, 0.1) for i in range(10)], [i * 1000 + 7 for i in range(10)])
    mon.add_scores([_score(99, 40_000, 0.1)], [40_007])
    assert mon.close_windows() == []  # no features read yet
    mon.add_transactions([orjson.dumps({"x": i / 10, "y": 0.5}) for i in range(10)], [i * 1000 for i in range(10)])
    mon.add_transactions([orjson.dumps({"x": 0.5, "y": 0.5})], [40_000])
    (first,) = mon.close_windows()
    assert first["window_start"] == 0 and first["records"] == 10 and "x" in first["feature_psi"]
    rest = mon.close_windows(final=True)
    assert [m["window_start"] for m in rest] == [40_000]


def test_monitor_with_an_hourly_reference_reports_drift_estimates_and_bands() -> None:
    """The live monitor's windows get the like-hours drift (it decides `drifted_features`) beside the PSI
    per feature, the estimate before labels and PSI bands; score event times are mapped to the data's
    clock through the transactions' own Time."""
    from fraudlab.data import synthetic
    from fraudlab.monitor import training_reference

    train = synthetic(20_000, 0.01, seed=1)
    rng = np.random.default_rng(3)
    ref_scores = rng.beta(0.3, 30, len(train))
    reference = training_reference(train, np.arange(len(train)), ref_scores)
    assert reference.hourly is not None and "Time" not in reference.hourly.features
    live = synthetic(6000, 0.01, seed=2)
    live.loc[3000:, "V3"] += 3.0  # drift in the second half
    base_ms = 1_700_000_000_000
    event_ms = (base_ms + live["Time"].to_numpy() * 1000).astype(np.int64)
    lines = [ln.encode() for ln in live.to_csv(header=False, index=False, lineterminator="\n").splitlines()]
    mon = Monitor(MonitorConfig(scores_topic="s", transactions_topic="t", window_s=3600.0), reference=reference)
    mon.add_transactions(lines, event_ms.tolist())
    assert mon.clock_offset_s == pytest.approx(base_ms / 1000, abs=1)
    p = rng.beta(0.3, 30, len(live))
    mon.add_scores([orjson.dumps({"id": f"t{i}", "score": float(s), "is_fraud": bool(s >= 0.1),
                                  "event_time": int(e)}) for i, (s, e) in enumerate(zip(p, event_ms, strict=True))],
                   (event_ms + 5).tolist())
    windows = mon.close_windows(final=True)
    assert sum(w["records"] for w in windows) == len(live)
    for w in windows:
        assert {"estimated_precision", "score_psi_band", "drift_share", "feature_drift", "feature_psi"} <= set(w)
        assert w["estimated_true_positives"] == pytest.approx(
            float(sum(s for s in p[(event_ms >= w["window_start"]) & (event_ms < w["window_end"])] if s >= 0.1)), abs=1e-2)
    drifted = [w["drifted_features"] for w in windows]
    second_half = event_ms[3000]
    assert all("V3" in d for d, w in zip(drifted, windows, strict=True) if w["window_start"] >= second_half)
    assert not any("V3" in d for d, w in zip(drifted, windows, strict=True) if w["window_end"] <= event_ms[2999])
