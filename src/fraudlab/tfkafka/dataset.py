"""`kafka_dataset`: a `tf.data.Dataset` of batched feature (and label) tensors read from a topic.

Built with `from_generator` over whole numpy batches, so the Python cost is per batch, not per row;
by default the batches come from the native batch consumer (librdkafka parsing DELIMITED values into
the batch arrays in C; see `native_batches`), else from confluent-kafka. SASL/SSL settings pass
through `KafkaConfig` to either. (TensorFlow I/O's Kafka datasets are abandoned.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from fraudlab.kafka import KafkaConfig
from fraudlab.tfkafka.batches import Client, Mode, StreamSpec, kafka_batches


def kafka_dataset(
    topic: str,
    config: KafkaConfig,
    batch_size: int = 1024,
    features: Sequence[str] | None = None,
    label: str | None = None,
    mode: Mode = "bounded",
    max_records: int | None = None,
    timeout_s: float | None = None,
    group_id: str | None = None,
    value_format: Literal["delimited", "json", "avro", "json_sr"] = "delimited",
    columns: Sequence[str] | None = None,
    client: Client = "auto",
) -> Any:
    """Batches of `x` (float32 [n, len(features)]), or `(x, y)` when `label` is given.

    bounded: until the end offsets seen when iteration starts, `max_records` or `timeout_s`;
    continuous: a consumer group (`group_id`) committing after each batch, bounded only by
    `max_records`/`timeout_s`. Each iteration of the dataset (each epoch) reads the topic again.
    `client`: "auto" (native when possible), "native" (an error if it cannot run) or "confluent".
    """
    import tensorflow as tf

    from fraudlab.data.schema import FEATURES

    spec = StreamSpec(
        topic=topic, features=tuple(features or FEATURES), label=label, value_format=value_format,
        columns=tuple(columns) if columns else None, batch_size=batch_size, mode=mode,
        max_records=max_records, timeout_s=timeout_s, group_id=group_id, client=client,
        schema_registry_url=config.schema_registry_url,
    )
    x_spec = tf.TensorSpec(shape=(None, len(spec.features)), dtype=tf.float32)
    if label is None:
        def gen_x() -> Any:
            for x, _ in kafka_batches(spec, config):
                yield x

        return tf.data.Dataset.from_generator(gen_x, output_signature=x_spec)

    def gen_xy() -> Any:
        yield from kafka_batches(spec, config)

    return tf.data.Dataset.from_generator(
        gen_xy, output_signature=(x_spec, tf.TensorSpec(shape=(None,), dtype=tf.float32))
    )
