"""Fraud models: autoencoders, baselines, the exported bundle and its scorer.

`load(path)` is the stable entry point for consumers (the scoring service, the KSQL function); it
imports ONNX Runtime only. Training code lives in the submodules and imports TensorFlow lazily.
"""

from fraudlab.model.errors import BundleError, ModelError, ScoringInputError, TrainingError
from fraudlab.model.scorer import Scorer, load

__all__ = ["BundleError", "ModelError", "Scorer", "ScoringInputError", "TrainingError", "load"]
