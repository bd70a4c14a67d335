"""TensorFlow from Kafka: `kafka_dataset` for `model.fit`/`model.predict`, a callback writing
predictions to a topic, and incremental training on a stream. TensorFlow is imported lazily."""

from fraudlab.tfkafka.batches import StreamSpec, kafka_batches
from fraudlab.tfkafka.dataset import kafka_dataset
from fraudlab.tfkafka.errors import TfKafkaError
from fraudlab.tfkafka.incremental import IncrementalResult, next_version_dir, train_incrementally

__all__ = [
    "IncrementalResult",
    "StreamSpec",
    "TfKafkaError",
    "kafka_batches",
    "kafka_dataset",
    "next_version_dir",
    "train_incrementally",
]
