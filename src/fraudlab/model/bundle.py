"""The model bundle directory: what is written, and how its card is read back.

model.keras     the Keras scoring model (raw columns in, score out)
saved_model/    the same model as a TF SavedModel (serving signature `serve`)
model.onnx      the same model for ONNX Runtime (input `features`, output `score`)
model.json      the model card: features, preprocessing, threshold and its rule, metrics,
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
FORMAT_VERSION = 1


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
    if card["format_version"] != FORMAT_VERSION:
        raise BundleError(bundle, f"format_version {card['format_version']} is not {FORMAT_VERSION}")
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
