"""TensorFlow's thread pools for training (`TrainConfig.threads`).

The Keras networks are small: TensorFlow's default pools (one thread per core for each op, and as many
for running ops side by side) spent a quarter of the head's CPU seconds on threads waiting for each
other, and on a shared 2-core machine they compete with the worker thread's XGBoost/scikit-learn fits.
On the full data (`benchmarks/train_cpu.py`) one intra-op and one inter-op thread trained the same
weights (the same epochs, validation and test figures) with 23 % less CPU for the head and 13 % less for
the autoencoder.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def limit_keras_threads(threads: int | None) -> bool:
    """Cap TensorFlow's intra- and inter-op pools at `threads` (None: leave TensorFlow's defaults).

    TensorFlow fixes its pools when the process first runs an op; a process that already has other
    pools keeps them (logged). Returns whether the cap is in force."""
    if threads is None:
        return True
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        log.info(
            "TensorFlow already runs with %d intra-op / %d inter-op threads; the cap of %d applies to new processes",
            tf.config.threading.get_intra_op_parallelism_threads(),
            tf.config.threading.get_inter_op_parallelism_threads(),
            threads,
        )
        return False
    return True
