"""Autoencoders: the original demo's reference network and the workbench network, and their training.

Both are trained on normal (Class 0) rows only; early stopping watches the reconstruction loss on
the normal rows of the validation slice, never on test data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keras
import numpy as np
from keras import ops

from fraudlab.model.config import AutoencoderConfig
from fraudlab.model.errors import TrainingError
from fraudlab.model.progress import fit_progress


def build_autoencoder(n_inputs: int, config: AutoencoderConfig, name: str = "autoencoder") -> keras.Model:
    """Symmetric dense autoencoder; the middle layer (index len(hidden)//2) is the code.

    `activation="demo"` reproduces the original demo's alternating tanh/relu encoder and decoder.
    """
    keras.utils.set_random_seed(config.seed)
    inputs = keras.Input((n_inputs,), name="x")
    h = keras.layers.GaussianNoise(config.noise, name="noise")(inputs) if config.noise else inputs
    for i, units in enumerate(config.hidden):
        act = ("tanh" if i % 2 == 0 else "relu") if config.activation == "demo" else config.activation
        reg = keras.regularizers.L1(config.l1_activity) if i == 0 and config.l1_activity else None
        h = keras.layers.Dense(units, activation=act, activity_regularizer=reg, name=f"dense_{i}")(h)
    outputs = keras.layers.Dense(n_inputs, activation=config.output_activation, name="reconstruction")(h)
    model = keras.Model(inputs, outputs, name=name)
    loss = abc_loss(config.fraud_weight) if config.fraud_weight else config.loss
    model.compile(optimizer=keras.optimizers.Adam(config.learning_rate), loss=loss,
                  steps_per_execution=config.steps_per_execution)
    return model


def abc_loss(fraud_weight: float) -> Any:
    """ABC loss on targets `[x, label]`: MSE for normal rows, -log(1 - exp(-MSE)) for frauds.

    Frauds are pushed towards large reconstruction errors; the loss vanishes once they are far out,
    so a few labelled frauds shape the autoencoder without dominating it.
    """

    def loss(y_true: Any, y_pred: Any) -> Any:
        x, label = y_true[:, :-1], y_true[:, -1]
        mse = ops.mean(ops.square(x - y_pred), axis=1)
        fraud = -ops.log(1.0 - ops.exp(-mse) + 1e-6)
        return (1.0 - label) * mse + label * fraud_weight * fraud

    return loss


def code_layer_name(config: AutoencoderConfig) -> str:
    return f"dense_{len(config.hidden) // 2}"


def fit_autoencoder(
    model: keras.Model,
    x_fit: np.ndarray,
    x_val: np.ndarray,
    config: AutoencoderConfig,
    log_dir: Path | None = None,
    verbose: int = 1,
    y_fit: np.ndarray | None = None,
    y_val: np.ndarray | None = None,
) -> dict[str, list[float]]:
    """Train and restore the weights of the best validation epoch; returns the history.

    Without labels the rows must all be normal. With `config.fraud_weight` the labels `y_fit`/`y_val`
    are appended to the targets for the ABC loss.
    """
    keras.utils.set_random_seed(config.seed)
    callbacks: list[keras.callbacks.Callback] = [
        keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=config.patience, restore_best_weights=True, verbose=0
        )
    ]
    if log_dir is not None:
        callbacks.append(
            keras.callbacks.TensorBoard(log_dir=str(log_dir), histogram_freq=0, write_graph=False)
        )
    keras_verbose, bar = fit_progress(verbose, config.epochs, "autoencoder")
    t_fit, t_val = x_fit, x_val
    if config.fraud_weight:
        if y_fit is None or y_val is None:
            raise TrainingError("labels", None, "the ABC loss (fraud_weight > 0) needs y_fit and y_val")
        t_fit, t_val = np.column_stack([x_fit, y_fit]), np.column_stack([x_val, y_val])
    history = model.fit(
        x_fit.astype(np.float32),
        t_fit.astype(np.float32),
        validation_data=(x_val.astype(np.float32), t_val.astype(np.float32)),
        epochs=config.epochs,
        batch_size=config.batch_size,
        shuffle=True,
        callbacks=[*callbacks, *bar],
        verbose=keras_verbose,
    )
    return {k: [float(v) for v in vals] for k, vals in history.history.items()}


def reconstruct(model: keras.Model, x: np.ndarray, batch_size: int = 8192) -> np.ndarray:
    return np.asarray(model.predict(x.astype(np.float32), batch_size=batch_size, verbose=0), dtype=np.float64)


def encoder(model: keras.Model, config: AutoencoderConfig) -> keras.Model:
    return keras.Model(model.inputs, model.get_layer(code_layer_name(config)).output)


def residual_scale(x: np.ndarray, recon: np.ndarray) -> np.ndarray:
    """Root-mean-square residual per feature on normal rows (floored so no feature dominates by 1/0)."""
    rms = np.sqrt(np.mean((x - recon) ** 2, axis=0))
    return np.maximum(rms, 1e-3)


def mse_score(x: np.ndarray, recon: np.ndarray) -> np.ndarray:
    """The original demo's anomaly score: mean squared reconstruction error."""
    return np.mean((x - recon) ** 2, axis=1)


def standardized_score(x: np.ndarray, recon: np.ndarray, scale: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """log of the mean squared standardised residual (matches `layers.ResidualScore`)."""
    return np.log(np.mean(((x - recon) / scale) ** 2, axis=1) + eps)
