"""Issue 19's training-time cuts keep every figure: the baselines are scored on the reported rows only,
under the run's thread cap; TensorFlow's pools follow `TrainConfig.threads` while they can."""

from __future__ import annotations

import numpy as np
import pandas as pd
import tensorflow as tf

from fraudlab.model.baselines import LogisticModel, Mahalanobis
from fraudlab.model.config import TrainConfig
from fraudlab.model.threads import limit_keras_threads
from fraudlab.model.training.baselines import _job
from fraudlab.splits import make_split


def _data(n: int = 1500) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(n, 5))
    y = (x[:, 0] + 0.5 * rng.normal(size=n) > 1.8).astype(np.int64)
    return x, y


def test_a_baseline_scores_the_reported_rows_as_scoring_every_row_would() -> None:
    x, y = _data()
    split = make_split(pd.DataFrame({"Time": np.arange(len(y), dtype=float), "Class": y}), "time", 0.2, 0.2)
    for fitter in (lambda: LogisticModel.fit(x[split.fit], y[split.fit], 0),
                   lambda: Mahalanobis.fit(x[split.fit][y[split.fit] == 0])):
        scores = _job(fitter, x, split, threads=1, extra_seconds=2.0)()
        every_row = fitter().score(x)
        np.testing.assert_array_equal(scores.val, every_row[split.val])
        np.testing.assert_array_equal(scores.test, every_row[split.test])
        assert scores.seconds >= 2.0  # the autoencoder's seconds of the head-input baseline stay added


def test_keras_threads_follow_the_config_until_tensorflow_has_run() -> None:
    assert limit_keras_threads(None)  # no cap asked: TensorFlow's defaults, nothing to do
    tf.constant(1.0) + 1.0  # the process's first op (if no earlier test ran one) fixes the pools
    intra = tf.config.threading.get_intra_op_parallelism_threads()
    inter = tf.config.threading.get_inter_op_parallelism_threads()
    if intra == inter and intra > 0:
        assert limit_keras_threads(intra)  # the pools it already has: in force
    assert not limit_keras_threads(intra + 7)  # too late for another size: reported, pools unchanged
    assert tf.config.threading.get_intra_op_parallelism_threads() == intra
    assert TrainConfig().threads is None  # the library default unless the run caps it
