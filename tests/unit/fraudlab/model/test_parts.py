"""Model parts: in-graph preprocessing matches numpy, autoencoder shapes, the ABC loss, the head ensemble,
baselines."""

from __future__ import annotations

from dataclasses import replace

import keras
import numpy as np
import pytest

from fraudlab.data import FEATURES, synthetic
from fraudlab.features import WorkbenchFeatures
from fraudlab.model import autoencoder as ae
from fraudlab.model.baselines import Mahalanobis, XGBoostModel
from fraudlab.model.config import REFERENCE_AE, AutoencoderConfig, HeadConfig
from fraudlab.model.errors import TrainingError
from fraudlab.model.head import build_head, fit_head, head_inputs, member
from fraudlab.model.layers import LogFeatures, ResidualScore, WorkbenchPreprocess


def test_graph_preprocessing_matches_numpy_features() -> None:
    raw = synthetic(500, 0.02, seed=1)[list(FEATURES)].to_numpy()
    raw[0, 0] = 172_792.0  # second day: time of day wraps
    raw[1, 29] = 0.0
    feats = WorkbenchFeatures.fit(raw)
    layer = WorkbenchPreprocess(feats.scaler.mean.tolist(), feats.scaler.scale.tolist())
    got = np.asarray(layer(raw.astype(np.float32)))
    np.testing.assert_allclose(got, feats.transform(raw), atol=2e-4)


def test_residual_layers_match_head_inputs() -> None:
    rng = np.random.default_rng(0)
    x, recon, code = rng.normal(size=(50, 31)), rng.normal(size=(50, 31)), rng.normal(size=(50, 10))
    scale = rng.uniform(0.5, 2.0, size=31)
    sq, score = ResidualScore(scale.tolist())([x.astype(np.float32), recon.astype(np.float32)])
    expected = head_inputs(x, recon, code, scale)
    np.testing.assert_allclose(np.asarray(score)[:, 0], expected[:, -1], rtol=1e-5)
    np.testing.assert_allclose(np.asarray(LogFeatures(1e-2)(sq)), expected[:, 41:72], rtol=1e-4, atol=1e-5)


def test_reference_autoencoder_is_the_demo_network() -> None:
    model = ae.build_autoencoder(30, REFERENCE_AE)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [d.units for d in dense] == [14, 7, 7, 30]
    assert [d.activation.__name__ for d in dense] == ["tanh", "relu", "tanh", "relu"]
    assert dense[0].activity_regularizer is not None
    assert ae.code_layer_name(REFERENCE_AE) == "dense_1"


def test_abc_loss_pushes_frauds_out() -> None:
    loss = ae.abc_loss(1.0)
    x = np.zeros((2, 3), dtype=np.float32)
    near, far = np.full((2, 3), 0.1, np.float32), np.full((2, 3), 2.0, np.float32)
    normal_t = np.column_stack([x, np.zeros(2)]).astype(np.float32)
    fraud_t = np.column_stack([x, np.ones(2)]).astype(np.float32)
    assert float(np.mean(loss(normal_t, near))) < float(np.mean(loss(normal_t, far)))
    assert float(np.mean(loss(fraud_t, near))) > float(np.mean(loss(fraud_t, far)))


def test_abc_loss_needs_labels() -> None:
    cfg = AutoencoderConfig(hidden=(4, 2, 4), fraud_weight=1.0, epochs=1)
    model = ae.build_autoencoder(5, cfg)
    with pytest.raises(TrainingError, match="labels"):
        ae.fit_autoencoder(model, np.zeros((8, 5)), np.zeros((4, 5)), cfg, verbose=0)


def test_autoencoder_learns_and_restores_best_weights() -> None:
    x = synthetic(2000, 0.0, seed=3)[list(FEATURES)].to_numpy()
    z = WorkbenchFeatures.fit(x).transform(x)
    cfg = AutoencoderConfig(epochs=3, patience=1)
    model = ae.build_autoencoder(z.shape[1], cfg)
    history = ae.fit_autoencoder(model, z[:1500], z[1500:], cfg, verbose=0)
    assert history["loss"][-1] < history["loss"][0]
    recon = ae.reconstruct(model, z[1500:])
    assert np.mean((z[1500:] - recon) ** 2) == pytest.approx(min(history["val_loss"]), rel=1e-3)


def test_mahalanobis_ranks_outliers_first() -> None:
    rng = np.random.default_rng(1)
    normal = rng.normal(size=(2000, 3)) @ np.array([[1.0, 0.9, 0.0], [0.0, 0.4, 0.0], [0.0, 0.0, 1.0]])
    model = Mahalanobis.fit(normal)
    # off the correlation axis: small in Euclidean terms, large in Mahalanobis terms
    assert model.score(np.array([[1.0, -1.0, 0.0]]))[0] > model.score(np.array([[2.0, 1.8, 0.0]]))[0]


def test_xgboost_stops_on_validation_and_ranks_frauds_first() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(3000, 4))
    y = (x[:, 0] + 0.5 * x[:, 1] > 2.2).astype(int)  # ~4 % positives, learnable from two features
    model = XGBoostModel.fit(
        x[:2000], y[:2000], x[2000:], y[2000:], seed=0, threads=1, max_rounds=400, patience=20
    )
    assert 1 <= model.rounds < 400  # early stopping picked a round, not the cap
    scores = model.score(x[2000:])
    assert scores[y[2000:] == 1].mean() > scores[y[2000:] == 0].mean() + 2.0


def _labelled(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 6))
    y = (x[:, 0] - x[:, 1] + 0.5 * rng.normal(size=n) > 2.5).astype(int)  # ~4 % positives, noisy
    return x, y


def test_head_scores_the_mean_of_distinct_members() -> None:
    model = build_head(6, HeadConfig(members=3, hidden=8))
    x = np.random.default_rng(5).normal(size=(64, 6)).astype(np.float32)
    members = [np.asarray(member(model, k)(x)).reshape(-1) for k in range(3)]
    np.testing.assert_allclose(np.asarray(model(x)).reshape(-1), np.mean(members, axis=0), rtol=1e-6)
    assert not np.allclose(members[0], members[1])  # each member starts from its own weights
    assert [w.name for w in model.trainable_weights].count("kernel") == 6  # the mean is not trained


def test_head_members_stop_on_their_own_best_validation_epoch() -> None:
    from sklearn.metrics import average_precision_score

    x, y = _labelled(3000, 6)
    cfg = HeadConfig(members=2, hidden=8, epochs=8, patience=2, batch_size=64, learning_rate=1e-2)
    model = build_head(6, cfg)
    histories = fit_head(model, x[:2000], y[:2000], x[2000:], y[2000:], cfg, verbose=0)
    assert len(histories) == 2
    xv = x[2000:].astype(np.float32)
    for k, history in enumerate(histories):
        probs = np.asarray(member(model, k)(xv)).reshape(-1)
        # restored to the best epoch: its validation AP is the best one the history records
        assert average_precision_score(y[2000:], probs) == pytest.approx(max(history["val_pr_auc"]), abs=1e-6)
    assert average_precision_score(y[2000:], np.asarray(model(xv)).reshape(-1)) > 0.5


def test_head_needs_a_member() -> None:
    with pytest.raises(ValueError, match="members"):
        build_head(6, HeadConfig(members=0))


def test_verbose_training_shows_one_epoch_bar_not_keras_batch_lines(capsys: pytest.CaptureFixture[str]) -> None:
    x = synthetic(600, 0.0, seed=4)[list(FEATURES)].to_numpy()
    z = WorkbenchFeatures.fit(x).transform(x)
    cfg = AutoencoderConfig(epochs=3, patience=5, batch_size=64)
    ae.fit_autoencoder(ae.build_autoencoder(z.shape[1], cfg), z[:500], z[500:], cfg, verbose=1)
    out = capsys.readouterr()
    text = out.out + out.err
    assert "autoencoder: 100%" in text and "3/3" in text and "val_loss=" in text
    assert "step" not in text and "━" not in text  # Keras' own per-batch progress


def test_head_members_train_as_if_alone() -> None:
    """Trained side by side, a member takes the steps it takes alone: member 0 of a three-member head
    (same initialisation, same batches) ends with the weights and history of a one-member head."""
    x, y = _labelled(2000, 8)
    cfg = HeadConfig(members=3, hidden=8, epochs=4, patience=2, batch_size=64, learning_rate=1e-2, steps_per_execution=4)
    three, one = build_head(6, cfg), build_head(6, replace(cfg, members=1))
    np.testing.assert_array_equal(three.get_layer("head_hidden_0").get_weights()[0],
                                  one.get_layer("head_hidden_0").get_weights()[0])
    h3 = fit_head(three, x[:1500], y[:1500], x[1500:], y[1500:], cfg, verbose=0)
    h1 = fit_head(one, x[:1500], y[:1500], x[1500:], y[1500:], replace(cfg, members=1), verbose=0)
    assert h3[0]["val_pr_auc"] == pytest.approx(h1[0]["val_pr_auc"], abs=1e-6)
    assert h3[0]["loss"] == pytest.approx(h1[0]["loss"], rel=1e-4)
    for name in ("head_hidden_0", "fraud_probability_0"):
        for a, b in zip(three.get_layer(name).get_weights(), one.get_layer(name).get_weights(), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    # and the other members moved away from member 0
    assert not np.allclose(three.get_layer("head_hidden_1").get_weights()[0],
                           three.get_layer("head_hidden_0").get_weights()[0])
