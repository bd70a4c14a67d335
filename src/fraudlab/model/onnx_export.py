"""ONNX export of the scoring model with tf2onnx, from a tf.function with an explicit signature.

tf2onnx's `from_keras` expects tf.keras (Keras 2) models; with Keras 3 the supported route is to wrap
the model call in a `tf.function` and convert that. The input is float32 (n, 30) named `features`
with a dynamic batch dimension; the output is float32 (n, 1) named `score`.
"""

from __future__ import annotations

from pathlib import Path

import keras

from fraudlab.model.errors import BundleError
from fraudlab.model.graph import INPUT_NAME, OUTPUT_NAME

OPSET = 17


def export_onnx(model: keras.Model, path: Path) -> None:
    import tensorflow as tf
    import tf2onnx

    n_raw = int(model.inputs[0].shape[1])
    signature = [tf.TensorSpec([None, n_raw], tf.float32, name=INPUT_NAME)]

    @tf.function(input_signature=signature)
    def serve(features: tf.Tensor) -> dict[str, tf.Tensor]:
        return {OUTPUT_NAME: model(features, training=False)}

    proto, _ = tf2onnx.convert.from_function(serve, input_signature=signature, opset=OPSET)
    outputs = [o.name for o in proto.graph.output]
    if outputs != [OUTPUT_NAME]:
        raise BundleError(path.parent, f"ONNX export produced outputs {outputs}, expected [{OUTPUT_NAME!r}]")
    path.write_bytes(proto.SerializeToString())
