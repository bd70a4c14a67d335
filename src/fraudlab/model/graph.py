"""Compose the exported scoring graph: raw Kaggle columns in, one score per row out.

raw (n, 30) -> WorkbenchPreprocess -> autoencoder -> ResidualScore -> [head] -> score (n, 1)
"""

from __future__ import annotations

import keras
import numpy as np

from fraudlab.features import Standardizer
from fraudlab.model.autoencoder import code_layer_name
from fraudlab.model.config import AutoencoderConfig
from fraudlab.model.head import LOG_EPS, SCORE_EPS
from fraudlab.model.layers import LogFeatures, ResidualScore, WorkbenchPreprocess

INPUT_NAME = "features"
OUTPUT_NAME = "score"


def scoring_model(
    scaler: Standardizer,
    autoencoder: keras.Model,
    ae_config: AutoencoderConfig,
    residual_scale: np.ndarray,
    head: keras.Model | None,
    n_raw: int = 30,
) -> keras.Model:
    """The whole scorer as one Keras model; without a head the score is the autoencoder's."""
    raw = keras.Input((n_raw,), name=INPUT_NAME)
    x = WorkbenchPreprocess(scaler.mean.tolist(), scaler.scale.tolist(), name="preprocess")(raw)
    ae_views = keras.Model(
        autoencoder.inputs,
        [autoencoder.output, autoencoder.get_layer(code_layer_name(ae_config)).output],
        name="autoencoder_views",
    )
    recon, code = ae_views(x)
    sq, anomaly = ResidualScore(residual_scale.tolist(), eps=SCORE_EPS, name="residual_score")([x, recon])
    if head is None:
        out = keras.layers.Identity(name=OUTPUT_NAME)(anomaly)
    else:
        feats = keras.layers.Concatenate(name="head_features")([x, code, LogFeatures(LOG_EPS)(sq), anomaly])
        out = keras.layers.Identity(name=OUTPUT_NAME)(head(feats))
    return keras.Model(raw, out, name="fraud_scorer")
