"""Fixtures shared by the fraudlab unit tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def small_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small exported bundle (the whole ensemble: autoencoder, head members, trees, ONNX and Keras),
    trained once per session: the bundle tests check its files, and the ANOMALY_SCORE tests score with it.
    Tests only read it."""
    from fraudlab.data import synthetic
    from fraudlab.model.config import AutoencoderConfig, HeadConfig, TrainConfig
    from fraudlab.model.training import fit_models, write_bundle

    out = tmp_path_factory.mktemp("bundle")
    config = TrainConfig(
        epochs=2,
        verbose=0,
        baselines=False,
        reference_ae=False,
        workbench=AutoencoderConfig(hidden=(16, 8, 16), activation="relu", batch_size=256),
        head=HeadConfig(epochs=10, batch_size=128),
    )
    frame = synthetic(4000, 0.03, seed=21)  # test_bundle.py checks the scaler and threshold against it
    result = fit_models(frame, replace(config, out_dir=out), log_dir=out / "logs")
    write_bundle(result, out, config, "synthetic.csv", "ab" * 32)
    return out
