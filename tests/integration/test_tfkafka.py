"""tf.data from Kafka against the real broker: bounded and continuous reads on both consumers (the
native batch consumer and confluent-kafka), identical batches from both, bad records skipped, fit/
predict, the prediction-writing callback and incremental training."""

from __future__ import annotations

import logging
import resource
import time
from pathlib import Path

import numpy as np
import orjson
import pytest
from confluent_kafka import Producer

from fraudlab.data import synthetic
from fraudlab.data.schema import COLUMNS, FEATURES
from fraudlab.kafka import KafkaConfig, count_records, create_topic, produce_values
from fraudlab.kafka.batch_consumer import BatchConsumer
from fraudlab.scoring.layouts import DEMO
from fraudlab.tfkafka import StreamSpec, kafka_batches, kafka_dataset, resolve_client, train_incrementally

CLIENTS = ["native", "confluent"]


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


def test_the_native_consumer_is_the_default(kafka_config: KafkaConfig) -> None:
    assert resolve_client(StreamSpec("t", tuple(FEATURES)), kafka_config) == ("native", "")


@pytest.mark.parametrize("client", CLIENTS)
def test_bounded_dataset_yields_every_row_in_order(kafka_config: KafkaConfig, labelled_topic, client: str) -> None:  # type: ignore[no-untyped-def]
    topic, x, y = labelled_topic
    ds = kafka_dataset(topic, kafka_config, batch_size=512, label="Class", client=client)
    xs, ys = zip(*[(bx.numpy(), by.numpy()) for bx, by in ds], strict=True)
    assert [len(b) for b in xs[:-1]] == [512] * (len(xs) - 1)
    np.testing.assert_array_equal(np.concatenate(xs), x)
    np.testing.assert_array_equal(np.concatenate(ys), y)
    first = next(iter(kafka_dataset(topic, kafka_config, batch_size=100, max_records=250, client=client).batch(1)))
    assert first.shape == (1, 100, 30)
    limited = list(kafka_dataset(topic, kafka_config, batch_size=100, max_records=250, client=client))
    assert [len(b) for b in limited] == [100, 100, 50]
    np.testing.assert_array_equal(np.concatenate(limited), x[:250])


def _tricky_lines(n: int) -> tuple[list[bytes | None], list[int]]:
    """Kaggle lines with every kind of record the parsers treat differently, and the positions of
    the ones that must be skipped."""
    frame = synthetic(n, 0.05, seed=5)
    lines: list[bytes | None] = [ln.encode() for ln in frame.to_csv(header=False, index=False, lineterminator="\n").splitlines()]
    fields = [ln.split(b",") for ln in lines]  # type: ignore[union-attr]
    lines[10] = b" " + b", ".join(fields[10])  # spaces around numbers: the C parser flags it, Python accepts
    lines[11] = b",".join(b'"' + f.strip(b'"') + b'"' for f in fields[11])  # every field quoted: accepted in C
    lines[12] = b"garbage,line"
    lines[13] = b""
    lines[14] = None  # a tombstone
    lines[15] = b"\xff\xfe" + lines[15][2:]  # type: ignore[index]  # not UTF-8
    lines[16] = b"1," * 2_000_000 + b"1"  # 4 MB: more than the native raw buffer holds at first
    lines[17] = lines[17].replace(b",", b",nan,", 1)  # type: ignore[union-attr]  # 32 fields
    lines[18] = b",".join([fields[18][0], b"1e999", *fields[18][2:]])  # a number beyond float32
    lines[n - 1] = b"trailing,garbage"  # the last record of the topic is skipped too
    return lines, [12, 13, 14, 15, 16, 17, 18, n - 1]


def _produce(config: KafkaConfig, topic: str, values: list[bytes | None], partition: int | None = None) -> None:
    producer = Producer(config.as_librdkafka(**{"message.max.bytes": 8_000_000, "linger.ms": 5}))
    for value in values:
        if partition is None:
            producer.produce(topic, value)
        else:
            producer.produce(topic, value, partition=partition)
        producer.poll(0)
    assert producer.flush(60) == 0


def test_both_consumers_yield_identical_batches_and_skip_the_same_records(
    kafka_config: KafkaConfig, topic_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    lines, bad = _tricky_lines(3000)
    create_topic(kafka_config, topic_name, partitions=1, topic_config={"max.message.bytes": "8000000"})
    _produce(kafka_config, topic_name, lines)
    out = {}
    for client in CLIENTS:
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="fraudlab.tfkafka"):
            spec = StreamSpec(topic_name, tuple(FEATURES), label="Class", batch_size=700, client=client)  # type: ignore[arg-type]
            out[client] = list(kafka_batches(spec, kafka_config))
        skipped = "\n".join(r.getMessage() for r in caplog.records)
        for offset in bad:
            assert f"0:{offset}," in skipped or f"0:{offset};" in skipped, (client, offset, skipped)
        if client == "native":  # it reads in batch-sized steps: each reason is logged
            assert "offset 18: record" in skipped and "V1='1e999' is not a finite" in skipped
    native, confluent = out["native"], out["confluent"]
    assert [len(x) for x, _ in native] == [len(x) for x, _ in confluent] == [700, 700, 700, 700, 3000 - 8 - 2800]
    for (nx, ny), (cx, cy) in zip(native, confluent, strict=True):
        np.testing.assert_array_equal(nx, cx)
        np.testing.assert_array_equal(ny, cy)
    x = np.concatenate([b for b, _ in native])
    good = [i for i in range(3000) if i not in bad]
    expected = synthetic(3000, 0.05, seed=5).iloc[good]
    np.testing.assert_array_equal(x, expected[list(FEATURES)].to_numpy(np.float32))


@pytest.mark.parametrize("client", CLIENTS)
def test_other_layouts_formats_and_bounds(kafka_config: KafkaConfig, topic_name: str, client: str) -> None:
    frame = synthetic(1000, 0.05, seed=8)
    demo = frame.assign(Id=range(1000), Timestamp="2024-01-01 00:00:00", User="u")[list(DEMO)]
    create_topic(kafka_config, topic_name, partitions=3)
    lines = demo.to_csv(header=False, index=False, lineterminator="\n").encode().splitlines()
    _produce(kafka_config, topic_name, list(lines))
    spec = StreamSpec(topic_name, ("V1", "Amount"), batch_size=128, client=client)  # type: ignore[arg-type]
    x = np.concatenate([b for b, y in kafka_batches(spec, kafka_config) if y is None])
    # Three partitions interleave: compare as sets of rows.
    want = frame[["V1", "Amount"]].to_numpy(np.float32)
    np.testing.assert_array_equal(x[np.lexsort(x.T)], want[np.lexsort(want.T)])
    capped = StreamSpec(topic_name, ("V1",), batch_size=128, max_records=300, client=client)  # type: ignore[arg-type]
    assert [len(b) for b, _ in kafka_batches(capped, kafka_config)] == [128, 128, 44]
    json_topic = f"{topic_name}-json"
    create_topic(kafka_config, json_topic, partitions=1)
    _produce(kafka_config, json_topic, [orjson.dumps(r) for r in frame[list(COLUMNS)].to_dict("records")])
    js = StreamSpec(json_topic, tuple(FEATURES), label="Class", value_format="json", batch_size=333, client=client)  # type: ignore[arg-type]
    got = list(kafka_batches(js, kafka_config))
    np.testing.assert_array_equal(np.concatenate([b for b, _ in got]), frame[list(FEATURES)].to_numpy(np.float32))
    np.testing.assert_array_equal(np.concatenate([y for _, y in got]), frame["Class"].to_numpy(np.float32))
    empty = f"{topic_name}-empty"
    create_topic(kafka_config, empty, partitions=2)
    assert list(kafka_batches(StreamSpec(empty, ("V1",), client=client), kafka_config)) == []  # type: ignore[arg-type]


def test_bounded_native_read_ends_at_transaction_markers(kafka_config: KafkaConfig, topic_name: str) -> None:
    # A transactional topic ends in a commit marker, an offset no record is delivered at: the native
    # consumer ends on the end-of-partition event instead of waiting for its timeout.
    frame = synthetic(400, 0.05, seed=9)
    lines = frame.to_csv(header=False, index=False, lineterminator="\n").encode().splitlines()
    create_topic(kafka_config, topic_name, partitions=2)
    producer = Producer(kafka_config.as_librdkafka(**{"transactional.id": f"{topic_name}-tx"}))
    producer.init_transactions(30)
    producer.begin_transaction()
    for line in lines:
        producer.produce(topic_name, line)
    producer.commit_transaction(30)
    # The commit markers reach the partitions just after commit_transaction returns; until then a
    # read_committed reader's end offsets (the last stable offsets) stay at 0.
    watch = BatchConsumer(topic_name, kafka_config.as_librdkafka(**{
        "group.id": f"{topic_name}-w", "isolation.level": "read_committed"}))
    deadline = time.monotonic() + 30
    while sum(watch.watermarks(p)[1] for p in (0, 1)) < 400 + 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    watch.close()
    spec = StreamSpec(topic_name, tuple(FEATURES), batch_size=1000, timeout_s=120, client="native")
    start = time.monotonic()
    x = np.concatenate([b for b, _ in kafka_batches(spec, kafka_config)])
    assert len(x) == 400
    assert time.monotonic() - start < 60  # ended at the markers, not at timeout_s


@pytest.mark.parametrize("client", CLIENTS)
def test_continuous_mode_commits_what_was_used(kafka_config: KafkaConfig, labelled_topic, client: str) -> None:  # type: ignore[no-untyped-def]
    topic, x, _ = labelled_topic
    group = f"{topic}-g-{client}"
    spec = StreamSpec(topic, tuple(FEATURES), batch_size=1000, mode="continuous", group_id=group,
                      max_records=2000, timeout_s=30, client=client)  # type: ignore[arg-type]
    first = [b for b, _ in kafka_batches(spec, kafka_config)]
    assert sum(len(b) for b in first) == 2000
    # A batch taken but not finished with (the caller stops mid-stream) is not committed.
    dropped = StreamSpec(topic, tuple(FEATURES), batch_size=500, mode="continuous", group_id=group,
                         timeout_s=30, client=client)  # type: ignore[arg-type]
    stream = kafka_batches(dropped, kafka_config)
    np.testing.assert_array_equal(next(stream)[0], x[2000:2500])
    stream.close()
    rest = StreamSpec(topic, tuple(FEATURES), batch_size=1000, mode="continuous", group_id=group,
                      timeout_s=8, client=client)  # type: ignore[arg-type]
    second = np.concatenate([b for b, _ in kafka_batches(rest, kafka_config)])
    # The group resumes after the committed batches: nothing lost, nothing read twice.
    np.testing.assert_array_equal(np.concatenate([*first, second]), x)


@pytest.mark.parametrize("client", CLIENTS)
def test_continuous_commits_cover_every_partition(kafka_config: KafkaConfig, topic_name: str, client: str) -> None:
    frame = synthetic(3000, 0.05, seed=4)
    create_topic(kafka_config, topic_name, partitions=3)
    _produce(kafka_config, topic_name, list(frame.to_csv(header=False, index=False, lineterminator="\n").encode().splitlines()))
    group = f"{topic_name}-g"

    def read(**bounds: float) -> np.ndarray:
        spec = StreamSpec(topic_name, ("Time", "V1"), batch_size=256, mode="continuous", group_id=group,
                          client=client, **bounds)  # type: ignore[arg-type]
        return np.concatenate([b for b, _ in kafka_batches(spec, kafka_config)])

    first = read(max_records=1800, timeout_s=30)
    rest = read(timeout_s=8)
    assert len(first) == 1800 and len(rest) == 1200
    both = np.concatenate([first, rest])
    want = frame[["Time", "V1"]].to_numpy(np.float32)
    np.testing.assert_array_equal(both[np.lexsort(both.T)], want[np.lexsort(want.T)])


def test_long_native_runs_do_not_leak(kafka_config: KafkaConfig, topic_name: str) -> None:
    # Every message is destroyed once used: a leak of even the message structs (~200 bytes) over
    # the 1.2 M records read here would add hundreds of MB.
    frame = synthetic(20_000, 0.05, seed=3)
    create_topic(kafka_config, topic_name, partitions=2)
    _produce(kafka_config, topic_name, list(frame.to_csv(header=False, index=False, lineterminator="\n").encode().splitlines()))
    spec = StreamSpec(topic_name, tuple(FEATURES), label="Class", batch_size=4096, client="native")

    def rss_mb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    for _ in range(10):  # warm up: librdkafka's queues, allocator arenas
        assert sum(len(b) for b, _ in kafka_batches(spec, kafka_config)) == 20_000
    before = rss_mb()
    for _ in range(60):
        assert sum(len(b) for b, _ in kafka_batches(spec, kafka_config)) == 20_000
    assert rss_mb() - before < 64


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
