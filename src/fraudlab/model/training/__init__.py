"""One training run: split, fit every model, choose the threshold on validation, evaluate on test,
export the bundle. `fit_models` + `write_bundle` are what `fraudlab train` and the quality benchmark call.

Protocol: the scaler, the autoencoders and the supervised models are fitted on the `fit` slice of the
training period; early stopping, model choices, the calibration and the threshold use the `val` slice;
the `test` rows are only scored at the end.

The deployed model (`BUNDLE_MODEL`) is a calibrated ensemble: gradient-boosted trees on the raw
columns with the hour of day, and the autoencoder with its supervised head; their log-odds are blended
with the weight (among `EnsembleConfig.ae_weights`) of the highest validation PR-AUC, then mapped to a
probability by Platt or beta calibration fitted on the validation slice. Every candidate's validation and test
figures go into the model card.

The run, by model family: `run.py` (`fit_models`: split, features, each family in turn, the threshold),
`autoencoders.py` (the workbench autoencoder and its head; the reference autoencoder), `ensemble.py`
(trees, blend, calibration, drift reference), `baselines.py` (the compared baselines), `card.py`
(`metrics_document`, `write_bundle`, `comparison_table`); `result.py` holds the model names and
`TrainingResult`.
"""

from fraudlab.model.training.card import comparison_table, metrics_document, write_bundle
from fraudlab.model.training.result import (
    AE_HEAD,
    BUNDLE_MODEL,
    REFERENCE,
    TREES,
    WORKBENCH_AE,
    ModelScores,
    TrainingResult,
)
from fraudlab.model.training.run import fit_models

__all__ = [
    "AE_HEAD",
    "BUNDLE_MODEL",
    "REFERENCE",
    "TREES",
    "WORKBENCH_AE",
    "ModelScores",
    "TrainingResult",
    "comparison_table",
    "fit_models",
    "metrics_document",
    "write_bundle",
]
