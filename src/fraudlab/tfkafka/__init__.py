"""TensorFlow from Kafka: `kafka_dataset` for `model.fit`/`model.predict`, a callback writing
predictions to a topic, and incremental training on a stream. TensorFlow is imported lazily.

Records are read by a native batch consumer (librdkafka parsing DELIMITED values into the batch
arrays in C) when it can be built, else by confluent-kafka; `resolve_client` says which will run."""

from fraudlab.tfkafka.batches import Client, StreamSpec, kafka_batches, resolve_client
from fraudlab.tfkafka.dataset import kafka_dataset
from fraudlab.tfkafka.errors import TfKafkaError
from fraudlab.tfkafka.incremental import IncrementalResult, next_version_dir, train_incrementally

__all__ = [
    "Client",
    "IncrementalResult",
    "StreamSpec",
    "TfKafkaError",
    "kafka_batches",
    "kafka_dataset",
    "next_version_dir",
    "resolve_client",
    "train_incrementally",
]
