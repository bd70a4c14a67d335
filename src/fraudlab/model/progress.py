"""Training progress that suits a notebook: one tqdm bar over the epochs instead of Keras' per-batch
progress line (which a notebook receives as hundreds of output chunks per epoch)."""

from __future__ import annotations

from typing import Any

import keras
from tqdm.auto import tqdm


class EpochBar(keras.callbacks.Callback):
    """A tqdm bar (a widget in JupyterLab, text in a terminal) advanced once per epoch, with the
    epoch's losses as its postfix; it ends at the last epoch or where early stopping ends training."""

    def __init__(self, epochs: int, desc: str = "epochs") -> None:
        super().__init__()
        self.epochs = epochs
        self.desc = desc
        self.bar: Any = None

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self.bar = tqdm(total=self.epochs, desc=self.desc, unit="epoch", leave=True)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self.bar is not None:
            self.bar.set_postfix({k: f"{v:.4g}" for k, v in (logs or {}).items() if "loss" in k})
            self.bar.update(1)

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def fit_progress(verbose: int, epochs: int, desc: str) -> tuple[int, list[keras.callbacks.Callback]]:
    """Keras' `verbose` and extra callbacks for fraudlab's verbosity: 0 silent, 1 an epoch bar,
    2 Keras' own one line per epoch."""
    if verbose == 1:
        return 0, [EpochBar(epochs, desc)]
    return (2 if verbose >= 2 else 0), []
