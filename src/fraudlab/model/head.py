"""The supervised head: a small network on the autoencoder's view of a transaction.

Its input is the standardised features, the autoencoder's code, the log squared standardised
residual of every feature and the anomaly score, so the few labelled frauds teach it which
reconstruction failures matter. The autoencoder stays frozen (trained on normal rows only).
"""

from __future__ import annotations

import keras
import numpy as np

from fraudlab.model.config import HeadConfig

SCORE_EPS = 1e-6
# log(sq + 1e-2): below 1 % of the normal residual variance the exact residual carries no signal, and
# float32 noise of nearly equal numbers would otherwise be amplified (runtime parity).
LOG_EPS = 1e-2


def head_inputs(x: np.ndarray, recon: np.ndarray, code: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The head's input matrix, computed in numpy exactly like the exported graph does."""
    sq = ((x - recon) / scale) ** 2
    score = np.log(sq.mean(axis=1, keepdims=True) + SCORE_EPS)
    return np.concatenate([x, code, np.log(sq + LOG_EPS), score], axis=1)


def build_head(n_inputs: int, config: HeadConfig) -> keras.Model:
    keras.utils.set_random_seed(config.seed)
    inputs = keras.Input((n_inputs,), name="head_in")
    reg = keras.regularizers.L2(config.l2) if config.l2 else None
    h = keras.layers.Dense(config.hidden, activation="relu", kernel_regularizer=reg, name="head_hidden")(
        inputs
    )
    out = keras.layers.Dense(1, activation="sigmoid", name="fraud_probability")(h)
    model = keras.Model(inputs, out, name="head")
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate),
        loss="binary_crossentropy",
        metrics=[keras.metrics.AUC(curve="PR", name="pr_auc")],
    )
    return model


def fit_head(
    model: keras.Model,
    x_fit: np.ndarray,
    y_fit: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    config: HeadConfig,
    verbose: int = 1,
) -> dict[str, list[float]]:
    """Early stopping on the validation slice's PR-AUC; the best epoch's weights are kept."""
    keras.utils.set_random_seed(config.seed)
    stop = keras.callbacks.EarlyStopping(
        monitor="val_pr_auc", mode="max", patience=config.patience, restore_best_weights=True
    )
    history = model.fit(
        x_fit.astype(np.float32),
        y_fit.astype(np.float32),
        validation_data=(x_val.astype(np.float32), y_val.astype(np.float32)),
        epochs=config.epochs,
        batch_size=config.batch_size,
        shuffle=True,
        callbacks=[stop],
        verbose=verbose,
    )
    return {k: [float(v) for v in vals] for k, vals in history.history.items()}
