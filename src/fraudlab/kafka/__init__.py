"""Kafka helpers: typed connection settings, topic administration, fast producers, bounded reads,
and a native batch consumer (`BatchConsumer`) that parses DELIMITED records into numpy buffers."""

from fraudlab.kafka.admin import (
    TopicInfo,
    count_records,
    create_topic,
    delete_topic,
    describe_topic,
    list_topics,
    topic_exists,
    wait_for_records,
)
from fraudlab.kafka.batch_consumer import BatchConsumer, BatchConsumerError, native_library
from fraudlab.kafka.config import KafkaConfig, Secret
from fraudlab.kafka.consumer import Record, read_records
from fraudlab.kafka.errors import InputFileError, KafkaClientError, TopicError, WaitTimeoutError
from fraudlab.kafka.producer import (
    ProduceReport,
    produce_csv,
    produce_dataframe,
    produce_values,
    send,
    send_all,
)

__all__ = [
    "BatchConsumer",
    "BatchConsumerError",
    "InputFileError",
    "KafkaClientError",
    "KafkaConfig",
    "ProduceReport",
    "Record",
    "Secret",
    "TopicError",
    "TopicInfo",
    "WaitTimeoutError",
    "count_records",
    "create_topic",
    "delete_topic",
    "describe_topic",
    "list_topics",
    "native_library",
    "produce_csv",
    "produce_dataframe",
    "produce_values",
    "read_records",
    "send",
    "send_all",
    "topic_exists",
    "wait_for_records",
]
