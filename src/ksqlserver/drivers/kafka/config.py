"""`KafkaDriverConfig`: the librdkafka settings of every client the engine makes, built once at the edge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class KafkaDriverConfig:
    """librdkafka settings for the engine's clients, built once at the edge."""

    bootstrap_servers: str
    linger_ms: int = 20
    batch_messages: int = 10_000
    batch_bytes: int = 1_000_000
    compression: str = "lz4"  # the broker shares the machine: smaller batches cost it less CPU
    queue_max_messages: int = 1_000_000
    fetch_max_bytes: int = 52_428_800
    admin_timeout_s: float = 15.0
    extra: Mapping[str, Any] = field(default_factory=dict)  # passed to every client as is
    # this server's stable identity (cluster/instance.py): static group membership, transactional ids
    instance_id: str = ""
    session_timeout_ms: int = 10_000  # how long a dead server keeps its partitions (scale-out failover)
    # librdkafka reports every produced record delivered or failed within this long (message.timeout.ms),
    # so an at-least-once flush waits for that rather than giving up on records still being retried
    delivery_timeout_s: float = 300.0
    # how long an at-least-once commit retries a coordinator that is away (a broker restarting), like the
    # Java consumer's commitSync under default.api.timeout.ms, before the query restarts from its offsets
    commit_timeout_s: float = 120.0
    # a consumer's close is waited for this long, then left behind: librdkafka's close can wait forever for
    # a group coordinator that does not answer (librdkafka issue 3740), and a query restarting after a
    # broker restart would hang with it
    close_timeout_s: float = 30.0
    # the query consumers', the sink producer's and the changelog producer's records go through kafkanative
    # (librdkafka driven from C, drivers/kafka/native.py) instead of confluent-kafka's per-record objects;
    # transactional producers, scans and tails stay on confluent-kafka
    native_io: bool = False

    def common(self) -> dict[str, Any]:
        return {"bootstrap.servers": self.bootstrap_servers, **self.extra}

    def producer(self) -> dict[str, Any]:
        return {
            **self.common(),
            "linger.ms": self.linger_ms,
            "batch.num.messages": self.batch_messages,
            "batch.size": self.batch_bytes,
            "compression.type": self.compression,
            "queue.buffering.max.messages": self.queue_max_messages,
            "partitioner": "murmur2_random",
            # a produce request the broker wrote but could not answer (it went away) is sent again: without
            # idempotence the retry writes its records twice, on top of what an at-least-once replay repeats
            # (as the Java producer under Kafka Streams, idempotent by default since Kafka 3.0)
            "enable.idempotence": True,
            "acks": "all",
            "message.timeout.ms": int(self.delivery_timeout_s * 1000),
            "delivery.report.only.error": True,
        }

    def consumer(self, group_id: str, from_beginning: bool) -> dict[str, Any]:
        return {
            **self.common(),
            "group.id": group_id,
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest" if from_beginning else "latest",
            "enable.partition.eof": False,
            "fetch.max.bytes": self.fetch_max_bytes,
            "queued.min.messages": 100_000,
            "session.timeout.ms": self.session_timeout_ms,
            # a restarted server rejoins as the same static member: no wait for the dead one to expire
            **({"group.instance.id": f"{self.instance_id}-{group_id}"} if self.instance_id else {}),
        }
