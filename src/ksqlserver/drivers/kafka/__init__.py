"""The Kafka driver: `KafkaDriver` over confluent-kafka, with durable state, transactions and tails.

`config` (librdkafka settings), `records` (the produce loop and the C record helpers), `consumer` (a query's
group member), `tail` (reading an internal topic from its start), `changelog` (state store changelogs and
the heartbeat follower), `txn` (exactly-once producers), `driver` (the `TopicDriver` tying them together).
"""

from ksqlserver.drivers.kafka.config import KafkaDriverConfig
from ksqlserver.drivers.kafka.driver import KafkaDriver

__all__ = ["KafkaDriver", "KafkaDriverConfig"]
