"""Glue for the classic demo notebook (`notebooks/classic/01_classic_demo.ipynb`): the original demo's steps
on this stack, with its model and its plots as calls so the notebook stays narrative.

- `reset`: what an earlier run of the demo made (queries, streams, tables, topics, connectors) goes, so the
  notebook runs again from the top as the original did the first time;
- `seed_file`, `stage_for_connect`: the original's sample files, and a copy where the Connect worker reads;
- the model: the original's autoencoder (30-14-7-7-30, tanh/relu, L1 activity on the first layer, MSE,
  Adam, batch 32), trained on normal transactions, scored by reconstruction error, and the original's
  plots: loss curves, ROC, precision-recall, precision and recall by threshold, errors by class with the
  threshold, confusion matrix.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from fraudlab.data.schema import FEATURES, LABEL
from fraudlab.features import DemoFeatures
from fraudlab.kafka import KafkaConfig
from fraudlab.model.config import REFERENCE_AE
from fraudlab.splits import DEMO_SEED, make_split

LABELS = ("Normal", "Fraud")


# --- re-runs ------------------------------------------------------------------------------------------


def reset(
    ksql: Any,
    kafka: KafkaConfig,
    connect_url: str,
    sources: Sequence[str] = (),
    topics: Sequence[str] = (),
    connectors: Sequence[str] = (),
) -> list[str]:
    """Undo an earlier run: terminate the queries that read or write `sources`, drop them (last first),
    delete `topics` and `connectors`. Missing ones are skipped; returns what was removed."""
    from fraudlab.connect.client import ConnectClient
    from fraudlab.connect.errors import ConnectError
    from fraudlab.kafka import delete_topic, topic_exists

    removed: list[str] = []
    wanted = [s.upper() for s in sources]
    for query in _entities(ksql, "SHOW QUERIES;", "queries"):
        text = query.get("queryString", "").upper()
        if set(query.get("sinks", [])) & set(wanted) or any(re.search(rf"\b{re.escape(s)}\b", text) for s in wanted):
            ksql.ksql(f"TERMINATE {query['id']};")
            removed.append(f"query {query['id']}")
    existing = {e["name"]: "STREAM" for e in _entities(ksql, "SHOW STREAMS;", "streams")}
    existing |= {e["name"]: "TABLE" for e in _entities(ksql, "SHOW TABLES;", "tables")}
    for name in reversed(wanted):
        if name in existing:
            ksql.ksql(f"DROP {existing[name]} {name} DELETE TOPIC;")
            removed.append(f"{existing[name].lower()} {name}")
    for topic in topics:
        if topic_exists(kafka, topic):
            delete_topic(kafka, topic)
            removed.append(f"topic {topic}")
    # the notebook creates them again at once: wait until the broker has really let them go
    deadline = time.monotonic() + 30
    while any(topic_exists(kafka, t) for t in topics) and time.monotonic() < deadline:
        time.sleep(0.2)
    client = ConnectClient(connect_url)
    for name in connectors:
        try:
            if name in client.connectors():
                client.delete(name)
                removed.append(f"connector {name}")
        except ConnectError:
            pass
    return removed


def _entities(ksql: Any, statement: str, key: str) -> list[dict[str, Any]]:
    return [e for entity in ksql.ksql(statement) for e in entity.get(key, [])]


def seed_file(seed_dir: str | Path, name: str) -> Path:
    """One of the original demo's sample files (`creditcard_extended.csv`, `creditcard_small.csv`): in
    `seed_dir`, or when that is empty in the shared data folder beside the checkout."""
    from fraudlab.pipeline.errors import StageInputError
    from fraudlab.stack import find_project_root

    folder = Path(seed_dir) if seed_dir else find_project_root().parent / "shared" / "data" / "seed"
    path = folder / name
    if not path.is_file():
        raise StageInputError("seed_dir", str(path), "no such file (name the folder of the original demo's samples)")
    return path


def stage_for_connect(path: Path, spool_dir: Path) -> Path:
    """A copy of `path` in the folder the Connect worker reads, under a new name per run: the FileStream
    connector remembers how far it read a file by its name, so a re-run needs a name it has not seen."""
    target_dir = Path(spool_dir) / "classic-demo"
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{path.stem}-{time.strftime('%Y%m%d%H%M%S')}{path.suffix}"
    shutil.copyfile(path, target)
    return target


# --- the original's model --------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoData:
    """The original's preprocessing (Time and Amount standardised, V1..V28 as they are) on a stratified
    random split: the autoencoder trains on the normal rows of `fit`, its loss curve's second line is
    the normal rows of `val` (the original validated on the test rows), and `test` is scored once."""

    x_fit: np.ndarray
    x_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    features: DemoFeatures


def prepare(frame: pd.DataFrame, seed: int = DEMO_SEED, test_size: float = 0.2) -> DemoData:
    split = make_split(frame, "random", test_fraction=test_size, val_fraction=test_size, seed=seed)
    raw = frame[list(FEATURES)].to_numpy(dtype=np.float64)
    y = frame[LABEL].to_numpy().astype(int)
    features = DemoFeatures.fit(raw[split.fit])
    x = features.transform(raw)
    fit = split.fit[y[split.fit] == 0]
    val = split.val[y[split.val] == 0]
    return DemoData(x[fit], x[val], x[split.test], y[split.test], features)


def train_autoencoder(data: DemoData, epochs: int, seed: int = 42, verbose: int = 2) -> tuple[Any, dict[str, list[float]]]:
    """The original's network and training (batch 32, Adam, MSE); keeps the weights of the best
    validation epoch, as the original's checkpoint did. Returns (model, history)."""
    from fraudlab.model.autoencoder import build_autoencoder, fit_autoencoder

    config = replace(REFERENCE_AE, epochs=int(epochs), seed=int(seed))
    model = build_autoencoder(data.x_fit.shape[1], config, name="original_autoencoder")
    history = fit_autoencoder(model, data.x_fit, data.x_val, config, verbose=verbose)
    return model, history


def normal_threshold(model: Any, data: DemoData, quantile: float = 0.95) -> float:
    """A threshold on the reconstruction error: the `quantile` of the validation rows' errors (all
    normal), so about 1 - quantile of normal transactions raise an alert."""
    from fraudlab.model.autoencoder import mse_score, reconstruct

    return float(np.quantile(mse_score(data.x_val, reconstruct(model, data.x_val)), quantile))


def reconstruction_errors(model: Any, data: DemoData) -> pd.DataFrame:
    """The original's `error_df`: each test row's mean squared reconstruction error and its class."""
    from fraudlab.model.autoencoder import mse_score, reconstruct

    error = mse_score(data.x_test, reconstruct(model, data.x_test))
    return pd.DataFrame({"reconstruction_error": error, "true_class": data.y_test})


# --- the original's plots ----------------------------------------------------------------------------


def plot_loss(history: dict[str, list[float]]) -> plt.Axes:
    _, ax = plt.subplots()
    ax.plot(history["loss"], label="train")
    ax.plot(history["val_loss"], label="validation")
    ax.set(title="model loss", xlabel="epoch", ylabel="loss")
    ax.legend(loc="upper right")
    return ax


def plot_roc(errors: pd.DataFrame) -> float:
    """ROC curve of the reconstruction error; returns the area under it."""
    from sklearn.metrics import auc, roc_curve

    fpr, tpr, _ = roc_curve(errors.true_class, errors.reconstruction_error)
    area = float(auc(fpr, tpr))
    _, ax = plt.subplots()
    ax.plot(fpr, tpr, label=f"AUC = {area:.4f}")
    ax.plot([0, 1], [0, 1], "r--")
    ax.set(title="Receiver Operating Characteristic", xlabel="False Positive Rate", ylabel="True Positive Rate",
           xlim=(-0.001, 1), ylim=(0, 1.001))
    ax.legend(loc="lower right")
    return area


def plot_precision_recall(errors: pd.DataFrame) -> float:
    """Precision against recall; returns the area under the curve (average precision)."""
    from sklearn.metrics import average_precision_score, precision_recall_curve

    precision, recall, _ = precision_recall_curve(errors.true_class, errors.reconstruction_error)
    _, ax = plt.subplots()
    ax.plot(recall, precision, "b", label="Precision-Recall curve")
    ax.set(title="Recall vs Precision", xlabel="Recall", ylabel="Precision")
    return float(average_precision_score(errors.true_class, errors.reconstruction_error))


def plot_threshold_curves(errors: pd.DataFrame) -> plt.Axes:
    """Precision and recall for different thresholds on the reconstruction error."""
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(errors.true_class, errors.reconstruction_error)
    _, ax = plt.subplots()
    ax.plot(thresholds, precision[1:], "b", label="Threshold-Precision curve")
    ax.plot(thresholds, recall[1:], "g", label="Threshold-Recall curve")
    ax.set(title="Precision and recall for different threshold values", xlabel="Threshold",
           ylabel="Precision / Recall")
    ax.legend()
    return ax


def plot_errors_by_class(errors: pd.DataFrame, threshold: float) -> plt.Axes:
    _, ax = plt.subplots()
    for label, group in errors.groupby("true_class"):
        ax.plot(group.index, group.reconstruction_error, marker="o", ms=3.5, linestyle="",
                label=LABELS[int(label)])
    ax.hlines(threshold, ax.get_xlim()[0], ax.get_xlim()[1], colors="r", zorder=100, label="Threshold")
    ax.set(title="Reconstruction error for different classes", ylabel="Reconstruction error",
           xlabel="Data point index")
    ax.legend()
    return ax


def plot_confusion(errors: pd.DataFrame, threshold: float) -> np.ndarray:
    """The confusion matrix at `threshold` (a row is fraud when its error is above it), as a heatmap."""
    import seaborn as sns
    from sklearn.metrics import confusion_matrix

    predicted = (errors.reconstruction_error > threshold).astype(int)
    matrix = confusion_matrix(errors.true_class, predicted, labels=[0, 1])
    plt.figure(figsize=(6, 6))
    sns.heatmap(matrix, xticklabels=LABELS, yticklabels=LABELS, annot=True, fmt="d")
    plt.title("Confusion matrix")
    plt.ylabel("True class")
    plt.xlabel("Predicted class")
    return matrix
