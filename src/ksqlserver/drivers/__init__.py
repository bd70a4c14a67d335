"""Topic drivers: the engine's I/O, over real Kafka or in memory."""

from ksqlserver.drivers.base import Consumer, DriverError, Record, TopicDriver, TopicInfo
from ksqlserver.drivers.memory import MemoryDriver

__all__ = ["Consumer", "DriverError", "MemoryDriver", "Record", "TopicDriver", "TopicInfo"]
