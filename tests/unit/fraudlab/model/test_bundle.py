"""The exported bundle: files, model card, metrics.json, the scorer contract and ONNX/Keras parity."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fraudlab.data import FEATURES, synthetic
from fraudlab.features import WorkbenchFeatures
from fraudlab.model import BundleError, ScoringInputError, load
from fraudlab.model.config import HeadConfig
from fraudlab.model.training import BUNDLE_MODEL
from fraudlab.splits import make_split


@pytest.fixture(scope="module")
def bundle(small_bundle: Path) -> Path:
    """The session's small bundle (tests/unit/fraudlab/conftest.py): synthetic(4000, 0.03, seed=21), 2 epochs,
    head members of 10 epochs."""
    return small_bundle


def test_bundle_files(bundle: Path) -> None:
    for name in (
        "model.keras",
        "model.onnx",
        "model.json",
        "metrics.json",
        "pr_curves.png",
        "roc_curves.png",
        "reconstruction_error.png",
        "threshold_tradeoffs.png",
    ):
        assert (bundle / name).is_file(), name
    assert (bundle / "saved_model" / "saved_model.pb").is_file()
    assert any((bundle / "logs" / "workbench_autoencoder").rglob("events.out.tfevents.*"))


def test_model_card(bundle: Path) -> None:
    card = json.loads((bundle / "model.json").read_text())
    assert card["feature_names"] == list(FEATURES)
    assert card["training_data"]["sha256"] == "ab" * 32
    assert card["threshold"]["rule"] == "cost" and "value" in card["threshold"]
    assert len(card["preprocessing"]["scaler"]["mean"]) == 31
    assert {"keras", "onnxruntime", "tensorflow-cpu"} <= set(card["library_versions"])
    assert card["created_at"].endswith("Z")
    assert card["model_version"].startswith(BUNDLE_MODEL)
    scoring = card["scoring"]
    names = [c["name"] for c in scoring["candidates"]]
    assert names == ["trees_hour", "blend_ae_0.25", "blend_ae_0.5", "blend_ae_0.75", "workbench_ae_head"]
    assert all({"validation", "test"} <= set(c) for c in scoring["candidates"])
    best = max(scoring["candidates"], key=lambda c: c["validation"]["pr_auc"])  # chosen on validation only
    assert scoring["chosen"] == best["name"]
    assert scoring["members"]["trees"]["weight"] == pytest.approx(best["trees_weight"])
    assert scoring["calibration"]["method"] == "platt" and scoring["calibration"]["a"] > 0
    members = card["head"]["config"]["members"]
    assert members == HeadConfig().members and len(card["head"]["members_epochs_run"]) == members
    assert all(0.0 <= ap <= 1.0 for ap in card["head"]["members_best_val_pr_auc"])


def test_metrics_document(bundle: Path) -> None:
    metrics = json.loads((bundle / "metrics.json").read_text())
    for key in ("pr_auc", "roc_auc", "recall_at_1pct_fpr"):
        assert 0.0 <= metrics[key] <= 1.0
    assert "workbench_autoencoder" in metrics["baselines"]
    assert set(metrics["baselines"]["workbench_autoencoder"]) >= {"pr_auc", "roc_auc", "recall_at_1pct_fpr"}
    assert metrics["pr_auc"] > 0.3  # the synthetic frauds are learnable even in 2 epochs


def test_scores_are_calibrated_probabilities_of_the_chosen_blend(bundle: Path) -> None:
    """The scorer's output is the card's calibration map (Platt or beta) of
    trees_weight * tree margin + ae_weight * logit(autoencoder head)."""
    import xgboost as xgb

    from fraudlab.model.calibration import calibration_from_json, logit
    from fraudlab.model.trees import tree_features

    card = json.loads((bundle / "model.json").read_text())
    members = card["scoring"]["members"]
    raw = synthetic(2000, 0.02, seed=98)[list(FEATURES)].to_numpy(np.float32)
    booster = xgb.Booster(model_file=str(bundle / members["trees"]["file"]))
    z = members["trees"]["weight"] * booster.inplace_predict(tree_features(raw), predict_type="margin")
    if members["autoencoder"]["weight"]:
        import onnxruntime as ort

        session = ort.InferenceSession(str(bundle / "model.onnx"), providers=["CPUExecutionProvider"])
        z = z + members["autoencoder"]["weight"] * logit(session.run(None, {"features": raw})[0].reshape(-1))
    calibration = card["scoring"]["calibration"]
    assert calibration["method"] == calibration["choice"]["chosen"]
    assert set(calibration["choice"]["methods"]) == {"platt", "beta"}
    expected = calibration_from_json(calibration)(z)
    got = load(bundle).score(raw)
    assert np.abs(got - expected).max() < 1e-5
    assert ((got >= 0) & (got <= 1)).all() and got.std() > 0


def test_onnx_and_keras_agree_on_10000_rows(bundle: Path) -> None:
    rows = synthetic(10_000, 0.02, seed=99)
    onnx_scores = load(bundle).score(rows)
    keras_scores = load(bundle, backend="keras").score(rows)
    assert onnx_scores.shape == keras_scores.shape == (10_000,)
    assert np.isfinite(onnx_scores).all()
    assert np.abs(onnx_scores.astype(np.float64) - keras_scores).max() <= 1e-5
    assert onnx_scores.std() > 0


def test_scorer_contract(bundle: Path) -> None:
    scorer = load(bundle)
    rows = synthetic(257, 0.05, seed=4)
    by_frame = scorer.score(rows)
    shuffled = rows[list(reversed(rows.columns))]
    np.testing.assert_array_equal(scorer.score(shuffled), by_frame)  # columns are taken by name
    array = rows[scorer.feature_names].to_numpy()
    np.testing.assert_allclose(scorer.score(array), by_frame, atol=1e-6)
    parts = np.concatenate([scorer.score(array[:1]), scorer.score(array[1:100]), scorer.score(array[100:])])
    np.testing.assert_allclose(parts, by_frame, atol=1e-6)  # any batch size
    assert scorer.score(array[0]).shape == (1,)
    assert scorer.score(array[:0]).shape == (0,)
    flags = scorer.is_fraud(by_frame)
    assert flags.dtype == bool and (flags == (by_frame >= scorer.threshold)).all()
    assert isinstance(scorer.model_version, str) and scorer.threshold == scorer.card["threshold"]["value"]


def test_scorer_input_errors(bundle: Path, tmp_path: Path) -> None:
    scorer = load(bundle)
    with pytest.raises(ScoringInputError, match="Amount"):
        scorer.score(pd.DataFrame({"Time": [0.0]}))
    with pytest.raises(ScoringInputError):
        scorer.score(np.zeros((3, 29)))
    with pytest.raises(BundleError, match=r"model\.json"):
        load(tmp_path)
    with pytest.raises(BundleError, match="backend"):
        load(bundle, backend="torch")  # type: ignore[arg-type]


def test_default_load_does_not_import_tensorflow(bundle: Path) -> None:
    """The scoring service starts fast because ONNX scoring never imports TensorFlow or Keras."""
    code = (
        "import sys, numpy as np; from fraudlab.model import load; "
        f"s = load({str(bundle)!r}); s.score(np.zeros((3, 30))); "
        "print(sorted(m for m in ('tensorflow', 'keras', 'tf2onnx') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_scaler_and_threshold_come_from_the_training_period(bundle: Path) -> None:
    frame = synthetic(4000, 0.03, seed=21)  # the fixture's training data
    split = make_split(frame, "time")
    raw = frame.loc[:, list(FEATURES)].to_numpy()
    card = json.loads((bundle / "model.json").read_text())
    expected = WorkbenchFeatures.fit(raw[split.fit]).scaler
    np.testing.assert_allclose(card["preprocessing"]["scaler"]["mean"], expected.mean)
    np.testing.assert_allclose(card["preprocessing"]["scaler"]["scale"], expected.scale)
    # the threshold rule saw the validation slice's labels, not the test set's
    assert card["threshold"]["achieved"]["positives"] == frame["Class"].to_numpy()[split.val].sum()
    assert card["training_data"]["test_rows"] == len(split.test)
