"""tf.data from Kafka against the real broker: bounded and continuous reads, fit/predict, the
prediction-writing callback and incremental training."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fraudlab.data import synthetic
from fraudlab.data.schema import FEATURES
from fraudlab.kafka import KafkaConfig, count_records, create_topic, produce_values
from fraudlab.tfkafka import StreamSpec, kafka_batches, kafka_dataset, train_incrementally


@pytest.fixture
def labelled_topic(kafka_config: KafkaConfig, topic_name: str) -> tuple[str, np.ndarray, np.ndarray]:
    frame = synthetic(5000, 0.05, seed=21)
    lines = frame.to_csv(header=False, index=False, lineterminator="\n").splitlines()
    lines[17] = "garbage,line"  # skipped, not fatal
    create_topic(kafka_config, topic_name, partitions=1)
    produce_values(kafka_config, topic_name, [ln.encode() for ln in lines], progress=False)
    keep = np.ones(5000, dtype=bool)
    keep[17] = False
    x = frame.loc[keep, list(FEATURES)].to_numpy(np.float32)
    return topic_name, x, frame.loc[keep, "Class"].to_numpy(np.float32)


def _model():  # type: ignore[no-untyped-def]
    import keras

    model = keras.Sequential([keras.Input((30,)), keras.layers.Normalization(), keras.layers.Dense(1, "sigmoid")])
    model.compile("adam", "binary_crossentropy")
    return model


def test_bounded_dataset_yields_every_row_in_order(kafka_config: KafkaConfig, labelled_topic) -> None:  # type: ignore[no-untyped-def]
    topic, x, y = labelled_topic
    ds = kafka_dataset(topic, kafka_config, batch_size=512, label="Class")
    xs, ys = zip(*[(bx.numpy(), by.numpy()) for bx, by in ds], strict=True)
    assert [len(b) for b in xs[:-1]] == [512] * (len(xs) - 1)
    np.testing.assert_array_equal(np.concatenate(xs), x)
    np.testing.assert_array_equal(np.concatenate(ys), y)
    first = next(iter(kafka_dataset(topic, kafka_config, batch_size=100, max_records=250).batch(1)))
    assert first.shape == (1, 100, 30)
    limited = list(kafka_dataset(topic, kafka_config, batch_size=100, max_records=250))
    assert [len(b) for b in limited] == [100, 100, 50]


def test_fit_predict_and_prediction_writer(kafka_config: KafkaConfig, labelled_topic, topic_name: str) -> None:  # type: ignore[no-untyped-def]
    from fraudlab.tfkafka.callbacks import PredictionWriter

    topic, x, _ = labelled_topic
    model = _model()
    history = model.fit(kafka_dataset(topic, kafka_config, batch_size=500, label="Class"), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    out_topic = f"{topic_name}-predictions"
    writer = PredictionWriter(out_topic, kafka_config)
    preds = model.predict(kafka_dataset(topic, kafka_config, batch_size=500), callbacks=[writer], verbose=0)
    assert preds.shape == (len(x), 1)
    np.testing.assert_allclose(preds, model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    assert writer.rows == len(x)
    assert count_records(kafka_config, out_topic) == len(x)


def test_continuous_mode_commits_what_was_used(kafka_config: KafkaConfig, labelled_topic) -> None:  # type: ignore[no-untyped-def]
    topic, x, _ = labelled_topic
    spec = StreamSpec(topic, tuple(FEATURES), batch_size=1000, mode="continuous", group_id=f"{topic}-g",
                      max_records=2000, timeout_s=30)
    first = [b for b, _ in kafka_batches(spec, kafka_config)]
    assert sum(len(b) for b in first) == 2000
    rest = StreamSpec(topic, tuple(FEATURES), batch_size=1000, mode="continuous", group_id=f"{topic}-g",
                      timeout_s=8)
    second = np.concatenate([b for b, _ in kafka_batches(rest, kafka_config)])
    # The group resumes after the committed batches: nothing lost, nothing read twice.
    np.testing.assert_array_equal(np.concatenate([*first, second]), x)


def test_incremental_training_saves_a_new_version(kafka_config: KafkaConfig, labelled_topic, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import keras

    topic, x, _ = labelled_topic
    model = _model()
    spec = StreamSpec(topic, tuple(FEATURES), label="Class", batch_size=256, mode="continuous",
                      group_id=f"{topic}-inc", timeout_s=10)
    result = train_incrementally(model, spec, kafka_config, tmp_path)
    assert result.version_dir == tmp_path / "v1" and result.rows == len(x)
    assert result.batches == -(-len(x) // 256)
    again = train_incrementally(model, StreamSpec(topic, tuple(FEATURES), label="Class", batch_size=256), kafka_config, tmp_path)
    assert again.version_dir == tmp_path / "v2"
    reloaded = keras.saving.load_model(again.version_dir / "model.keras")
    np.testing.assert_allclose(reloaded.predict(x[:10], verbose=0), model.predict(x[:10], verbose=0), rtol=1e-5)
