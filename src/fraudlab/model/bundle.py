"""The model bundle directory: what is written, and how its card is read back.

trees.ubj       the tree member (XGBoost booster)
model.keras     the autoencoder member: Keras graph (raw columns in, head probability out)
saved_model/    the same graph as a TF SavedModel (serving signature `serve`)
model.onnx      the same graph for ONNX Runtime (input `features`, output `score`)
model.json      the model card: features, preprocessing, the ensemble (`scoring`: members, weights,
                calibration, every candidate's figures), threshold and its rule, metrics,
                training-data SHA-256, the drift reference (`fraudlab.monitor.reference`),
                library versions, created_at
metrics.json    test-split metrics of the bundle's model and of every baseline
*.png           plots
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fraudlab.model.errors import BundleError

KERAS_FILE = "model.keras"
SAVED_MODEL_DIR = "saved_model"
ONNX_FILE = "model.onnx"
CARD_FILE = "model.json"
METRICS_FILE = "metrics.json"
# 2: the card's `scoring` section (calibrated ensemble); 1: model.onnx alone is the model
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
AE_MEMBER_FILES = (KERAS_FILE, SAVED_MODEL_DIR, ONNX_FILE)


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def read_card(bundle: Path | str) -> dict[str, Any]:
    """The parsed `model.json`, checked for the keys every consumer relies on."""
    bundle = Path(bundle)
    path = bundle / CARD_FILE
    if not path.is_file():
        raise BundleError(bundle, f"no {CARD_FILE}")
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BundleError(bundle, f"{CARD_FILE} is not valid JSON: {exc}") from exc
    for key in ("feature_names", "threshold", "model_version", "format_version"):
        if key not in card:
            raise BundleError(bundle, f"{CARD_FILE} has no {key!r}")
    if card["format_version"] not in READABLE_VERSIONS:
        raise BundleError(bundle, f"format_version {card['format_version']} is not one of {READABLE_VERSIONS}")
    return card


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for dist in (
        "fraudlab",
        "numpy",
        "pandas",
        "tensorflow-cpu",
        "keras",
        "scikit-learn",
        "onnx",
        "onnxruntime",
        "tf2onnx",
        "xgboost",
        "xgboost-cpu",  # the CPU-only build setup.sh installs; same module, another distribution name
        "treelite",
        "tl2cgen",
    ):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            continue
    return out


def export_models(model: Any, bundle: Path) -> None:
    """Write model.keras, saved_model/ and model.onnx for one Keras scoring model."""
    from fraudlab.model.onnx_export import export_onnx

    bundle.mkdir(parents=True, exist_ok=True)
    model.save(bundle / KERAS_FILE)
    model.export(str(bundle / SAVED_MODEL_DIR), format="tf_saved_model", verbose=False)
    export_onnx(model, bundle / ONNX_FILE)
