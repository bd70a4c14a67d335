"""Load a bundle and score raw rows: ONNX Runtime by default (no TensorFlow import), Keras on request.

A bundle whose card has a `scoring` section is an ensemble: the tree member (XGBoost's in-place
predictor), optionally the autoencoder member (`model.onnx` / `model.keras`), their
log-odds blended with the card's weights and mapped to a calibrated probability (Platt or beta
calibration, fitted on the validation slice). Members with weight 0 are not loaded. Without a `scoring` section the
bundle's graph is the whole model (earlier bundles).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from fraudlab.model.bundle import KERAS_FILE, ONNX_FILE, read_card
from fraudlab.model.calibration import calibration_from_json, logit
from fraudlab.model.errors import BundleError, ScoringInputError

Backend = Literal["onnx", "keras"]
_KERAS_CHUNK = 65_536


class Scorer:
    """Scores raw transactions; higher scores are more likely fraud; `score >= threshold` alerts."""

    def __init__(
        self, card: dict[str, Any], predict: Callable[[np.ndarray], np.ndarray], backend: Backend
    ) -> None:
        self.card = card
        self.feature_names: list[str] = list(card["feature_names"])
        self.threshold: float = float(card["threshold"]["value"])
        self.model_version: str = str(card["model_version"])
        self.backend: Backend = backend
        self._predict = predict
        self.runtimes: dict[str, str] = {}  # member -> what scores it (set by `load`)

    def _matrix(self, rows: pd.DataFrame | np.ndarray) -> np.ndarray:
        if isinstance(rows, pd.DataFrame):
            missing = [c for c in self.feature_names if c not in rows.columns]
            if missing:
                raise ScoringInputError(rows.shape, missing, f"missing column(s) {', '.join(missing)}")
            return np.ascontiguousarray(rows.loc[:, self.feature_names].to_numpy(dtype=np.float32))
        arr = np.asarray(rows, dtype=np.float32)
        if arr.ndim == 1:
            arr = arr.reshape(1, -1)
        if arr.ndim != 2 or arr.shape[1] != len(self.feature_names):
            raise ScoringInputError(
                arr.shape,
                [],
                f"need a 2-D array with {len(self.feature_names)} columns in feature_names order",
            )
        return np.ascontiguousarray(arr)

    def score(self, rows: pd.DataFrame | np.ndarray) -> np.ndarray:
        """One float32 score per row, for a DataFrame (columns by name) or an array in feature order."""
        x = self._matrix(rows)
        if x.shape[0] == 0:
            return np.empty(0, dtype=np.float32)
        return self._predict(x).reshape(-1)

    def is_fraud(self, scores: np.ndarray) -> np.ndarray:
        return np.asarray(scores) >= self.threshold


def _onnx_predict(path: Path, threads: int | None) -> Callable[[np.ndarray], np.ndarray]:
    import onnxruntime as ort

    options = ort.SessionOptions()
    if threads is not None:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name

    def predict(x: np.ndarray) -> np.ndarray:
        return session.run(None, {input_name: x})[0]

    return predict


def _keras_predict(path: Path) -> Callable[[np.ndarray], np.ndarray]:
    import keras

    import fraudlab.model.layers  # noqa: F401  (registers the custom layers for deserialisation)

    model = keras.saving.load_model(path)

    def predict(x: np.ndarray) -> np.ndarray:
        parts = [
            np.asarray(model(x[i : i + _KERAS_CHUNK], training=False)) for i in range(0, len(x), _KERAS_CHUNK)
        ]
        return np.concatenate(parts).astype(np.float32, copy=False)

    return predict


def _graph_predict(bundle: Path, backend: Backend, threads: int | None) -> Callable[[np.ndarray], np.ndarray]:
    if backend == "onnx":
        file = bundle / ONNX_FILE
        if not file.is_file():
            raise BundleError(bundle, f"no {ONNX_FILE}")
        return _onnx_predict(file, threads)
    if backend == "keras":
        file = bundle / KERAS_FILE
        if not file.is_file():
            raise BundleError(bundle, f"no {KERAS_FILE}")
        return _keras_predict(file)
    raise BundleError(bundle, f"unknown backend {backend!r} (use 'onnx' or 'keras')")


def _ensemble(
    bundle: Path, card: dict[str, Any], backend: Backend, threads: int | None
) -> tuple[Callable[[np.ndarray], np.ndarray], dict[str, str]]:
    """The calibrated blend of the card's members with a non-zero weight."""
    from fraudlab.model.trees import margin_function, tree_features

    spec = card["scoring"]
    try:
        members = spec["members"]
        calibrate = calibration_from_json(spec["calibration"])
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleError(bundle, f"model.json's scoring section is incomplete: {exc}") from exc
    runtimes: dict[str, str] = {}
    tree_w = float(members.get("trees", {}).get("weight", 0.0))
    ae_w = float(members.get("autoencoder", {}).get("weight", 0.0))
    if tree_w == 0.0 and ae_w == 0.0:
        raise BundleError(bundle, "model.json's scoring section gives every member weight 0")
    trees = graph = None
    if tree_w:
        trees = margin_function(bundle, members["trees"], threads)
        runtimes["trees"] = "xgboost"
    if ae_w:
        if backend not in ("onnx", "keras"):
            raise BundleError(bundle, f"unknown backend {backend!r} (use 'onnx' or 'keras')")
        graph = _graph_predict(bundle, backend, threads)
        runtimes["autoencoder"] = backend

    def predict(x: np.ndarray) -> np.ndarray:
        z = np.zeros(x.shape[0], dtype=np.float64)
        if trees is not None:
            z += tree_w * trees(tree_features(x))
        if graph is not None:
            z += ae_w * logit(graph(x).reshape(-1))
        return calibrate(z).astype(np.float32)

    return predict, runtimes


def load(path: Path | str, backend: Backend = "onnx", threads: int | None = None) -> Scorer:
    """Open a bundle directory. `threads` bounds ONNX Runtime's intra-op threads (default: all cores)
    and the tree predictor's (default: one)."""
    bundle = Path(path)
    card = read_card(bundle)
    if backend not in ("onnx", "keras"):
        raise BundleError(bundle, f"unknown backend {backend!r} (use 'onnx' or 'keras')")
    if "scoring" in card:
        predict, runtimes = _ensemble(bundle, card, backend, threads)
        scorer = Scorer(card, predict, backend)
        scorer.runtimes = runtimes
        return scorer
    scorer = Scorer(card, _graph_predict(bundle, backend, threads), backend)
    scorer.runtimes = {"graph": backend}
    return scorer
